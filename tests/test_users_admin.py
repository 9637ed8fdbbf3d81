"""Users admin: access, new accounts and their links, passwords, activation."""

import re

import pytest
from flask import g

from models import User, db
from tests.factories import PASSWORD
from tests.querycount import count_queries


def forget_user():
    """The test app context outlives requests; drop Flask-Login's cached user."""
    g.pop("_login_user", None)


def emails_in(response):
    """The account emails in grid rows, in order."""
    return re.findall(r'/users/\d+">([^<]+)</a>', response.get_data(as_text=True))


@pytest.fixture()
def accounts(make):
    """An admin, a teacher and a student account."""
    return {
        "admin": make.user("admin", email="boss@example.org"),
        "teacher": make.user("teacher", email="tess@example.org"),
        "student": make.user("student", email="ana@example.org"),
    }


PAGES = [
    ("GET", "/users"),
    ("GET", "/users/new"),
    ("POST", "/users/new"),
    ("GET", "/users/{id}"),
    ("POST", "/users/{id}/password"),
    ("POST", "/users/{id}/deactivate"),
    ("POST", "/users/{id}/reactivate"),
]
REFUSED = [
    (role, method, path, 403)
    for role in ("teacher", "student")
    for method, path in PAGES
]
ANONYMOUS = [(None, method, path, 302) for method, path in PAGES]
ACCESS = [
    *REFUSED,
    *ANONYMOUS,
    ("admin", "GET", "/users", 200),
    ("admin", "GET", "/users/new", 200),
    ("admin", "POST", "/users/new", 422),
    ("admin", "GET", "/users/{id}", 200),
    ("admin", "POST", "/users/{id}/password", 422),
]


@pytest.mark.parametrize(("role", "method", "path", "status"), ACCESS)
def test_users_routes_allow_admins_only(
    client, login, accounts, role, method, path, status
):
    if role:
        login(accounts[role])
    url = path.format(id=accounts["teacher"].id)
    if method == "POST":
        response = client.post_form(url, {"password": "short"})
    else:
        response = client.get(url)
    assert response.status_code == status
    db.session.expire_all()
    assert accounts["teacher"].active


def test_users_grid_searches_and_filters_by_role(client, login, accounts):
    login(accounts["admin"])
    assert emails_in(client.get("/users")) == [
        "ana@example.org",
        "boss@example.org",
        "tess@example.org",
    ]
    assert emails_in(client.get("/users?role=teacher")) == ["tess@example.org"]
    name = accounts["student"].student.last_name
    assert emails_in(client.get(f"/users?q={name}")) == ["ana@example.org"]
    assert emails_in(client.get("/users?q=boss")) == ["boss@example.org"]
    assert emails_in(client.get("/users?sort=role")) == [
        "boss@example.org",
        "ana@example.org",
        "tess@example.org",
    ]


def test_users_grid_query_count_does_not_grow_with_rows(client, login, make):
    login(make.user("admin"))

    def queries():
        forget_user()
        db.session.expire_all()
        with count_queries() as statements:
            assert client.get("/users").status_code == 200
        return len(statements)

    for role in ("teacher", "student", "admin") * 2:
        make.user(role)
    few = queries()
    for role in ("teacher", "student") * 30:
        make.user(role)
    assert queries() == few <= 10


def test_create_account_linked_to_a_student_by_local_id(client, login, make):
    student = make.student(local_id="K-2777")
    login("admin")
    response = client.post_form(
        "/users/new",
        {
            "email": "New.Kid@Example.org",
            "role": "student",
            "password": "long-enough",
            "person": "K-2777",
        },
    )
    assert response.status_code == 303
    user = User.by_email("new.kid@example.org")
    assert user.student_id == student.id
    assert user.check_password("long-enough")

    forget_user()
    client.post_form("/logout")
    signed_in = client.post_form(
        "/login", {"email": "new.kid@example.org", "password": "long-enough"}
    )
    assert signed_in.headers["Location"] == "/"


def test_create_admin_account_needs_no_person(client, login):
    login("admin")
    data = {"email": "two@example.org", "role": "admin", "password": "12345678"}
    assert client.post_form("/users/new", data).status_code == 303
    assert User.by_email("two@example.org").staff_id is None


