"""Signing in and out, CSRF, and the home page per role."""

from datetime import date

import pytest

from tests.factories import PASSWORD

TODAY = date.today()


def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b'name="csrf_token"' in response.data


def test_login_with_good_password_reaches_home(client, make):
    user = make.user("admin")
    response = client.post_form(
        "/login", {"email": user.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_login_with_bad_password_says_so_at_the_field(client, make):
    user = make.user("admin")
    response = client.post_form("/login", {"email": user.email, "password": "nope"})
    assert response.status_code == 422
    assert b"That email and password do not match." in response.data


def test_login_refuses_deactivated_account(client, make):
    user = make.user("teacher", active=False)
    response = client.post_form("/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 422
    assert b"deactivated" in response.data


def test_login_without_csrf_token_is_refused(client, make):
    user = make.user("admin")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert b"Form expired" in response.data


def test_login_ignores_offsite_next(client, make):
    user = make.user("admin")
    response = client.post_form(
        "/login?next=https://evil.example/",
        {"email": user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_logout_requires_post_and_signs_out(client, login):
    login("admin")
    assert client.get("/logout").status_code == 405
    assert client.post_form("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_anonymous_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_anonymous_htmx_request_gets_hx_redirect(client):
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")


@pytest.mark.parametrize("role", ["admin", "teacher", "student"])
def test_home_page_for_each_role(client, login, role):
    login(role)
    response = client.get("/")
    assert response.status_code == 200
    assert b"Sign out" in response.data


def test_teacher_home_lists_own_sections_only(client, login, make):
    mine = make.section(title="Algebra Mine")
    make.section(title="Someone Else's")
    login(make.user("teacher", person=mine.teacher))
    body = client.get("/").get_data(as_text=True)
    assert "Algebra Mine" in body
    assert "Someone Else" not in body


def test_teacher_account_without_staff_record_sees_no_sections(client, login, make):
    make.section(title="Someone Else's")
    teacher = make.user("teacher")
    teacher.staff_id = None
    make._save(teacher)
    login(teacher)
    body = client.get("/").get_data(as_text=True)
    assert "Someone Else" not in body


@pytest.fixture()
def terms(make):
    """A term that has ended, the one running today and one starting later."""

    return {
        "past": make.semester_from_today("Summer school", -200, -70),
        "now": make.semester_from_today("Fall term", -60, 30),
        "later": make.semester_from_today("Spring term", 40, 160),
    }


def _in_order(body, *texts):
    """True when each text appears in the body after the one before it."""
    places = [body.find(text) for text in texts]
    return -1 not in places and places == sorted(places)


def test_student_home_shows_classes_now_then_later_this_year(
    client, login, make, terms
):
    student = make.student()
    for title, term, period in [
        ("Biology", "later", "1"),
        ("Chemistry", "now", "2"),
        ("Algebra", "now", "1"),
        ("History", "past", "1"),
    ]:
        section = make.section(title=title, marking_period=terms[term], period=period)
        make.enroll(student, section, start_date=terms[term].start_date)
    gone = make.section(title="Dropped Art", marking_period=terms["now"])
    make.enroll(student, gone, status="dropped", end_date=TODAY)
    login(make.user("student", person=student))

    body = client.get("/").get_data(as_text=True)

    now, later = body.split("Later this year")
    assert _in_order(now, "<th>Term</th>", "Algebra", "Fall term", "Chemistry")
    assert "Biology" not in now
    assert _in_order(later, "Biology", "Spring term")
    starts = terms["later"].start_date
    assert _in_order(later, "<th>Starts</th>", f"{starts.day} {starts:%B %Y}")
    assert "History" not in body and "Dropped Art" not in body
    assert f'href="/students/{student.id}/schedule">your schedule' in body


def test_student_home_with_only_later_classes_says_none_this_term(
    client, login, make, terms
):
    student = make.student()
    make.enroll(
        student,
        make.section(title="Biology", marking_period=terms["later"]),
        start_date=TODAY,
    )
    login(make.user("student", person=student))

    body = client.get("/").get_data(as_text=True)

    assert "You have no classes this term." in body
    assert "Biology" in body.split("Later this year")[1]


def test_teacher_home_groups_sections_by_term_in_timetable_order(
    client, login, make, terms
):
    teacher = make.staff()
    for title, term, period in [
        ("World History P2", "later", "2"),
        ("Algebra P1 Spring", "later", "1"),
        ("Geometry P2", "now", "2"),
        ("Algebra P1 Fall", "now", "1"),
        ("Summer Algebra", "past", "1"),
    ]:
        make.section(
            title=title, marking_period=terms[term], period=period, teacher=teacher
        )
    login(make.user("teacher", person=teacher))

    body = client.get("/").get_data(as_text=True)

    now, rest = body.split("Later this year")
    later, earlier = rest.split("Earlier this year")
    assert _in_order(now, "Algebra P1 Fall", "Fall term", "Geometry P2")
    assert _in_order(later, "Algebra P1 Spring", "Spring term", "World History P2")
    assert "Summer Algebra" in earlier and "Summer school" in earlier


def test_forbidden_page_is_in_layout_and_says_why(client, login):
    login("teacher")
    response = client.get("/staff/new")
    assert response.status_code == 403
    body = response.get_data(as_text=True)
    assert "Sign out" in body
    assert "Your account cannot open this page." in body


def test_server_error_rolls_back_and_shows_page_in_layout(app, client, login, make):
    from models import Course, db

    def half_written():
        db.session.add(Course(school_id=make.school().id, code="HALF", title="Half"))
        db.session.flush()
        raise RuntimeError("boom")

    app.add_url_rule("/boom", "boom", half_written)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    login("admin")
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Nothing was saved" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Course).filter_by(code="HALF")) is None


def test_unknown_page_is_404_in_layout(client, login):
    login("admin")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Homeroom" in response.data


def test_create_admin_cli(runner):
    result = runner.invoke(
        args=["users", "create-admin", "--email", "Boss@Example.org", "--password",
              "longenough"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    from models import User

    assert User.by_email("boss@example.org").role == "admin"


def test_create_admin_cli_rejects_short_password(runner):
    result = runner.invoke(
        args=["users", "create-admin", "--email", "a@example.org", "--password", "x"]
    )
    assert result.exit_code == 2
    assert "at least 8" in result.output
