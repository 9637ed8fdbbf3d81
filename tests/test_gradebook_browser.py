"""The Grades tab in Chromium: keyboard entry, and screenshots to look at."""

from datetime import date
from decimal import Decimal as D

import pytest

from models import Assignment, AssignmentType, Score, db
from tests.canvas_helpers import canvas as canvas_fixture  # noqa: F401
from tests.canvas_helpers import simulator as simulator_fixture  # noqa: F401
from tests.conftest import browser_login, screenshot, wait_until
from tests.test_gradebook import _book
from tests.test_gradebook_canvas import _synced_book

pytestmark = pytest.mark.browser


def test_teacher_enters_a_row_by_keyboard_and_sees_the_percentage(
    live_server, page, make
):
    section, teacher, kids, (hw1, test1) = _book(make, students=3)
    browser_login(page, live_server, teacher.email)
    page.goto(f"{live_server}/sections/{section.id}/gradebook/grades/")

    row = page.locator(
        "tr", has=page.get_by_role("rowheader", name=kids[0].sortable_name)
    )
    first = row.locator("input").first
    first.click()
    page.keyboard.type("8")
    page.keyboard.press("Tab")
    page.keyboard.type("45")
    page.keyboard.press("Tab")
    percentage = page.locator(f"#p{kids[0].id}")
    wait_until(lambda: percentage.inner_text() == "86.00")
    assert page.locator(f"#l{kids[0].id}").inner_text() == "B"

    # Enter moves down the column; * is excused.
    below = page.locator(
        "tr", has=page.get_by_role("rowheader", name=kids[1].sortable_name)
    )
    below.locator("input").first.click()
    page.keyboard.type("*")
    page.keyboard.press("Enter")
    focused = page.evaluate("document.activeElement.getAttribute('hx-post')")
    assert focused == f"c/{hw1.id}/{kids[2].id}"
    wait_until(lambda: below.locator("input").first.input_value() == "EX")

    page.keyboard.type("x9")
    page.keyboard.press("Tab")
    error = page.locator(f"tr:has-text('{kids[2].sortable_name}') i.bad")
    wait_until(lambda: error.count() == 1)
    assert "Type a number" in error.inner_text()

    def saved():
        db.session.expire_all()
        return db.session.scalar(db.select(db.func.count(Score.id))) == 3

    wait_until(saved)
    scores = {
        (s.assignment_id, s.student_id): s for s in db.session.scalars(db.select(Score))
    }
    assert scores[(hw1.id, kids[0].id)].points == D(8)
    assert scores[(test1.id, kids[0].id)].points == D(45)
    assert scores[(hw1.id, kids[1].id)].excused


def _open_one_student_grades(live_server, page, make):
    """A one-student gradebook, open on its Grades tab as its teacher."""
    section, teacher, kids, work = _book(make, students=1)
    browser_login(page, live_server, teacher.email)
    page.goto(f"{live_server}/sections/{section.id}/gradebook/grades/")
    return kids, work


def test_slow_network_loses_no_keystroke(live_server, page, make):
    kids, (hw1, test1) = _open_one_student_grades(live_server, page, make)

    sent = []

    def slow(route):
        sent.append(route.request.post_data)
        page.wait_for_timeout(600)
        route.continue_()

    page.route("**/grades/c/**", slow)
    inputs = page.locator("table.gb input")
    inputs.first.click()
    page.keyboard.type("7")
    page.keyboard.press("Tab")
    page.keyboard.type("33")
    page.keyboard.press("Tab")
    # Back into the first cell while its save is still on the way: the answer
    # to "7" must not overwrite the "5" typed since.
    inputs.first.fill("5")
    page.keyboard.press("Tab")
    assert inputs.nth(1).input_value() == "33"
    wait_until(lambda: page.locator(f"#p{kids[0].id}").inner_text() == "59.60")
    assert inputs.first.input_value() == "5"
    assert sent == ["v=7", "v=33", "v=5"]

    def stored():
        db.session.expire_all()
        return {s.assignment_id: s.points for s in db.session.scalars(db.select(Score))}

    assert stored() == {hw1.id: D(5), test1.id: D(33)}


