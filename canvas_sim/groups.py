"""Assignment groups: list, show, create and edit."""

from flask import Blueprint

from . import lookup
from .assignments import assignment_json, assignments_of, groups_of, new_group, ordered
from .pagination import paginate
from .web import as_int, has, includes, json_response, not_found, number, param, store

bp = Blueprint("groups", __name__, url_prefix="/api/v1")


def group_json(group, wanted=frozenset()):
    """An AssignmentGroup as Canvas renders it."""
    body = {
        "id": group["id"],
        "name": group["name"],
        "position": group["position"],
        "group_weight": group["group_weight"],
        "sis_source_id": group["sis_source_id"],
        "integration_data": {},
        "rules": group["rules"],
    }
    if "assignments" in wanted:
        body["assignments"] = [
            assignment_json(a)
            for a in ordered(assignments_of(group["course_id"]))
            if a["assignment_group_id"] == group["id"]
        ]
    return body


@bp.get("/courses/<course_id>/assignment_groups")
def list_groups(course_id):
    """List a course's assignment groups, with `include[]=assignments`."""
    course = lookup.course(store(), course_id)
    wanted = includes()
    return paginate(groups_of(course["id"]), lambda g: group_json(g, wanted))


@bp.get("/courses/<course_id>/assignment_groups/<int:group_id>")
def get_group(course_id, group_id):
    """Show one assignment group."""
    course = lookup.course(store(), course_id)
    group = store().get("assignment_groups", group_id)
    if group is None or group["course_id"] != course["id"]:
        raise not_found()
    return json_response(group_json(group, includes()))


@bp.post("/courses/<course_id>/assignment_groups")
def create_group(course_id):
    """Create an assignment group (`name`, `position`, `group_weight`)."""
    course = lookup.course(store(), course_id)
    group = new_group(
        course,
        param("name") or "Assignments",
        number("group_weight", 0.0),
        as_int(param("position")),
    )
    group["sis_source_id"] = param("sis_source_id")
    return json_response(group_json(group))


@bp.put("/courses/<course_id>/assignment_groups/<int:group_id>")
def update_group(course_id, group_id):
    """Edit an assignment group's name, position or weight."""
    course = lookup.course(store(), course_id)
    group = store().get("assignment_groups", group_id)
    if group is None or group["course_id"] != course["id"]:
        raise not_found()
    if has("name"):
        group["name"] = param("name")
    if has("group_weight"):
        group["group_weight"] = number("group_weight", 0.0)
    if has("position"):
        group["position"] = as_int(param("position")) or group["position"]
    store().touch("assignment_groups", group)
    return json_response(group_json(group))
