"""Submissions: many students flat or grouped, one assignment, grading."""

from datetime import datetime

from flask import Blueprint, g

from . import grades, lookup
from .assignments import assignment_json, course_url, find_assignment
from .pagination import paginate
from .store import now_iso
from .users import user_json
from .web import (
    CanvasError,
    as_int,
    bad_request,
    flag,
    includes,
    iso,
    json_response,
    not_found,
    param,
    param_list,
    store,
)

bp = Blueprint("submissions", __name__, url_prefix="/api/v1")

NO_SUBMISSION = ("none", "on_paper", "not_graded", "external_tool")


def _seconds_between(start, end):
    """Whole seconds from one ISO timestamp to another."""
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    return int(
        (datetime.strptime(end, fmt) - datetime.strptime(start, fmt)).total_seconds()
    )


def submission_json(row, assignment, wanted=frozenset()):
    """A Submission as Canvas renders it, with missing and late worked out."""
    status = row["late_policy_status"]
    due = assignment["due_at"]
    late = status == "late" or (
        status is None
        and bool(due and row["submitted_at"] and row["submitted_at"] > due)
    )
    missing = status == "missing" or (
        status is None
        and bool(due and due < now_iso())
        and row["submitted_at"] is None
        and row["score"] is None
        and not row["excused"]
        and not set(assignment["submission_types"]) & set(NO_SUBMISSION)
    )
    seconds_late = 0
    if late and due and row["submitted_at"]:
        seconds_late = max(_seconds_between(due, row["submitted_at"]), 0)
    base = course_url(assignment["course_id"])
    url = f"{base}/assignments/{assignment['id']}/submissions/{row['user_id']}"
    body = {
        "id": row["id"],
        "assignment_id": row["assignment_id"],
        "user_id": row["user_id"],
        "course_id": row["course_id"],
        "score": row["score"],
        "grade": row["grade"],
        "entered_score": row["entered_score"],
        "entered_grade": row["entered_grade"],
        "excused": row["excused"],
        "missing": missing,
        "late": late,
        "late_policy_status": status,
        "points_deducted": row["points_deducted"],
        "seconds_late": seconds_late,
        "workflow_state": row["workflow_state"],
        "graded_at": row["graded_at"],
        "posted_at": row["posted_at"],
        "submitted_at": row["submitted_at"],
        "grader_id": row["grader_id"],
        "attempt": row["attempt"],
        "submission_type": row["submission_type"],
        "grade_matches_current_submission": True,
        "html_url": url,
        "preview_url": f"{url}?preview=1",
        "assignment_visible": True,
    }
    if "assignment" in wanted:
        body["assignment"] = assignment_json(assignment)
    if "user" in wanted:
        body["user"] = user_json(store().get("users", row["user_id"]), False)
    if "submission_comments" in wanted:
        body["submission_comments"] = row["comments"]
    return body


def new_submission(assignment, user_id, **fields):
    """Insert an unsubmitted submission row and return it."""
    row = {
        "course_id": assignment["course_id"],
        "assignment_id": assignment["id"],
        "user_id": user_id,
        "score": None,
        "grade": None,
        "entered_score": None,
        "entered_grade": None,
        "excused": False,
        "late_policy_status": None,
        "points_deducted": None,
        "workflow_state": "unsubmitted",
        "graded_at": None,
        "posted_at": None,
        "submitted_at": None,
        "grader_id": None,
        "attempt": None,
        "submission_type": None,
        "comments": [],
    }
    row.update(fields)
    return store().insert("submissions", row)


def students(course, section=None, enrollment_state=None):
    """Student user ids of a course or section, in enrollment order."""
    if enrollment_state == "active":
        states = ("active", "invited")
    elif enrollment_state == "concluded":
        states = ("completed",)
    else:
        states = ("active", "invited", "creation_pending", "completed")
    seen = []
    for row in store().find("enrollments", course_id=course["id"]):
        if row["type"] != "StudentEnrollment" or row["workflow_state"] not in states:
            continue
        if section is not None and row["course_section_id"] != section["id"]:
            continue
        if row["user_id"] not in seen:
            seen.append(row["user_id"])
    return seen


def _since(key):
    """A `*_since` parameter as a timestamp, or Canvas's 400 when unreadable."""
    try:
        return iso(param(key))
    except ValueError:
        raise CanvasError(
            400, {"errors": {key: f"Invalid datetime for {key}"}}
        ) from None


def _student_ids(course, section):
    """The students asked for: `all`, explicit ids (at most 100) or the caller."""
    asked = param_list("student_ids")
    enrolled = students(course, section, param("enrollment_state"))
    if not asked:
        return [g.acting_user_id] if g.acting_user_id in enrolled else []
    if "all" in asked:
        return enrolled
    if len(asked) > 100:
        raise bad_request("too many students", key="error")
    ids = []
    for ident in asked:
        try:
            user_id = lookup.user(store(), ident)["id"]
        except CanvasError:
            continue
        if user_id in enrolled:
            ids.append(user_id)
    return ids


