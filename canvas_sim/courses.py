"""Courses and sections, with cross-listing."""

import logging
import uuid

from flask import Blueprint, g

from . import autofill, lookup
from .accounts import term_json
from .auth import can_manage_sis
from .pagination import paginate
from .store import now_iso
from .web import (
    CanvasError,
    bad_request,
    field_errors,
    flag,
    has,
    includes,
    iso,
    json_response,
    param,
    param_list,
    sim,
    store,
)

logger = logging.getLogger(__name__)

bp = Blueprint("courses", __name__, url_prefix="/api/v1")

COURSE_FIELDS = (
    "id",
    "sis_course_id",
    "uuid",
    "integration_id",
    "sis_import_id",
    "name",
    "course_code",
    "workflow_state",
    "account_id",
    "root_account_id",
    "enrollment_term_id",
    "start_at",
    "end_at",
    "created_at",
    "apply_assignment_group_weights",
    "hide_final_grades",
    "restrict_enrollments_to_course_dates",
    "time_zone",
    "default_view",
    "is_public",
    "grading_standard_id",
    "license",
)
_EVENTS = {
    "offer": "available",
    "claim": "unpublished",
    "conclude": "completed",
    "delete": "deleted",
    "undelete": "unpublished",
}
LIVE_STUDENT_STATES = ("active", "invited")


def total_students(course_ids=None, section_id=None):
    """Count distinct students actively enrolled in courses or one section."""
    users = set()
    for row in store().tables["enrollments"].values():
        if row["type"] != "StudentEnrollment":
            continue
        if row["workflow_state"] not in LIVE_STUDENT_STATES:
            continue
        if section_id is not None and row["course_section_id"] != section_id:
            continue
        if course_ids is not None and row["course_id"] not in course_ids:
            continue
        users.add(row["user_id"])
    return len(users)


def course_json(course, wanted=frozenset()):
    """A Course as Canvas renders it; `term` and `total_students` on request."""
    body = {key: course.get(key) for key in COURSE_FIELDS}
    if "term" in wanted:
        body["term"] = term_json(store().get("terms", course["enrollment_term_id"]))
    if "total_students" in wanted:
        body["total_students"] = total_students({course["id"]})
    return body


def _apply_course_params(course):
    """Copy `course[...]` parameters onto a course row, validating them."""
    data = store()
    for key in ("name", "course_code", "time_zone", "default_view", "integration_id"):
        if has(f"course[{key}]"):
            course[key] = param(f"course[{key}]")
    for key in (
        "apply_assignment_group_weights",
        "restrict_enrollments_to_course_dates",
        "hide_final_grades",
        "is_public",
    ):
        if has(f"course[{key}]"):
            course[key] = flag(f"course[{key}]")
    for key in ("start_at", "end_at"):
        if has(f"course[{key}]"):
            try:
                course[key] = iso(param(f"course[{key}]"))
            except ValueError:
                raise field_errors({key: ("invalid", "invalid date")}) from None
    term_ident = param("course[term_id]") or param("course[enrollment_term_id]")
    if term_ident:
        course["enrollment_term_id"] = lookup.term(data, term_ident)["id"]
    if has("course[sis_course_id]") and can_manage_sis():
        sis_id = param("course[sis_course_id]") or None
        taken = sis_id and data.first("courses", sis_course_id=sis_id)
        if taken and taken is not course:
            message = f'SIS ID "{sis_id}" is already in use'
            raise field_errors({"sis_source_id": (message, message)})
        course["sis_course_id"] = sis_id
    start, end = course.get("start_at"), course.get("end_at")
    if start and end and end < start:
        message = "End date cannot be before start date"
        raise field_errors({"conclude_at": ("invalid", message)})


def new_course(name="Unnamed Course", **fields):
    """Insert a course with Canvas's defaults and return it."""
    course = {
        "sis_course_id": None,
        "uuid": uuid.uuid4().hex + uuid.uuid4().hex[:8],
        "integration_id": None,
        "sis_import_id": None,
        "name": name,
        "course_code": name,
        "workflow_state": "unpublished",
        "account_id": 1,
        "root_account_id": 1,
        "enrollment_term_id": 1,
        "start_at": None,
        "end_at": None,
        "created_at": now_iso(),
        "apply_assignment_group_weights": False,
        "hide_final_grades": False,
        "restrict_enrollments_to_course_dates": False,
        "time_zone": "America/New_York",
        "default_view": "modules",
        "is_public": False,
        "grading_standard_id": None,
        "license": "private",
        "autofill": False,
    }
    course.update(fields)
    return store().insert("courses", course)


