"""Sections become Canvas courses; the schedule becomes Canvas enrollments."""

import pytest
import requests

from jobs.sync_queue import request_sync, request_sync_all
from models import CanvasSettings, SyncState, db


def _section(make, **fields):
    values = {"virtual_class": True, "canvas_sync": True}
    values.update(fields)
    return make.section(**values)


def _sync(kind, record_id, **options):
    state = request_sync(kind, record_id, **options)
    db.session.commit()
    return state


def _state(kind, record_id):
    db.session.expire_all()
    return SyncState.lookup(kind, record_id)


def _assert_waiting(stints, words):
    """Each stint is in error, its message starting with the words."""
    for stint in stints:
        state = _state("enrollment", stint.id)
        assert state.state == "error"
        assert state.last_error.startswith(words)


def _enrol(make, run_jobs, section, student):
    stint = make.enroll(student, section)
    _sync("enrollment", stint.id)
    run_jobs()
    return stint


def test_section_sync_creates_term_course_section_and_teacher(
    app, make, canvas, run_jobs
):
    section = _section(make, title="Algebra I (P1)")
    _sync("section", section.id)
    run_jobs()

    state = _state("section", section.id)
    assert state.state == "synced", state.last_error
    [course] = canvas.courses(sis_course_id=section.external_id)
    assert course["id"] == state.canvas_id
    assert course["name"] == "Algebra I (P1)"
    assert course["course_code"] == section.course.code
    [term] = canvas.state("terms", sis_term_id=section.marking_period.external_id)
    assert course["enrollment_term_id"] == term["id"]
    [canvas_section] = canvas.sections(sis_section_id=section.external_id)
    assert canvas_section["course_id"] == course["id"]
    [login] = canvas.users(sis_user_id=section.teacher.external_id)
    [teacher] = canvas.enrollments(user_id=login["user_id"])
    assert teacher["type"] == "TeacherEnrollment"
    assert teacher["course_section_id"] == canvas_section["id"]
    assert teacher["workflow_state"] == "active"


def test_section_without_virtual_class_stays_off(app, make, canvas, run_jobs):
    section = make.section(virtual_class=False, canvas_sync=False)
    state = _sync("section", section.id)
    run_jobs()
    assert state.state == "off"
    assert canvas.courses() == [] or all(
        c.get("sis_course_id") != section.external_id for c in canvas.courses()
    )


def test_students_are_enrolled_active_without_invitation(app, make, canvas, run_jobs):
    section = _section(make)
    student = make.student()
    stint = _enrol(make, run_jobs, section, student)

    state = _state("enrollment", stint.id)
    assert state.state == "synced", state.last_error
    [login] = canvas.users(sis_user_id=student.external_id)
    [enrollment] = canvas.enrollments(user_id=login["user_id"])
    assert enrollment["workflow_state"] == "active"
    assert enrollment["type"] == "StudentEnrollment"
    assert _state("section", section.id).state == "synced"


def test_invitations_setting_enrols_invited(app, make, canvas, run_jobs):
    settings = CanvasSettings.load()
    settings.send_invitations = True
    db.session.commit()
    section = _section(make)
    student = make.student()
    _enrol(make, run_jobs, section, student)

    [login] = canvas.users(sis_user_id=student.external_id)
    [enrollment] = canvas.enrollments(user_id=login["user_id"])
    assert enrollment["workflow_state"] == "invited"


@pytest.mark.parametrize(
    ("action", "canvas_state"),
    [("conclude", "completed"), ("delete", "deleted"), ("inactivate", "inactive")],
)
def test_drop_and_add_back(app, make, canvas, run_jobs, action, canvas_state):
    settings = CanvasSettings.load()
    settings.drop_action = action
    db.session.commit()
    section = _section(make)
    student = make.student()
    stint = _enrol(make, run_jobs, section, student)
    [login] = canvas.users(sis_user_id=student.external_id)

    stint.status = "dropped"
    db.session.commit()
    _sync("enrollment", stint.id)
    run_jobs()

    [dropped] = canvas.enrollments(user_id=login["user_id"])
    assert dropped["workflow_state"] == canvas_state
    assert _state("enrollment", stint.id).state == "synced"

    again = _enrol(make, run_jobs, section, student)

    [back] = canvas.enrollments(user_id=login["user_id"])
    assert back["id"] == dropped["id"]
    assert back["workflow_state"] == "active"
    assert _state("enrollment", again.id).state == "synced"
    assert _state("enrollment", stint.id).state == "synced"


