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
    not_found,
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


# Sections -------------------------------------------------------------------


def section_json(section, wanted=frozenset()):
    """A Section as Canvas renders it."""
    course = store().get("courses", section["course_id"])
    body = {
        "id": section["id"],
        "course_id": section["course_id"],
        "name": section["name"],
        "start_at": section["start_at"],
        "end_at": section["end_at"],
        "created_at": section["created_at"],
        "restrict_enrollments_to_section_dates": section[
            "restrict_enrollments_to_section_dates"
        ],
        "nonxlist_course_id": section["nonxlist_course_id"],
        "sis_section_id": section["sis_section_id"],
        "sis_course_id": course["sis_course_id"] if course else None,
        "integration_id": section["integration_id"],
        "sis_import_id": section["sis_import_id"],
    }
    if "total_students" in wanted:
        body["total_students"] = total_students(section_id=section["id"])
    if "students" in wanted or "enrollments" in wanted:
        from .enrollments import enrollment_json
        from .users import user_json

        live = [
            row
            for row in store().find("enrollments", course_section_id=section["id"])
            if row["workflow_state"] not in ("deleted", "completed", "rejected")
        ]
        if "students" in wanted:
            body["students"] = [
                user_json(store().get("users", row["user_id"]), False)
                for row in live
                if row["type"] == "StudentEnrollment"
            ] or None
        if "enrollments" in wanted:
            body["enrollments"] = [enrollment_json(row) for row in live]
    return body


def new_section(course, name, **fields):
    """Insert a section of `course` and return it."""
    section = {
        "course_id": course["id"],
        "name": name,
        "start_at": None,
        "end_at": None,
        "created_at": now_iso(),
        "restrict_enrollments_to_section_dates": False,
        "nonxlist_course_id": None,
        "sis_section_id": None,
        "integration_id": None,
        "sis_import_id": None,
        "workflow_state": "active",
        "default_section": False,
    }
    section.update(fields)
    return store().insert("sections", section)


def default_section(course):
    """The course's default section, made on first need as Canvas does."""
    for section in store().find("sections", course_id=course["id"]):
        if section["workflow_state"] == "active" and section["default_section"]:
            return section
    return new_section(course, course["name"], default_section=True)


def _apply_section_params(section):
    """Copy `course_section[...]` parameters onto a section, validating them."""
    data = store()
    if has("course_section[name]"):
        section["name"] = param("course_section[name]")
    if has("course_section[restrict_enrollments_to_section_dates]"):
        section["restrict_enrollments_to_section_dates"] = flag(
            "course_section[restrict_enrollments_to_section_dates]"
        )
    for key in ("start_at", "end_at"):
        if has(f"course_section[{key}]"):
            try:
                section[key] = iso(param(f"course_section[{key}]"))
            except ValueError:
                raise field_errors({key: ("invalid", "invalid date")}) from None
    sis_keys = ("sis_section_id", "integration_id")
    for key in sis_keys:
        if not has(f"course_section[{key}]"):
            continue
        if not can_manage_sis():
            message = "You must have manage_sis permission to update sis attributes"
            raise CanvasError(401, {"message": message})
        value = param(f"course_section[{key}]") or None
        taken = value and data.first("sections", **{key: value})
        if taken and taken is not section:
            label = "SIS ID" if key == "sis_section_id" else "Integration ID"
            message = f'{label} "{value}" is already in use'
            field = "sis_source_id" if key == "sis_section_id" else key
            raise field_errors({field: (message, message)})
        section[key] = value


@bp.get("/courses/<course_id>/sections")
def list_sections(course_id):
    """List a course's sections."""
    course = lookup.course(store(), course_id)
    rows = [
        s
        for s in store().find("sections", course_id=course["id"])
        if s["workflow_state"] == "active"
    ]
    wanted = includes()
    return paginate(rows, lambda s: section_json(s, wanted))


@bp.post("/courses/<course_id>/sections")
def create_section(course_id):
    """Create a section in a course."""
    course = lookup.course(store(), course_id)
    sis_id = param("course_section[sis_section_id]") if can_manage_sis() else None
    old = sis_id and flag("enable_sis_reactivation")
    old = old and store().first(
        "sections", sis_section_id=sis_id, workflow_state="deleted"
    )
    if old:
        old.update(workflow_state="active", course_id=course["id"])
        _apply_section_params(old)
        store().touch("sections", old)
        return json_response(section_json(old))
    probe = {}
    _apply_section_params(probe)
    section = new_section(course, probe.pop("name", None) or course["name"], **probe)
    return json_response(section_json(section))


@bp.get("/sections/<section_id>")
def get_section(section_id):
    """Show a section by id or `sis_section_id:`."""
    return json_response(section_json(lookup.section(store(), section_id), includes()))


@bp.put("/sections/<section_id>")
def update_section(section_id):
    """Edit a section's name, dates or SIS ids."""
    section = lookup.section(store(), section_id)
    before = dict(section)
    try:
        _apply_section_params(section)
    except CanvasError:
        section.update(before)
        raise
    store().touch("sections", section)
    return json_response(section_json(section))


@bp.delete("/sections/<section_id>")
def delete_section(section_id):
    """Delete a section that has no enrollments."""
    section = lookup.section(store(), section_id)
    live = [
        row
        for row in store().find("enrollments", course_section_id=section["id"])
        if row["workflow_state"] != "deleted"
    ]
    if live:
        message = "You can't delete a section that has enrollments"
        raise field_errors({"workflow_state": (message, message)})
    section["workflow_state"] = "deleted"
    store().touch("sections", section)
    return json_response(section_json(section))


def _move_section(section, course):
    """Put a section and its enrollments in another course."""
    section["course_id"] = course["id"]
    store().touch("sections", section)
    for row in store().find("enrollments", course_section_id=section["id"]):
        row["course_id"] = course["id"]
        store().touch("enrollments", row)


@bp.post("/sections/<section_id>/crosslist/<new_course_id>")
def crosslist(section_id, new_course_id):
    """Move a section into another course, remembering where it came from."""
    section = lookup.section(store(), section_id)
    target = lookup.course(store(), new_course_id)
    if target["id"] != section["course_id"]:
        if section["nonxlist_course_id"] is None:
            section["nonxlist_course_id"] = section["course_id"]
        elif section["nonxlist_course_id"] == target["id"]:
            section["nonxlist_course_id"] = None
        _move_section(section, target)
    return json_response(section_json(section))


@bp.delete("/sections/<section_id>/crosslist")
def uncrosslist(section_id):
    """Return a cross-listed section to its original course."""
    section = lookup.section(store(), section_id)
    if section["nonxlist_course_id"] is None:
        raise bad_request("section is not cross-listed")
    home = store().get("courses", section["nonxlist_course_id"])
    if home is None:
        raise not_found()
    section["nonxlist_course_id"] = None
    _move_section(section, home)
    return json_response(section_json(section))
