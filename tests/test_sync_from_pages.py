"""Saving through the admin pages reaches Canvas: the routes queue the syncs."""

from jobs.sync_queue import request_sync
from models import Enrollment, SyncState, db


def _synced_section(make, run_jobs):
    """A syncing section whose course and term Canvas already has."""
    section = make.section(virtual_class=True, canvas_sync=True)
    request_sync("section", section.id)
    db.session.commit()
    run_jobs()
    assert SyncState.lookup("section", section.id).state == "synced"
    return section


def _course_data(course, **fields):
    values = {
        "code": course.code,
        "title": course.title,
        "subject": "Math",
        "credits": "1",
    }
    values.update(fields)
    return values


def test_course_code_edited_on_the_page_reaches_canvas(
    app, client, login, make, canvas, run_jobs
):
    section = _synced_section(make, run_jobs)
    login("admin")

    edit = client.post_form(
        f"/courses/{section.course_id}/edit",
        _course_data(section.course, code="ALG-2"),
    )
    assert edit.status_code == 302
    run_jobs()

    [course] = canvas.courses(sis_course_id=section.external_id)
    assert course["course_code"] == "ALG-2"
    assert len(canvas.courses()) == 1


def test_term_renamed_on_the_page_reaches_canvas(
    app, client, login, make, canvas, run_jobs
):
    section = _synced_section(make, run_jobs)
    period = section.marking_period
    login("admin")

    edit = client.post_form(
        f"/marking-periods/{period.id}/edit",
        {
            "title": "School Year 2026-27",
            "short_name": period.short_name,
            "kind": "year",
            "parent_id": "0",
            "start_date": "2026-08-20",
            "end_date": "2027-06-10",
            "post_start": "",
            "post_end": "",
            "does_grades": "y",
        },
    )
    assert edit.status_code == 302
    run_jobs()

    [term] = canvas.state("terms", sis_term_id=period.external_id)
    assert term["name"] == "School Year 2026-27"


def test_add_and_drop_on_the_roster_reach_canvas(
    app, client, login, make, canvas, run_jobs
):
    section = _synced_section(make, run_jobs)
    student = make.student()
    login("admin")

    add = client.post_form(
        "/scheduling/enrollments",
        {
            "section_id": str(section.id),
            "student_id": str(student.id),
            "start_date": "2026-09-01",
        },
    )
    assert add.status_code == 303
    run_jobs()
    [login_row] = canvas.users(sis_user_id=student.external_id)
    [enrolled] = canvas.enrollments(user_id=login_row["user_id"])
    assert enrolled["workflow_state"] == "active"

    stint = db.session.scalar(db.select(Enrollment).filter_by(student_id=student.id))
    drop = client.post_form(f"/scheduling/enrollments/{stint.id}/drop", {})
    assert drop.status_code == 303
    run_jobs()
    [dropped] = canvas.enrollments(user_id=login_row["user_id"])
    assert dropped["id"] == enrolled["id"]
    assert dropped["workflow_state"] == "completed"


def test_teacher_changed_on_the_section_form_swaps_in_place(
    app, client, login, make, canvas, run_jobs
):
    section = _synced_section(make, run_jobs)
    new_teacher = make.staff()
    login("admin")

    edit = client.post_form(
        f"/sections/{section.id}/edit",
        {
            "course_id": str(section.course_id),
            "marking_period_id": str(section.marking_period_id),
            "teacher_id": str(new_teacher.id),
            "co_teacher_id": "0",
            "title": "",
            "period": "3",
            "room": "B12",
            "capacity": "24",
            "virtual_class": "y",
            "canvas_sync": "y",
        },
    )
    assert edit.status_code in (302, 303)
    run_jobs()

    assert len(canvas.courses()) == 1
    [new_login] = canvas.users(sis_user_id=new_teacher.external_id)
    [new] = canvas.enrollments(user_id=new_login["user_id"])
    assert new["type"] == "TeacherEnrollment"
    assert new["workflow_state"] == "active"
