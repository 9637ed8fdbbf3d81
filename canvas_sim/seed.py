"""Build data from a JSON description, for tests and demos (POST /sim/seed)."""

from . import autofill
from .courses import new_course, set_state
from .enrollments import ROLES, enroll
from .sections import new_section
from .store import now_iso
from .users import new_login, new_user
from .web import store

DEMO = {
    "terms": [{"name": "Demo Term", "sis_term_id": "DEMO-TERM"}],
    "users": [
        {
            "name": "Tina Teacher",
            "login_id": "tina.teacher@demo.example",
            "sis_user_id": "DEMO-T1",
        },
        *[
            {
                "name": f"Student {n:02d} Demo",
                "login_id": f"student{n:02d}@demo.example",
                "sis_user_id": f"DEMO-S{n:02d}",
            }
            for n in range(1, 13)
        ],
    ],
    "courses": [
        {
            "name": "Demo Biology",
            "course_code": "BIO-DEMO",
            "sis_course_id": "DEMO-BIO",
            "term": "DEMO-TERM",
            "published": True,
            "autofill": True,
            "sections": [{"name": "Demo Biology", "sis_section_id": "DEMO-BIO"}],
            "enrollments": [
                {"user": "DEMO-T1", "type": "TeacherEnrollment"},
                *[{"user": f"DEMO-S{n:02d}"} for n in range(1, 13)],
            ],
        }
    ],
}


def _user_by(ident):
    """A user by SIS user id or integer id."""
    login = store().first("logins", sis_user_id=str(ident))
    if login:
        return store().get("users", login["user_id"])
    user = store().get("users", int(ident))
    if user is None:
        raise KeyError(f"user {ident}")
    return user


def apply(spec):
    """Create everything `spec` describes; return the new ids per table."""
    if spec.get("preset") == "demo":
        spec = dict(DEMO, **{k: v for k, v in spec.items() if k != "preset"})
    created = {
        "users": [],
        "terms": [],
        "courses": [],
        "sections": [],
        "enrollments": [],
    }
    data = store()
    for item in spec.get("terms", []):
        term = data.insert(
            "terms",
            {
                "name": item["name"],
                "start_at": item.get("start_at"),
                "end_at": item.get("end_at"),
                "created_at": now_iso(),
                "workflow_state": "active",
                "sis_term_id": item.get("sis_term_id"),
                "sis_import_id": None,
                "integration_id": None,
                "account_id": 1,
            },
        )
        created["terms"].append(term["id"])
    for item in spec.get("users", []):
        user = new_user(item["name"], email=item.get("email") or item["login_id"])
        new_login(
            user["id"],
            item["login_id"],
            item.get("sis_user_id"),
            item.get("integration_id"),
        )
        created["users"].append(user["id"])
    for item in spec.get("courses", []):
        created_course = _course(item, created)
        created["courses"].append(created_course["id"])
    return created


def _course(item, created):
    """Create one course of a seed spec with its sections and enrollments."""
    data = store()
    term = (
        data.first("terms", sis_term_id=item.get("term")) if item.get("term") else None
    )
    course = new_course(
        item["name"],
        course_code=item.get("course_code", item["name"]),
        sis_course_id=item.get("sis_course_id"),
        enrollment_term_id=term["id"] if term else 1,
        apply_assignment_group_weights=bool(item.get("apply_assignment_group_weights")),
    )
    if item.get("published"):
        set_state(course, "offer")
    if item.get("autofill"):
        autofill.fill_course(
            course, keep_weighting="apply_assignment_group_weights" in item
        )
    sections = {}
    for spec in item.get("sections", []):
        section = new_section(
            course, spec["name"], sis_section_id=spec.get("sis_section_id")
        )
        sections[spec.get("sis_section_id") or spec["name"]] = section
        created["sections"].append(section["id"])
    for spec in item.get("enrollments", []):
        kind = spec.get("type", "StudentEnrollment")
        if kind not in ROLES:
            raise ValueError(f"type {kind}")
        section = sections.get(spec.get("section")) or next(
            iter(sections.values()), None
        )
        row = enroll(
            course, section, _user_by(spec["user"]), kind, spec.get("state", "active")
        )
        created["enrollments"].append(row["id"])
    return course