def test_teacher_change_swaps_enrollment_in_the_same_course(
    app, make, canvas, run_jobs
):
    section = _section(make)
    old_teacher = section.teacher
    _sync("section", section.id)
    run_jobs()
    course_id = _state("section", section.id).canvas_id

    new_teacher = make.staff()
    section.teacher_id = new_teacher.id
    db.session.commit()
    _sync("section", section.id)
    run_jobs()

    state = _state("section", section.id)
    assert state.state == "synced", state.last_error
    assert state.canvas_id == course_id
    assert len(canvas.courses()) == 1
    [old_login] = canvas.users(sis_user_id=old_teacher.external_id)
    [new_login] = canvas.users(sis_user_id=new_teacher.external_id)
    [old] = canvas.enrollments(user_id=old_login["user_id"])
    [new] = canvas.enrollments(user_id=new_login["user_id"])
    assert old["workflow_state"] == "completed"
    assert new["workflow_state"] == "active" and new["course_id"] == course_id
    assert new["type"] == "TeacherEnrollment"


def test_enrollment_of_a_student_in_error_says_what_it_waits_on(
    app, make, canvas, run_jobs
):
    section = _section(make)
    student = make.student(email="")
    stint = _enrol(make, run_jobs, section, student)

    state = _state("enrollment", stint.id)
    assert state.state == "error"
    assert state.last_error.startswith(f"Waits on student {student.full_name}")
    assert "no email address" in state.last_error

    student.email = "fixed@example.org"
    db.session.commit()
    _sync("student", student.id)
    run_jobs()

    assert _state("student", student.id).state == "synced"
    assert _state("enrollment", stint.id).state == "synced"


def test_enrollment_in_a_section_in_error_is_in_error(app, make, canvas, run_jobs):
    section = _section(make)
    section.teacher.email = "not an email"
    db.session.commit()
    stint = _enrol(make, run_jobs, section, make.student())

    assert _state("section", section.id).state == "error"
    state = _state("enrollment", stint.id)
    assert state.state == "error"
    assert state.last_error.startswith(f"Waits on section {section.name}")


def test_second_sync_with_nothing_changed_makes_no_request(app, make, canvas, run_jobs):
    section = _section(make)
    _enrol(make, run_jobs, section, make.student())
    canvas.clear_requests()

    _sync("section", section.id)
    run_jobs()

    assert canvas.request_counts() == {}


def test_section_canvas_refuses_is_tried_once_not_once_per_student(
    app, make, canvas, run_jobs
):
    app.config.update(CANVAS_RETRIES=2)
    section = _section(make)
    stints = [make.enroll(make.student(), section) for _ in range(3)]
    canvas.set_fault("/api/v1/accounts/*/courses", method="POST", action="error")
    _sync("section", section.id)
    run_jobs()

    assert _state("section", section.id).state == "error"
    _assert_waiting(stints, f"Waits on section {section.name}")
    # One attempt and its two retries: the students do not retry the section.
    assert canvas.request_counts()["POST /api/v1/accounts/:id/courses"] == 3


def test_student_canvas_refuses_is_tried_once_not_once_per_section(
    app, make, canvas, run_jobs
):
    app.config.update(CANVAS_RETRIES=1)
    student = make.student()
    sections = [_section(make) for _ in range(3)]
    for section in sections:
        _sync("section", section.id)
    run_jobs()
    stints = [make.enroll(student, section) for section in sections]
    canvas.set_fault("/api/v1/accounts/*/users", method="POST", action="error")
    canvas.clear_requests()
    request_sync_all(["students", "sections"])
    app.config.update(CANVAS_SIS_IMPORT=False)
    run_jobs()

    assert _state("student", student.id).state == "error"
    _assert_waiting(stints, f"Waits on student {student.full_name}")
    assert canvas.request_counts()["POST /api/v1/accounts/:id/users"] == 2


