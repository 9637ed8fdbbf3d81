"""Assignments, assignment groups and classic quizzes."""

from datetime import UTC, datetime, timedelta

from flask import Blueprint, request

from . import lookup
from .pagination import paginate
from .store import now_iso
from .web import (
    CanvasError,
    as_int,
    bad_request,
    field_errors,
    flag,
    has,
    iso,
    json_response,
    not_found,
    number,
    param,
    param_list,
    params,
    store,
)

bp = Blueprint("assignments", __name__, url_prefix="/api/v1")

GRADING_TYPES = (
    "pass_fail",
    "percent",
    "letter_grade",
    "gpa_scale",
    "points",
    "not_graded",
)
DUPLICATE_SIS = "Assignment with the given sis_source_id already exists"


def course_url(course_id):
    """The web address of a course in this simulator."""
    return f"{request.host_url.rstrip('/')}/courses/{course_id}"


def groups_of(course_id):
    """A course's live assignment groups in position order."""
    rows = [
        g
        for g in store().find("assignment_groups", course_id=course_id)
        if g["workflow_state"] != "deleted"
    ]
    return sorted(rows, key=lambda g: (g["position"], g["id"]))


def new_group(course, name, weight=0.0, position=None):
    """Insert an assignment group and return it."""
    position = position or len(groups_of(course["id"])) + 1
    return store().insert(
        "assignment_groups",
        {
            "course_id": course["id"],
            "name": name,
            "position": position,
            "group_weight": float(weight),
            "sis_source_id": None,
            "rules": {},
            "workflow_state": "available",
        },
    )


def default_group(course):
    """The course's first group, made as "Assignments" when it has none."""
    groups = groups_of(course["id"])
    return groups[0] if groups else new_group(course, "Assignments")


# Assignments ----------------------------------------------------------------


