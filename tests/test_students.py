"""The students grid and record: access, forms, search, sort, pages, queries."""

import re
from datetime import date, timedelta

import pytest
from flask import g

from models import Enrollment, Student, SyncState, db
from tests.conftest import browser_login, screenshot
from tests.querycount import count_queries

TODAY = date.today()


@pytest.fixture()
def school(make):
    """A teacher with one student in her section, another student elsewhere."""
    section = make.section(title="Algebra I")
    mine = make.student(first_name="Ana", last_name="Ruiz", local_id="K-1012")
    other = make.student(first_name="Ben", last_name="Okafor", local_id="K-1013")
    make.enroll(mine, section)
    make.enroll(other, make.section(title="Biology"))
    return {
        "section": section,
        "mine": mine,
        "other": other,
        "admin": make.user("admin"),
        "teacher": make.user("teacher", person=section.teacher),
        "student": make.user("student", person=mine),
        "other_student": make.user("student", person=other),
    }


def fresh_request():
    """Forget the user Flask-Login cached in g.

    The test app context outlives each request, and g with it, so a second
    sign-in, or a count of every query a request makes, needs this first.
    """
    g.pop("_login_user", None)


def names_in(response):
    """The student names in grid rows, in order."""
    return re.findall(r'/students/\d+">([^<]+)</a>', response.get_data(as_text=True))


# (role, method, path, expected status); "mine" is the teacher's student and
# the signed-in student herself, "other" is neither.
ACCESS = [
    ("admin", "GET", "/students", 200),
    ("admin", "GET", "/students/new", 200),
    ("admin", "POST", "/students/new", 422),
    ("admin", "GET", "/students/{mine}", 200),
    ("admin", "POST", "/students/{mine}", 422),
    ("admin", "GET", "/students/{other}/schedule", 200),
    ("teacher", "GET", "/students", 200),
    ("teacher", "GET", "/students/new", 403),
    ("teacher", "POST", "/students/new", 403),
    ("teacher", "GET", "/students/{mine}", 200),
    ("teacher", "GET", "/students/{mine}/schedule", 200),
    ("teacher", "GET", "/students/{other}", 403),
    ("teacher", "GET", "/students/{other}/schedule", 403),
    ("teacher", "POST", "/students/{mine}", 403),
    ("student", "GET", "/students", 403),
    ("student", "GET", "/students/new", 403),
    ("student", "GET", "/students/{mine}", 200),
    ("student", "GET", "/students/{mine}/schedule", 200),
    ("student", "GET", "/students/{other}", 403),
    ("student", "GET", "/students/{other}/schedule", 403),
    ("student", "POST", "/students/{mine}", 403),
    (None, "GET", "/students", 302),
    (None, "GET", "/students/new", 302),
    (None, "GET", "/students/{mine}", 302),
    (None, "GET", "/students/{mine}/schedule", 302),
    (None, "POST", "/students/{mine}", 302),
]


@pytest.mark.parametrize(("role", "method", "path", "status"), ACCESS)
def test_student_routes_allow_and_refuse_by_role(
    client, login, school, role, method, path, status
):
    if role:
        login(school[role])
    url = path.format(mine=school["mine"].id, other=school["other"].id)
    if method == "POST":
        response = client.post_form(url, {"first_name": ""})
    else:
        response = client.get(url)
    assert response.status_code == status
    if status == 302:
        assert response.headers["Location"].startswith("/login")


def test_student_record_of_unknown_id_is_404_for_admin(client, login):
    login("admin")
    assert client.get("/students/999999").status_code == 404


VALID = {
    "local_id": "K-2100",
    "first_name": "Carla",
    "middle_name": "",
    "last_name": "Mendes",
    "preferred_name": "Cari",
    "email": " Carla.Mendes@Example.org ",
    "grade_level": "10",
    "birthdate": "2011-04-02",
    "status": "active",
}


def test_create_student_saves_and_opens_the_record(client, login):
    login("admin")
    response = client.post_form("/students/new", VALID)
    assert response.status_code == 303

    student = db.session.scalar(db.select(Student).filter_by(local_id="K-2100"))
    assert response.headers["Location"] == f"/students/{student.id}"
    assert student.email == "carla.mendes@example.org"
    assert student.birthdate == date(2011, 4, 2)
    assert student.full_name == "Cari Mendes"
    assert "Cari Mendes was added." in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)


