"""Raw HTTP: assignments, groups, quizzes and submissions."""

import pytest


@pytest.fixture
def setup(api, make_course, make_user):
    """A published course, two students and three assignments (one unpublished)."""
    course = make_course(offer="true")
    cid = course["id"]
    users = [make_user("Ann Lee", sis="S1"), make_user("Bob Stone", sis="S2")]
    for user in users:
        api.post(
            f"/api/v1/courses/{cid}/enrollments",
            data={
                "enrollment[user_id]": user["id"],
                "enrollment[enrollment_state]": "active",
            },
        )
    made = []
    for name, published in (("HW 1", "true"), ("HW 2", "true"), ("Draft", "false")):
        made.append(
            api.post(
                f"/api/v1/courses/{cid}/assignments",
                data={
                    "assignment[name]": name,
                    "assignment[points_possible]": "10",
                    "assignment[published]": published,
                },
            ).json
        )
    return cid, users, made


def _grade(api, cid, assignment, user, posted):
    """Post a grade for a student's submission."""
    path = f"/api/v1/courses/{cid}/assignments/{assignment['id']}/submissions"
    return api.put(f"{path}/{user['id']}", data={"submission[posted_grade]": posted})


def test_assignment_create_is_201_with_fields(api, make_course):
    course = make_course()
    response = api.post(
        f"/api/v1/courses/{course['id']}/assignments",
        data={
            "assignment[name]": "Essay",
            "assignment[submission_types][]": "online_upload",
            "assignment[due_at]": "2026-09-01T12:00:00Z",
            "assignment[points_possible]": 25,
        },
    )
    assert response.status_code == 201
    body = response.json
    assert body["submission_types"] == ["online_upload"]
    assert (body["published"], body["points_possible"]) == (False, 25.0)
    groups = api.get(f"/api/v1/courses/{course['id']}/assignment_groups").json
    assert groups[0]["name"] == "Assignments"
    assert body["assignment_group_id"] == groups[0]["id"]


def test_assignment_errors(api, make_course):
    course = make_course()
    path = f"/api/v1/courses/{course['id']}/assignments"
    blank = api.post(path, data={"assignment[points_possible]": "3"})
    assert blank.status_code == 400
    assert "errors" in blank.json
    data = {"assignment[name]": "A", "assignment[sis_assignment_id]": "X1"}
    api.post(path, data=data)
    conflict = api.post(path, data=data)
    assert conflict.status_code == 409
    assert conflict.json == {
        "message": "Assignment with the given sis_source_id already exists"
    }
    ids = "&".join(f"assignment_ids[]={n}" for n in range(101))
    too_many = api.get(f"{path}?{ids}")
    assert too_many.status_code == 400
    assert too_many.json == {
        "message": "Request contains too many assignment_ids.  Limit 100"
    }


def test_assignment_groups_include_assignments(api, setup):
    cid, _users, made = setup
    groups = api.get(
        f"/api/v1/courses/{cid}/assignment_groups?include[]=assignments"
    ).json
    assert [a["name"] for a in groups[0]["assignments"]] == ["HW 1", "HW 2", "Draft"]
    assert groups[0]["group_weight"] == 0.0
    assert groups[0]["rules"] == {}


def test_quiz_graded_links_assignment(api, make_course):
    course = make_course()
    cid = course["id"]
    quiz = api.post(
        f"/api/v1/courses/{cid}/quizzes",
        data={
            "quiz[title]": "Q1",
            "quiz[quiz_type]": "assignment",
            "quiz[published]": "true",
            "quiz[points_possible]": "15",
        },
    ).json
    practice = api.post(
        f"/api/v1/courses/{cid}/quizzes",
        data={"quiz[title]": "Warm-up", "quiz[quiz_type]": "practice_quiz"},
    ).json
    assert practice["assignment_id"] is None
    assignment = api.get(
        f"/api/v1/courses/{cid}/assignments/{quiz['assignment_id']}"
    ).json
    assert assignment["submission_types"] == ["online_quiz"]
    assert (assignment["is_quiz_assignment"], assignment["quiz_id"]) == (
        True,
        quiz["id"],
    )
    listed = api.get(f"/api/v1/courses/{cid}/quizzes").json
    assert [q["title"] for q in listed] == ["Q1", "Warm-up"]
    assert (
        api.get(f"/api/v1/courses/{cid}/quizzes/{quiz['id']}").json["points_possible"]
        == 15
    )