def assignment_json(row):
    """An Assignment as Canvas renders it."""
    base = course_url(row["course_id"])
    data = store()
    subs = data.find("submissions", assignment_id=row["id"])
    submitted = [s for s in subs if s["submitted_at"]]
    body = {
        "id": row["id"],
        "name": row["name"],
        "description": row["description"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "due_at": row["due_at"],
        "lock_at": row["lock_at"],
        "unlock_at": row["unlock_at"],
        "has_overrides": False,
        "course_id": row["course_id"],
        "html_url": f"{base}/assignments/{row['id']}",
        "assignment_group_id": row["assignment_group_id"],
        "position": row["position"],
        "points_possible": row["points_possible"],
        "grading_type": row["grading_type"],
        "grading_standard_id": None,
        "submission_types": row["submission_types"],
        "has_submitted_submissions": bool(submitted),
        "needs_grading_count": sum(
            1 for s in submitted if s["workflow_state"] == "submitted"
        ),
        "sis_assignment_id": row["sis_assignment_id"],
        "integration_id": row["integration_id"],
        "integration_data": {},
        "omit_from_final_grade": row["omit_from_final_grade"],
        "hide_in_gradebook": row["hide_in_gradebook"],
        "muted": False,
        "post_manually": False,
        "post_to_sis": row["post_to_sis"],
        "published": row["workflow_state"] == "published",
        "unpublishable": not submitted,
        "workflow_state": row["workflow_state"],
        "only_visible_to_overrides": False,
        "locked_for_user": False,
        "is_quiz_assignment": row["quiz_id"] is not None,
        "is_quiz_lti_assignment": row["is_quiz_lti_assignment"],
        "peer_reviews": False,
        "anonymous_grading": False,
        "moderated_grading": False,
    }
    if row["quiz_id"] is not None:
        body["quiz_id"] = row["quiz_id"]
    return body


def assignments_of(course_id):
    """A course's assignments that are not deleted."""
    return [
        a
        for a in store().find("assignments", course_id=course_id)
        if a["workflow_state"] != "deleted"
    ]


def ordered(rows, order_by="position"):
    """Assignments in Canvas's order: by group position, then position."""
    positions = {g["id"]: g["position"] for g in store().rows("assignment_groups")}
    if order_by == "name":
        return sorted(rows, key=lambda a: (a["name"].lower(), a["id"]))
    if order_by == "due_at":
        return sorted(
            rows, key=lambda a: (a["due_at"] is None, a["due_at"] or "", a["id"])
        )
    return sorted(
        rows,
        key=lambda a: (
            positions.get(a["assignment_group_id"], 0),
            a["position"],
            a["id"],
        ),
    )


def new_assignment(course, name, group=None, **fields):
    """Insert an assignment (with submissions for enrolled students)."""
    from .autofill import materialise_assignment

    group = group or default_group(course)
    siblings = [
        a
        for a in assignments_of(course["id"])
        if a["assignment_group_id"] == group["id"]
    ]
    row = {
        "course_id": course["id"],
        "name": name,
        "description": None,
        "created_at": now_iso(),
        "updated_at": now_iso(),
        "due_at": None,
        "lock_at": None,
        "unlock_at": None,
        "assignment_group_id": group["id"],
        "position": len(siblings) + 1,
        "points_possible": 0.0,
        "grading_type": "points",
        "submission_types": ["none"],
        "sis_assignment_id": None,
        "integration_id": None,
        "omit_from_final_grade": False,
        "hide_in_gradebook": False,
        "post_to_sis": False,
        "workflow_state": "unpublished",
        "quiz_id": None,
        "is_quiz_lti_assignment": False,
    }
    row.update(fields)
    store().insert("assignments", row)
    materialise_assignment(store(), row)
    return row


def _assignment_fields(course, existing=None):
    """Read `assignment[...]` parameters into fields, validating them."""
    fields = {}
    if has("assignment[name]"):
        fields["name"] = param("assignment[name]")
    for key in ("description", "integration_id"):
        if has(f"assignment[{key}]"):
            fields[key] = param(f"assignment[{key}]")
    for key in ("due_at", "lock_at", "unlock_at"):
        if has(f"assignment[{key}]"):
            try:
                fields[key] = iso(param(f"assignment[{key}]"))
            except ValueError:
                raise field_errors({key: ("invalid", "invalid datetime")}) from None
    if has("assignment[points_possible]"):
        fields["points_possible"] = number("assignment[points_possible]", 0.0)
    if has("assignment[grading_type]"):
        if param("assignment[grading_type]") not in GRADING_TYPES:
            raise field_errors(
                {"grading_type": ("inclusion", "is not included in the list")}
            )
        fields["grading_type"] = param("assignment[grading_type]")
    types = param_list("assignment[submission_types]")
    if types:
        fields["submission_types"] = types
    for key in ("omit_from_final_grade", "hide_in_gradebook", "post_to_sis"):
        if has(f"assignment[{key}]"):
            fields[key] = flag(f"assignment[{key}]")
    if has("assignment[published]"):
        fields["workflow_state"] = (
            "published" if flag("assignment[published]") else "unpublished"
        )
    group_id = as_int(param("assignment[assignment_group_id]"))
    group = store().get("assignment_groups", group_id) if group_id else None
    if group is not None and group["course_id"] == course["id"]:
        fields["assignment_group_id"] = group["id"]
    sis_id = param("assignment[sis_assignment_id]")
    if sis_id:
        for other in assignments_of(course["id"]):
            if other["sis_assignment_id"] == sis_id and other is not existing:
                raise CanvasError(409, {"message": DUPLICATE_SIS})
        fields["sis_assignment_id"] = sis_id
    return fields


@bp.get("/courses/<course_id>/assignments")
def list_assignments(course_id):
    """List a course's assignments with Canvas's filters."""
    course = lookup.course(store(), course_id)
    ids = param_list("assignment_ids")
    if len(ids) > 100:
        raise bad_request("Request contains too many assignment_ids.  Limit 100")
    rows = assignments_of(course["id"])
    if ids:
        wanted = {as_int(i) for i in ids}
        rows = [a for a in rows if a["id"] in wanted]
    term = (param("search_term") or "").lower()
    if term:
        rows = [a for a in rows if term in a["name"].lower()]
    if has("post_to_sis"):
        rows = [a for a in rows if a["post_to_sis"] == flag("post_to_sis")]
    if flag("new_quizzes"):
        rows = [a for a in rows if a["is_quiz_lti_assignment"]]
    bucket = param("bucket")
    if bucket:
        rows = [a for a in rows if _in_bucket(a, bucket)]
    return paginate(ordered(rows, param("order_by", "position")), assignment_json)


def _in_bucket(assignment, bucket):
    """Canvas's date buckets as an admin sees them (no submissions of its own)."""
    due, now = assignment["due_at"], now_iso()
    week = (datetime.now(UTC) + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ")
    if bucket == "undated":
        return due is None
    if bucket in ("past", "overdue"):
        return due is not None and due < now
    if bucket == "upcoming":
        return due is not None and now <= due < week
    if bucket == "future":
        return due is None or due >= now
    if bucket == "ungraded":
        return any(
            s["workflow_state"] == "submitted"
            for s in store().find("submissions", assignment_id=assignment["id"])
        )
    return True


@bp.get("/courses/<course_id>/assignments/<int:assignment_id>")
def get_assignment(course_id, assignment_id):
    """Show one assignment."""
    return json_response(assignment_json(find_assignment(course_id, assignment_id)))


def find_assignment(course_id, assignment_id):
    """An assignment of the course in the path, or 404."""
    course = lookup.course(store(), course_id)
    row = store().get("assignments", assignment_id)
    if (
        row is None
        or row["course_id"] != course["id"]
        or row["workflow_state"] == "deleted"
    ):
        raise not_found()
    return row


@bp.post("/courses/<course_id>/assignments")
def create_assignment(course_id):
    """Create an assignment: 201 as Canvas answers."""
    course = lookup.course(store(), course_id)
    if not any(key.startswith("assignment[") for key in params()):
        raise CanvasError(400, {"errors": [{"message": "assignment is missing"}]})
    fields = _assignment_fields(course)
    name = fields.pop("name", None)
    if not name:
        raise field_errors({"title": ("blank", "can't be blank")})
    group = store().get("assignment_groups", fields.pop("assignment_group_id", 0))
    row = new_assignment(course, name, group, **fields)
    return json_response(assignment_json(row), 201)


@bp.put("/courses/<course_id>/assignments/<int:assignment_id>")
def update_assignment(course_id, assignment_id):
    """Edit an assignment."""
    row = find_assignment(course_id, assignment_id)
    course = store().get("courses", row["course_id"])
    row.update(_assignment_fields(course, row))
    store().touch("assignments", row)
    return json_response(assignment_json(row))