def _assignments(course):
    """Published assignments asked for by `assignment_ids[]` (all by default)."""
    published = {
        a["id"]: a
        for a in store().find("assignments", course_id=course["id"])
        if a["workflow_state"] == "published"
    }
    asked = param_list("assignment_ids")
    if not asked:
        return published
    chosen = {}
    for ident in asked:
        row = store().get("assignments", as_int(ident) or 0)
        if row is None or row["course_id"] != course["id"]:
            raise CanvasError(403, {"error": "invalid assignment ids requested"})
        if row["id"] in published:
            chosen[row["id"]] = row
    return chosen


def _keep(row, submitted_since, graded_since, state):
    """The submitted_since, graded_since and workflow_state filters."""
    if submitted_since and not (
        row["submitted_at"] and row["submitted_at"] > submitted_since
    ):
        return False
    if graded_since and not (row["graded_at"] and row["graded_at"] > graded_since):
        return False
    return not state or row["workflow_state"] == state


def _many(course, section):
    """List submissions for many students and assignments, flat or grouped."""
    student_ids = _student_ids(course, section)
    assignments = _assignments(course)
    submitted_since = _since("submitted_since")
    graded_since = _since("graded_since")
    state = param("workflow_state")
    wanted = includes()
    chosen = set(student_ids)
    rows = [
        row
        for row in store().find("submissions", course_id=course["id"])
        if row["assignment_id"] in assignments
        and row["user_id"] in chosen
        and _keep(row, submitted_since, graded_since, state)
    ]
    if param("order") == "graded_at":
        rows.sort(key=lambda r: (r["graded_at"] or "", r["id"]))
    if param("order_direction") == "descending":
        rows.reverse()

    if not flag("grouped"):
        return paginate(
            rows, lambda r: submission_json(r, assignments[r["assignment_id"]], wanted)
        )

    by_student = {user_id: [] for user_id in student_ids}
    for row in rows:
        by_student[row["user_id"]].append(row)
    return paginate(
        list(by_student.items()),
        lambda item: _group_json(course, section, item, assignments, wanted),
    )


def _group_json(course, section, item, assignments, wanted):
    """One student's entry in a grouped submissions answer."""
    user_id, rows = item
    data = store()
    login = next(
        (
            x
            for x in data.find("logins", user_id=user_id)
            if x["workflow_state"] != "deleted"
        ),
        {},
    )
    enrollment = next(
        (
            e
            for e in data.find("enrollments", course_id=course["id"], user_id=user_id)
            if e["type"] == "StudentEnrollment"
        ),
        {},
    )
    body = {
        "user_id": user_id,
        "section_id": section["id"] if section else enrollment.get("course_section_id"),
        "sis_user_id": login.get("sis_user_id"),
        "integration_id": login.get("integration_id"),
        "submissions": [
            submission_json(r, assignments[r["assignment_id"]], wanted) for r in rows
        ],
    }
    if "total_scores" in wanted:
        scores = grades.enrollment_scores(data, course["id"], user_id)
        body["computed_current_score"] = scores["current_score"]
        body["computed_final_score"] = scores["final_score"]
        body["computed_current_grade"] = None
        body["computed_final_grade"] = None
    return body


@bp.get("/courses/<course_id>/students/submissions")
def course_students(course_id):
    """List submissions for several students of a course."""
    return _many(lookup.course(store(), course_id), None)


@bp.get("/sections/<section_id>/students/submissions")
def section_students(section_id):
    """List submissions for several students of a section."""
    section = lookup.section(store(), section_id)
    return _many(store().get("courses", section["course_id"]), section)


@bp.get("/courses/<course_id>/assignments/<int:assignment_id>/submissions")
def for_assignment(course_id, assignment_id):
    """List every student's submission for one assignment."""
    assignment = find_assignment(course_id, assignment_id)
    course = store().get("courses", assignment["course_id"])
    enrolled = set(students(course))
    rows = [
        row
        for row in store().find("submissions", assignment_id=assignment["id"])
        if row["user_id"] in enrolled
    ]
    wanted = includes()
    return paginate(rows, lambda r: submission_json(r, assignment, wanted))


def student_submission(course_id, assignment_id, user_ident):
    """The submission of a student for an assignment, made if missing."""
    assignment = find_assignment(course_id, assignment_id)
    course = store().get("courses", assignment["course_id"])
    user = lookup.user(store(), user_ident)
    if user["id"] not in students(course):
        raise not_found()
    row = store().first(
        "submissions", assignment_id=assignment["id"], user_id=user["id"]
    )
    return assignment, row or new_submission(assignment, user["id"])


@bp.get("/courses/<course_id>/assignments/<int:assignment_id>/submissions/<user_id>")
def get_one(course_id, assignment_id, user_id):
    """Show one student's submission."""
    assignment, row = student_submission(course_id, assignment_id, user_id)
    return json_response(submission_json(row, assignment, includes()))
