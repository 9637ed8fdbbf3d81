"""A flaky, throttling Canvas still ends with everything synced, and no duplicate."""

from collections import Counter

import pytest

from jobs.sync_queue import request_sync, request_sync_all
from models import CanvasSettings, SyncState, db


def _school(make, students=12, sections=3):
    """A small school: teachers, students, synced sections and enrollments."""
    people = [make.student() for _ in range(students)]
    period = make.period()
    classes = [
        make.section(marking_period=period, virtual_class=True, canvas_sync=True)
        for _ in range(sections)
    ]
    for n, student in enumerate(people):
        make.enroll(student, classes[n % sections])
        make.enroll(student, classes[(n + 1) % sections])
    return people, classes


def _assert_no_duplicates(canvas):
    sis_ids = Counter(
        row["sis_user_id"] for row in canvas.users() if row["sis_user_id"]
    )
    assert sis_ids and max(sis_ids.values()) == 1
    courses = Counter(row["sis_course_id"] for row in canvas.courses())
    assert max(courses.values()) == 1
    terms = Counter(row["sis_term_id"] for row in canvas.state("terms"))
    assert max(terms.values()) == 1
    sections = Counter(row["sis_section_id"] for row in canvas.sections())
    assert max(sections.values()) == 1
    places = Counter(
        (row["user_id"], row["course_section_id"], row["type"])
        for row in canvas.enrollments()
    )
    assert max(places.values()) == 1


def _states():
    db.session.expire_all()
    rows = db.session.scalars(db.select(SyncState)).all()
    return Counter((row.kind, row.state) for row in rows), rows


def _queue_each_record(people, classes):
    """What saving each record does: one sync job per person and section."""
    for student in people:
        request_sync("student", student.id, enabled=True)
    for section in classes:
        request_sync("staff", section.teacher_id, enabled=True)
        request_sync("section", section.id)
    db.session.commit()


@pytest.mark.parametrize(
    ("throttle_status", "mode"),
    [(403, "records"), (429, "records"), (403, "import"), (429, "import")],
)
def test_flaky_canvas_still_syncs_everything_once(
    app, make, canvas, run_jobs, throttle_status, mode
):
    people, classes = _school(make)
    canvas.set_throttle(status=throttle_status)
    canvas.set_fault("re:^/api/", action="error", rate=0.2, seed=7)
    canvas.set_fault("re:^/api/", action="throttle", rate=0.1, seed=3)
    canvas.set_fault(
        "re:^/api/", method="POST", action="commit_then_500", rate=0.2, seed=11
    )

    if mode == "records":
        _queue_each_record(people, classes)
    else:
        request_sync_all()
    run_jobs()

    counts, rows = _states()
    errors = [
        (row.kind, row.record_id, row.last_error)
        for row in rows
        if row.state != "synced"
    ]
    assert errors == []
    assert counts[("student", "synced")] == len(people)
    assert counts[("section", "synced")] == len(classes)
    assert counts[("enrollment", "synced")] == 2 * len(people)
    fired = {rule["action"]: rule["fired"] for rule in canvas.faults()}
    assert fired["error"] > 0 and fired["throttle"] > 0
    if mode == "records":
        assert fired["commit_then_500"] > 0
    _assert_no_duplicates(canvas)
    assert len(canvas.enrollments(type="StudentEnrollment")) == 2 * len(people)


def test_lost_answer_to_the_import_upload_is_harmless(app, make, canvas, run_jobs):
    people, _classes = _school(make, students=4, sections=2)
    canvas.set_fault(
        "/api/v1/accounts/*/sis_imports", method="POST", action="commit_then_500",
        times=1,
    )  # fmt: skip
    request_sync_all()
    run_jobs()

    counts, rows = _states()
    assert all(row.state == "synced" for row in rows)
    assert canvas.request_counts()["POST /api/v1/accounts/:id/sis_imports"] == 2
    _assert_no_duplicates(canvas)


def test_second_sync_all_makes_no_write(app, make, canvas, run_jobs):
    _school(make, students=6, sections=2)
    request_sync_all()
    run_jobs()
    canvas.clear_requests()

    request_sync_all()
    run_jobs()

    assert canvas.request_counts() == {}
    counts, _rows = _states()
    assert counts[("student", "synced")] == 6