def test_create_student_without_csrf_token_is_refused(client, login):
    login("admin")
    response = client.post("/students/new", data=VALID)
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Student.id))) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"local_id": ""}, "This field is required."),
        ({"first_name": "  "}, "This field is required."),
        ({"last_name": ""}, "This field is required."),
        ({"grade_level": ""}, "Choose a grade level."),
        ({"grade_level": "13"}, "Not a valid choice."),
        ({"email": "not-an-email"}, "Invalid email address."),
        ({"birthdate": "02/04/2011"}, "Not a valid date value."),
        ({"local_id": "S 001"}, "Use letters, digits, dots, dashes or underscores."),
        ({"status": "expelled"}, "Not a valid choice."),
    ],
)
def test_create_student_refuses_bad_input_at_the_field(client, login, changes, message):
    login("admin")
    response = client.post_form("/students/new", {**VALID, **changes})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in body
    assert "nothing was saved" in body
    assert db.session.scalar(db.select(db.func.count(Student.id))) == 0


def test_create_student_names_the_holder_of_a_duplicate_local_id(client, login, make):
    make.student(first_name="Ana", last_name="Ruiz", local_id="K-1012")
    login("admin")
    response = client.post_form("/students/new", {**VALID, "local_id": "k-1012"})
    assert response.status_code == 422
    assert "Local id k-1012 already belongs to Ana Ruiz." in response.get_data(
        as_text=True
    )
    assert db.session.scalar(db.select(db.func.count(Student.id))) == 1


@pytest.mark.parametrize("holder", ["student", "staff"])
def test_create_student_names_the_holder_of_a_duplicate_email(
    client, login, make, holder
):
    build = make.student if holder == "student" else make.staff
    person = build(first_name="Dee", last_name="Holder", email="dee@example.org")
    login("admin")
    response = client.post_form("/students/new", {**VALID, "email": "DEE@example.org"})
    body = response.get_data(as_text=True)
    kind = "student" if holder == "student" else "staff member"
    assert response.status_code == 422
    assert (
        f"Email dee@example.org already belongs to {kind} Dee Holder "
        f"({person.local_id})." in body
    )
    assert (
        db.session.scalar(
            db.select(db.func.count(Student.id)).filter_by(local_id="K-2100")
        )
        == 0
    )


def test_create_student_allows_a_blank_email(client, login):
    login("admin")
    response = client.post_form("/students/new", {**VALID, "email": ""})
    assert response.status_code == 303
    assert db.session.scalar(db.select(Student)).email is None


def test_update_student_saves_the_general_information(client, login, school):
    login(school["admin"])
    student = school["mine"]
    data = {**VALID, "local_id": "K-1012", "grade_level": "11", "status": "withdrawn"}
    response = client.post_form(f"/students/{student.id}", data)
    assert response.status_code == 303

    db.session.expire_all()
    assert student.grade_level == "11"
    assert student.status == "withdrawn"
    assert student.preferred_name == "Cari"


def test_update_student_keeps_own_email_and_local_id(client, login, school):
    login(school["admin"])
    student = school["mine"]
    data = {**VALID, "local_id": student.local_id, "email": student.email}
    response = client.post_form(f"/students/{student.id}", data)
    assert response.status_code == 303


def test_update_student_never_changes_the_local_id(client, login, school):
    login(school["admin"])
    student = school["mine"]
    page = client.get(f"/students/{student.id}").get_data(as_text=True)
    local_id_input = re.search(r"<input[^>]*name=\"local_id\"[^>]*>", page).group(0)
    assert "readonly" in local_id_input

    data = {**VALID, "local_id": "K-9999", "first_name": "Changed"}
    response = client.post_form(f"/students/{student.id}", data)
    assert response.status_code == 303

    db.session.expire_all()
    assert student.local_id == "K-1012"
    assert student.first_name == "Changed"


def test_record_shows_edit_form_to_admins_only(client, login, school):
    login(school["admin"])
    url = f"/students/{school['mine'].id}"
    assert 'name="local_id"' in client.get(url).get_data(as_text=True)

    login(school["teacher"])
    fresh_request()
    body = client.get(url).get_data(as_text=True)
    assert "K-1012" in body
    assert 'name="local_id"' not in body
    assert '<form method="post" action="/students/' not in body


def test_student_sees_herself_read_only_and_her_nav_link(client, login, school):
    login(school["student"])
    body = client.get(f"/students/{school['mine'].id}").get_data(as_text=True)
    assert "Ana Ruiz" in body
    assert 'name="local_id"' not in body
    assert f'href="/students/{school["mine"].id}">My record</a>' in body


def test_grid_lists_every_student_for_admins(client, login, school):
    login(school["admin"])
    assert names_in(client.get("/students")) == ["Okafor, Ben", "Ruiz, Ana"]


