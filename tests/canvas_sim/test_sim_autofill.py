"""--autofill: courses created through the API get plausible coursework."""

import pytest

from canvas_sim import create_app
from tests.canvas_sim.conftest import Api


@pytest.fixture
def filled(make_user):
    """An autofilled published course with twenty active students."""
    api = Api(create_app(token="test-token", autofill=True).test_client())
    course = api.post(
        "/api/v1/accounts/1/courses", data={"course[name]": "Bio", "offer": "true"}
    ).json
    for n in range(20):
        user = api.post(
            "/api/v1/accounts/1/users",
            data={
                "user[name]": f"Kid {n} Doe",
                "pseudonym[unique_id]": f"kid{n}@x.org",
            },
        ).json
        api.post(
            f"/api/v1/courses/{course['id']}/enrollments",
            data={
                "enrollment[user_id]": user["id"],
                "enrollment[enrollment_state]": "active",
            },
        )
    return api, course


def test_autofill_groups_assignments_quizzes(filled):
    api, course = filled
    cid = course["id"]
    assert course["apply_assignment_group_weights"] is True
    groups = api.get(f"/api/v1/courses/{cid}/assignment_groups").json
    assert sum(g["group_weight"] for g in groups) == 100
    assignments = api.get(f"/api/v1/courses/{cid}/assignments?per_page=50").json
    assert len(assignments) == 14
    assert all(a["published"] for a in assignments)
    assert sum(a["is_quiz_assignment"] for a in assignments) == 2
    assert sum(a["omit_from_final_grade"] for a in assignments) == 1
    quizzes = api.get(f"/api/v1/courses/{cid}/quizzes").json
    assert [q["quiz_type"] for q in quizzes] == ["assignment", "assignment"]


def test_autofill_submissions_mix(filled):
    api, course = filled
    rows = api.get(
        f"/api/v1/courses/{course['id']}/students/submissions"
        "?student_ids[]=all&per_page=100"
    ).json
    page = 2
    while True:
        more = api.get(
            f"/api/v1/courses/{course['id']}/students/submissions"
            f"?student_ids[]=all&per_page=100&page={page}"
        ).json
        if not more:
            break
        rows += more
        page += 1
    assert len(rows) == 20 * 14
    assert any(r["missing"] for r in rows)
    assert any(r["late"] and r["points_deducted"] for r in rows)
    assert any(r["excused"] for r in rows)
    assert any(r["workflow_state"] == "submitted" for r in rows)
    assert sum(r["workflow_state"] == "graded" for r in rows) > len(rows) / 2


def test_autofill_grades_are_plausible_and_stable(filled):
    api, course = filled
    path = f"/api/v1/courses/{course['id']}/enrollments?per_page=100"
    rows = api.get(path).json
    scores = [r["grades"]["current_score"] for r in rows]
    assert all(40 <= s <= 100 for s in scores)
    finals = [r["grades"]["final_score"] for r in rows]
    assert all(f <= c for f, c in zip(finals, scores, strict=True))
    assert [r["grades"]["current_score"] for r in api.get(path).json] == scores


def test_autofill_keeps_explicit_weighting(make_user):
    api = Api(create_app(token="test-token", autofill=True).test_client())
    course = api.post(
        "/api/v1/accounts/1/courses",
        data={"course[name]": "Art", "course[apply_assignment_group_weights]": "false"},
    ).json
    assert course["apply_assignment_group_weights"] is False
    assert len(api.get(f"/api/v1/courses/{course['id']}/assignment_groups").json) == 4