def set_state(course, event):
    """Apply a course event; publishing turns pending enrollments into invited."""
    course["workflow_state"] = _EVENTS[event]
    if event == "offer":
        for row in store().find("enrollments", course_id=course["id"]):
            if row["workflow_state"] == "creation_pending":
                row["workflow_state"] = "invited"
                store().touch("enrollments", row)
    store().touch("courses", course)


@bp.post("/accounts/<account_id>/courses")
def create_course(account_id):
    """Create a course in an account; with --autofill it gets coursework."""
    account = lookup.account(store(), account_id)
    sis_id = param("course[sis_course_id]") if can_manage_sis() else None
    if sis_id and flag("enable_sis_reactivation"):
        old = store().first("courses", sis_course_id=sis_id, workflow_state="deleted")
        if old:
            old["workflow_state"] = "unpublished"
            _apply_course_params(old)
            store().touch("courses", old)
            return json_response(course_json(old))
    probe = {"enrollment_term_id": 1}
    _apply_course_params(probe)
    name = probe.pop("name", None) or "Unnamed Course"
    course = new_course(name, account_id=account["id"], **probe)
    if not course["course_code"]:
        course["course_code"] = name
    if flag("offer"):
        set_state(course, "offer")
    if flag("enroll_me"):
        from .enrollments import enroll

        enroll(
            course,
            None,
            store().get("users", g.acting_user_id),
            "TeacherEnrollment",
            state="active",
        )
    if sim().config["autofill"]:
        autofill.fill_course(
            course, keep_weighting=has("course[apply_assignment_group_weights]")
        )
    logger.info("course %d created by user %d", course["id"], g.real_user_id)
    return json_response(course_json(course))


@bp.put("/courses/<course_id>")
def update_course(course_id):
    """Update a course's fields or apply an event (offer, conclude, delete...)."""
    course = lookup.course(store(), course_id, allow_deleted=True)
    before = dict(course)
    try:
        _apply_course_params(course)
    except CanvasError:
        course.clear()
        course.update(before)
        raise
    event = param("course[event]") or ("offer" if flag("offer") else None)
    if event in _EVENTS:
        set_state(course, event)
    store().touch("courses", course)
    return json_response(course_json(course, includes()))


@bp.delete("/courses/<course_id>")
def end_course(course_id):
    """Delete or conclude a course: `{"delete": true}` or `{"conclude": true}`."""
    course = lookup.course(store(), course_id)
    event = param("event")
    if event not in ("delete", "conclude"):
        raise bad_request('Only "delete" and "conclude" events are allowed.')
    set_state(course, event)
    return json_response({event: True})


@bp.get("/courses/<course_id>")
def get_course(course_id):
    """Show a course by id or `sis_course_id:`."""
    return json_response(course_json(lookup.course(store(), course_id), includes()))


def _course_matches(course, search):
    """Canvas's course search: name, course code or SIS id."""
    return (
        search in course["name"].lower()
        or search in (course["course_code"] or "").lower()
        or search == (course["sis_course_id"] or "").lower()
    )


@bp.get("/accounts/<account_id>/courses")
def list_courses(account_id):
    """List an account's courses, filtered by state, term, search or publishing."""
    lookup.account(store(), account_id)
    states = set(param_list("state"))
    term_id = param("enrollment_term_id")
    term_id = lookup.term(store(), term_id)["id"] if term_id else None
    search = (param("search_term") or "").lower()
    rows = []
    for course in store().rows("courses"):
        state = course["workflow_state"]
        if states and "all" not in states and state not in states:
            continue
        if not states and state == "deleted":
            continue
        if term_id and course["enrollment_term_id"] != term_id:
            continue
        if search and not _course_matches(course, search):
            continue
        if has("published") and flag("published") != (state == "available"):
            continue
        rows.append(course)
    wanted = includes()
    return paginate(rows, lambda c: course_json(c, wanted))
