"""Adding students to sections and dropping them, with history kept."""

from datetime import date, timedelta

import pytest

from blueprints.scheduling.rules import add_refusal, drop_refusal
from models import Enrollment, db

D = date

# --- the rules, on plain values ---------------------------------------------


def _add(**changes):
    values = {
        "name": "Ada Lovelace",
        "status": "active",
        "active_here": False,
        "last_end": None,
        "start_date": D(2026, 9, 1),
        "enrolled": 3,
        "capacity": 4,
    }
    values.update(changes)
    name, status = values.pop("name"), values.pop("status")
    return add_refusal(name, status, **values)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({}, None),
        ({"capacity": None, "enrolled": 500}, None),
        ({"status": "withdrawn"}, "Ada Lovelace is withdrawn; only active students"),
        ({"status": "inactive"}, "Ada Lovelace is inactive"),
        ({"active_here": True}, "Ada Lovelace is already in this section."),
        ({"enrolled": 4}, "This section is full: its capacity is 4 students."),
        ({"last_end": D(2026, 9, 1)}, None),
        ({"last_end": D(2026, 9, 2)}, "was in this section until 2026-09-02"),
    ],
)
def test_add_refusal_table(changes, message):
    refusal = _add(**changes)
    if message is None:
        assert refusal is None
    else:
        assert message in refusal


@pytest.mark.parametrize(
    ("status", "end", "message"),
    [
        ("active", D(2026, 9, 1), None),
        ("active", D(2026, 12, 1), None),
        ("active", D(2026, 8, 31), "cannot be before the start date, 2026-09-01"),
        ("dropped", D(2026, 12, 1), "already dropped"),
    ],
)
def test_drop_refusal_table(status, end, message):
    refusal = drop_refusal(status, D(2026, 9, 1), end)
    assert (refusal is None) if message is None else (message in refusal)


# --- helpers ------------------------------------------------------------------


def _stints(student=None):
    query = db.select(Enrollment).order_by(Enrollment.id)
    if student is not None:
        query = query.where(Enrollment.student_id == student.id)
    db.session.expire_all()
    return db.session.scalars(query).all()


def _add_form(section, student=None, **fields):
    values = {"section_id": str(section.id), "start_date": "2026-09-01"}
    if student is not None:
        values["student_id"] = str(student.id)
    values.update(fields)
    return values


# --- access -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("own teacher", 403), ("student", 403), (None, 302)],
)
def test_scheduling_refused_to_all_but_admins(client, login, make, who, status):
    section = make.section()
    stint = make.enroll(make.student(), section)
    other = make.student()
    if who == "own teacher":
        login(make.user("teacher", person=section.teacher))
    elif who:
        login(who)
    add = client.post_form("/scheduling/enrollments", _add_form(section, other))
    drop = client.post_form(f"/scheduling/enrollments/{stint.id}/drop", {})
    search = client.get(f"/scheduling/sections/{section.id}/students?q=a")
    assert (add.status_code, drop.status_code, search.status_code) == (status,) * 3
    assert [s.status for s in _stints()] == ["active"]


def test_scheduling_posts_without_csrf_are_refused(client, login, make):
    section = make.section()
    stint = make.enroll(make.student(), section)
    login("admin")
    add = client.post(
        "/scheduling/enrollments", data=_add_form(section, make.student())
    )
    drop = client.post(f"/scheduling/enrollments/{stint.id}/drop", data={})
    assert (add.status_code, drop.status_code) == (400, 400)
    assert [s.status for s in _stints()] == ["active"]


def test_htmx_post_with_bad_csrf_header_is_refused(client, login, make):
    section = make.section()
    login("admin")
    response = client.htmx(
        "POST",
        "/scheduling/enrollments",
        _add_form(section, make.student()),
        headers={"X-CSRFToken": "forged"},
    )
    assert response.status_code == 400
    assert _stints() == []


# --- adding ---------------------------------------------------------------------


def test_add_without_js_redirects_back_with_a_flash(client, login, make):
    section = make.section()
    student = make.student(first_name="Ada", last_name="Lovelace")
    login("admin")
    data = _add_form(section, student, next=f"/sections/{section.id}?dropped=1")
    response = client.post_form("/scheduling/enrollments", data)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/sections/{section.id}?dropped=1"
    [stint] = _stints()
    assert (stint.status, stint.start_date, stint.end_date) == (
        "active", D(2026, 9, 1), None,
    )  # fmt: skip
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ada Lovelace is added." in page