def test_sync_all_first_run_needs_about_one_request_per_record(
    app, make, canvas, run_jobs
):
    people, classes = _school(make, students=20, sections=4)
    request_sync_all()
    run_jobs()

    _counts, rows = _states()
    records = len([row for row in rows if row.kind != "term"])
    total = canvas.requests_log()["total"]
    assert all(row.state == "synced" for row in rows)
    assert total <= 1.1 * records + len(classes)


def test_timeouts_are_retried(app, make, canvas, run_jobs):
    app.config.update(CANVAS_TIMEOUT=(2.0, 0.5))
    student = make.student()
    canvas.set_fault(
        "/api/v1/accounts/*/users",
        method="POST",
        action="timeout",
        timeout_s=1,
        times=1,
    )
    request_sync_all(["students"])
    run_jobs()

    db.session.expire_all()
    state = SyncState.lookup("student", student.id)
    assert state.state == "synced", state.last_error
    assert len(canvas.users(sis_user_id=student.external_id)) == 1


def test_canvas_down_ends_in_error_not_pending(app, make, canvas, run_jobs):
    app.config.update(CANVAS_RETRIES=2)
    student = make.student()
    canvas.set_fault("re:^/api/", action="error")
    request_sync_all(["students"])
    run_jobs()

    db.session.expire_all()
    state = SyncState.lookup("student", student.id)
    assert state.state == "error"
    assert "Canvas had an internal error (HTTP 500)" in state.last_error
    assert "Press Resync later" in state.last_error


def test_failed_import_shows_on_the_activity_page(
    app, client, login, make, canvas, run_jobs
):
    app.config.update(CANVAS_RETRIES=1)
    make.student()
    canvas.set_fault("/api/v1/accounts/*/sis_imports", method="POST", action="error")
    request_sync_all()
    run_jobs()
    login("admin")

    page = client.get("/lms/activity?errors=1").get_data(as_text=True)

    assert "SIS import of 1 record(s)" in page
    assert "Canvas had an internal error" in page
    assert CanvasSettings.load().is_configured


def _failing_records():
    """(kind, message) of every record left in error; none may stay pending."""
    _counts, rows = _states()
    assert [row for row in rows if row.state == "pending"] == []
    return [(row.kind, row.last_error) for row in rows if row.state == "error"]


def test_canvas_error_reading_ids_back_leaves_nothing_pending(
    app, client, login, make, canvas, run_jobs
):
    app.config.update(CANVAS_RETRIES=1)
    people, classes = _school(make, students=3, sections=2)
    canvas.set_fault("/api/v1/accounts/*/users", method="GET", action="error")
    request_sync_all()
    run_jobs()

    failing = _failing_records()
    kinds = Counter(kind for kind, _message in failing)
    assert kinds == {"student": 3, "staff": 2}
    assert all("could not read back" in message for _kind, message in failing)
    assert all("Press Resync" in message for _kind, message in failing)
    counts, _rows = _states()
    assert counts[("section", "synced")] == 2
    assert counts[("enrollment", "synced")] == 6
    login("admin")
    errors = client.get("/lms/activity?errors=1").get_data(as_text=True)
    assert people[0].external_id in errors

    canvas.clear_faults()
    request_sync_all()
    run_jobs()
    assert _failing_records() == []
    db.session.expire_all()
    for student in people:
        [row] = canvas.users(sis_user_id=student.external_id)
        assert SyncState.lookup("student", student.id).canvas_id == row["user_id"]


def test_crashed_sync_all_turns_pending_into_error_and_says_why(
    app, client, login, make, canvas, run_jobs, monkeypatch
):
    from jobs.sis_import import SchoolImport

    def crash(self, import_id, warnings):
        raise RuntimeError("boom")

    _school(make, students=2, sections=2)
    monkeypatch.setattr(SchoolImport, "_settle", crash)
    request_sync_all()
    run_jobs()

    failing = _failing_records()
    assert len(failing) == 2 + 2 + 2 + 4 + 1  # students, staff, sections, places, term
    assert all("stopped" in message for _kind, message in failing)
    login("admin")
    progress = client.get("/lms/sync-all").get_data(as_text=True)
    assert "The last sync stopped" in progress
    assert "internal error" in progress
    errors = client.get("/lms/activity?errors=1").get_data(as_text=True)
    assert "Sync staff, students, sections to Canvas" in errors
