"""Section setup, the section page and its roster, and the screenshots."""

from datetime import date

import pytest
from sqlalchemy import event

from blueprints.courses.forms import SYNC_NEEDS_VIRTUAL
from models import Section, db
from tests.conftest import browser_login, screenshot


def _count():
    return db.session.scalar(db.select(db.func.count(Section.id)))


def _section_data(course, period, teacher, **fields):
    values = {
        "course_id": str(course.id),
        "marking_period_id": str(period.id),
        "teacher_id": str(teacher.id),
        "co_teacher_id": "0",
        "title": "",
        "period": "3",
        "room": "B12",
        "capacity": "24",
    }
    values.update(fields)
    return values


@pytest.fixture()
def parts(make):
    """A course, a school year and a teacher to build a section from."""
    return make.course(title="Biology"), make.period(), make.staff()


def _viewer(who, section, make, login):
    """Sign in as a role relative to the section; None stays anonymous."""
    if who == "own teacher":
        return login(make.user("teacher", person=section.teacher))
    if who == "co-teacher":
        return login(make.user("teacher", person=section.co_teacher))
    if who == "other teacher":
        return login("teacher")
    if who:
        return login(who)
    return None


# --- access -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("own teacher", 200),
        ("co-teacher", 200),
        ("other teacher", 403),
        ("student", 403),
        (None, 302),
    ],
)
def test_section_page_by_role(client, login, make, who, status):
    section = make.section(co_teacher=make.staff())
    _viewer(who, section, make, login)
    assert client.get(f"/sections/{section.id}").status_code == status
    htmx = client.get(
        f"/sections/{section.id}?dropped=1", headers={"HX-Request": "true"}
    )
    assert htmx.status_code == (401 if who is None else status)


@pytest.mark.parametrize("url", ["/sections/new", "/sections/{id}/edit"])
@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("own teacher", 403), ("student", 403), (None, 302)],
)
def test_section_forms_by_role(client, login, make, url, who, status):
    section = make.section()
    _viewer(who, section, make, login)
    assert client.get(url.format(id=section.id)).status_code == status


@pytest.mark.parametrize(
    ("who", "status"), [("own teacher", 403), ("student", 403), (None, 302)]
)
def test_section_posts_refused_to_non_admins(client, login, make, parts, who, status):
    section = make.section(room="KEEP")
    _viewer(who, section, make, login)
    data = _section_data(*parts, room="HIJACK")
    assert client.post_form("/sections/new", data).status_code == status
    edit = client.post_form(f"/sections/{section.id}/edit", data)
    assert edit.status_code == status
    db.session.expire_all()
    assert (_count(), db.session.get(Section, section.id).room) == (1, "KEEP")


def test_section_post_without_csrf_is_refused(client, login, parts):
    login("admin")
    response = client.post("/sections/new", data=_section_data(*parts))
    assert response.status_code == 400
    assert _count() == 0


def test_missing_section_is_404(client, login):
    login("admin")
    assert client.get("/sections/999").status_code == 404
    assert client.get("/sections/999/edit").status_code == 404


# --- create and edit --------------------------------------------------------------


def test_create_section(client, login, make, parts):
    co_teacher = make.staff()
    login("admin")
    data = _section_data(
        *parts, co_teacher_id=str(co_teacher.id), virtual_class="y", canvas_sync="y"
    )
    response = client.post_form("/sections/new", data)
    section = db.session.scalar(db.select(Section))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/sections/{section.id}"
    assert (section.co_teacher_id, section.capacity) == (co_teacher.id, 24)
    assert (section.virtual_class, section.canvas_sync) == (True, True)


def test_new_section_form_presets_the_course(client, login, parts):
    course = parts[0]
    login("admin")
    html = client.get(f"/sections/new?course_id={course.id}").get_data(as_text=True)
    assert f'<option selected value="{course.id}">' in html


def test_create_section_without_capacity_means_no_limit(client, login, parts):
    login("admin")
    data = _section_data(*parts, capacity="")
    assert client.post_form("/sections/new", data).status_code == 302
    assert db.session.scalar(db.select(Section.capacity)) is None


INVALID = [
    ({"canvas_sync": "y"}, "canvas_sync", SYNC_NEEDS_VIRTUAL),
    ({"capacity": "0"}, "capacity", "Capacity is a positive number, or empty."),
    ({"capacity": "-3"}, "capacity", "Capacity is a positive number, or empty."),
    ({"capacity": "many"}, "capacity", "Not a valid integer value."),
    ({"teacher_id": "0"}, "teacher_id", "Choose the teacher."),
    ({"course_id": "999"}, "course_id", "Not a valid choice."),
    ({"marking_period_id": "999"}, "marking_period_id", "Not a valid choice."),
]