def test_grid_lists_only_a_teachers_students(client, login, school, make):
    co_taught = make.section(co_teacher=school["section"].teacher)
    make.enroll(make.student(first_name="Cy", last_name="Co"), co_taught)
    dropped = make.student(first_name="Di", last_name="Dropped")
    make.enroll(dropped, school["section"], status="dropped", end_date=date(2026, 9, 1))
    login(school["teacher"])
    assert names_in(client.get("/students")) == ["Co, Cy", "Dropped, Di", "Ruiz, Ana"]


def test_teacher_without_staff_record_sees_no_students(client, login, school, make):
    login(make.user("teacher", person=None, staff_id=None))
    assert names_in(client.get("/students")) == []


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("ruiz", ["Ruiz, Ana"]),
        ("ANA", ["Ruiz, Ana"]),
        ("ana ruiz", ["Ruiz, Ana"]),
        ("K-1013", ["Okafor, Benny"]),
        ("k-101", ["Okafor, Benny", "Ruiz, Ana"]),
        ("ben@school", ["Okafor, Benny"]),
        ("Benny", ["Okafor, Benny"]),
        ("ana okafor", []),
        ("100%", []),
    ],
)
def test_grid_search_matches_name_local_id_email(client, login, make, q, expected):
    make.student(first_name="Ana", last_name="Ruiz", local_id="K-1012")
    make.student(
        first_name="Ben",
        last_name="Okafor",
        preferred_name="Benny",
        local_id="K-1013",
        email="ben@school.example",
    )
    make.student(first_name="Zed", last_name="Pct", local_id="X_1")
    login("admin")
    assert names_in(client.get("/students", query_string={"q": q})) == expected


def test_grid_search_underscore_is_literal(client, login, make):
    make.student(first_name="Zed", last_name="Under", local_id="X_1")
    make.student(first_name="Yan", last_name="Plain", local_id="XA1")
    login("admin")
    assert names_in(client.get("/students?q=X_1")) == ["Under, Zed"]


def test_grid_filters_by_grade_and_status(client, login, make):
    make.student(first_name="A", last_name="Nine", grade_level="09")
    make.student(first_name="B", last_name="Ten", grade_level="10")
    make.student(first_name="C", last_name="Gone", grade_level="10", status="withdrawn")
    login("admin")
    assert names_in(client.get("/students?grade=10")) == ["Gone, C", "Ten, B"]
    assert names_in(client.get("/students?grade=10&status=active")) == ["Ten, B"]
    assert names_in(client.get("/students?status=withdrawn")) == ["Gone, C"]
    assert len(names_in(client.get("/students?grade=bogus"))) == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Adams, Zoe", "Brown, Amy", "Brown, Bea", "Cole, Al"]),
        ("sort=name&dir=desc", ["Cole, Al", "Brown, Bea", "Brown, Amy", "Adams, Zoe"]),
        ("sort=local_id", ["Brown, Bea", "Cole, Al", "Adams, Zoe", "Brown, Amy"]),
        ("sort=grade&dir=desc", ["Cole, Al", "Adams, Zoe", "Brown, Amy", "Brown, Bea"]),
        ("sort=nonsense", ["Adams, Zoe", "Brown, Amy", "Brown, Bea", "Cole, Al"]),
    ],
)
def test_grid_sorts_by_column(client, login, make, query, expected):
    make.student(first_name="Zoe", last_name="Adams", local_id="C3", grade_level="10")
    make.student(first_name="Amy", last_name="Brown", local_id="D4", grade_level="09")
    make.student(first_name="Bea", last_name="brown", local_id="A1", grade_level="09")
    make.student(first_name="Al", last_name="Cole", local_id="B2", grade_level="11")
    login("admin")
    names = [n.title() for n in names_in(client.get(f"/students?{query}"))]
    assert names == expected


def test_grid_header_links_flip_the_sort(client, login, school):
    login(school["admin"])
    body = client.get("/students?sort=name").get_data(as_text=True)
    assert 'aria-sort="ascending"' in body
    assert "/students?sort=name&amp;dir=desc" in body


def test_grid_pages_hold_page_size_rows_in_a_stable_order(client, login, make):
    for n in range(60):
        make.student(first_name=f"F{n % 3}", last_name="Same", local_id=f"P{n:03d}")
    login("admin")
    first = names_in(client.get("/students"))
    second = client.get("/students?page=2")
    assert len(first) == 50
    assert len(names_in(second)) == 10
    assert "Page 2 of 2 · 60 in all" in second.get_data(as_text=True)

    ids = []
    for page in (1, 2):
        body = client.get(f"/students?page={page}").get_data(as_text=True)
        ids += re.findall(r'href="/students/(\d+)"', body)
    assert len(set(ids)) == 60


