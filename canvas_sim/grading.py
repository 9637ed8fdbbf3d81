"""Grading a submission: posted grades read as Canvas reads them."""

from flask import Blueprint, g

from . import grades
from .store import now_iso
from .submissions import student_submission, submission_json
from .web import bad_request, flag, has, includes, json_response, param, store

bp = Blueprint("grading", __name__, url_prefix="/api/v1")


def format_number(value):
    """Canvas's display of a number: no trailing `.0`."""
    value = grades.round2(value)
    return str(int(value)) if value == int(value) else str(value)


def grade_for(assignment, score):
    """The grade string Canvas shows for a score on an assignment."""
    if score is None:
        return None
    kind = assignment["grading_type"]
    possible = assignment["points_possible"] or 0
    percent = score / possible * 100 if possible else 0.0
    if kind == "percent":
        return f"{format_number(percent)}%"
    if kind == "pass_fail":
        return "complete" if score > 0 or possible == 0 else "incomplete"
    if kind in ("letter_grade", "gpa_scale"):
        return grades.letter_for(grades.round2(percent))
    if kind == "not_graded":
        return None
    return format_number(score)


def score_for(assignment, posted):
    """Interpret a posted grade as Canvas's Assignment.interpret_grade does."""
    possible = assignment["points_possible"] or 0.0
    text = posted.strip()
    try:
        if text.endswith("%"):
            return grades.round2(possible * float(text[:-1]) / 100)
        return grades.round2(float(text))
    except ValueError:
        pass
    if text.lower() in ("pass", "complete"):
        return float(possible)
    if text.lower() in ("fail", "incomplete"):
        return 0.0
    percent = grades.percent_for_letter(text)
    if percent is None:
        raise bad_request("Invalid grade")
    return grades.round2(possible * percent / 100)


@bp.put("/courses/<course_id>/assignments/<int:assignment_id>/submissions/<user_id>")
def grade(course_id, assignment_id, user_id):
    """Grade, excuse, set the late policy status of or comment on a submission."""
    assignment, row = student_submission(course_id, assignment_id, user_id)
    stamp = now_iso()
    if has("submission[posted_grade]"):
        posted = param("submission[posted_grade]") or ""
        score = score_for(assignment, posted) if posted.strip() else None
        row.update(
            score=score,
            entered_score=score,
            points_deducted=0.0 if score is not None else None,
        )
        row["grade"] = row["entered_grade"] = grade_for(assignment, score)
        row["excused"] = False
        if score is None:
            row["workflow_state"] = (
                "submitted" if row["submitted_at"] else "unsubmitted"
            )
        else:
            row.update(workflow_state="graded", graded_at=stamp, posted_at=stamp)
            row["grader_id"] = g.acting_user_id
    if has("submission[excuse]"):
        row["excused"] = flag("submission[excuse]")
        if row["excused"]:
            row.update(score=None, grade=None, entered_score=None, entered_grade=None)
            row.update(workflow_state="graded", graded_at=stamp, posted_at=stamp)
    if has("submission[late_policy_status]"):
        row["late_policy_status"] = param("submission[late_policy_status]") or None
    text = param("comment[text_comment]")
    if text:
        row["comments"].append(
            {
                "id": len(row["comments"]) + 1,
                "author_id": g.acting_user_id,
                "comment": text,
                "created_at": stamp,
            }
        )
    store().touch("submissions", row)
    return json_response(submission_json(row, assignment, includes()))