@pytest.mark.parametrize(("change", "field", "message"), INVALID)
def test_section_form_refuses_with_message_at_field(
    client, login, parts, change, field, message
):
    login("admin")
    response = client.post_form("/sections/new", _section_data(*parts, **change))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    block = html[html.index(f'id="{field}"') :]
    assert message in block[: block.index("</div>")]
    assert _count() == 0


def test_second_teacher_must_differ(client, login, parts):
    teacher = parts[2]
    login("admin")
    data = _section_data(*parts, co_teacher_id=str(teacher.id))
    response = client.post_form("/sections/new", data)
    assert response.status_code == 422
    assert b"The second teacher must differ from the first." in response.data
    assert _count() == 0


def test_edit_section(client, login, make, parts):
    section = make.section(room="101")
    login("admin")
    data = _section_data(*parts, room="Lab 2", title="Bio Lab", virtual_class="y")
    response = client.post_form(f"/sections/{section.id}/edit", data)
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Section, section.id)
    assert (saved.room, saved.title, saved.virtual_class) == ("Lab 2", "Bio Lab", True)
    assert (saved.course_id, saved.co_teacher_id) == (parts[0].id, None)


def test_edit_refuses_capacity_below_head_count(client, login, make, parts):
    section = make.section(capacity=5)
    for _ in range(3):
        make.enroll(make.student(), section)
    login("admin")
    data = _section_data(*parts, capacity="2")
    response = client.post_form(f"/sections/{section.id}/edit", data)
    assert response.status_code == 422
    assert b"3 students are in this section; capacity cannot be lower." in response.data
    db.session.expire_all()
    assert db.session.get(Section, section.id).capacity == 5


def test_section_form_wires_sync_to_virtual_class(client, login):
    login("admin")
    html = client.get("/sections/new").get_data(as_text=True)
    assert 'hx-on:change="' in html and "canvas_sync" in html
    assert 'name="csrf_token"' in html


# --- the section page and roster -------------------------------------------------


def test_section_page_shows_facts_teachers_and_active_roster(client, login, make):
    section = make.section(co_teacher=make.staff(), capacity=30, room="C3")
    here = make.student(first_name="Ada", last_name="Lovelace")
    gone = make.student(first_name="Bob", last_name="Gone")
    make.enroll(here, section)
    make.enroll(gone, section, status="dropped", end_date=date(2026, 9, 30))
    login("admin")
    html = client.get(f"/sections/{section.id}").get_data(as_text=True)
    assert section.teacher.full_name in html and section.co_teacher.full_name in html
    assert "Lovelace, Ada" in html and "Gone, Bob" not in html
    assert "1 student of 30" in html and "C3" in html


def test_show_dropped_lists_past_stints_with_end_dates(client, login, make):
    section = make.section()
    student = make.student(first_name="Bob", last_name="Back")
    make.enroll(student, section, status="dropped", end_date=date(2026, 9, 30))
    make.enroll(student, section, start_date=date(2026, 10, 5))
    login("admin")
    html = client.get(f"/sections/{section.id}?dropped=1").get_data(as_text=True)
    dropped = html[html.index("<h3>Dropped</h3>") :]
    assert "Back, Bob" in dropped and "2026-09-30" in dropped
    active = html[: html.index("<h3>Dropped</h3>")]
    assert "2026-10-05" in active


def test_dropped_toggle_serves_the_roster_fragment_to_htmx(client, login, make):
    section = make.section()
    login("admin")
    response = client.get(
        f"/sections/{section.id}?dropped=1", headers={"HX-Request": "true"}
    )
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("{#") is False
    assert '<section class="card roster"' in html and "<html" not in html
    assert "HX-Request" in response.headers["Vary"]


def test_teacher_roster_is_read_only(client, login, make):
    section = make.section()
    make.enroll(make.student(last_name="Reader"), section)
    login(make.user("teacher", person=section.teacher))
    html = client.get(f"/sections/{section.id}").get_data(as_text=True)
    assert "Reader" in html
    assert "Add student" not in html and ">Drop<" not in html
    assert "Edit section" not in html


