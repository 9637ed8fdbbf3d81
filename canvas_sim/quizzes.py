"""Classic quizzes; graded ones own an `online_quiz` assignment."""

from flask import Blueprint

from . import lookup
from .assignments import course_url, new_assignment
from .pagination import paginate
from .web import (
    as_int,
    field_errors,
    flag,
    iso,
    json_response,
    not_found,
    number,
    param,
    store,
)

bp = Blueprint("quizzes", __name__, url_prefix="/api/v1")

QUIZ_TYPES = ("practice_quiz", "assignment", "graded_survey", "survey")


def quiz_json(quiz):
    """A classic Quiz as Canvas renders it."""
    assignment = store().get("assignments", quiz["assignment_id"] or 0)
    return {
        "id": quiz["id"],
        "title": quiz["title"],
        "html_url": f"{course_url(quiz['course_id'])}/quizzes/{quiz['id']}",
        "description": quiz["description"],
        "quiz_type": quiz["quiz_type"],
        "assignment_group_id": assignment["assignment_group_id"]
        if assignment
        else None,
        "time_limit": quiz["time_limit"],
        "shuffle_answers": False,
        "points_possible": quiz["points_possible"],
        "question_count": quiz["question_count"],
        "allowed_attempts": quiz["allowed_attempts"],
        "scoring_policy": quiz["scoring_policy"],
        "due_at": quiz["due_at"],
        "lock_at": quiz["lock_at"],
        "unlock_at": quiz["unlock_at"],
        "published": quiz["published"],
        "assignment_id": quiz["assignment_id"],
        "post_to_sis": quiz["post_to_sis"],
    }


def new_quiz(course, title, quiz_type="assignment", group=None, **fields):
    """Insert a quiz; graded kinds get their online_quiz assignment."""
    quiz = {
        "course_id": course["id"],
        "title": title,
        "description": "",
        "quiz_type": quiz_type,
        "time_limit": None,
        "points_possible": None,
        "question_count": 0,
        "allowed_attempts": 1,
        "scoring_policy": "keep_highest",
        "due_at": None,
        "lock_at": None,
        "unlock_at": None,
        "published": False,
        "assignment_id": None,
        "post_to_sis": False,
    }
    quiz.update(fields)
    store().insert("quizzes", quiz)
    if quiz_type in ("assignment", "graded_survey"):
        assignment = new_assignment(
            course,
            title,
            group,
            points_possible=quiz["points_possible"] or 0.0,
            submission_types=["online_quiz"],
            due_at=quiz["due_at"],
            workflow_state="published" if quiz["published"] else "unpublished",
            quiz_id=quiz["id"],
        )
        quiz["assignment_id"] = assignment["id"]
    return quiz


@bp.get("/courses/<course_id>/quizzes")
def list_quizzes(course_id):
    """List a course's classic quizzes."""
    course = lookup.course(store(), course_id)
    rows = store().find("quizzes", course_id=course["id"])
    term = (param("search_term") or "").lower()
    if term:
        rows = [q for q in rows if term in q["title"].lower()]
    return paginate(rows, quiz_json)


@bp.get("/courses/<course_id>/quizzes/<int:quiz_id>")
def get_quiz(course_id, quiz_id):
    """Show one classic quiz."""
    course = lookup.course(store(), course_id)
    quiz = store().get("quizzes", quiz_id)
    if quiz is None or quiz["course_id"] != course["id"]:
        raise not_found()
    return json_response(quiz_json(quiz))


@bp.post("/courses/<course_id>/quizzes")
def create_quiz(course_id):
    """Create a classic quiz (`quiz[title]`, `quiz[quiz_type]`, ...)."""
    course = lookup.course(store(), course_id)
    title = param("quiz[title]") or "Unnamed Quiz"
    quiz_type = param("quiz[quiz_type]", "assignment")
    if quiz_type not in QUIZ_TYPES:
        raise field_errors({"quiz_type": ("invalid", "invalid quiz type")})
    fields = {
        "description": param("quiz[description]", ""),
        "time_limit": as_int(param("quiz[time_limit]")),
        "allowed_attempts": as_int(param("quiz[allowed_attempts]")) or 1,
        "scoring_policy": param("quiz[scoring_policy]", "keep_highest"),
        "points_possible": number("quiz[points_possible]"),
        "published": flag("quiz[published]"),
    }
    try:
        fields["due_at"] = iso(param("quiz[due_at]"))
    except ValueError:
        raise field_errors({"due_at": ("invalid", "invalid datetime")}) from None
    group = store().get(
        "assignment_groups", as_int(param("quiz[assignment_group_id]")) or 0
    )
    quiz = new_quiz(course, title, quiz_type, group, **fields)
    return json_response(quiz_json(quiz))