def test_add_by_local_id_and_default_start_today(client, login, make):
    section = make.section()
    make.student(local_id="S-4242")
    login("admin")
    data = {"section_id": str(section.id), "student_local_id": " s-4242 "}
    assert client.post_form("/scheduling/enrollments", data).status_code == 303
    assert _stints()[0].start_date == date.today()


def test_add_with_htmx_swaps_the_roster(client, login, make):
    section = make.section()
    student = make.student(first_name="Ada", last_name="Lovelace")
    login("admin")
    response = client.htmx(
        "POST", "/scheduling/enrollments", _add_form(section, student)
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.startswith("{#") is False and "<html" not in html
    assert '<section class="card roster"' in html
    assert "Lovelace, Ada" in html and "Ada Lovelace is added." in html


def test_offsite_next_is_ignored(client, login, make):
    section = make.section()
    login("admin")
    data = _add_form(section, make.student(), next="https://evil.example/")
    response = client.post_form("/scheduling/enrollments", data)
    assert response.headers["Location"] == f"/sections/{section.id}"


def _refused(client, data, htmx):
    """Post an add; return the message the user sees, and check nothing was written."""
    before = len(_stints())
    if htmx:
        response = client.htmx("POST", "/scheduling/enrollments", data)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert 'class="error" role="alert"' in html
    else:
        response = client.post_form("/scheduling/enrollments", data)
        assert response.status_code == 303
        html = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "flash-error" in html
    assert len(_stints()) == before
    return html


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_add_refuses_a_student_already_active(client, login, make, htmx):
    section = make.section()
    student = make.student(first_name="Ada", last_name="Lovelace")
    make.enroll(student, section)
    login("admin")
    html = _refused(client, _add_form(section, student), htmx)
    assert "Ada Lovelace is already in this section." in html


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_add_refuses_a_full_section_naming_capacity(client, login, make, htmx):
    section = make.section(capacity=2)
    make.enroll(make.student(), section)
    make.enroll(make.student(), section)
    make.enroll(make.student(), section, status="dropped", end_date=D(2026, 9, 1))
    login("admin")
    html = _refused(client, _add_form(section, make.student()), htmx)
    assert "This section is full: its capacity is 2 students." in html


@pytest.mark.parametrize("status", ["inactive", "withdrawn"])
def test_add_refuses_students_who_are_not_active(client, login, make, status):
    section = make.section()
    student = make.student(first_name="Wes", last_name="Gone", status=status)
    login("admin")
    html = _refused(client, _add_form(section, student), htmx=True)
    assert f"Wes Gone is {status}; only active students can be scheduled." in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"student_local_id": "NOPE-1"}, "No student has the local id NOPE-1."),
        ({}, "Choose a student: type a name or local id."),
        ({"student_id": "999999"}, "Choose a student"),
        ({"start_date": "31/12/2026", "student_local_id": "x"}, "Not a valid date"),
    ],
)
def test_add_refuses_bad_input_with_a_message(client, login, make, fields, message):
    section = make.section()
    login("admin")
    data = {"section_id": str(section.id), **fields}
    assert message in _refused(client, data, htmx=True)


def test_add_to_a_missing_section_is_404(client, login, make):
    login("admin")
    data = {"section_id": "999999", "student_id": str(make.student().id)}
    assert client.post_form("/scheduling/enrollments", data).status_code == 404
    assert client.post_form("/scheduling/enrollments", {}).status_code == 400


# --- dropping and adding back ------------------------------------------------------


