"""Apply SIS import CSV rows (users, terms, courses, sections, enrollments)."""

import csv
import io

from . import lookup
from .courses import new_course
from .enrollments import ROLE_BY_ID, enroll
from .sections import default_section, new_section
from .store import now_iso
from .users import new_login, new_user, sortable
from .web import as_int, iso

ORDER = ("term", "course", "section", "user", "enrollment")
ROLE_TYPES = {
    "student": "StudentEnrollment",
    "teacher": "TeacherEnrollment",
    "ta": "TaEnrollment",
    "observer": "ObserverEnrollment",
    "designer": "DesignerEnrollment",
}


def kind_of(headers):
    """Tell a CSV's kind from its headers, as Canvas does; None if unknown."""
    h = set(headers)
    if {"user_id", "login_id"} <= h:
        return "user"
    if (
        ({"course_id", "section_id"} & h)
        and ({"user_id", "user_integration_id"} & h)
        and ({"role", "role_id"} & h)
    ):
        return "enrollment"
    if {"section_id", "course_id", "name"} <= h:
        return "section"
    if {"course_id", "short_name", "long_name"} <= h:
        return "course"
    if {"term_id", "name"} <= h:
        return "term"
    return None


def read_csv(data):
    """Rows of a UTF-8 CSV (a BOM is allowed) as dicts with stripped values."""
    text = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = headers
    rows = [
        {k: (v or "").strip() for k, v in row.items() if k is not None}
        for row in reader
    ]
    return headers, rows


