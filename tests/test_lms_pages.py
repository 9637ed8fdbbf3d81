"""The LMS pages and the `canvas` command group: settings, roles, activity, CLI."""

import json
import re
import socket
from datetime import UTC, datetime

import pytest

from jobs.enqueue import find_job
from jobs.sync_queue import ALL_JOB_ID, request_sync
from models import CanvasSettings, SyncActivity, SyncState, db
from tests.canvas_helpers import TOKEN
from tests.conftest import browser_login, screenshot

SECRET = "canvas-token-ABCDEFGHIJKLMNOP-9876"


def _settings_form(**changes):
    values = {
        "url": "https://canvas.example.edu/",
        "token": SECRET,
        "account_id": "1",
        "drop_action": "conclude",
    }
    values.update(changes)
    return values


def test_settings_token_is_encrypted_masked_and_never_logged(app, client, login, logs):
    login("admin")

    response = client.post_form("/lms/settings", _settings_form())
    assert response.status_code == 303
    page = client.get("/lms/settings").get_data(as_text=True)

    settings = CanvasSettings.load()
    assert settings.url == "https://canvas.example.edu"
    assert settings.token == SECRET
    assert SECRET not in settings.token_encrypted
    assert SECRET not in page
    assert "9876" in page  # the last four, masked
    assert "canvas settings saved by user" in logs.text
    assert SECRET not in logs.text


def test_settings_blank_token_keeps_the_saved_one(app, client, login):
    login("admin")
    client.post_form("/lms/settings", _settings_form())
    response = client.post_form(
        "/lms/settings", _settings_form(token="", account_id="3")
    )
    assert response.status_code == 303
    settings = CanvasSettings.load()
    assert settings.token == SECRET and settings.account_id == 3


def test_settings_need_a_token_the_first_time(app, client, login):
    login("admin")
    response = client.post_form("/lms/settings", _settings_form(token=""))
    assert response.status_code == 422
    assert CanvasSettings.load() is None


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/lms/settings"),
        ("POST", "/lms/test"),
        ("POST", "/lms/sync-all"),
        ("GET", "/lms/sync-all"),
        ("GET", "/lms/activity"),
        ("GET", "/lms/activity/student/1"),
        ("POST", "/lms/resync/student/1"),
    ],
)
@pytest.mark.parametrize("role", ["teacher", "student"])
def test_admin_pages_refuse_other_roles(app, client, login, method, url, role):
    login(role)
    if method == "POST":
        response = client.post_form(url)
    else:
        response = client.get(url)
    assert response.status_code == 403


def test_badge_is_for_staff(app, client, login):
    login("student")
    assert client.get("/lms/badge/student/1").status_code == 403


def test_open_in_canvas_is_for_students_and_teachers(app, client, login):
    login("admin")
    assert client.post_form("/lms/open").status_code == 403


def test_connection_test_names_the_account(app, client, login, canvas, run_jobs):
    login("admin")
    client.htmx("POST", "/lms/test")
    run_jobs()
    answer = client.htmx("GET", "/lms/test").get_data(as_text=True)
    assert "Connected to" in answer


def test_connection_test_with_a_bad_token_says_why(
    app, client, login, canvas, run_jobs
):
    settings = CanvasSettings.load()
    settings.token = "not-the-token-at-all"
    db.session.commit()
    login("admin")
    client.htmx("POST", "/lms/test")
    run_jobs()
    answer = client.htmx("GET", "/lms/test").get_data(as_text=True)
    assert "Canvas refused the access token" in answer
    assert "Invalid access token" in answer