def test_new_account_form_offers_unlinked_people(client, login, accounts, make):
    free = make.staff(first_name="Fay", last_name="Free", local_id="T0999")
    login(accounts["admin"])
    body = client.get("/users/new").get_data(as_text=True)
    assert f'<option value="{free.local_id}">Free, Fay · staff</option>' in body
    assert accounts["teacher"].staff.local_id not in body
    assert '<option selected value="teacher">' in body


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": ""}, "This field is required."),
        ({"email": "nope"}, "Invalid email address."),
        ({"password": "short"}, "Use at least 8 characters."),
        ({"role": "root"}, "Not a valid choice."),
        ({"person": ""}, "Give the local id of the staff member who signs in."),
        ({"person": "T404"}, "No staff member has local id T404."),
        ({"role": "student", "person": "T0001"}, "No student has local id T0001."),
        ({"email": "TESS@example.org"}, "already belongs to the teacher account of"),
    ],
)
def test_create_account_refuses_bad_input(
    client, login, accounts, make, changes, message
):
    make.staff(local_id="T0001")
    login(accounts["admin"])
    data = {
        "email": "fresh@example.org",
        "role": "teacher",
        "password": "long-enough",
        "person": "T0001",
        **changes,
    }
    response = client.post_form("/users/new", data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert User.by_email("fresh@example.org") is None


def test_create_account_refuses_a_person_who_has_one(client, login, accounts):
    login(accounts["admin"])
    student = accounts["student"].student
    data = {
        "email": "second@example.org",
        "role": "student",
        "password": "long-enough",
        "person": student.local_id,
    }
    response = client.post_form("/users/new", data)
    assert response.status_code == 422
    assert (
        f"{student.full_name} ({student.local_id}) already has an account: "
        "ana@example.org." in response.get_data(as_text=True)
    )
    assert User.by_email("second@example.org") is None


def test_create_account_without_csrf_token_is_refused(client, login):
    login("admin")
    data = {"email": "x@example.org", "role": "admin", "password": "12345678"}
    assert client.post("/users/new", data=data).status_code == 400
    assert User.by_email("x@example.org") is None


def test_reset_password_sets_a_new_one(client, login, accounts):
    login(accounts["admin"])
    teacher = accounts["teacher"]
    url = f"/users/{teacher.id}/password"
    short = client.post_form(url, {"password": "1234567"})
    assert short.status_code == 422
    assert "Use at least 8 characters." in short.get_data(as_text=True)
    db.session.expire_all()
    assert teacher.check_password(PASSWORD)

    assert client.post_form(url, {"password": "brand-new-pw"}).status_code == 303
    db.session.expire_all()
    assert teacher.check_password("brand-new-pw")


def test_deactivate_stops_sign_in_and_reactivate_restores_it(client, login, accounts):
    login(accounts["admin"])
    teacher = accounts["teacher"]
    response = client.post_form(
        f"/users/{teacher.id}/deactivate", {"next": "/users?role=teacher"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/users?role=teacher"
    db.session.expire_all()
    assert not teacher.active

    forget_user()
    other = client.application.test_client()
    refused = other.post_form("/login", {"email": teacher.email, "password": PASSWORD})
    assert refused.status_code == 422

    forget_user()
    back = client.post_form(f"/users/{teacher.id}/reactivate")
    assert back.headers["Location"] == f"/users/{teacher.id}"
    db.session.expire_all()
    assert teacher.active


def test_deactivate_by_htmx_swaps_the_row(client, login, accounts):
    login(accounts["admin"])
    response = client.htmx("POST", f"/users/{accounts['student'].id}/deactivate")
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith("<tr>")
    assert "Deactivated" in body
    assert "Reactivate</button>" in body


def test_admin_cannot_deactivate_herself(client, login, accounts):
    admin = accounts["admin"]
    login(admin)
    assert "You</span>" in client.get("/users").get_data(as_text=True)

    response = client.post_form(f"/users/{admin.id}/deactivate")
    assert response.status_code == 303
    db.session.expire_all()
    assert admin.active
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You cannot deactivate your own account." in follow
