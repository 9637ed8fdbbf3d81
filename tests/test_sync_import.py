"""Sync all goes through one Canvas SIS import; later edits sync record by record."""

from jobs.sync_queue import request_sync, request_sync_all
from models import CanvasSettings, SyncActivity, SyncState, db


def _state(kind, record_id):
    db.session.expire_all()
    return SyncState.lookup(kind, record_id)


def _synced_section(make, run_jobs, students=2):
    section = make.section(virtual_class=True, canvas_sync=True)
    people = [make.student() for _ in range(students)]
    stints = [make.enroll(student, section) for student in people]
    request_sync_all()
    run_jobs()
    return section, people, stints


def test_sync_all_is_one_import_and_reads_back_canvas_ids(app, make, canvas, run_jobs):
    section, people, stints = _synced_section(make, run_jobs)

    counts = canvas.request_counts()
    assert counts["POST /api/v1/accounts/:id/sis_imports"] == 1
    assert not any(k.startswith("POST /api/v1/accounts/:id/users") for k in counts)
    for student in people:
        state = _state("student", student.id)
        [login] = canvas.users(sis_user_id=student.external_id)
        assert state.state == "synced" and state.canvas_id == login["user_id"]
    [course] = canvas.courses(sis_course_id=section.external_id)
    assert _state("section", section.id).canvas_id == course["id"]
    assert all(_state("enrollment", s.id).state == "synced" for s in stints)
    enrollments = canvas.enrollments(course_id=course["id"])
    assert sorted(e["type"] for e in enrollments) == [
        "StudentEnrollment", "StudentEnrollment", "TeacherEnrollment",
    ]  # fmt: skip
    assert all(e["workflow_state"] == "active" for e in enrollments)
    [activity] = SyncActivity.for_record("student", people[0].id)
    assert activity.action.startswith("SIS import")
    assert activity.trace[0]["path"] == "users.csv"


def test_import_warning_becomes_the_records_error(app, make, canvas, run_jobs):
    canvas.seed(users=[{"name": "Other", "login_id": "clash@example.org"}])
    section = make.section(virtual_class=True, canvas_sync=True)
    clash = make.student(email="clash@example.org")
    fine = make.student()
    stint = make.enroll(clash, section)
    make.enroll(fine, section)
    request_sync_all()
    run_jobs()

    state = _state("student", clash.id)
    assert state.state == "error"
    assert state.last_error.startswith("Canvas already has this login")
    assert _state("student", fine.id).state == "synced"
    waiting = _state("enrollment", stint.id)
    assert waiting.state == "error"
    assert waiting.last_error.startswith(f"Waits on student {clash.full_name}")


def test_import_enrollment_of_a_student_refused_in_that_import_waits_on_her(
    app, make, canvas, run_jobs
):
    canvas.seed(users=[{"name": "Other", "login_id": "clash@example.org"}])
    section, people, _stints = _synced_section(make, run_jobs, students=1)
    student = people[0]
    student.email = "clash@example.org"
    stint = make.enroll(student, make.section(virtual_class=True, canvas_sync=True))
    request_sync_all()
    run_jobs()

    assert _state("student", student.id).state == "error"
    # Canvas takes the enrollment (her user is there, with the old login),
    # but Homeroom's rule holds: it waits on the student.
    waiting = _state("enrollment", stint.id)
    assert waiting.state == "error"
    assert waiting.last_error.startswith(f"Waits on student {student.full_name}")


def test_drop_after_an_import_finds_the_enrollment(app, make, canvas, run_jobs):
    section, people, stints = _synced_section(make, run_jobs, students=1)
    stints[0].status = "dropped"
    db.session.commit()
    request_sync("enrollment", stints[0].id)
    db.session.commit()
    run_jobs()

    assert _state("enrollment", stints[0].id).state == "synced"
    [login] = canvas.users(sis_user_id=people[0].external_id)
    [enrollment] = canvas.enrollments(user_id=login["user_id"])
    assert enrollment["workflow_state"] == "completed"


def test_teacher_change_after_an_import_keeps_the_course(app, make, canvas, run_jobs):
    section, _people, _stints = _synced_section(make, run_jobs, students=1)
    old = section.teacher
    course_id = _state("section", section.id).canvas_id
    section.teacher_id = make.staff().id
    db.session.commit()
    request_sync("section", section.id)
    db.session.commit()
    run_jobs()

    state = _state("section", section.id)
    assert state.state == "synced", state.last_error
    assert state.canvas_id == course_id and len(canvas.courses()) == 1
    [old_login] = canvas.users(sis_user_id=old.external_id)
    [old_enrollment] = canvas.enrollments(user_id=old_login["user_id"])
    assert old_enrollment["workflow_state"] == "completed"


def test_invitations_sync_all_record_by_record(app, make, canvas, run_jobs):
    settings = CanvasSettings.load()
    settings.send_invitations = True
    db.session.commit()
    _section, people, _stints = _synced_section(make, run_jobs, students=1)

    counts = canvas.request_counts()
    assert "POST /api/v1/accounts/:id/sis_imports" not in counts
    [login] = canvas.users(sis_user_id=people[0].external_id)
    [enrollment] = canvas.enrollments(user_id=login["user_id"])
    assert enrollment["workflow_state"] == "invited"


def test_roster_import_takes_the_defaults_and_syncs(
    app, make, canvas, run_jobs, tmp_path
):
    from jobs.enqueue import enqueue_once
    from models import Section
    from models.oneroster.generate import RosterShape, generate_roster

    settings = CanvasSettings.load()
    settings.new_sections_virtual = settings.new_sections_sync = True
    db.session.commit()
    shape = RosterShape(students=6, teachers=2, sections=2, classes_per_term=1)
    for name, text in generate_roster(shape).items():
        (tmp_path / name).write_text(text)
    enqueue_once("jobs.roster.apply_roster_import", str(tmp_path), job_id="t:roster")
    run_jobs()

    sections = db.session.scalars(db.select(Section)).all()
    assert sections and all(s.virtual_class and s.canvas_sync for s in sections)
    states = db.session.scalars(db.select(SyncState)).all()
    assert states and {s.state for s in states} == {"synced"}
    assert len(canvas.courses()) == len(sections)
