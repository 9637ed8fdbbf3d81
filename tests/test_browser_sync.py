"""Canvas sync in Debian's Chromium: the badge turns to Yes without a reload."""

import re

import pytest

from jobs.queue import get_queue
from jobs.sync_queue import request_sync, request_sync_all
from models import CanvasSettings, db
from tests.conftest import browser_login, screenshot, wait_until

pytestmark = pytest.mark.browser


def test_new_student_badge_turns_from_pending_to_yes(
    app, live_server, live_worker, page, make, canvas
):
    admin = make.user("admin")
    # Slow Canvas down so the page is seen while the sync is pending.
    canvas.set_fault(
        "/api/v1/accounts/*/users", method="POST", action="latency", latency_ms=2500
    )
    browser_login(page, live_server, admin.email)

    page.goto(f"{live_server}/students/new")
    assert page.locator("input[name=canvas_sync]").is_checked()
    page.fill("input[name=local_id]", "S-7001")
    page.fill("input[name=first_name]", "Maya")
    page.fill("input[name=last_name]", "Okafor")
    page.fill("input[name=email]", "maya.okafor@example.org")
    page.select_option("select[name=grade_level]", "10")
    page.click('main button:has-text("Add student")')
    page.wait_for_url(re.compile(rf"{live_server}/students/\d+$"))

    status = page.locator(".canvas-info .canvas-status")
    assert "Pending" in status.inner_text()
    page.evaluate("window.notReloaded = true")
    screenshot(page, "sync-student-pending")

    page.wait_for_selector(".canvas-info .badge-ok", timeout=20000)
    assert page.evaluate("window.notReloaded") is True
    assert "Canvas has this user" in status.inner_text()
    screenshot(page, "sync-student-synced")
    assert len(canvas.users(unique_id="maya.okafor@example.org")) == 1


def test_canvas_pages_in_a_browser(app, live_server, page, make, canvas, run_jobs):
    admin = make.user("admin")
    period = make.period(title="2026-27")
    teacher = make.staff(first_name="Rosa", last_name="Diaz")
    algebra = make.section(
        title="Algebra I (P2)",
        marking_period=period,
        teacher=teacher,
        virtual_class=True,
        canvas_sync=True,
    )
    students = [
        make.student(first_name=name, last_name="Lee", email=f"{name.lower()}@x.org")
        for name in ("Ann", "Ben", "Cy", "Dee")
    ]
    students.append(make.student(first_name="Eve", last_name="Noemail", email=""))
    for student in students:
        make.enroll(student, algebra)
    request_sync_all()
    run_jobs()
    extra = make.student(first_name="Finn", last_name="Lee", email="finn@x.org")
    request_sync("student", extra.id, enabled=True)
    db.session.commit()
    run_jobs()
    canvas.set_fault("re:^/api/", action="error")
    request_sync("student", students[0].id, force=True)
    db.session.commit()
    app.config.update(CANVAS_RETRIES=1)
    run_jobs()
    canvas.clear_faults()

    browser_login(page, live_server, admin.email)
    page.goto(f"{live_server}/lms/settings")
    body = page.content()
    assert CanvasSettings.load().token not in body
    screenshot(page, "lms-settings")

    page.click("text=Test connection")
    wait_until(lambda: get_queue().count == 1)
    run_jobs()
    page.wait_for_selector("#test-result .badge", timeout=20000)
    screenshot(page, "lms-settings-test")

    page.goto(f"{live_server}/lms/activity")
    screenshot(page, "lms-activity")
    page.goto(f"{live_server}/lms/activity?errors=1")
    screenshot(page, "lms-activity-errors")
    page.goto(f"{live_server}/lms/activity/student/{extra.id}")
    page.click("details.call summary")
    screenshot(page, "lms-trace")

    page.goto(f"{live_server}/students")
    screenshot(page, "students-grid-canvas")
    page.goto(f"{live_server}/staff")
    screenshot(page, "staff-grid-canvas")
    page.goto(f"{live_server}/students/{students[4].id}")
    screenshot(page, "student-canvas-error")
    page.goto(f"{live_server}/sections/{algebra.id}")
    assert page.locator("a.canvas-link").count() == 1
    screenshot(page, "section-canvas")