def test_submissions_flat_all_students_published_only(api, setup):
    cid, _users, made = setup
    rows = api.get(f"/api/v1/courses/{cid}/students/submissions?student_ids[]=all").json
    assert len(rows) == 4
    assert {r["assignment_id"] for r in rows} == {made[0]["id"], made[1]["id"]}
    assert rows[0]["workflow_state"] == "unsubmitted"


def test_submissions_default_is_caller_only(api, setup):
    cid, *_ = setup
    assert api.get(f"/api/v1/courses/{cid}/students/submissions").json == []


def test_submissions_grouped_with_total_scores(api, setup):
    cid, users, made = setup
    _grade(api, cid, made[0], users[0], "7")
    rows = api.get(
        f"/api/v1/courses/{cid}/students/submissions?student_ids[]=sis_user_id:S1"
        "&grouped=1&include[]=total_scores"
    ).json
    assert len(rows) == 1
    entry = rows[0]
    assert (entry["user_id"], entry["sis_user_id"]) == (users[0]["id"], "S1")
    assert len(entry["submissions"]) == 2
    assert entry["computed_current_score"] == 70.0
    assert entry["computed_final_score"] == 35.0


def test_submissions_filters_and_errors(api, setup):
    cid, users, made = setup
    base = f"/api/v1/courses/{cid}/students/submissions?student_ids[]=all"
    _grade(api, cid, made[0], users[0], "7")
    graded = api.get(f"{base}&workflow_state=graded").json
    assert len(graded) == 1
    one = api.get(f"{base}&assignment_ids[]={made[1]['id']}").json
    assert {r["assignment_id"] for r in one} == {made[1]["id"]}
    since = api.get(f"{base}&graded_since=2000-01-01T00:00:00Z").json
    assert len(since) == 1
    bad = api.get(f"{base}&assignment_ids[]=9999")
    assert bad.status_code == 403
    assert bad.json == {"error": "invalid assignment ids requested"}
    many = "&".join(f"student_ids[]={n}" for n in range(101))
    too_many = api.get(f"/api/v1/courses/{cid}/students/submissions?{many}")
    assert too_many.status_code == 400
    assert too_many.json == {"error": "too many students"}
    assert api.get(f"{base}&submitted_since=yesterday").status_code == 400


def test_submissions_one_assignment_and_one_student(api, setup):
    cid, users, made = setup
    path = f"/api/v1/courses/{cid}/assignments/{made[0]['id']}/submissions"
    rows = api.get(f"{path}?include[]=user").json
    assert sorted(r["user"]["name"] for r in rows) == ["Ann Lee", "Bob Stone"]
    api.put(
        f"{path}/sis_user_id:S2",
        data={
            "submission[late_policy_status]": "missing",
            "comment[text_comment]": "Where is it?",
        },
    )
    one = api.get(f"{path}/{users[1]['id']}?include[]=submission_comments").json
    assert (one["missing"], one["late_policy_status"]) == (True, "missing")
    assert one["submission_comments"][0]["comment"] == "Where is it?"


def test_submissions_section_scope(api, setup):
    cid, users, _made = setup
    section = api.get(f"/api/v1/courses/{cid}/sections").json[0]
    rows = api.get(
        f"/api/v1/sections/{section['id']}/students/submissions?student_ids[]=all"
    ).json
    assert {r["user_id"] for r in rows} == {u["id"] for u in users}


def test_assignment_buckets(api, make_course):
    course = make_course()
    path = f"/api/v1/courses/{course['id']}/assignments"
    for name, due in (("Old", "2020-01-01T00:00:00Z"), ("Someday", None)):
        data = {"assignment[name]": name}
        if due:
            data["assignment[due_at]"] = due
        api.post(path, data=data)
    assert [a["name"] for a in api.get(f"{path}?bucket=past").json] == ["Old"]
    assert [a["name"] for a in api.get(f"{path}?bucket=undated").json] == ["Someday"]
    assert [a["name"] for a in api.get(f"{path}?bucket=future").json] == ["Someday"]


def test_enrollment_current_points_on_request(api, setup):
    cid, users, made = setup
    _grade(api, cid, made[0], users[0], "7")
    path = f"/api/v1/courses/{cid}/enrollments?user_id={users[0]['id']}"
    assert "current_points" not in api.get(path).json[0]["grades"]
    with_points = api.get(f"{path}&include[]=current_points").json[0]["grades"]
    assert with_points["current_points"] == 7.0
