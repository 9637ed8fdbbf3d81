"""The school details form and the marking-periods tree."""

from datetime import date

import pytest

from blueprints.school.rules import Span, date_problems, kind_problem, nesting_problems
from models import MarkingPeriod, School, db

D = date

# --- the rules, on plain values ---------------------------------------------


@pytest.mark.parametrize(
    ("kind", "parent_kind", "fits"),
    [
        ("year", None, True),
        ("year", "year", False),
        ("semester", "year", True),
        ("semester", None, False),
        ("semester", "quarter", False),
        ("quarter", "semester", True),
        ("quarter", "year", True),
        ("quarter", "progress", False),
        ("progress", "quarter", True),
        ("progress", "semester", True),
        ("progress", "year", False),
        ("progress", None, False),
    ],
)
def test_kind_problem_table(kind, parent_kind, fits):
    assert (kind_problem(kind, parent_kind) is None) is fits


def test_kind_problem_names_the_allowed_parents():
    message = kind_problem("quarter", "progress")
    assert (
        message
        == "Quarters go under a semester or a school year, not a progress period."
    )


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ((D(2026, 9, 1), D(2026, 9, 1), None, None), "end_date"),
        ((D(2026, 9, 2), D(2026, 9, 1), None, None), "end_date"),
        ((D(2026, 9, 1), D(2026, 12, 1), D(2026, 12, 5), None), "post_end"),
        ((D(2026, 9, 1), D(2026, 12, 1), None, D(2026, 12, 5)), "post_start"),
        ((D(2026, 9, 1), D(2026, 12, 1), D(2026, 12, 9), D(2026, 12, 5)), "post_end"),
    ],
)
def test_date_problems_flag_the_field(dates, field):
    assert list(date_problems(*dates)) == [field]


def test_date_problems_accept_a_good_window():
    dates = (D(2026, 9, 1), D(2026, 12, 1), D(2026, 12, 1), D(2026, 12, 1))
    assert date_problems(*dates) == {}


def test_nesting_problems_against_parent_and_children():
    year = Span("year", "2026-27", D(2026, 8, 20), D(2027, 6, 10))
    early = Span("semester", "Fall", D(2026, 8, 1), D(2027, 1, 15))
    assert list(nesting_problems(early, year)) == ["start_date"]
    late = Span("semester", "Fall", D(2026, 8, 20), D(2027, 7, 1))
    assert "Ends after its parent 2026-27" in nesting_problems(late, year)["end_date"]
    quarter = Span("quarter", "Q1", D(2026, 8, 20), D(2026, 10, 30))
    shrunk = Span("semester", "Fall", D(2026, 9, 1), D(2027, 1, 15))
    assert (
        "Q1 starts earlier" in nesting_problems(shrunk, year, [quarter])["start_date"]
    )
    as_quarter = Span("quarter", "Fall", D(2026, 8, 20), D(2027, 1, 15))
    assert "kind" in nesting_problems(as_quarter, None, [quarter])


# --- access -------------------------------------------------------------------

PAGES = ["/marking-periods", "/marking-periods/new", "/marking-periods/{id}/edit"]
PAGES += ["/school"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("teacher", 403), ("student", 403), (None, 302)],
)
def test_school_pages_by_role(client, login, make, url, role, status):
    year = make.period()
    if role:
        login(role)
    assert client.get(url.format(id=year.id)).status_code == status


@pytest.mark.parametrize(
    ("role", "status"), [("teacher", 403), ("student", 403), (None, 302)]
)
def test_posts_refused_to_non_admins(client, login, make, role, status):
    year = make.period()
    if role:
        login(role)
    data = _period_data(title="Hijack")
    assert client.post_form("/marking-periods/new", data).status_code == status
    url = f"/marking-periods/{year.id}/edit"
    assert client.post_form(url, data).status_code == status
    assert client.post_form("/school", {"name": "Hijack"}).status_code == status
    assert _count() == 1
    assert School.current().name != "Hijack"


def test_post_without_csrf_is_refused(client, login):
    login("admin")
    response = client.post("/marking-periods/new", data=_period_data())
    assert response.status_code == 400
    assert _count() == 0


# --- the tree and the form ----------------------------------------------------


def _period_data(**fields):
    values = {
        "title": "2026-27",
        "short_name": "26-27",
        "kind": "year",
        "parent_id": "0",
        "start_date": "2026-08-20",
        "end_date": "2027-06-10",
        "post_start": "",
        "post_end": "",
        "does_grades": "y",
    }
    values.update(fields)
    return values


def _count():
    return db.session.scalar(db.select(db.func.count(MarkingPeriod.id)))


def test_marking_periods_tree_is_indented_in_order(client, login, make):
    year = make.period(title="Year 2026-27")
    fall = make.period(
        kind="semester", title="Fall", parent_id=year.id,
        start_date=D(2026, 8, 20), end_date=D(2027, 1, 15),
    )  # fmt: skip
    make.period(
        kind="quarter", title="Q2", parent_id=fall.id,
        start_date=D(2026, 11, 1), end_date=D(2027, 1, 15),
    )  # fmt: skip
    make.period(
        kind="quarter", title="Q1", parent_id=fall.id,
        start_date=D(2026, 8, 20), end_date=D(2026, 10, 31),
    )  # fmt: skip
    login("admin")
    html = client.get("/marking-periods").get_data(as_text=True)
    # Read from <main> on: the CSRF token in <body> may contain "Q1" by chance.
    main = html[html.index('<main id="main">') :]
    order = [main.index(t) for t in ("Year 2026-27", "Fall", "Q1", "Q2")]
    assert order == sorted(order)
    assert 'style="--depth: 2">Q1' in html
    assert 'style="--depth: 1">Fall' in html