def test_connection_test_with_an_unreachable_url_says_so(
    app, client, login, canvas, run_jobs
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings = CanvasSettings.load()
    settings.url = f"http://127.0.0.1:{closed}"
    db.session.commit()
    login("admin")
    client.htmx("POST", "/lms/test")
    run_jobs()
    answer = client.htmx("GET", "/lms/test").get_data(as_text=True)
    assert f"Canvas at http://127.0.0.1:{closed} could not be reached" in answer


def test_sync_all_twice_makes_one_job(app, client, login, make, canvas):
    make.student()
    login("admin")
    first = client.htmx("POST", "/lms/sync-all")
    second = client.htmx("POST", "/lms/sync-all")
    assert first.status_code == second.status_code == 200
    assert 'hx-trigger="every 1s"' in second.get_data(as_text=True)
    job = find_job(ALL_JOB_ID)
    assert job is not None and job.get_status() == "queued"
    from jobs.queue import get_queue

    assert get_queue().count == 1


def test_sync_all_runs_and_reports_progress(app, client, login, make, canvas, run_jobs):
    make.student()
    make.staff()
    login("admin")
    client.post_form("/lms/sync-all")
    run_jobs()
    page = client.get("/lms/settings").get_data(as_text=True)
    assert "Last sync: 2 records" in page


def test_sync_all_progress_polls_then_refreshes_the_counts(
    app, client, login, make, canvas, run_jobs
):
    make.student()
    make.staff()
    login("admin")

    queued = client.htmx("POST", "/lms/sync-all").get_data(as_text=True)
    assert "<progress" in queued and 'hx-trigger="every 1s"' in queued
    run_jobs()
    done = client.htmx("GET", "/lms/sync-all").get_data(as_text=True)

    assert "<progress" not in done and "hx-trigger" not in done
    assert "Last sync: 2 records" in done
    # The state counts beside the button are swapped in as well.
    [counts] = re.findall(
        r'<div id="sync-summary" hx-swap-oob="true">.*?</div>', done, re.S
    )
    assert re.search(r"<td>Students</td>\s*<td class=\"num\">1</td>", counts)
    job = find_job(ALL_JOB_ID)
    assert (job.meta["done"], job.meta["total"]) == (2, 2)


def test_activity_lists_attempts_and_filters_errors(
    app, client, login, make, canvas, run_jobs
):
    good = make.student()
    bad = make.student(email="")
    for student in (good, bad):
        request_sync("student", student.id, enabled=True)
    db.session.commit()
    run_jobs()
    login("admin")

    everything = client.get("/lms/activity").get_data(as_text=True)
    errors = client.get("/lms/activity?errors=1").get_data(as_text=True)

    assert good.external_id in everything and bad.external_id in everything
    assert good.external_id not in errors
    assert "no email address" in errors


def test_trace_shows_what_was_sent_without_the_token(
    app, client, login, make, canvas, run_jobs
):
    student = make.student()
    request_sync("student", student.id, enabled=True)
    db.session.commit()
    run_jobs()
    login("admin")

    page = client.get(f"/lms/activity/student/{student.id}").get_data(as_text=True)

    assert "POST /api/v1/accounts/1/users" in page
    assert student.email in page
    assert TOKEN not in page


def test_resync_answers_with_a_polling_badge(
    app, client, login, make, canvas, run_jobs
):
    student = make.student()
    request_sync("student", student.id, enabled=True)
    db.session.commit()
    run_jobs()
    login("admin")

    answer = client.htmx("POST", f"/lms/resync/student/{student.id}")

    assert 'hx-trigger="every 2s"' in answer.get_data(as_text=True)
    assert SyncState.lookup("student", student.id).state == "pending"
    run_jobs()
    badge = client.htmx("GET", f"/lms/badge/student/{student.id}").get_data(
        as_text=True
    )
    assert "Yes" in badge and "hx-trigger" not in badge


def test_cli_configure_and_status_json(app, runner, make, logs):
    result = runner.invoke(
        args=[
            "canvas", "configure", "--url", "https://c.example.edu",
            "--token", SECRET, "--account-id", "2", "--sync-new-sections",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "canvas settings saved from the CLI" in logs.text
    assert SECRET not in result.output and SECRET not in logs.text
    settings = CanvasSettings.load()
    assert settings.account_id == 2
    assert settings.new_sections_virtual and settings.new_sections_sync

    student = make.student()
    state = SyncState.ensure("student", student.id)
    state.mark_error("Something Canvas said")
    db.session.commit()
    result = runner.invoke(args=["canvas", "status", "--json"])
    report = json.loads(result.output)

    assert set(report) == {"students", "staff", "sections", "enrollments", "errors"}
    assert report["students"] == {"off": 0, "pending": 0, "synced": 0, "error": 1}
    assert report["errors"] == [
        {
            "kind": "student",
            "id": student.external_id,
            "message": "Something Canvas said",
        }
    ]


def test_cli_sync_enqueues_one_job(app, runner, make, canvas):
    make.student()
    result = runner.invoke(args=["canvas", "sync", "--students"])
    again = runner.invoke(args=["canvas", "sync", "--students"])
    assert "queued as job" in result.output
    assert "already queued" in again.output


def _synced_course(section, course_id=77):
    state = SyncState.ensure("section", section.id)
    state.mark_synced()
    state.canvas_id = course_id
    db.session.commit()


@pytest.mark.parametrize("role", ["student", "teacher"])
def test_home_page_offers_open_in_canvas(app, client, login, make, role):
    settings = CanvasSettings.get_or_create()
    settings.url, settings.token = "https://canvas.example.edu", SECRET
    user = make.user(role)
    section = make.section(
        virtual_class=True,
        canvas_sync=True,
        **({"teacher": user.staff} if user.staff else {}),
    )
    if user.student:
        make.enroll(user.student, section)
    _synced_course(section)
    login(user)

    page = client.get("/").get_data(as_text=True)

    assert page.count('action="/lms/open"') == 2
    assert f'name="section_id" value="{section.id}"' in page


def test_section_page_links_to_the_canvas_course(app, client, login, make):
    settings = CanvasSettings.get_or_create()
    settings.url, settings.token = "https://canvas.example.edu", SECRET
    section = make.section(virtual_class=True, canvas_sync=True)
    _synced_course(section, course_id=4242)
    login("admin")

    page = client.get(f"/sections/{section.id}").get_data(as_text=True)

    assert 'href="https://canvas.example.edu/courses/4242"' in page
    assert "Canvas synced" in page


def test_teacher_opens_her_section_in_canvas(
    app, client, login, make, canvas, run_jobs
):
    user = make.user("teacher")
    section = make.section(virtual_class=True, canvas_sync=True, teacher=user.staff)
    request_sync("section", section.id)
    db.session.commit()
    run_jobs()
    login(user)

    response = client.post_form("/lms/open", {"section_id": section.id})
    run_jobs()
    landing = client.get(response.headers["Location"])

    course_id = SyncState.course_id_for(section.id)
    assert landing.headers["Location"].startswith(f"{canvas.url}/courses/{course_id}?")


def test_teacher_cannot_open_another_teachers_section(app, client, login, make):
    section = make.section(virtual_class=True, canvas_sync=True)
    login("teacher")
    assert client.post_form("/lms/open", {"section_id": section.id}).status_code == 403


def test_badge_is_refused_for_a_student_outside_the_teachers_sections(
    app, client, login, make
):
    mine = make.section()
    theirs = make.section()
    pupil, stranger = make.student(), make.student()
    make.enroll(pupil, mine)
    other_stint = make.enroll(stranger, theirs)
    login(make.user("teacher", person=mine.teacher))

    assert client.get(f"/lms/badge/student/{pupil.id}").status_code == 200
    assert client.get(f"/lms/badge/section/{mine.id}").status_code == 200
    assert client.get(f"/lms/badge/student/{stranger.id}").status_code == 403
    assert client.get(f"/lms/badge/section/{theirs.id}").status_code == 403
    assert client.get(f"/lms/badge/enrollment/{other_stint.id}").status_code == 403
    assert client.get(f"/lms/badge/staff/{theirs.teacher.id}").status_code == 403
    assert client.get(f"/lms/badge/staff/{mine.teacher.id}").status_code == 200


def test_resync_without_canvas_says_nothing_was_queued(app, client, login, make):
    student = make.student()
    login("admin")

    response = client.post_form(
        f"/lms/resync/student/{student.id}", follow_redirects=True
    )

    page = response.get_data(as_text=True)
    assert "Canvas is not set up yet" in page
    assert "Resync queued" not in page
    assert find_job(f"canvas:user:student:{student.id}") is None


def test_student_sees_no_canvas_internals_on_her_record(app, client, login, make):
    settings = CanvasSettings.get_or_create()
    settings.url, settings.token = "https://canvas.example.edu", SECRET
    user = make.user("student")
    state = SyncState.ensure("student", user.student_id)
    state.last_error = "Student Other Person (S00999) has the same email address."
    db.session.commit()
    login(user)

    page = client.get(f"/students/{user.student_id}").get_data(as_text=True)

    assert "/lms/badge/" not in page and "hx-trigger" not in page
    assert "Other Person" not in page
    assert client.get(f"/lms/badge/student/{user.student_id}").status_code == 403


def test_admin_still_sees_the_canvas_status_of_a_pending_student(
    app, client, login, make
):
    student = make.student()
    state = SyncState.ensure("student", student.id)
    state.last_error = "Canvas had an internal error"
    db.session.commit()
    login("admin")

    page = client.get(f"/students/{student.id}").get_data(as_text=True)

    assert f"/lms/badge/student/{student.id}?view=info" in page
    assert "Canvas had an internal error" in page


# --- the activity log, a page at a time ---------------------------------------


def _log(count, first=1, every_error=10):
    """`count` attempts labelled Row <first>.., oldest first, at one moment."""
    moment = datetime(2026, 12, 4, 7, 25, 9, tzinfo=UTC)
    for n in range(first, first + count):
        db.session.add(
            SyncActivity(
                job_id="canvas-all",
                kind="student",
                label=f"Row {n}",
                action="SIS import 1",
                result="error" if n % every_error == 0 else "synced",
                started_at=moment,
            )
        )
    db.session.commit()


def _rows(page):
    """The row labels on an activity page, top to bottom."""
    return [int(n) for n in re.findall(r"<td>Row (\d+)</td>", page)]


def _link(page, rel):
    """The address of the page's first Newer or Older link, unescaped."""
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', page)
    return found.group(1).replace("&amp;", "&") if found else None


def test_activity_pages_back_and_forth_without_javascript(app, client, login):
    _log(230)
    login("admin")

    first = client.get("/lms/activity").get_data(as_text=True)
    assert _rows(first) == list(range(230, 130, -1))
    assert "1–100 of 230 attempts, newest first" in first
    assert _link(first, "prev") is None

    second = client.get(_link(first, "next")).get_data(as_text=True)
    assert _rows(second) == list(range(130, 30, -1))
    assert "101–200 of 230 attempts" in second
    assert _link(second, "prev") == "/lms/activity"

    last = client.get(_link(second, "next")).get_data(as_text=True)
    assert _rows(last) == list(range(30, 0, -1))
    assert "201–230 of 230 attempts" in last
    assert _link(last, "next") is None
    assert 'href="/lms/activity">« Newest</a>' in last
    back = client.get(_link(last, "prev")).get_data(as_text=True)
    assert _rows(back) == _rows(second)


def test_activity_page_stays_put_while_new_attempts_arrive(app, client, login):
    _log(150)
    login("admin")
    first = client.get("/lms/activity").get_data(as_text=True)

    _log(5, first=151)
    older = client.get(_link(first, "next")).get_data(as_text=True)

    assert _rows(older) == list(range(50, 0, -1))
    assert "106–155 of 155 attempts" in older


def test_activity_errors_filter_pages_through_errors_only(app, client, login):
    _log(1200)
    login("admin")

    first = client.get("/lms/activity?errors=1").get_data(as_text=True)

    assert _rows(first) == list(range(1200, 200, -10))
    assert "1–100 of 120 errors" in first
    second = client.get(_link(first, "next")).get_data(as_text=True)
    assert "errors=1" in _link(first, "next")
    assert _rows(second) == list(range(200, 0, -10))
    assert _link(second, "prev") == "/lms/activity?errors=1"


def test_activity_past_the_oldest_attempt_says_so(app, client, login):
    _log(3)
    login("admin")
    page = client.get("/lms/activity?before=1").get_data(as_text=True)
    assert _rows(page) == []
    assert "Nothing older." in page


def test_activity_times_carry_the_year_and_time_zone(app, client, login):
    _log(1)
    login("admin")
    page = client.get("/lms/activity").get_data(as_text=True)
    assert '<td class="nowrap">4 Dec 2026 07:25 UTC</td>' in page


# --- naming the record a Resync button is for --------------------------------


@pytest.mark.parametrize("kind", ["student", "staff", "section", "enrollment"])
def test_badge_resync_button_names_its_record(app, client, login, make, kind):
    student = make.student(first_name="Ana", last_name="Ruiz")
    section = make.section(title="Algebra I P1")
    records = {
        "student": (student, "Ana Ruiz"),
        "staff": (section.teacher, section.teacher.full_name),
        "section": (section, "Algebra I P1"),
        "enrollment": (make.enroll(student, section), "Ana Ruiz in Algebra I P1"),
    }
    record, name = records[kind]
    db.session.add(SyncState(kind=kind, record_id=record.id, state="synced"))
    db.session.commit()
    login("admin")

    badge = client.htmx("GET", f"/lms/badge/{kind}/{record.id}").get_data(as_text=True)

    label = f"Resync {name} with Canvas"
    assert f'title="{label}" aria-label="{label}"' in badge


@pytest.mark.browser
def test_activity_pages_in_a_browser(app, live_server, page, make):
    _log(230)
    admin = make.user("admin")

    browser_login(page, live_server, admin.email)
    page.goto(f"{live_server}/lms/activity")
    assert (
        "4 Dec 2026 07:25 UTC" in page.locator("#activity-rows tr").first.inner_text()
    )
    screenshot(page, "lms-activity-paged-top")

    page.locator("nav.pager").last.scroll_into_view_if_needed()
    screenshot(page, "lms-activity-paged-bottom")

    page.locator("nav.pager").last.get_by_text("Older ›").click()
    page.wait_for_url(re.compile(r"before=\d+"))
    assert "101–200 of 230" in page.locator("nav.pager").first.inner_text()
    screenshot(page, "lms-activity-paged-older")