class Applier:
    """Applies rows for one import, collecting warnings and counts."""

    def __init__(self, store, import_row, fill_course):
        self.store = store
        self.sis_import_id = import_row["id"]
        self.counts = import_row["data"]["counts"]
        self.warnings = []
        self.touched = {"courses": set(), "sections": set(), "enrollments": set()}
        self.fill_course = fill_course

    def warn(self, filename, message):
        """Record a warning row `[file, message]`."""
        self.warnings.append([filename, message])

    def apply(self, kind, filename, row):
        """Apply one row of a file of the given kind."""
        getattr(self, f"_{kind}")(filename, row)

    def _mark(self, table, row):
        """Stamp a row with this import's id and mark it changed."""
        row["sis_import_id"] = self.sis_import_id
        self.store.touch(table, row)

    def _term(self, filename, row):
        """A terms.csv row."""
        term_id, status = row.get("term_id"), row.get("status", "").lower()
        if not term_id:
            return self.warn(filename, "No term_id given for a term")
        if not row.get("name"):
            return self.warn(filename, f"No name given for term {term_id}")
        if status not in ("active", "deleted"):
            return self.warn(filename, f"Improper status for term {term_id}")
        term = self.store.first("terms", sis_term_id=term_id)
        if term is None:
            term = self.store.insert(
                "terms",
                {
                    "name": row["name"],
                    "start_at": None,
                    "end_at": None,
                    "created_at": now_iso(),
                    "workflow_state": "active",
                    "sis_term_id": term_id,
                    "sis_import_id": None,
                    "integration_id": None,
                    "account_id": 1,
                },
            )
        try:
            term["start_at"] = iso(row.get("start_date")) or term["start_at"]
            term["end_at"] = iso(row.get("end_date")) or term["end_at"]
        except ValueError:
            self.warn(filename, f"Bad date format for term {term_id}")
        term.update(name=row["name"], workflow_state=status)
        term["integration_id"] = row.get("integration_id") or term["integration_id"]
        self._mark("terms", term)
        self.counts["terms"] += 1

    def _course(self, filename, row):
        """A courses.csv row."""
        course_id, status = row.get("course_id"), row.get("status", "").lower()
        if not course_id:
            return self.warn(filename, "No course_id given for a course")
        for key in ("short_name", "long_name"):
            if not row.get(key):
                return self.warn(filename, f"No {key} given for course {course_id}")
        if status not in ("active", "deleted", "completed"):
            return self.warn(filename, f"Improper status for course {course_id}")
        course = self.store.first("courses", sis_course_id=course_id)
        if course is None:
            course = new_course(row["long_name"], sis_course_id=course_id)
            if self.fill_course:
                self.fill_course(course)
        term = self.store.first("terms", sis_term_id=row.get("term_id") or None)
        course["enrollment_term_id"] = (
            term["id"] if term else course["enrollment_term_id"]
        )
        course.update(name=row["long_name"], course_code=row["short_name"])
        try:
            course["start_at"] = iso(row.get("start_date")) or course["start_at"]
            course["end_at"] = iso(row.get("end_date")) or course["end_at"]
        except ValueError:
            self.warn(filename, f"Bad date format for course {course_id}")
        if status == "active" and course["workflow_state"] in ("deleted", "completed"):
            course["workflow_state"] = "unpublished"
        elif status != "active":
            course["workflow_state"] = status
        course["integration_id"] = row.get("integration_id") or course["integration_id"]
        self._mark("courses", course)
        self.touched["courses"].add(course["id"])
        self.counts["courses"] += 1

    def _section(self, filename, row):
        """A sections.csv row."""
        section_id, status = row.get("section_id"), row.get("status", "").lower()
        if not section_id:
            return self.warn(filename, "No section_id given for a section")
        if not row.get("course_id"):
            return self.warn(filename, f"No course_id given for a section {section_id}")
        if not row.get("name"):
            return self.warn(filename, f"No name given for section {section_id}")
        if status not in ("active", "deleted"):
            return self.warn(filename, f"Improper status for section {section_id}")
        course = self.store.first("courses", sis_course_id=row["course_id"])
        if course is None:
            return self.warn(
                filename,
                f"Section {section_id} references course {row['course_id']} "
                "which doesn't exist",
            )
        section = self.store.first("sections", sis_section_id=section_id)
        if section is None:
            section = new_section(course, row["name"], sis_section_id=section_id)
        elif section["nonxlist_course_id"] is None:
            section["course_id"] = course["id"]
        section.update(name=row["name"], workflow_state=status)
        section["integration_id"] = (
            row.get("integration_id") or section["integration_id"]
        )
        self._mark("sections", section)
        self.touched["sections"].add(section["id"])
        self.counts["sections"] += 1

    def _user(self, filename, row):
        """A users.csv row."""
        user_id, login_id = row.get("user_id"), row.get("login_id")
        status = row.get("status", "").lower()
        if not user_id:
            return self.warn(filename, "No user_id given for a user")
        if not login_id:
            return self.warn(filename, f"No login_id given for user {user_id}")
        if status not in ("active", "suspended", "deleted"):
            return self.warn(filename, f"Improper status for user {user_id}")
        login = self.store.first("logins", sis_user_id=user_id)
        clash = lookup.login_by(self.store, "sis_login_id", login_id)
        if clash and clash is not login and clash["sis_user_id"] != user_id:
            return self.warn(
                filename,
                f"An existing Canvas user with the SIS ID {clash['sis_user_id']} has "
                f"already claimed {user_id}'s user_id requested login information, "
                "skipping",
            )
        full = row.get("full_name") or " ".join(
            part for part in (row.get("first_name"), row.get("last_name")) if part
        )
        if login is None:
            user = new_user(full or login_id, email=row.get("email") or None)
            login = new_login(user["id"], login_id, user_id)
        user = self.store.get("users", login["user_id"])
        if full:
            user["name"] = full
            user["sortable_name"] = row.get("sortable_name") or sortable(full)
            user["short_name"] = row.get("short_name") or full
        if row.get("first_name") or row.get("last_name"):
            user["first_name"] = row.get("first_name", "")
            user["last_name"] = row.get("last_name", "")
        user["email"] = row.get("email") or user["email"]
        login["unique_id"] = login_id
        login["integration_id"] = row.get("integration_id") or login["integration_id"]
        login["workflow_state"] = status
        user["workflow_state"] = "deleted" if status == "deleted" else "registered"
        self._mark("logins", login)
        self.store.touch("users", user)
        self.counts["users"] += 1

    def _enrollment(self, filename, row):
        """An enrollments.csv row."""
        status = row.get("status", "").lower()
        role = (row.get("role") or "").lower()
        kind = ROLE_TYPES.get(role) or ROLE_BY_ID.get(as_int(row.get("role_id")))
        sis_user, sis_course = row.get("user_id", ""), row.get("course_id", "")
        sis_section = row.get("section_id", "")
        if kind is None:
            return self.warn(filename, f'Improper role "{role}" for an enrollment')
        if status not in (
            "active",
            "deleted",
            "completed",
            "inactive",
            "deleted_last_completed",
        ):
            return self.warn(filename, f'Improper status "{status}" for an enrollment')
        login = self.store.first("logins", sis_user_id=sis_user) if sis_user else None
        if login is None and row.get("user_integration_id"):
            login = self.store.first(
                "logins", integration_id=row["user_integration_id"]
            )
        if login is None:
            return self.warn(
                filename,
                f"User not found for enrollment (User ID: {sis_user}, Course ID: "
                f"{sis_course}, Section ID: {sis_section}, Role: {role})",
            )
        course = (
            self.store.first("courses", sis_course_id=sis_course)
            if sis_course
            else None
        )
        section = (
            self.store.first("sections", sis_section_id=sis_section)
            if sis_section
            else None
        )
        if section is not None and course is None:
            course = self.store.get("courses", section["course_id"])
        if course is None or (sis_section and section is None):
            return self.warn(
                filename,
                f"Neither course nor section existed for user enrollment (Course ID: "
                f"{sis_course}, Section ID: {sis_section}, User ID: {sis_user})",
            )
        section = section or default_section(course)
        state = status
        if status == "deleted_last_completed":
            others = [
                e
                for e in self.store.find(
                    "enrollments", user_id=login["user_id"], course_id=course["id"]
                )
                if e["course_section_id"] != section["id"]
                and e["workflow_state"] != "deleted"
            ]
            state = "deleted" if others else "completed"
        user = self.store.get("users", login["user_id"])
        enrollment = enroll(
            course,
            section,
            user,
            kind,
            state,
            limit_privileges_to_course_section=row.get(
                "limit_section_privileges", ""
            ).lower()
            == "true",
        )
        self._mark("enrollments", enrollment)
        self.touched["enrollments"].add(enrollment["id"])
        self.counts["enrollments"] += 1

    def batch_delete(self, term_id, kinds):
        """Batch mode: delete SIS items of the term that the import left out."""
        for kind, table, count in (
            ("course", "courses", "batch_courses_deleted"),
            ("section", "sections", "batch_sections_deleted"),
            ("enrollment", "enrollments", "batch_enrollments_deleted"),
        ):
            if kind not in kinds:
                continue
            for row in self.store.rows(table):
                if row.get("sis_import_id") is None or row["id"] in self.touched[table]:
                    continue
                course = (
                    row
                    if table == "courses"
                    else self.store.get("courses", row["course_id"])
                )
                if course["enrollment_term_id"] != term_id:
                    continue
                if row["workflow_state"] == "deleted":
                    continue
                row["workflow_state"] = "deleted"
                self.store.touch(table, row)
                self.counts[count] += 1