def _queries_for_roster(client, section_id):
    # The test client shares one session across requests; expiring it makes
    # each request load what a fresh request would.
    db.session.expire_all()
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(f"/sections/{section_id}?dropped=1")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("who", ["admin", "own teacher"])
def test_roster_query_count_does_not_grow_with_students(client, login, make, who):
    small, large = make.section(), make.section()
    for section, size in ((small, 5), (large, 40)):
        for n in range(size):
            status = "dropped" if n % 5 == 0 else "active"
            end = date(2026, 9, 1) if status == "dropped" else None
            make.enroll(make.student(), section, status=status, end_date=end)
    _viewer(who, small, make, login)
    large.teacher_id = small.teacher_id
    db.session.commit()
    ids = small.id, large.id

    counts = [_queries_for_roster(client, section_id) for section_id in ids]
    # The same for 5 and 40: no query per student, whatever the page adds.
    assert counts[0] == counts[1], counts


# --- the browser: screenshots ----------------------------------------------------


@pytest.mark.browser
def test_screenshots_of_school_course_section_pages(app, live_server, page, make):
    admin = make.user("admin")
    year = make.period(title="School year 2026-27", short_name="26-27")
    fall = make.period(
        kind="semester", title="Fall semester", short_name="S1", parent_id=year.id,
        start_date=date(2026, 8, 20), end_date=date(2027, 1, 15),
        post_start=date(2027, 1, 10), post_end=date(2027, 1, 22),
    )  # fmt: skip
    make.period(
        kind="quarter", title="First quarter", short_name="Q1", parent_id=fall.id,
        start_date=date(2026, 8, 20), end_date=date(2026, 10, 30),
    )  # fmt: skip
    make.period(
        kind="progress", title="Q1 progress report", short_name="P1",
        parent_id=fall.id, does_grades=False,
        start_date=date(2026, 8, 20), end_date=date(2026, 9, 25),
    )  # fmt: skip
    course = make.course(code="BIO-101", title="Biology", subject="Science")
    teacher = make.staff(first_name="Grace", last_name="Hopper")
    section = make.section(
        course=course, marking_period=fall, teacher=teacher, period="3",
        room="Lab 2", capacity=24, virtual_class=True,
    )  # fmt: skip
    make.section(course=course, marking_period=fall, period="5", room="Lab 1")
    names = [("Ada", "Lovelace"), ("Alan", "Turing"), ("Katherine", "Johnson")]
    for first, last in names:
        make.enroll(make.student(first_name=first, last_name=last), section)
    make.student(first_name="Linus", last_name="Lovelock", local_id="S77777")
    browser_login(page, live_server, admin.email)

    page.goto(f"{live_server}/marking-periods")
    screenshot(page, "marking-periods")
    page.goto(f"{live_server}/courses/{course.id}")
    screenshot(page, "course-page")

    page.goto(f"{live_server}/sections/new?course_id={course.id}")
    sync_label = page.locator("label:has(input[name=canvas_sync])")
    assert sync_label.evaluate("e => getComputedStyle(e).pointerEvents") == "none"
    page.check("input[name=virtual_class]")
    assert sync_label.evaluate("e => getComputedStyle(e).pointerEvents") == "auto"
    page.fill("input[name=capacity]", "0")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Capacity is a positive number, or empty.")
    screenshot(page, "section-form-errors")

    page.goto(f"{live_server}/sections/{section.id}/edit")
    sync = page.locator("input[name=canvas_sync]")
    assert sync.is_enabled()
    page.uncheck("input[name=virtual_class]")
    assert sync.is_disabled()
    page.check("input[name=virtual_class]")
    assert sync.is_enabled()
    screenshot(page, "section-form")

    page.goto(f"{live_server}/sections/{section.id}")
    page.fill("input[name=student_local_id]", "lovel")
    page.wait_for_selector(".search-list li")
    screenshot(page, "section-roster-search")
    page.click(".search-list button:has-text('Add')")
    page.wait_for_selector("text=Linus Lovelock is added.")
    assert page.locator("tr:has-text('Lovelock, Linus')").count() == 1
    assert page.url.endswith(f"/sections/{section.id}")
    page.evaluate("window.stillThisPage = true")
    page.click("tr:has-text('Turing') button:has-text('Drop')")
    page.wait_for_selector("text=Alan Turing is dropped.")
    assert page.locator("tr:has-text('Turing')").count() == 0
    # htmx swapped the roster in place: no page load wiped the marker
    assert page.evaluate("window.stillThisPage === true")
    page.click("text=Show dropped")
    page.wait_for_selector("h3:has-text('Dropped')")
    screenshot(page, "section-roster")
