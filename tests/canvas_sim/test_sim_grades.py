"""Grade math as Canvas's GradeCalculator does it, pure and through the API."""

import pytest

from canvas_sim import grades


def _assignment(aid, group, points, **extra):
    """A published, counted points assignment row."""
    row = {
        "id": aid,
        "assignment_group_id": group,
        "points_possible": points,
        "workflow_state": "published",
        "omit_from_final_grade": False,
        "grading_type": "points",
    }
    row.update(extra)
    return row


def _sub(score=None, excused=False):
    """A submission row with just what grading reads."""
    return {"score": score, "excused": excused}


GROUPS = [{"id": 1, "group_weight": 40}, {"id": 2, "group_weight": 60}]
WORK = [_assignment(1, 1, 10), _assignment(2, 1, 10), _assignment(3, 2, 100)]


def test_grades_unweighted_current_and_final():
    subs = {1: _sub(8), 3: _sub(90)}
    current, final, points = grades.scores({}, GROUPS, WORK, subs)
    assert current == pytest.approx(98 / 110 * 100, abs=0.01)
    assert final == pytest.approx(98 / 120 * 100, abs=0.01)
    assert points == 98


def test_grades_weighted():
    course = {"apply_assignment_group_weights": True}
    current, final, _ = grades.scores(course, GROUPS, WORK, {1: _sub(8), 3: _sub(90)})
    assert current == pytest.approx(0.8 * 40 + 0.9 * 60)
    assert final == pytest.approx(0.4 * 40 + 0.9 * 60)


def test_grades_weighted_renormalised_when_a_group_has_no_graded_work():
    course = {"apply_assignment_group_weights": True}
    current, final, _ = grades.scores(course, GROUPS, WORK, {1: _sub(8)})
    assert current == 80.0
    assert final == pytest.approx(0.4 * 40)


def test_grades_excused_left_out():
    current, final, _ = grades.scores(
        {}, GROUPS, WORK, {1: _sub(excused=True), 2: _sub(5), 3: _sub(50)}
    )
    assert current == pytest.approx(55 / 110 * 100, abs=0.01)
    assert final == current


def test_grades_omitted_unpublished_and_not_graded_left_out():
    work = [
        *WORK,
        _assignment(4, 1, 50, omit_from_final_grade=True),
        _assignment(5, 1, 50, workflow_state="unpublished"),
        _assignment(6, 1, 50, grading_type="not_graded"),
    ]
    subs = {1: _sub(10), 2: _sub(10), 3: _sub(100), 4: _sub(0), 5: _sub(0), 6: _sub(0)}
    assert grades.scores({}, GROUPS, work, subs)[:2] == (100.0, 100.0)


def test_grades_nothing_graded_is_null():
    assert grades.scores({}, GROUPS, WORK, {})[0] is None
    assert (
        grades.scores({"apply_assignment_group_weights": True}, GROUPS, WORK, {})[1]
        == 0.0
    )


def test_grades_round_half_up():
    assert grades.round2(2.675) == 2.68


@pytest.mark.parametrize(
    ("posted", "kind", "score", "grade"),
    [
        ("13.5", "points", 13.5, "13.5"),
        ("40%", "points", 8.0, "8"),
        ("40%", "percent", 8.0, "40%"),
        ("B", "letter_grade", 17.2, "B"),
        ("A", "letter_grade", 20.0, "A"),
        ("pass", "pass_fail", 20.0, "complete"),
        ("incomplete", "pass_fail", 0.0, "incomplete"),
    ],
)
def test_grade_posted_grade_forms(
    api, make_course, make_user, posted, kind, score, grade
):
    course = make_course(offer="true")
    user = make_user()
    api.post(
        f"/api/v1/courses/{course['id']}/enrollments",
        data={"enrollment[user_id]": user["id"]},
    )
    assignment = api.post(
        f"/api/v1/courses/{course['id']}/assignments",
        data={
            "assignment[name]": "HW",
            "assignment[points_possible]": "20",
            "assignment[grading_type]": kind,
            "assignment[published]": "true",
        },
    ).json
    path = f"/api/v1/courses/{course['id']}/assignments/{assignment['id']}/submissions"
    graded = api.put(f"{path}/{user['id']}", data={"submission[posted_grade]": posted})
    assert (graded.json["score"], graded.json["grade"]) == (score, grade)
    assert graded.json["workflow_state"] == "graded"


def test_grade_flows_into_enrollment_grades(api, make_course, make_user):
    course = make_course(
        offer="true", **{"course[apply_assignment_group_weights]": "1"}
    )
    cid = course["id"]
    user = make_user(sis="S1")
    api.post(
        f"/api/v1/courses/{cid}/enrollments", data={"enrollment[user_id]": user["id"]}
    )
    hw = api.post(
        f"/api/v1/courses/{cid}/assignment_groups",
        data={"name": "HW", "group_weight": "25"},
    ).json
    tests = api.post(
        f"/api/v1/courses/{cid}/assignment_groups",
        data={"name": "Tests", "group_weight": "75"},
    ).json
    ids = []
    for group, points in ((hw, 10), (hw, 10), (tests, 100)):
        ids.append(
            api.post(
                f"/api/v1/courses/{cid}/assignments",
                data={
                    "assignment[name]": "A",
                    "assignment[points_possible]": points,
                    "assignment[assignment_group_id]": group["id"],
                    "assignment[published]": "true",
                },
            ).json["id"]
        )
    grade = f"/api/v1/courses/{cid}/assignments/{{}}/submissions/sis_user_id:S1"
    api.put(grade.format(ids[0]), data={"submission[posted_grade]": "9"})
    api.put(grade.format(ids[1]), data={"submission[excuse]": "true"})
    api.put(grade.format(ids[2]), data={"submission[posted_grade]": "70"})
    row = api.get(f"/api/v1/courses/{cid}/enrollments?type[]=StudentEnrollment").json[0]
    assert row["grades"]["current_score"] == pytest.approx(0.9 * 25 + 0.7 * 75)
    assert row["grades"]["final_score"] == row["grades"]["current_score"]
    assert row["grades"]["current_grade"] is None
