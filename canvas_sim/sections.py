"""Sections: create, show, edit, delete, cross-list and back."""

from flask import Blueprint

from . import lookup
from .auth import can_manage_sis
from .courses import total_students
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
    store,
)

bp = Blueprint("sections", __name__, url_prefix="/api/v1")


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
