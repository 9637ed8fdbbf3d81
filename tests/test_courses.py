"""The course catalogue: list, create, edit and the course page."""

from decimal import Decimal

import pytest

from models import Course, db


def _count():
    return db.session.scalar(db.select(db.func.count(Course.id)))


def _course_data(**fields):
    values = {"code": "ALG1", "title": "Algebra I", "subject": "Math", "credits": "1"}
    values.update(fields)
    return values


# --- access -------------------------------------------------------------------

ROLES = [("admin", 200), ("teacher", 403), ("student", 403), (None, 302)]


@pytest.mark.parametrize(("role", "status"), ROLES)
@pytest.mark.parametrize("url", ["/courses/new", "/courses/{id}/edit"])
def test_course_forms_by_role(client, login, make, url, role, status):
    course = make.course()
    if role:
        login(role)
    assert client.get(url.format(id=course.id)).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("teacher", 200), ("student", 403), (None, 302)],
)
def test_course_list_by_role(client, login, role, status):
    if role:
        login(role)
    assert client.get("/courses").status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("own teacher", 200),
        ("other teacher", 403),
        ("student", 403),
        (None, 302),
    ],
)
def test_course_page_by_role(client, login, make, who, status):
    section = make.section()
    if who == "own teacher":
        login(make.user("teacher", person=section.teacher))
    elif who == "other teacher":
        login("teacher")
    elif who:
        login(who)
    assert client.get(f"/courses/{section.course_id}").status_code == status


@pytest.mark.parametrize(
    ("role", "status"), [("teacher", 403), ("student", 403), (None, 302)]
)
def test_course_posts_refused_to_non_admins(client, login, make, role, status):
    course = make.course(code="KEEP")
    if role:
        login(role)
    assert client.post_form("/courses/new", _course_data()).status_code == status
    edit = client.post_form(f"/courses/{course.id}/edit", _course_data())
    assert edit.status_code == status
    db.session.expire_all()
    assert (_count(), db.session.get(Course, course.id).code) == (1, "KEEP")


def test_course_post_without_csrf_is_refused(client, login):
    login("admin")
    assert client.post("/courses/new", data=_course_data()).status_code == 400
    assert _count() == 0


def test_missing_course_is_404(client, login):
    login("admin")
    assert client.get("/courses/999").status_code == 404
    assert client.get("/courses/999/edit").status_code == 404


# --- list -----------------------------------------------------------------------


def test_admin_lists_every_course(client, login, make):
    make.course(code="BIO1", title="Biology")
    make.course(code="ART1", title="Art")
    login("admin")
    html = client.get("/courses").get_data(as_text=True)
    assert html.index("ART1") < html.index("BIO1")


def test_teacher_lists_only_courses_she_teaches(client, login, make):
    mine = make.section(course=make.course(code="MINE1"))
    co_taught = make.section(course=make.course(code="COTAUGHT"))
    make.section(course=make.course(code="OTHER1"))
    co_taught.co_teacher_id = mine.teacher_id
    db.session.commit()
    login(make.user("teacher", person=mine.teacher))
    html = client.get("/courses").get_data(as_text=True)
    assert "MINE1" in html and "COTAUGHT" in html
    assert "OTHER1" not in html


def test_teacher_without_staff_record_sees_no_courses(client, login, make):
    make.section(course=make.course(code="ANY1"))
    login(make.user("teacher", person=None, staff_id=None))
    html = client.get("/courses").get_data(as_text=True)
    assert "ANY1" not in html


# --- create and edit --------------------------------------------------------------


def test_create_course(client, login):
    login("admin")
    response = client.post_form("/courses/new", _course_data(credits="0.25"))
    course = db.session.scalar(db.select(Course))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/courses/{course.id}"
    assert (course.code, course.credits) == ("ALG1", Decimal("0.25"))


def test_zero_credits_allowed(client, login):
    login("admin")
    assert (
        client.post_form("/courses/new", _course_data(credits="0")).status_code == 302
    )
    assert db.session.scalar(db.select(Course.credits)) == Decimal("0")


def test_duplicate_code_names_the_course_it_collides_with(client, login, make):
    make.course(code="ALG1", title="Algebra One")
    login("admin")
    response = client.post_form("/courses/new", _course_data(code="alg1"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    block = html[html.index('for="code"') :]
    assert "Code ALG1 is already used by Algebra One" in block[: block.index("</div>")]
    assert _count() == 1


INVALID = [
    ({"credits": "-1"}, "credits", "Credits run from 0 to 999.99."),
    ({"credits": "1.125"}, "credits", "at most two decimals"),
    ({"credits": "abc"}, "credits", "Not a valid decimal value."),
    ({"credits": ""}, "credits", "Give the credits"),
    ({"code": ""}, "code", "This field is required."),
    ({"title": ""}, "title", "This field is required."),
]


@pytest.mark.parametrize(("change", "field", "message"), INVALID)
def test_course_form_refuses_with_message_at_field(
    client, login, change, field, message
):
    login("admin")
    response = client.post_form("/courses/new", _course_data(**change))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    block = html[html.index(f'for="{field}"') :]
    assert message in block[: block.index("</div>")]
    assert _count() == 0


def test_edit_course_keeps_its_own_code(client, login, make):
    course = make.course(code="GEO1", title="Geometry")
    login("admin")
    data = _course_data(code="GEO1", title="Geometry H", credits="1.5")
    assert client.post_form(f"/courses/{course.id}/edit", data).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Course, course.id)
    assert (saved.title, saved.credits) == ("Geometry H", Decimal("1.50"))


def test_edit_course_refuses_anothers_code(client, login, make):
    make.course(code="TAKEN", title="Taken Course")
    course = make.course(code="MINE", title="Mine")
    login("admin")
    data = _course_data(code="TAKEN", title="Mine")
    response = client.post_form(f"/courses/{course.id}/edit", data)
    assert response.status_code == 422
    assert b"already used by Taken Course" in response.data
    db.session.expire_all()
    assert db.session.get(Course, course.id).code == "MINE"


# --- course page ------------------------------------------------------------------


def test_course_page_lists_sections_with_head_counts(client, login, make):
    course = make.course(title="Chemistry")
    first = make.section(course=course, period="2", capacity=20)
    make.section(course=course, period="5", title="Chem Lab")
    for _ in range(3):
        make.enroll(make.student(), first)
    make.enroll(make.student(), first, status="dropped")
    login("admin")
    html = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "Chem Lab" in html
    assert "3 / 20" in html
    assert first.teacher.full_name in html


def test_teacher_course_page_shows_only_her_sections(client, login, make):
    course = make.course()
    mine = make.section(course=course, title="My Class")
    make.section(course=course, title="Their Class")
    login(make.user("teacher", person=mine.teacher))
    html = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "My Class" in html and "Their Class" not in html
    assert "Edit course" not in html
