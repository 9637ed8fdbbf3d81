"""Enrollments: create, list with filters and grades, conclude and reactivate."""

import logging

from flask import Blueprint, g, request

from . import autofill, grades, lookup
from .pagination import paginate
from .sections import default_section
from .store import now_iso
from .users import user_json
from .web import (
    as_int,
    bad_request,
    flag,
    includes,
    iso,
    json_response,
    not_found,
    param,
    param_list,
    params,
    store,
)

logger = logging.getLogger(__name__)

bp = Blueprint("enrollments", __name__, url_prefix="/api/v1")

# Built-in role ids as a fresh Canvas numbers them.
ROLES = {
    "StudentEnrollment": 3,
    "TeacherEnrollment": 4,
    "TaEnrollment": 5,
    "DesignerEnrollment": 6,
    "ObserverEnrollment": 7,
}
ROLE_BY_ID = {role_id: kind for kind, role_id in ROLES.items()}
STATES = ("active", "invited", "inactive")
HIDDEN_BY_DEFAULT = ("rejected", "completed", "deleted")


def base_url():
    """The simulator's own root URL, for html_url fields."""
    return request.host_url.rstrip("/")


def enrollment_json(row, wanted=frozenset()):
    """An Enrollment as Canvas renders it, with grades for students."""
    data = store()
    course = data.get("courses", row["course_id"])
    section = data.get("sections", row["course_section_id"])
    user = data.get("users", row["user_id"])
    login = next(
        (
            login
            for login in data.find("logins", user_id=row["user_id"])
            if login["workflow_state"] != "deleted"
        ),
        {},
    )
    url = f"{base_url()}/courses/{row['course_id']}"
    body = {
        "id": row["id"],
        "course_id": row["course_id"],
        "course_section_id": row["course_section_id"],
        "user_id": row["user_id"],
        "type": row["type"],
        "role": row["role"],
        "role_id": row["role_id"],
        "enrollment_state": row["workflow_state"],
        "limit_privileges_to_course_section": row["limit_privileges_to_course_section"],
        "root_account_id": 1,
        "associated_user_id": None,
        "sis_account_id": None,
        "sis_course_id": course["sis_course_id"] if course else None,
        "course_integration_id": course["integration_id"] if course else None,
        "sis_section_id": section["sis_section_id"] if section else None,
        "section_integration_id": section["integration_id"] if section else None,
        "sis_user_id": login.get("sis_user_id"),
        "sis_import_id": row["sis_import_id"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "start_at": row["start_at"],
        "end_at": row["end_at"],
        "last_activity_at": None,
        "last_attended_at": None,
        "total_activity_time": 0,
        "html_url": f"{url}/users/{row['user_id']}",
        "override_grade": None,
        "override_score": None,
        "user": user_json(user, False) if user else None,
    }
    if row["type"] == "StudentEnrollment":
        scores = grades.enrollment_scores(data, row["course_id"], row["user_id"])
        if "current_points" not in wanted:
            scores.pop("current_points")
        body["grades"] = {"html_url": f"{url}/grades/{row['user_id']}", **scores}
    return body


def enroll(course, section, user, kind, state=None, **fields):
    """Enroll a user, reusing the same user/section/type row as Canvas does."""
    section = section or default_section(course)
    if state is None:
        teacherish = kind in ("TeacherEnrollment", "TaEnrollment", "DesignerEnrollment")
        published = course["workflow_state"] == "available"
        state = "invited" if published or teacherish else "creation_pending"
    for row in store().find("enrollments", user_id=user["id"]):
        if row["course_section_id"] == section["id"] and row["type"] == kind:
            row.update(fields)
            row["workflow_state"] = state
            store().touch("enrollments", row)
            return row
    row = {
        "course_id": course["id"],
        "course_section_id": section["id"],
        "user_id": user["id"],
        "type": kind,
        "role": kind,
        "role_id": ROLES[kind],
        "workflow_state": state,
        "limit_privileges_to_course_section": False,
        "sis_import_id": None,
        "created_at": now_iso(),
        "updated_at": now_iso(),
        "start_at": None,
        "end_at": None,
    }
    row.update(fields)
    store().insert("enrollments", row)
    if kind == "StudentEnrollment":
        autofill.materialise_submissions(store(), course, user["id"])
    return row


def _create(course, section):
    """Validate `enrollment[...]` parameters and enroll."""
    if not any(key.startswith("enrollment[") for key in params()):
        raise bad_request("No parameters given")
    problems = []
    kind = param("enrollment[type]")
    role_id = as_int(param("enrollment[role_id]"))
    if role_id is not None:
        if role_id not in ROLE_BY_ID:
            problems.append("Invalid role")
        kind = kind or ROLE_BY_ID.get(role_id)
    kind = kind or "StudentEnrollment"
    if kind not in ROLES:
        problems.append("Invalid type")
    user_ident = param("enrollment[user_id]")
    if not user_ident:
        problems.append(
            "Can't create an enrollment without a user. Include enrollment[user_id] "
            "to create an enrollment"
        )
    if course["workflow_state"] == "completed":
        problems.append("Can't add an enrollment to a concluded course.")
    if problems:
        raise bad_request(", ".join(problems))

    user = lookup.user(store(), user_ident)
    section_ident = param("enrollment[course_section_id]")
    if section is None and section_ident:
        section = lookup.section(store(), section_ident)
        if section["course_id"] != course["id"]:
            raise not_found()
    state = param("enrollment[enrollment_state]")
    if state not in STATES:
        state = None
    try:
        dates = {
            key: iso(param(f"enrollment[{key}]"))
            for key in ("start_at", "end_at")
            if param(f"enrollment[{key}]")
        }
    except ValueError:
        raise bad_request("Invalid date") from None
    row = enroll(
        course,
        section,
        user,
        kind,
        state,
        limit_privileges_to_course_section=flag(
            "enrollment[limit_privileges_to_course_section]"
        ),
        **dates,
    )
    return json_response(enrollment_json(row))


@bp.post("/courses/<course_id>/enrollments")
def create_in_course(course_id):
    """Enroll a user in a course (its default section unless one is named)."""
    return _create(lookup.course(store(), course_id), None)


@bp.post("/sections/<section_id>/enrollments")
def create_in_section(section_id):
    """Enroll a user in a section."""
    section = lookup.section(store(), section_id)
    return _create(store().get("courses", section["course_id"]), section)


def _filtered(rows, default_states):
    """Apply type[], role[], state[], user_id and sis_*_id[] filters."""
    types = set(param_list("type"))
    roles = set(param_list("role"))
    states = set(param_list("state"))
    user_id = param("user_id")
    sis_users = set(param_list("sis_user_id"))
    sis_sections = set(param_list("sis_section_id"))
    sis_courses = set(param_list("sis_course_id"))
    data = store()
    if user_id:
        user_id = lookup.user(data, user_id)["id"]
    kept = []
    for row in rows:
        state = row["workflow_state"]
        if states and state not in states:
            continue
        if not states and state in default_states:
            continue
        if types and row["type"] not in types:
            continue
        if roles and row["role"] not in roles:
            continue
        if user_id and row["user_id"] != user_id:
            continue
        if sis_users and _sis_user(row["user_id"]) not in sis_users:
            continue
        section = data.get("sections", row["course_section_id"])
        if sis_sections and section["sis_section_id"] not in sis_sections:
            continue
        course = data.get("courses", row["course_id"])
        if sis_courses and course["sis_course_id"] not in sis_courses:
            continue
        kept.append(row)
    kept.sort(key=lambda r: (r["type"], _sortable(r["user_id"]), r["id"]))
    return kept


def _sis_user(user_id):
    """The SIS id of a user's first live login."""
    for login in store().find("logins", user_id=user_id):
        if login["workflow_state"] != "deleted":
            return login["sis_user_id"]
    return None


def _sortable(user_id):
    """The sortable name Canvas orders enrollments by."""
    user = store().get("users", user_id)
    return user["sortable_name"].lower() if user else ""


def _answer(rows, default_states=HIDDEN_BY_DEFAULT):
    """Filter, order and paginate enrollments."""
    wanted = includes()
    return paginate(
        _filtered(rows, default_states), lambda r: enrollment_json(r, wanted)
    )


@bp.get("/courses/<course_id>/enrollments")
def list_course(course_id):
    """List a course's enrollments."""
    course = lookup.course(store(), course_id)
    return _answer(store().find("enrollments", course_id=course["id"]))


@bp.get("/sections/<section_id>/enrollments")
def list_section(section_id):
    """List a section's enrollments."""
    section = lookup.section(store(), section_id)
    return _answer(store().find("enrollments", course_section_id=section["id"]))


@bp.get("/users/<user_id>/enrollments")
def list_user(user_id):
    """List a user's enrollments (current and invited ones by default)."""
    user = lookup.user(store(), user_id)
    hidden = HIDDEN_BY_DEFAULT
    if user["id"] == g.acting_user_id:
        hidden = (*HIDDEN_BY_DEFAULT, "inactive", "creation_pending")
    return _answer(store().find("enrollments", user_id=user["id"]), hidden)


def _course_enrollment(course_id, enrollment_id):
    """An enrollment that belongs to the course in the path."""
    course = lookup.course(store(), course_id)
    row = store().get("enrollments", as_int(enrollment_id))
    if row is None or row["course_id"] != course["id"]:
        raise not_found()
    return row


@bp.delete("/courses/<course_id>/enrollments/<enrollment_id>")
def end_enrollment(course_id, enrollment_id):
    """Conclude, delete or inactivate an enrollment (`task`)."""
    row = _course_enrollment(course_id, enrollment_id)
    # As enrollments_api_controller#destroy: any other task concludes.
    new_state = {
        "delete": "deleted",
        "inactivate": "inactive",
        "deactivate": "inactive",
    }.get(param("task"), "completed")
    row["workflow_state"] = new_state
    store().touch("enrollments", row)
    logger.info("enrollment %d %s by user %d", row["id"], new_state, g.real_user_id)
    return json_response(enrollment_json(row))


@bp.put("/courses/<course_id>/enrollments/<enrollment_id>/reactivate")
def reactivate(course_id, enrollment_id):
    """Reactivate an inactive enrollment."""
    row = _course_enrollment(course_id, enrollment_id)
    if row["workflow_state"] != "inactive":
        raise bad_request("enrollment not inactive", key="error")
    row["workflow_state"] = "active"
    store().touch("enrollments", row)
    return json_response(enrollment_json(row))