def _change_sis_id_in_canvas(canvas, sis_user_id, new_sis_user_id):
    """What an admin editing the login in Canvas does to Homeroom's SIS id."""
    [login] = canvas.users(sis_user_id=sis_user_id)
    response = requests.put(
        f"{canvas.url}/api/v1/accounts/1/logins/{login['id']}",
        data={"login[sis_user_id]": new_sis_user_id},
        headers={"Authorization": f"Bearer {canvas.token}"},
        timeout=10,
    )
    response.raise_for_status()


def test_enrollment_of_a_user_changed_in_canvas_names_her_and_what_to_do(
    app, make, canvas, run_jobs
):
    section = _section(make)
    student = make.student()
    _sync("section", section.id)
    _sync("student", student.id, enabled=True)
    run_jobs()
    _change_sis_id_in_canvas(canvas, student.external_id, "EDITED-IN-CANVAS")

    stint = _enrol(make, run_jobs, section, student)

    state = _state("enrollment", stint.id)
    assert state.state == "error"
    assert "does not exist" not in state.last_error
    assert f"no user with SIS id {student.external_id}" in state.last_error
    assert f"student {student.full_name}" in state.last_error
    assert "Resync" in state.last_error

    _sync("student", student.id, enabled=True, force=True)
    run_jobs()

    assert _state("student", student.id).state == "synced"
    assert len(canvas.users(sis_user_id=student.external_id)) == 1
    assert _state("enrollment", stint.id).state == "synced"


@pytest.mark.parametrize(
    ("method", "path", "data", "words"),
    [
        ("PUT", "/api/v1/sections/55", None, "Canvas has no section with id 55"),
        (
            "GET",
            "/api/v1/courses/sis_course_id:SEC%2D9",
            None,
            "Canvas has no course with SIS id SEC-9",
        ),
        (
            "POST",
            "/api/v1/sections/sis_section_id:X1/enrollments",
            {"enrollment[user_id]": "sis_user_id:U1"},
            "Canvas has no user with SIS id U1, or no section with SIS id X1",
        ),
    ],
)
def test_not_found_names_what_canvas_is_missing(app, method, path, data, words):
    from jobs.canvas import CanvasNotFound
    from jobs.sync_rules import plain_message

    exc = CanvasNotFound("The specified resource does not exist.", status=404)
    request = {"method": method, "path": path, "params": None, "data": data}

    message = plain_message(exc, "enrollment", request)

    assert message.startswith(words)
    assert "Resync" in message


def test_teacher_added_before_canvas_was_set_up_syncs_with_her_section(
    app, make, canvas, run_jobs
):
    settings = CanvasSettings.load()
    settings.url = ""
    db.session.commit()
    section = _section(make)
    assert _sync("staff", section.teacher_id, enabled=True).state == "off"
    settings.url = canvas.url
    db.session.commit()

    _sync("section", section.id)
    run_jobs()

    state = _state("section", section.id)
    assert state.state == "synced", state.last_error
    assert _state("staff", section.teacher_id).state == "synced"
    [login] = canvas.users(sis_user_id=section.teacher.external_id)
    [teacher] = canvas.enrollments(user_id=login["user_id"])
    assert teacher["type"] == "TeacherEnrollment"


def test_teacher_whose_box_is_unticked_still_blocks_her_section(
    app, make, canvas, run_jobs
):
    section = _section(make)
    _sync("staff", section.teacher_id, enabled=False)
    _sync("section", section.id)
    run_jobs()

    state = _state("section", section.id)
    assert state.state == "error"
    assert "not set to synchronize with Canvas" in state.last_error