def test_grid_page_past_the_end_shows_the_last_page(client, login, make):
    for _ in range(52):
        make.student()
    login("admin")
    body = client.get("/students?page=9").get_data(as_text=True)
    assert "Page 2 of 2" in body


def test_grid_htmx_request_gets_the_results_fragment(client, login, school):
    login(school["admin"])
    response = client.htmx("GET", "/students?q=ruiz")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    assert body.lstrip().startswith('<div id="student-results"')
    assert "<html" not in body
    assert names_in(response) == ["Ruiz, Ana"]


def test_grid_history_restore_gets_the_whole_page(client, login, school):
    login(school["admin"])
    response = client.htmx(
        "GET", "/students?q=ruiz", headers={"HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.get_data(as_text=True)


def test_grid_search_form_works_without_javascript(client, login, school):
    login(school["admin"])
    body = client.get("/students?q=ruiz&sort=local_id").get_data(as_text=True)
    assert 'method="get" action="/students"' in body
    assert 'name="q" value="ruiz"' in body
    assert 'name="sort" value="local_id" form="student-filters"' in body
    assert 'hx-trigger="input delay:300ms, submit"' in body


def _grid_queries(client, url="/students"):
    fresh_request()
    db.session.expire_all()
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("role", ["admin", "teacher"])
def test_grid_query_count_does_not_grow_with_rows(client, login, make, role):
    section = make.section()
    user = make.user(role, person=section.teacher if role == "teacher" else None)
    for _ in range(5):
        make.enroll(make.student(), section)
    login(user)
    few = _grid_queries(client)

    for _ in range(55):
        make.enroll(make.student(), section)
    many = _grid_queries(client)
    assert few == many
    assert many <= 10


def test_schedule_tab_lists_current_and_past_stints(client, login, school, make):
    past = make.section(title="Old Chemistry")
    make.enroll(
        school["mine"],
        past,
        status="dropped",
        start_date=date(2026, 8, 20),
        end_date=date(2026, 10, 1),
    )
    login(school["teacher"])
    body = client.get(f"/students/{school['mine'].id}/schedule").get_data(as_text=True)
    current, past_part = body.split("Past classes")
    assert "Algebra I" in current
    assert "Old Chemistry" in past_part
    assert "2026-10-01" in past_part
    assert "Dropped" in past_part
    assert "Drop</button>" not in body


def test_schedule_tab_add_and_drop_forms_post_to_scheduling(client, login, school):
    student = school["mine"]
    login(school["admin"])
    tab = f"/students/{student.id}/schedule"
    body = client.get(tab).get_data(as_text=True)
    assert 'action="/scheduling/enrollments"' in body
    assert f'name="next" value="{tab}"' in body

    biology = db.session.scalar(
        db.select(Enrollment).filter_by(student_id=school["other"].id)
    ).section_id
    response = client.post_form(
        "/scheduling/enrollments",
        {
            "student_id": student.id,
            "section_id": biology,
            "start_date": "2026-09-01",
            "next": tab,
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == tab
    added = db.session.scalar(
        db.select(Enrollment).filter_by(student_id=student.id, section_id=biology)
    )
    assert added.is_active

    response = client.post_form(
        f"/scheduling/enrollments/{added.id}/drop",
        {"end_date": "2026-09-15", "next": tab},
    )
    assert response.headers["Location"] == tab
    db.session.expire_all()
    assert added.status == "dropped"
    assert added.end_date == date(2026, 9, 15)
    assert "Past classes" in client.get(tab).get_data(as_text=True)


@pytest.fixture()
def year(make):
    """A student with classes in an ended, the running and a later term."""

    terms = {
        "past": make.semester_from_today("Summer school", -200, -70),
        "now": make.semester_from_today("Semester 1", -100, 40),
        "later": make.semester_from_today("Semester 2", 45, 190),
    }
    student = make.student(first_name="Yara", last_name="Patel")
    stints = {}
    for title, term_key, period in [
        ("Biology P1", "later", "1"),
        ("Concert Band P2", "later", "2"),
        ("Spanish I P2", "now", "2"),
        ("Chemistry P1", "now", "1"),
        ("Algebra Summer", "past", "1"),
    ]:
        section = make.section(
            title=title, marking_period=terms[term_key], period=period
        )
        stints[title] = make.enroll(
            student, section, start_date=terms[term_key].start_date
        )
    art = make.section(title="Art P3", marking_period=terms["now"], period="3")
    stints["Art P3"] = make.enroll(
        student,
        art,
        status="dropped",
        start_date=terms["now"].start_date,
        end_date=TODAY - timedelta(10),
    )
    return {"student": student, "terms": terms, "stints": stints}


def _schedule_parts(body):
    """The Current, Upcoming and Past parts of the Schedule tab."""
    current, rest = body.split('id="upcoming-heading"')
    upcoming, past = rest.split('id="past-heading"')
    return current, upcoming, past


def _in_order(text, *parts):
    places = [text.find(part) for part in parts]
    return -1 not in places and places == sorted(places)


def test_schedule_tab_splits_current_upcoming_and_past(client, login, make, year):
    login(make.user("student", person=year["student"]))

    body = client.get(f"/students/{year['student'].id}/schedule").get_data(as_text=True)

    current, upcoming, past = _schedule_parts(body)
    assert _in_order(current, "Chemistry P1", "Semester 1", "Spanish I P2")
    assert "Biology" not in current and "Art P3" not in current
    assert _in_order(upcoming, "Biology P1", "Semester 2", "Concert Band P2")
    assert _in_order(past, "Algebra Summer", "Ended", "Art P3", "Dropped")
    assert "Drop</button>" not in body


def test_schedule_tab_offers_drop_dates_no_earlier_than_the_start(
    client, login, make, year
):
    stints = year["stints"]
    login("admin")

    body = client.get(f"/students/{year['student'].id}/schedule").get_data(as_text=True)

    def drop_field(stint):
        found = re.search(rf'<input type="date" id="end-{stint.id}"[^>]*>', body)
        return found.group(0)

    started = drop_field(stints["Chemistry P1"])
    assert f'value="{TODAY.isoformat()}"' in started
    upcoming = drop_field(stints["Biology P1"])
    spring = year["terms"]["later"].start_date.isoformat()
    assert f'value="{spring}"' in upcoming and f'min="{spring}"' in upcoming
    assert f'id="end-{stints["Art P3"].id}"' not in body


def test_schedule_tab_counts_a_stint_from_its_terms_start(client, login, make, year):
    """Added today to a class whose term starts later, it is still upcoming."""
    early = make.section(
        title="Geometry P4", marking_period=year["terms"]["later"], period="4"
    )
    make.enroll(year["student"], early, start_date=TODAY)
    login("admin")

    body = client.get(f"/students/{year['student'].id}/schedule").get_data(as_text=True)

    current, upcoming, _past = _schedule_parts(body)
    assert "Geometry P4" in upcoming and "Geometry P4" not in current


@pytest.mark.browser
def test_student_home_and_schedule_in_a_browser(live_server, page, make, year):
    student = year["student"]
    account = make.user("student", person=student)
    admin = make.user("admin")

    browser_login(page, live_server, account.email)
    later = page.locator("h2:has-text('Later this year') + table")
    assert "Biology P1" in later.inner_text()
    assert (
        "Biology P1"
        not in page.locator("h2:has-text('My classes') + table").inner_text()
    )
    screenshot(page, "home-student-terms")

    page.goto(f"{live_server}/students/{student.id}/schedule")
    assert page.locator("#upcoming-heading").is_visible()
    screenshot(page, "schedule-student-terms")

    page.context.clear_cookies()
    browser_login(page, live_server, admin.email)
    page.goto(f"{live_server}/students/{student.id}/schedule")
    biology = year["stints"]["Biology P1"]
    field = page.locator(f"#end-{biology.id}")
    spring = year["terms"]["later"].start_date.isoformat()
    assert field.input_value() == spring
    screenshot(page, "schedule-admin-terms")

    # A browser that ignores `min` still gets the reason beside the field.
    field.evaluate("input => input.removeAttribute('min')")
    too_early = year["terms"]["later"].start_date - timedelta(1)
    field.fill(too_early.isoformat())
    field.locator("xpath=..").get_by_role("button", name="Drop").click()
    error = page.locator(f"#end-{biology.id}-error")
    assert "cannot be before the start date" in error.inner_text()
    assert field.input_value() == too_early.isoformat()
    error.scroll_into_view_if_needed()
    screenshot(page, "schedule-admin-drop-refused")


def test_students_grid_resync_button_names_the_student(client, login, school):
    ana = school["mine"]
    db.session.add(SyncState(kind="student", record_id=ana.id, state="synced"))
    db.session.commit()
    login(school["admin"])

    body = client.get("/students").get_data(as_text=True)

    label = f"Resync {ana.full_name} with Canvas"
    assert f'title="{label}" aria-label="{label}"' in body