def test_failed_save_is_shown_and_retried(live_server, page, make):
    _open_one_student_grades(live_server, page, make)

    answers = []

    def flaky(route):
        answers.append(route.request.post_data)
        if len(answers) == 1:
            route.fulfill(status=502, body="Bad gateway")
        else:
            route.continue_()

    page.route("**/grades/c/**", flaky)
    page.locator("table.gb input").first.click()
    page.keyboard.type("9")
    page.keyboard.press("Tab")
    mark = page.locator("table.gb td i").first
    wait_until(lambda: "Not saved: the server answered 502" in mark.inner_text())
    wait_until(lambda: mark.get_attribute("class") == "ok")
    assert answers == ["v=9", "v=9"]
    db.session.expire_all()
    assert db.session.scalar(db.select(Score.points)) == D(9)

    page.context.set_offline(True)
    page.locator("table.gb input").first.fill("8")
    page.keyboard.press("Tab")
    wait_until(lambda: "Not saved: offline" in mark.inner_text())
    page.context.set_offline(False)
    wait_until(lambda: mark.get_attribute("class") == "ok")
    db.session.expire_all()
    assert db.session.scalar(db.select(Score.points)) == D(8)


def test_screenshots_of_the_gradebook(live_server, page, make, canvas_fixture_run):
    section, teacher = canvas_fixture_run
    browser_login(page, live_server, teacher.email)
    base = f"{live_server}/sections/{section.id}/gradebook"
    page.goto(f"{base}/config")
    screenshot(page, "gradebook-configuration")
    page.goto(f"{base}/grades/")
    page.locator("table.gb").wait_for()
    screenshot(page, "gradebook-grades")
    page.goto(f"{base}/assignments/new")
    screenshot(page, "gradebook-assignment-form")
    page.goto(f"{base}/types")
    screenshot(page, "gradebook-types")


@pytest.fixture()
def canvas_fixture_run(make, canvas):
    """A synced option-1 section with Canvas work pulled and Homeroom types."""
    from jobs.gradebook_canvas import pull_grades

    section, teacher, kids, _course = _synced_book(make, canvas, students=24)
    homework = AssignmentType(section_id=section.id, name="Homework", weight=D(30))
    tests = AssignmentType(section_id=section.id, name="Tests", weight=D(50))
    db.session.add_all([homework, tests])
    AssignmentType.canvas_for(section.id).weight = D(20)
    db.session.flush()
    labs = [
        Assignment(section_id=section.id, type_id=homework.id, title=f"Lab {n}",
                   points=D(10), due_on=date(2026, 9, n * 3))
        for n in range(1, 4)
    ]  # fmt: skip
    db.session.add_all(labs)
    db.session.flush()
    for n, kid in enumerate(kids):
        for lab in labs[:2]:
            db.session.add(
                Score(assignment_id=lab.id, student_id=kid.id, points=D(5 + n % 6))
            )
    db.session.commit()
    pull_grades(section.id)
    return section, teacher


def test_pulled_grades_swap_into_the_grid_without_a_reload(
    live_server, live_worker, page, make, canvas
):
    section, teacher, kids, _course = _synced_book(make, canvas, students=3)
    homework = AssignmentType(section_id=section.id, name="Homework", weight=D(0))
    db.session.add(homework)
    db.session.flush()
    db.session.add(
        Assignment(section_id=section.id, type_id=homework.id, title="HW", points=10)
    )
    db.session.commit()
    browser_login(page, live_server, teacher.email)
    page.goto(f"{live_server}/sections/{section.id}/gradebook/grades/")
    page.evaluate("window.notReloaded = true")
    canvas_cells = page.locator("table.gb td.ro")
    assert canvas_cells.count() == 0  # Canvas's work comes with the first pull

    # While a cell is being typed in, a finished pull leaves the grid alone.
    page.locator("table.gb input").first.click()
    assert page.evaluate("gradebookIdle()") is False
    page.evaluate("document.activeElement.blur()")
    assert page.evaluate("gradebookIdle()") is True

    page.get_by_role("button", name="Pull grades from Canvas").click()
    page.locator("#canvas-grades .badge-ok").wait_for(timeout=20000)
    wait_until(lambda: any(canvas_cells.all_inner_texts()))
    assert page.evaluate("window.notReloaded") is True
    wait_until(lambda: page.locator(".reload-grades").count() == 0)
    # The reloaded grid still saves by keyboard.
    page.locator("table.gb input").first.fill("7")
    page.keyboard.press("Tab")
    wait_until(lambda: page.locator("table.gb td i.ok").count() == 1)
