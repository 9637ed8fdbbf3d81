"""Students and staff become Canvas users, through the queue and a real worker."""

import re
from urllib.parse import parse_qs, urlsplit

import requests

from jobs.enqueue import find_job
from jobs.queue import get_queue
from jobs.sync_queue import request_sync, request_sync_all
from models import CanvasSettings, SyncActivity, SyncState, db


def _sync(kind, record_id, **options):
    state = request_sync(kind, record_id, **options)
    db.session.commit()
    return state


def _state(kind, record_id):
    db.session.expire_all()
    return SyncState.lookup(kind, record_id)


def _homeroom_users(canvas):
    """Canvas logins that carry a SIS id: the ones Homeroom made."""
    return [row for row in canvas.users() if row["sis_user_id"]]


def _student_form(**changes):
    values = {
        "local_id": "S90001",
        "first_name": "Ann",
        "last_name": "Lee",
        "email": "ann.lee@example.org",
        "grade_level": "09",
        "status": "active",
        "canvas_sync_shown": "1",
        "canvas_sync": "y",
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def test_new_student_from_the_form_syncs_by_itself(
    app, client, login, canvas, run_jobs
):
    login("admin")
    response = client.post_form("/students/new", _student_form())
    assert response.status_code == 303
    student_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert _state("student", student_id).state == "pending"

    run_jobs()

    state = _state("student", student_id)
    assert state.state == "synced", state.last_error
    [login_row] = canvas.users(unique_id="ann.lee@example.org")
    assert login_row["user_id"] == state.canvas_id
    page = client.get(f"/students/{student_id}").get_data(as_text=True)
    assert "Canvas has this user" in page and str(state.canvas_id) in page


def test_unticked_box_keeps_the_student_out_of_canvas(
    app, client, login, canvas, run_jobs
):
    login("admin")
    response = client.post_form("/students/new", _student_form(canvas_sync=None))
    student_id = int(response.headers["Location"].rsplit("/", 1)[1])
    run_jobs()
    assert _state("student", student_id).state == "off"
    assert canvas.users(unique_id="ann.lee@example.org") == []


def test_changed_student_updates_canvas_user(app, make, canvas, run_jobs):
    student = make.student(first_name="Ann", last_name="Lee")
    _sync("student", student.id, enabled=True)
    run_jobs()

    student.last_name = "Lee-Park"
    student.email = "ann.park@example.org"
    db.session.commit()
    _sync("student", student.id)
    run_jobs()

    state = _state("student", student.id)
    assert state.state == "synced", state.last_error
    [user] = canvas.state("users", id=state.canvas_id)
    assert user["name"] == "Ann Lee-Park"
    [login_row] = canvas.users(sis_user_id=student.external_id)
    assert login_row["unique_id"] == "ann.park@example.org"
    assert len(_homeroom_users(canvas)) == 1


def test_resync_with_nothing_changed_writes_nothing(
    app, client, login, make, canvas, run_jobs
):
    staff = make.staff()
    _sync("staff", staff.id, enabled=True)
    run_jobs()
    canvas.clear_requests()
    login("admin")

    client.htmx("POST", f"/lms/resync/staff/{staff.id}")
    run_jobs()

    assert _state("staff", staff.id).state == "synced"
    counts = canvas.request_counts()
    assert counts == {"GET /api/v1/users/:id": 1}


def test_resync_recreates_a_user_deleted_in_canvas(app, make, canvas, run_jobs):
    student = make.student()
    _sync("student", student.id, enabled=True)
    run_jobs()
    canvas.reset()

    _sync("student", student.id, force=True)
    run_jobs()

    state = _state("student", student.id)
    assert state.state == "synced", state.last_error
    assert len(canvas.users(sis_user_id=student.external_id)) == 1


def test_duplicate_email_in_homeroom_is_refused_before_canvas(
    app, make, canvas, run_jobs
):
    first = make.student(email="twin@example.org")
    second = make.staff(email="Twin@example.org")
    _sync("student", first.id, enabled=True)
    run_jobs()

    state = _state("student", first.id)
    assert state.state == "error"
    assert "has the same email address" in state.last_error
    assert second.full_name in state.last_error
    assert canvas.request_counts() == {}


def test_login_taken_in_canvas_becomes_a_plain_error(app, make, canvas, run_jobs):
    canvas.seed(users=[{"name": "Someone Else", "login_id": "taken@example.org"}])
    student = make.student(email="taken@example.org")
    _sync("student", student.id, enabled=True)
    run_jobs()

    state = _state("student", student.id)
    assert state.state == "error"
    assert state.last_error.startswith(
        "Canvas already has a login taken@example.org that belongs to another"
    )
    assert len(canvas.users(unique_id="taken@example.org")) == 1


def test_bad_token_marks_the_record_in_error_with_the_reason(
    app, make, canvas, run_jobs
):
    settings = CanvasSettings.load()
    settings.token = "wrong-token-0000000000"
    db.session.commit()
    student = make.student()
    _sync("student", student.id, enabled=True)
    run_jobs()

    state = _state("student", student.id)
    assert state.state == "error"
    assert "Canvas refused the access token: Invalid access token" in state.last_error
    assert "LMS settings page" in state.last_error


def test_lost_response_makes_no_duplicate(app, make, canvas, run_jobs):
    canvas.set_fault(
        "/api/v1/accounts/*/users", action="commit_then_500", method="POST", times=1
    )
    student = make.student()
    _sync("student", student.id, enabled=True)
    run_jobs()

    state = _state("student", student.id)
    assert state.state == "synced", state.last_error
    [login_row] = canvas.users(sis_user_id=student.external_id)
    assert login_row["user_id"] == state.canvas_id
    assert len(_homeroom_users(canvas)) == 1
    [activity] = SyncActivity.for_record("student", student.id)
    assert activity.action == "found"


def test_double_click_makes_one_job(app, client, login, make, canvas, run_jobs):
    student = make.student()
    login("admin")
    client.htmx("POST", f"/lms/resync/student/{student.id}")
    client.htmx("POST", f"/lms/resync/student/{student.id}")
    assert get_queue().count == 1

    run_jobs()

    assert _state("student", student.id).state == "synced"
    counts = canvas.request_counts()
    assert counts["POST /api/v1/accounts/:id/users"] == 1


def test_open_in_canvas_lands_as_the_right_user(
    app, client, login, make, canvas, run_jobs, logs
):
    section = make.section(virtual_class=True, canvas_sync=True)
    user = make.user("student")
    stint = make.enroll(user.student, section)
    _sync("student", user.student_id, enabled=True)
    _sync("enrollment", stint.id)
    run_jobs()
    login(user)

    response = client.post_form("/lms/open", {"section_id": section.id})
    assert response.status_code == 303
    run_jobs()
    # RQ logs a job's result, so the one-time URL must not be the result.
    job = find_job(f"canvas:sso:{user.id}:{section.id}")
    assert "session_token" not in repr(job.return_value())
    redirect = client.get(response.headers["Location"])

    assert redirect.status_code == 303
    session_url = redirect.headers["Location"]
    course_id = SyncState.course_id_for(section.id)
    assert session_url.startswith(f"{canvas.url}/courses/{course_id}?")
    # The one-time token signs a person in: no log line may hold it.
    token = parse_qs(urlsplit(session_url).query)["session_token"][0]
    assert token not in logs.text
    landed = requests.get(session_url, timeout=10)
    assert f"Signed in as {user.student.full_name}" in landed.text
    assert f"SIS ID: {user.student.external_id}" in landed.text
    assert re.search(rf"Page: /courses/{course_id}\b", landed.text)


def test_open_in_canvas_for_an_unsynced_user_says_so(app, client, login, canvas):
    login("student")
    response = client.post_form("/lms/open")
    assert response.status_code == 409
    assert "Your account is not in Canvas yet" in response.get_data(as_text=True)


def test_sync_logs_never_hold_the_token(app, make, canvas, run_jobs, logs):
    canvas.set_fault("/api/v1/accounts/*/users", action="error", times=1)
    student = make.student()
    _sync("student", student.id, enabled=True)
    run_jobs()

    assert _state("student", student.id).state == "synced"
    assert "retry 1 of" in logs.text
    assert canvas.token not in logs.text


def _canvas_box_ticked(page):
    """Whether the Canvas Information checkbox is drawn ticked."""
    [box] = re.findall(r'<input type="checkbox" name="canvas_sync"[^>]*>', page)
    return " checked" in box


def test_person_added_before_canvas_is_set_up_is_synced_once_it_is(
    app, client, login, canvas, run_jobs
):
    settings = CanvasSettings.load()
    settings.url = ""
    db.session.commit()
    login("admin")
    response = client.post_form("/students/new", _student_form())
    student_id = int(response.headers["Location"].rsplit("/", 1)[1])

    page = client.get(f"/students/{student_id}").get_data(as_text=True)
    assert _canvas_box_ticked(page)
    # Saving the form again sends the box as it is drawn.
    client.post_form(f"/students/{student_id}", _student_form(first_name="Anna"))
    assert not (_state("student", student_id).details or {}).get("disabled")

    settings = CanvasSettings.load()
    settings.url = canvas.url
    db.session.commit()
    client.post_form("/lms/sync-all")
    run_jobs()

    state = _state("student", student_id)
    assert state.state == "synced", state.last_error
    assert len(canvas.users(unique_id="ann.lee@example.org")) == 1


def test_unticked_box_is_drawn_unticked(app, client, login, canvas):
    login("admin")
    response = client.post_form("/students/new", _student_form(canvas_sync=None))
    student_id = int(response.headers["Location"].rsplit("/", 1)[1])

    page = client.get(f"/students/{student_id}").get_data(as_text=True)

    assert not _canvas_box_ticked(page)


def test_open_in_canvas_while_a_sync_all_is_pending(
    app, client, login, make, canvas, run_jobs
):
    user = make.user("student")
    _sync("student", user.student_id, enabled=True)
    run_jobs()
    request_sync_all(["students"])
    assert _state("student", user.student_id).state == "pending"
    login(user)

    response = client.post_form("/lms/open")
    assert response.status_code == 303
    run_jobs()
    landing = client.get(response.headers["Location"])

    assert landing.status_code == 303
    assert landing.headers["Location"].startswith(f"{canvas.url}/?")
