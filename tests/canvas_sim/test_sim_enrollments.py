"""Raw HTTP: enrollments, their errors, filters and state changes."""

import pytest


@pytest.fixture
def course(make_course):
    """A published course with SIS id C1."""
    return make_course("Biology", sis="C1", offer="true")


def _enroll(api, course, user, **extra):
    """POST an enrollment of `user` in `course`."""
    data = {"enrollment[user_id]": user["id"], **extra}
    return api.post(f"/api/v1/courses/{course['id']}/enrollments", data=data)


def test_enrollment_create_defaults(api, course, make_user):
    user = make_user("Ann Lee", sis="S1")
    row = _enroll(api, course, user).json
    assert row["type"] == "StudentEnrollment"
    assert row["role"] == "StudentEnrollment"
    assert row["enrollment_state"] == "invited"
    assert row["sis_user_id"] == "S1"
    assert row["grades"]["current_score"] is None
    assert row["grades"]["html_url"].endswith(f"/grades/{user['id']}")


def test_enrollment_pending_in_unpublished_course(api, make_course, make_user):
    course = make_course("Draft")
    student = _enroll(api, course, make_user()).json
    teacher = _enroll(
        api, course, make_user("Tia Ng"), **{"enrollment[type]": "TeacherEnrollment"}
    ).json
    assert student["enrollment_state"] == "creation_pending"
    assert teacher["enrollment_state"] == "invited"
    api.put(f"/api/v1/courses/{course['id']}", data={"offer": "true"})
    rows = api.get(
        f"/api/v1/courses/{course['id']}/enrollments?type[]=StudentEnrollment"
    )
    assert rows.json[0]["enrollment_state"] == "invited"


def test_enrollment_by_sis_ids_in_section(api, course, make_user):
    make_user("Ann Lee", sis="S1")
    api.post(
        "/api/v1/courses/sis_course_id:C1/sections",
        data={"course_section[name]": "P1", "course_section[sis_section_id]": "SEC1"},
    )
    response = api.post(
        "/api/v1/sections/sis_section_id:SEC1/enrollments",
        data={
            "enrollment[user_id]": "sis_user_id:S1",
            "enrollment[enrollment_state]": "active",
        },
    )
    assert response.json["sis_section_id"] == "SEC1"
    assert response.json["enrollment_state"] == "active"


def test_enrollment_same_user_section_type_reused(api, course, make_user):
    user = make_user()
    first = _enroll(api, course, user).json
    api.delete(f"/api/v1/courses/{course['id']}/enrollments/{first['id']}")
    again = _enroll(
        api, course, user, **{"enrollment[enrollment_state]": "active"}
    ).json
    assert again["id"] == first["id"]
    assert again["enrollment_state"] == "active"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "No parameters given"),
        ({"enrollment[type]": "Boss", "enrollment[user_id]": "1"}, "Invalid type"),
        ({"enrollment[role_id]": "99", "enrollment[user_id]": "1"}, "Invalid role"),
        (
            {"enrollment[type]": "StudentEnrollment"},
            "Can't create an enrollment without a user. Include enrollment[user_id] "
            "to create an enrollment",
        ),
    ],
)
def test_enrollment_create_errors(api, course, data, message):
    response = api.post(f"/api/v1/courses/{course['id']}/enrollments", data=data)
    assert response.status_code == 400
    assert response.json == {"message": message}


def test_enrollment_concluded_course_and_unknown_user(api, course, make_user):
    assert _enroll(api, course, {"id": 999}).status_code == 404
    api.put(f"/api/v1/courses/{course['id']}", data={"course[event]": "conclude"})
    response = _enroll(api, course, make_user())
    assert response.json == {
        "message": "Can't add an enrollment to a concluded course."
    }


def test_enrollment_list_filters(api, course, make_user):
    ann, bob = make_user("Ann Lee"), make_user("Bob Stone")
    _enroll(api, course, ann, **{"enrollment[enrollment_state]": "active"})
    row = _enroll(api, course, bob, **{"enrollment[enrollment_state]": "active"}).json
    _enroll(
        api, course, make_user("Tia Ng"), **{"enrollment[type]": "TeacherEnrollment"}
    )
    base = f"/api/v1/courses/{course['id']}/enrollments"
    api.delete(f"{base}/{row['id']}", data={"task": "conclude"})

    students = api.get(f"{base}?type[]=StudentEnrollment").json
    assert [e["user"]["name"] for e in students] == ["Ann Lee"]
    concluded = api.get(f"{base}?state[]=completed").json
    assert [e["user_id"] for e in concluded] == [bob["id"]]
    both = api.get(f"{base}?state[]=completed&state[]=active&type[]=StudentEnrollment")
    assert len(both.json) == 2
    by_user = api.get(f"/api/v1/users/{bob['id']}/enrollments?state[]=completed").json
    assert [e["id"] for e in by_user] == [row["id"]]


@pytest.mark.parametrize(
    ("task", "state"),
    [
        ("conclude", "completed"),
        ("delete", "deleted"),
        ("inactivate", "inactive"),
        ("deactivate", "inactive"),
    ],
)
def test_enrollment_end_tasks(api, course, make_user, task, state):
    row = _enroll(api, course, make_user()).json
    response = api.delete(
        f"/api/v1/courses/{course['id']}/enrollments/{row['id']}", data={"task": task}
    )
    assert response.json["enrollment_state"] == state


def test_enrollment_reactivate(api, course, make_user):
    row = _enroll(api, course, make_user()).json
    path = f"/api/v1/courses/{course['id']}/enrollments/{row['id']}"
    refused = api.put(f"{path}/reactivate")
    assert refused.status_code == 400
    assert refused.json == {"error": "enrollment not inactive"}
    api.delete(path, data={"task": "inactivate"})
    assert api.put(f"{path}/reactivate").json["enrollment_state"] == "active"
