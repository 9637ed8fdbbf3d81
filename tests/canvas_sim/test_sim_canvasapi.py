"""The simulator driven over real HTTP by canvasapi, a client nobody here wrote."""

import threading
import time
import warnings
from urllib.parse import quote

import pytest
import requests
from canvasapi import Canvas
from canvasapi.exceptions import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidAccessToken,
    RateLimitExceeded,
    ResourceDoesNotExist,
)


def connect(url, token):
    """A canvasapi client; it warns about plain HTTP, which is all a test has."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", "Canvas may respond unexpectedly", UserWarning
        )
        return Canvas(url, token)


@pytest.fixture
def canvas(live):
    """A canvasapi client of the live simulator."""
    return connect(live.url, live.token)


@pytest.fixture
def course(canvas):
    """A published course with a section, a student and a teacher."""
    account = canvas.get_account(1)
    student = account.create_user(
        pseudonym={"unique_id": "ann@school.org", "sis_user_id": "S1"},
        user={"name": "Ann Lee"},
    )
    teacher = account.create_user(
        pseudonym={"unique_id": "tia@school.org", "sis_user_id": "T1"},
        user={"name": "Tia Ng"},
    )
    course = account.create_course(
        course={"name": "Biology", "sis_course_id": "BIO-1"},
        offer=True,
    )
    section = course.create_course_section(
        course_section={"name": "Period 1", "sis_section_id": "SEC1"}
    )
    section.enroll_user(
        student, enrollment={"type": "StudentEnrollment", "enrollment_state": "active"}
    )
    section.enroll_user(
        teacher, enrollment={"type": "TeacherEnrollment", "enrollment_state": "active"}
    )
    return course


def test_canvasapi_user_by_sis_id(canvas, course):
    user = canvas.get_user("S1", "sis_user_id")
    assert (user.name, user.sis_user_id, user.login_id) == (
        "Ann Lee",
        "S1",
        "ann@school.org",
    )
    assert canvas.get_user("ANN@school.org", "sis_login_id").id == user.id


def test_canvasapi_course_and_section_by_sis_id(canvas, course):
    assert canvas.get_course("BIO-1", use_sis_id=True).id == course.id
    section = canvas.get_section("SEC1", use_sis_id=True)
    assert (section.course_id, section.sis_course_id) == (course.id, "BIO-1")


def test_canvasapi_enrollments_with_grades(canvas, course):
    assignment = course.create_assignment(
        {"name": "HW 1", "points_possible": 10, "published": True}
    )
    assignment.get_submission(canvas.get_user("S1", "sis_user_id")).edit(
        submission={"posted_grade": "8"}
    )
    students = list(course.get_enrollments(type=["StudentEnrollment"]))
    assert len(students) == 1
    assert students[0].grades["current_score"] == 80.0
    assert students[0].grades["final_score"] == 80.0
    teachers = list(
        course.get_enrollments(type=["TeacherEnrollment"], state=["active"])
    )
    assert [e.user["name"] for e in teachers] == ["Tia Ng"]


def test_canvasapi_assignments_groups_quizzes_submissions(canvas, live, course):
    live.autofill(course.id)
    assignments = list(course.get_assignments())
    assert len(assignments) == 14
    groups = list(course.get_assignment_groups(include=["assignments"]))
    assert sum(g.group_weight for g in groups) == 100
    assert sum(len(g.assignments) for g in groups) == 14
    quizzes = list(course.get_quizzes())
    assert len(quizzes) == 2
    assert all(q.assignment_id for q in quizzes)
    grouped = list(course.get_multiple_submissions(student_ids=["all"], grouped=True))
    assert len(grouped) == 1
    assert len(grouped[0].submissions) == 14
    flat = list(course.get_multiple_submissions(student_ids=["all"]))
    assert len(flat) == 14
    one = list(assignments[0].get_submissions())
    assert len(one) == 1


def test_canvasapi_walks_a_paginated_list(canvas, live):
    # canvasapi asks for per_page=100 after the caller's value; the last one wins.
    live.seed(
        users=[{"name": f"User {n:03d}", "login_id": f"u{n}@x.org"} for n in range(150)]
    )
    users = list(canvas.get_account(1).get_users(per_page=10))
    assert len(users) == 151
    assert len({u.id for u in users}) == 151
    counts = live.request_counts()
    assert counts["GET /api/v1/accounts/:id/users"] == 2


def test_canvasapi_errors(canvas, live, course):
    with pytest.raises(ResourceDoesNotExist):
        canvas.get_user("nobody", "sis_user_id")
    with pytest.raises(BadRequest):
        canvas.get_account(1).create_user(pseudonym={"unique_id": "ann@school.org"})
    course.create_assignment({"name": "A", "sis_assignment_id": "X"})
    with pytest.raises(Conflict):
        course.create_assignment({"name": "B", "sis_assignment_id": "X"})
    with pytest.raises(InvalidAccessToken):
        connect(live.url, "wrong").get_account(1)


def test_canvasapi_throttled(canvas, live):
    live.set_throttle(extra_cost=700, outflow=0)
    canvas.get_account(1)
    with pytest.raises(Forbidden, match="Rate Limit Exceeded"):
        canvas.get_account(1)
    live.set_throttle(status=429)
    with pytest.raises(RateLimitExceeded):
        canvas.get_account(1)


def test_live_fault_and_pagination_headers(live):
    live.set_fault("/api/v1/accounts/1", every=2)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {live.token}"
    statuses = [
        session.get(f"{live.url}/api/v1/accounts/1").status_code for _ in range(4)
    ]
    assert statuses == [200, 500, 200, 500]
    response = session.get(f"{live.url}/api/v1/accounts/1/terms?per_page=1")
    assert set(response.links) == {"current", "first", "last"}
    assert response.links["current"]["url"].startswith(live.url)
    session.close()


def test_sim_server_state_helpers(canvas, live, course):
    assert [row["unique_id"] for row in live.users(sis_user_id="S1")] == [
        "ann@school.org"
    ]
    assert len(live.courses(sis_course_id="BIO-1")) == 1
    assert len(live.sections(course_id=course.id)) == 1
    rows = live.enrollments(course_id=course.id)
    assert sorted(r["type"] for r in rows) == ["StudentEnrollment", "TeacherEnrollment"]
    rule = live.set_fault("/api/v1/users/*", action="latency", latency_ms=1)
    assert live.faults()[0]["id"] == rule["id"]
    assert live.requests_log()["total"] > 0
    live.clear_requests()
    assert live.request_counts() == {}


def test_live_concurrent_creates_one_wins(live):
    """Parallel creates of one login: the store lock lets exactly one through."""
    data = {"pseudonym[unique_id]": "race@x.org", "pseudonym[sis_user_id]": "R1"}
    headers = {"Authorization": f"Bearer {live.token}"}
    statuses = []

    def create():
        response = requests.post(
            f"{live.url}/api/v1/accounts/1/users", data=data, headers=headers
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [400] * 7
    assert len(live.users(sis_user_id="R1")) == 1


def test_live_timeout_fault_does_not_block_others(live):
    live.set_fault("/api/v1/accounts/1/terms", action="timeout", timeout_s=1.5)
    headers = {"Authorization": f"Bearer {live.token}"}
    slow = threading.Thread(
        target=requests.get,
        args=(f"{live.url}/api/v1/accounts/1/terms",),
        kwargs={"headers": headers},
    )
    slow.start()
    time.sleep(0.1)
    started = time.perf_counter()
    assert requests.get(f"{live.url}/api/v1/accounts/1", headers=headers).ok
    assert time.perf_counter() - started < 1.0
    slow.join()


def test_canvasapi_terms_logins_and_edits(canvas, course):
    account = canvas.get_account(1)
    term = account.create_enrollment_term(
        enrollment_term={"name": "Fall", "sis_term_id": "T-FALL"}
    )
    assert [t.name for t in account.get_enrollment_terms()] == ["Default Term", "Fall"]
    assert account.get_enrollment_term(term.id).sis_term_id == "T-FALL"
    course.update(course={"name": "Biology I", "term_id": "sis_term_id:T-FALL"})
    again = canvas.get_course(course.id, include=["term"])
    assert (again.name, again.term["name"]) == ("Biology I", "Fall")

    user = canvas.get_user("S1", "sis_user_id")
    user.edit(user={"name": "Ann Lee-Park"})
    assert canvas.get_user(user.id).sortable_name == "Lee-Park, Ann"
    account.create_user_login(user={"id": user.id}, login={"unique_id": "ann2"})
    assert sorted(x.unique_id for x in user.get_user_logins()) == [
        "ann2",
        "ann@school.org",
    ]
    assert canvas.get_user("self").name == "Sim Admin"


def test_canvasapi_enrollment_life_and_crosslist(canvas, course):
    (enrollment,) = course.get_enrollments(type=["StudentEnrollment"])
    inactive = enrollment.deactivate("inactivate")
    assert inactive.enrollment_state == "inactive"
    assert inactive.reactivate().enrollment_state == "active"
    with pytest.raises(BadRequest, match="enrollment not inactive"):
        enrollment.reactivate()
    assert enrollment.deactivate("conclude").enrollment_state == "completed"
    assert list(course.get_enrollments(type=["StudentEnrollment"])) == []
    concluded = course.get_enrollments(state=["completed"])
    assert [e.id for e in concluded] == [enrollment.id]
    assert enrollment.deactivate("delete").enrollment_state == "deleted"

    other = canvas.get_account(1).create_course(course={"name": "Biology II"})
    section = canvas.get_section("SEC1", use_sis_id=True)
    moved = section.cross_list_section(other)
    assert (moved.course_id, moved.nonxlist_course_id) == (other.id, course.id)
    back = moved.decross_list_section()
    assert (back.course_id, back.nonxlist_course_id) == (course.id, None)


def test_canvasapi_sis_import(canvas, tmp_path):
    path = tmp_path / "users.csv"
    path.write_text(
        "user_id,login_id,full_name,status\n"
        "S9,zed@school.org,Zed Ora,active\n"
        "S10,yan@school.org,Yan Obi,retired\n"
    )
    account = canvas.get_account(1)
    job = account.create_sis_import(str(path))
    deadline = time.monotonic() + 10
    while job.workflow_state not in ("imported", "imported_with_messages"):
        assert time.monotonic() < deadline, job.workflow_state
        time.sleep(0.05)
        job = account.get_sis_import(job.id)
    assert job.workflow_state == "imported_with_messages"
    assert job.progress == 100
    assert job.data["counts"]["users"] == 1
    assert job.processing_warnings == [["users.csv", "Improper status for user S10"]]
    assert canvas.get_user("S9", "sis_user_id").name == "Zed Ora"
    assert [j.id for j in account.get_sis_imports()] == [job.id]


def test_canvasapi_sis_ids_with_slash_and_accent(canvas):
    # canvasapi puts the value in the path as given, so the caller escapes it
    # (CANVAS_API.md section 4); the simulator decodes it, "%2F" included.
    account = canvas.get_account(1)
    created = account.create_course(
        course={"name": "CS", "sis_course_id": "CS/101.11é"}
    )
    assert (
        canvas.get_course(quote("CS/101.11é", safe=""), use_sis_id=True).id
        == created.id
    )
    account.create_user(
        pseudonym={"unique_id": "Zoë+1@School.org", "sis_user_id": "Z/1"},
        user={"name": "Zoë Park"},
    )
    assert canvas.get_user(quote("Z/1", safe=""), "sis_user_id").name == "Zoë Park"
    assert (
        canvas.get_user(quote("zoë+1@school.org", safe=""), "sis_login_id").name
        == "Zoë Park"
    )


def test_live_lists_under_escaped_sis_ids_link_as_sent(live):
    """A %2F or é inside a SIS id stays escaped in the Link URLs."""
    live.seed(
        courses=[
            {"name": "Slash", "sis_course_id": "CS/101.11é",
             "sections": [{"name": "A", "sis_section_id": "SEC/A 1"}]},
        ]
    )  # fmt: skip
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {live.token}"
    for path in (
        "courses/sis_course_id:CS%2F101%2E11%C3%A9/sections",
        "sections/sis_section_id:SEC%2FA%201/enrollments",
    ):
        response = session.get(f"{live.url}/api/v1/{path}", timeout=5)
        assert response.status_code == 200
        current = response.links["current"]["url"]
        assert current.startswith(response.request.url + "?")  # as requests sent it
        assert "%2F" in current
        assert session.get(current, timeout=5).status_code == 200
    session.close()


def test_live_list_values_keep_their_commas(live):
    ids = live.seed(
        users=[{"name": "Comma", "login_id": "c@x.org", "sis_user_id": "ID,7"}],
        courses=[{"name": "Bio", "sis_course_id": "BIO-9",
                  "enrollments": [{"user": "ID,7"}]}],
    )  # fmt: skip
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {live.token}"
    course = ids["courses"][0]
    rows = session.get(
        f"{live.url}/api/v1/courses/{course}/enrollments",
        params={"sis_user_id[]": "ID,7"},
        timeout=5,
    ).json()
    assert [row["sis_user_id"] for row in rows] == ["ID,7"]

    enrollment = rows[0]["id"]
    ended = session.delete(
        f"{live.url}/api/v1/courses/{course}/enrollments/{enrollment}",
        params={"task": "bogus"},
        timeout=5,
    )
    assert ended.status_code == 200
    assert ended.json()["enrollment_state"] == "completed"  # any other task concludes
    session.close()
