"""The students grid in Debian's Chromium: search as you type, open a record."""

import re

import pytest

from tests.conftest import browser_login, screenshot


@pytest.mark.browser
def test_students_grid_filters_as_you_type_then_opens_a_record(
    app, live_server, page, make
):
    admin = make.user("admin")
    ana = make.student(
        first_name="Ana",
        last_name="Ruiz",
        local_id="K-1012",
        email="ana.ruiz@example.org",
        grade_level="10",
    )
    make.enroll(ana, make.section(title="Algebra I", period="2", room="204"))
    for n in range(12):
        make.student(first_name=f"Kid{n}", last_name=f"Other{n}")

    browser_login(page, live_server, admin.email)
    page.goto(f"{live_server}/students")
    rows = page.locator("#student-results tbody tr")
    assert rows.count() == 13
    # A full reload would wipe this; the htmx swap keeps it.
    page.evaluate("window.notReloaded = true")

    page.fill("input[name=q]", "ruiz")
    page.wait_for_function(
        "document.querySelectorAll('#student-results tbody tr').length === 1"
    )
    assert page.evaluate("window.notReloaded") is True
    assert "q=ruiz" in page.url
    assert rows.first.inner_text().startswith("Ruiz, Ana")

    page.click("text=Ruiz, Ana")
    page.wait_for_url(re.compile(rf"/students/{ana.id}$"))
    assert page.locator("h1").inner_text() == "Ana Ruiz"
    assert page.locator("input[name=local_id]").input_value() == "K-1012"
    screenshot(page, "students-record")