def test_create_school_year(client, login):
    login("admin")
    data = _period_data(post_start="2027-06-01", post_end="2027-06-15")
    response = client.post_form("/marking-periods/new", data)
    assert response.status_code == 302
    year = db.session.scalar(db.select(MarkingPeriod))
    assert (year.kind, year.parent_id, year.post_end) == ("year", None, D(2027, 6, 15))
    assert (year.does_grades, year.does_exams) == (True, False)


def test_create_quarter_under_semester(client, login, make):
    year = make.period()
    fall = make.period(
        kind="semester", parent_id=year.id,
        start_date=D(2026, 8, 20), end_date=D(2027, 1, 15),
    )  # fmt: skip
    login("admin")
    data = _period_data(
        title="Q1", short_name="Q1", kind="quarter", parent_id=str(fall.id),
        start_date="2026-08-20", end_date="2026-10-31",
    )  # fmt: skip
    assert client.post_form("/marking-periods/new", data).status_code == 302
    q1 = db.session.scalar(db.select(MarkingPeriod).filter_by(title="Q1"))
    assert q1.parent_id == fall.id


def _semester_case(year_id, **fields):
    values = {
        "title": "Fall", "kind": "semester", "parent_id": str(year_id),
        "start_date": "2026-08-20", "end_date": "2027-01-15",
    }  # fmt: skip
    values.update(fields)
    return _period_data(**values)


INVALID = [
    ({"end_date": "2026-08-20"}, "end_date", "must be after the start date"),
    (
        {"post_start": "2027-01-20", "post_end": "2027-01-10"},
        "post_end",
        "must end on or after",
    ),
    ({"post_start": "2027-01-20"}, "post_end", "both grade-posting dates"),
    ({"start_date": "2026-08-01"}, "start_date", "Starts before its parent"),
    ({"end_date": "2027-07-01"}, "end_date", "Ends after its parent"),
    ({"kind": "progress"}, "parent_id", "Progress periods go under a quarter"),
    ({"parent_id": "0"}, "parent_id", "must sit under a school year"),
    ({"title": ""}, "title", "This field is required."),
    ({"start_date": "not a date"}, "start_date", "Not a valid date value."),
]


@pytest.mark.parametrize(("change", "field", "message"), INVALID)
def test_period_form_refuses_with_message_at_field(
    client, login, make, change, field, message
):
    year = make.period()
    login("admin")
    response = client.post_form(
        "/marking-periods/new", _semester_case(year.id, **change)
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    block = html[html.index(f'for="{field}"') :]
    block = block[: block.index("</div>")]
    assert message in block
    assert _count() == 1


def test_edit_refuses_dates_that_strand_a_child(client, login, make):
    year = make.period(title="Year")
    make.period(
        kind="semester", title="Fall", parent_id=year.id,
        start_date=D(2026, 8, 20), end_date=D(2027, 1, 15),
    )  # fmt: skip
    login("admin")
    data = _period_data(title="Year", start_date="2026-09-01")
    response = client.post_form(f"/marking-periods/{year.id}/edit", data)
    assert response.status_code == 422
    assert b"Fall starts earlier, on 2026-08-20" in response.data
    db.session.expire_all()
    assert db.session.get(MarkingPeriod, year.id).start_date == D(2026, 8, 20)


def test_edit_saves_changes(client, login, make):
    year = make.period(title="Year")
    login("admin")
    data = _period_data(title="School year 2026-27", does_exams="y")
    response = client.post_form(f"/marking-periods/{year.id}/edit", data)
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(MarkingPeriod, year.id)
    assert (saved.title, saved.does_exams, saved.does_grades) == (
        "School year 2026-27", True, True,
    )  # fmt: skip


def test_edit_offers_no_self_parent(client, login, make):
    year = make.period(title="Only year")
    login("admin")
    html = client.get(f"/marking-periods/{year.id}/edit").get_data(as_text=True)
    assert f'value="{year.id}"' not in html


def test_missing_period_is_404(client, login):
    login("admin")
    assert client.get("/marking-periods/999/edit").status_code == 404


# --- school details -------------------------------------------------------------


def test_school_details_saved(client, login):
    login("admin")
    data = {"name": "Lakeside Academy", "address": "1 Lake Rd", "phone": "555-0100"}
    assert client.post_form("/school", data).status_code == 302
    db.session.expire_all()
    school = School.current()
    assert (school.name, school.address, school.phone) == tuple(data.values())


def test_school_details_need_a_name(client, login):
    login("admin")
    response = client.post_form("/school", {"name": "", "phone": "1"})
    assert response.status_code == 422
    assert b"This field is required." in response.data
    db.session.expire_all()
    assert School.current().phone == ""


def test_nav_shows_admin_links(client, login):
    login("admin")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/school"' in html and 'href="/marking-periods"' not in html
    setup = client.get("/school").get_data(as_text=True)
    assert 'href="/marking-periods"' in setup and 'href="/grading-scales"' in setup