def test_drop_sets_status_and_end_date_and_keeps_the_row(client, login, make):
    section = make.section()
    stint = make.enroll(make.student(), section)
    login("admin")
    url = f"/scheduling/enrollments/{stint.id}/drop"
    response = client.post_form(url, {"end_date": "2026-10-15"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/sections/{section.id}"
    [saved] = _stints()
    assert (saved.status, saved.end_date) == ("dropped", D(2026, 10, 15))


def test_drop_defaults_to_today(client, login, make):
    stint = make.enroll(make.student(), make.section())
    login("admin")
    client.post_form(f"/scheduling/enrollments/{stint.id}/drop", {"end_date": ""})
    assert _stints()[0].end_date == date.today()


def test_drop_with_htmx_swaps_the_roster(client, login, make):
    section = make.section()
    student = make.student(first_name="Ada", last_name="Lovelace")
    stint = make.enroll(student, section)
    login("admin")
    response = client.htmx(
        "POST",
        f"/scheduling/enrollments/{stint.id}/drop",
        {"end_date": "2026-10-01", "dropped": "1"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "Ada Lovelace is dropped." in html
    dropped = html[html.index("<h3>Dropped</h3>") :]
    assert "Lovelace, Ada" in dropped and "2026-10-01" in dropped


@pytest.mark.parametrize(
    ("end_date", "message"),
    [
        ("2026-08-19", "cannot be before the start date, 2026-08-20"),
        ("tomorrow", "Not a valid date value."),
    ],
)
def test_drop_refuses_a_bad_date_at_the_row(client, login, make, end_date, message):
    stint = make.enroll(make.student(), make.section())
    login("admin")
    response = client.htmx(
        "POST", f"/scheduling/enrollments/{stint.id}/drop", {"end_date": end_date}
    )
    html = response.get_data(as_text=True)
    row = html[html.index(f'id="drop-{stint.id}"') :]
    assert message in row[: row.index("</form>")]
    assert _stints()[0].status == "active"


def test_drop_twice_is_refused(client, login, make):
    stint = make.enroll(
        make.student(), make.section(), status="dropped", end_date=D(2026, 9, 1)
    )
    login("admin")
    url = f"/scheduling/enrollments/{stint.id}/drop"
    response = client.post_form(url, {"end_date": "2026-10-01"})
    assert response.status_code == 303
    assert _stints()[0].end_date == D(2026, 9, 1)


def test_drop_of_missing_enrollment_is_404(client, login):
    login("admin")
    assert client.post_form("/scheduling/enrollments/999999/drop").status_code == 404


def test_add_drop_and_add_back_keeps_history(client, login, make):
    section = make.section()
    student = make.student()
    login("admin")
    client.post_form("/scheduling/enrollments", _add_form(section, student))
    first = _stints(student)[0]
    client.post_form(
        f"/scheduling/enrollments/{first.id}/drop", {"end_date": "2026-10-01"}
    )
    early = _add_form(section, student, start_date="2026-09-15")
    html = _refused(client, early, htmx=True)
    assert "until 2026-10-01; a new stint cannot start before that" in html
    again = _add_form(section, student, start_date="2026-10-20")
    assert client.post_form("/scheduling/enrollments", again).status_code == 303

    stints = _stints(student)
    assert [(s.status, s.start_date, s.end_date) for s in stints] == [
        ("dropped", D(2026, 9, 1), D(2026, 10, 1)),
        ("active", D(2026, 10, 20), None),
    ]


def test_dropped_seat_frees_capacity(client, login, make):
    section = make.section(capacity=1)
    stint = make.enroll(make.student(), section)
    login("admin")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    client.post_form(
        f"/scheduling/enrollments/{stint.id}/drop", {"end_date": yesterday}
    )
    data = _add_form(section, make.student(), start_date=date.today().isoformat())
    assert client.post_form("/scheduling/enrollments", data).status_code == 303
    assert [s.status for s in _stints()] == ["dropped", "active"]


# --- search ---------------------------------------------------------------------


def test_search_finds_by_name_or_local_id_with_add_buttons(client, login, make):
    section = make.section()
    ada = make.student(first_name="Ada", last_name="Lovelace", local_id="S-100")
    make.enroll(make.student(first_name="Adam", last_name="Lovell"), section)
    make.student(first_name="Ada", last_name="Byron", status="withdrawn")
    make.student(first_name="Grace", last_name="Hopper", local_id="S-200")
    login("admin")
    url = f"/scheduling/sections/{section.id}/students"
    html = client.get(url, query_string={"student_local_id": "ada"}).get_data(
        as_text=True
    )
    assert f'name="student_id" value="{ada.id}"' in html
    assert "In this section" in html and "Withdrawn" in html
    assert "Hopper" not in html
    by_id = client.get(url, query_string={"student_local_id": "s-2"})
    assert "Hopper" in by_id.get_data(as_text=True)
    both = client.get(url, query_string={"student_local_id": "ada love"})
    assert "Lovelace" in both.get_data(as_text=True)
    assert "Byron" not in both.get_data(as_text=True)


def test_search_with_nothing_typed_lists_nothing(client, login, make):
    section = make.section()
    make.student()
    login("admin")
    url = f"/scheduling/sections/{section.id}/students?student_local_id=+"
    assert "<li>" not in client.get(url).get_data(as_text=True)


def test_search_treats_wildcards_literally(client, login, make):
    section = make.section()
    make.student(last_name="Plain")
    login("admin")
    url = f"/scheduling/sections/{section.id}/students?student_local_id=%25"
    assert "No student matches" in client.get(url).get_data(as_text=True)


def test_boosted_post_from_another_page_gets_the_redirect(client, login, make):
    section = make.section()
    student = make.student()
    login("admin")
    back = f"/students/{student.id}/schedule"
    response = client.htmx(
        "POST",
        "/scheduling/enrollments",
        _add_form(section, student, next=back),
        headers={"HX-Boosted": "true"},
    )
    assert (response.status_code, response.headers["Location"]) == (303, back)
    assert [s.status for s in _stints()] == ["active"]


# --- dropping from the student's Schedule tab ----------------------------------


@pytest.fixture()
def later_stint(make):
    """A stint in a class whose term starts in six weeks."""
    spring = make.period(
        kind="semester",
        title="Semester 2",
        short_name="Semester 2",
        start_date=date.today() + timedelta(42),
        end_date=date.today() + timedelta(180),
    )
    section = make.section(title="Biology P1", marking_period=spring)
    return make.enroll(make.student(), section, start_date=spring.start_date)


def test_drop_before_the_start_from_the_schedule_tab_is_refused_at_the_field(
    client, login, later_stint
):
    tab = f"/students/{later_stint.student_id}/schedule"
    too_early = later_stint.start_date - timedelta(1)
    login("admin")

    response = client.post_form(
        f"/scheduling/enrollments/{later_stint.id}/drop",
        {"end_date": too_early.isoformat(), "next": tab},
    )

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    form = html[html.index(f'id="end-{later_stint.id}"') :]
    form = form[: form.index("</form>")]
    assert f'value="{too_early.isoformat()}"' in form
    assert 'aria-invalid="true"' in form
    start = later_stint.start_date.isoformat()
    assert f"The drop date cannot be before the start date, {start}." in form
    assert "Upcoming classes" in html
    assert _stints()[0].status == "active"


def test_drop_without_a_date_ends_an_upcoming_stint_on_its_first_day(
    client, login, later_stint
):
    login("admin")
    url = f"/scheduling/enrollments/{later_stint.id}/drop"
    client.post_form(url, {"end_date": ""})
    [stint] = _stints()
    assert (stint.status, stint.end_date) == ("dropped", stint.start_date)


def test_drop_twice_from_the_schedule_tab_goes_back_with_a_flash(client, login, make):
    stint = make.enroll(
        make.student(), make.section(), status="dropped", end_date=D(2026, 9, 1)
    )
    tab = f"/students/{stint.student_id}/schedule"
    login("admin")
    url = f"/scheduling/enrollments/{stint.id}/drop"
    response = client.post_form(url, {"end_date": "2026-10-01", "next": tab})
    assert (response.status_code, response.headers["Location"]) == (303, tab)
    assert "already dropped" in client.get(tab).get_data(as_text=True)


def test_roster_dates_start_no_earlier_than_the_class(client, login, make):
    later = date.today() + timedelta(days=40)
    term = make.period(start_date=later, end_date=later + timedelta(days=120))
    section = make.section(marking_period=term)
    make.enroll(make.student(), section, start_date=later)
    login("admin")

    page = client.get(f"/sections/{section.id}").get_data(as_text=True)

    assert f'name="start_date" type="date" value="{later.isoformat()}"' in page
    assert f'name="end_date" type="date" value="{later.isoformat()}"' in page
