"""Writing a parsed OneRoster set: diff against Homeroom by external id, then write.

Each kind of record is loaded once into a dict; rows are compared in memory.
Changed records are updated through the session; new ones are inserted in one
executemany per kind, and their ids read back in one query. Nothing here
commits: the caller commits once, or rolls back.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from pathlib import Path

from werkzeug.security import generate_password_hash

from models.auth import User
from models.base import db
from models.courses import Course, Section
from models.lms import new_sections_defaults
from models.oneroster.archive import RosterArchiveError, read_roster_files
from models.oneroster.parse import EmailOwner, RosterError, Snapshot, parse_roster
from models.scheduling import Enrollment
from models.school import MarkingPeriod
from models.staff import Staff
from models.students import Student

logger = logging.getLogger(__name__)

KINDS = ("marking_periods", "courses", "sections", "students", "staff", "enrollments")
OUTCOMES = ("created", "updated", "dropped", "unchanged")
_PERIOD_RANK = {"year": 0, "semester": 1, "quarter": 2, "progress": 3}
_PERSON_MODELS = {"student": Student, "staff": Staff}

# Stands for the id of a record a dry run would create; it equals nothing.
_NEW = object()


@dataclass
class ImportResult:
    """Counts per outcome and kind, the errors that stopped the import, and notes."""

    counts: dict = field(default_factory=lambda: _empty_counts())
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def ok(self):
        """True when the set had no errors."""
        return not self.errors

    def total(self, outcome):
        """How many records of every kind had this outcome."""
        return sum(self.counts[outcome].values())

    def as_dict(self):
        """The result as `roster import --json` prints it."""
        result = {outcome: dict(self.counts[outcome]) for outcome in OUTCOMES}
        result["errors"] = [error.as_dict() for error in self.errors]
        return result


def _empty_counts():
    return {outcome: dict.fromkeys(KINDS, 0) for outcome in OUTCOMES}


def _distinct(ids):
    """Ids in order, each once; a dry run's new ones (_NEW) are all kept."""
    seen = []
    for id_ in ids:
        if id_ is _NEW or id_ not in seen:
            seen.append(id_)
    return seen


def import_path(path, school, *, write=True, progress=None):
    """Read a folder or zip and import it; see run_import."""
    try:
        files = read_roster_files(path)
    except RosterArchiveError as error:
        return ImportResult(errors=[RosterError(Path(path).name, None, "", str(error))])
    return run_import(files, school, write=write, progress=progress)


def run_import(files, school, *, write=True, progress=None):
    """Validate a set against Homeroom and, when it is clean, write it.

    With write=False the same comparison runs and is counted, and nothing is
    added to the session. Never commits.
    """
    existing = Existing(school)
    parsed = parse_roster(files, existing.snapshot())
    if parsed.errors:
        return ImportResult(errors=parsed.errors, notes=parsed.notes)
    counts = _Applier(parsed, existing, write, progress).apply()
    return ImportResult(counts=counts, notes=parsed.notes)


def _by_external_id(model, school_id):
    rows = db.session.scalars(db.select(model).where(model.school_id == school_id))
    return {row.external_id: row for row in rows}


def _person_label(kind, person):
    word = "student" if kind == "student" else "staff member"
    return f"{word} {person.local_id} {person.full_name} ({person.external_id})"


class Existing:
    """The school's records, loaded once per kind and keyed for the diff."""

    def __init__(self, school):
        self.school = school
        self.periods = _by_external_id(MarkingPeriod, school.id)
        self.courses = _by_external_id(Course, school.id)
        self.sections = _by_external_id(Section, school.id)
        self.students = _by_external_id(Student, school.id)
        self.staff = _by_external_id(Staff, school.id)
        self.users = db.session.scalars(db.select(User)).all()
        self.accounts = {}
        for user in self.users:
            if user.student_id:
                self.accounts["student", user.student_id] = user
            if user.staff_id:
                self.accounts["staff", user.staff_id] = user
        self.accounts_by_email = {user.email: user for user in self.users}
        self.enrollments = {}
        self.active_pairs = {}
        for stint in db.session.scalars(
            db.select(Enrollment)
            .where(Enrollment.school_id == school.id)
            .order_by(Enrollment.id)
        ):
            self.enrollments[stint.external_id] = stint  # the latest stint wins
            if stint.status == "active":
                self.active_pairs[stint.student_id, stint.section_id] = stint

    def people(self, kind):
        """Students or staff, keyed by external id."""
        return self.students if kind == "student" else self.staff

    def snapshot(self):
        """What the parser needs to check references and clashes, as plain values."""
        snap = Snapshot(school=self.school.external_id)
        by_id = {period.id: period for period in self.periods.values()}
        for ext, period in self.periods.items():
            parent = by_id.get(period.parent_id)
            snap.sessions[ext] = (
                period.kind,
                period.start_date,
                period.end_date,
                parent.external_id if parent else None,
            )
        snap.courses = set(self.courses)
        snap.course_codes = {c.code.lower(): ext for ext, c in self.courses.items()}
        snap.sections = set(self.sections)
        people = {}
        for kind in ("student", "staff"):
            for ext, person in self.people(kind).items():
                label = _person_label(kind, person)
                people[kind, person.id] = (ext, label)
                snap.people[ext] = (kind, label)
                snap.local_ids[kind, person.local_id.lower()] = ext
                if person.email:
                    snap.emails.setdefault(person.email.lower(), EmailOwner(ext, label))
        for user in self.users:
            key = ("student", user.student_id) if user.student_id else None
            key = ("staff", user.staff_id) if user.staff_id else key
            if key in people:
                snap.emails[user.email] = EmailOwner(*people[key])
            else:
                label = f"the {user.role} account {user.email}"
                snap.emails[user.email] = EmailOwner(None, label, user.role)
        return snap


class _Applier:
    """Compares parsed rows with existing records and writes the differences."""

    def __init__(self, parsed, existing, write, progress):
        self.parsed = parsed
        self.existing = existing
        self.write = write
        self.progress = progress or (lambda done, total, message: None)
        self.school_id = existing.school.id
        self.counts = {outcome: Counter() for outcome in OUTCOMES}
        self.loaded = {
            "period": existing.periods,
            "course": existing.courses,
            "section": existing.sections,
            "student": existing.students,
            "staff": existing.staff,
        }
        self.created = {}  # (kind, external id) -> id, or _NEW in a dry run
        self.inserts = {}  # model -> rows to insert at the end of the step
        self.hashes = {}
        # Lower case, as the forms compare local ids.
        self.used_local_ids = {
            kind: {p.local_id.lower() for p in existing.people(kind).values()}
            | {
                u.local_id.lower()
                for u in parsed.users
                if u.kind == kind and u.local_id
            }
            for kind in ("student", "staff")
        }
        self.moved_emails = []  # (account, email) to write once all are freed
        self.next_local_number = Counter()
        self.done = 0
        self.total = sum(
            len(rows)
            for rows in (
                parsed.sessions,
                parsed.courses,
                parsed.classes,
                parsed.users,
                parsed.enrollments,
            )
        )

    def apply(self):
        """Run every step in dependency order; return the counts."""
        self._school()
        for step, rows, message in (
            (self._sessions, self.parsed.sessions, "marking periods"),
            (self._courses, self.parsed.courses, "courses"),
            (self._people, self.parsed.users, "students and staff"),
            (self._sections, self.parsed.classes, "sections"),
            (self._enrollments, self.parsed.enrollments, "enrollments"),
        ):
            self.progress(self.done, self.total, f"Importing {message}")
            logger.debug("roster import: %s, %d rows", message, len(rows))
            step()
            self._flush()
            self.done += len(rows)
        self.progress(self.total, self.total, "Import written")
        return {
            outcome: {kind: self.counts[outcome][kind] for kind in KINDS}
            for outcome in OUTCOMES
        }

    def _flush(self):
        if self.write:
            db.session.flush()

    def _count(self, kind, outcome):
        self.counts[outcome][kind] += 1

    def _id(self, kind, external_id):
        """The database id for a referenced record, _NEW in a dry run, or None."""
        existing = self.loaded[kind].get(external_id)
        if existing is not None:
            return existing.id
        return self.created.get((kind, external_id))

    def _save(self, kind, model, record, values, external_id, dropping=False):
        """Create or update one record from values, and count the outcome."""
        if record is None:
            self._count(kind, "created")
            self._create(model, values, external_id)
            return
        changed = self._update(record, values)
        if not changed:
            self._count(kind, "unchanged")
        else:
            self._count(kind, "dropped" if dropping else "updated")

    def _update(self, record, values):
        """Set the values that differ; return them."""
        changed = {k: v for k, v in values.items() if getattr(record, k) != v}
        if self.write:
            for key, value in changed.items():
                setattr(record, key, value)
        return changed

    def _create(self, model, values, external_id=None):
        """Queue a new row for the step's bulk insert."""
        row = dict(values, school_id=self.school_id)
        if external_id is not None:
            row["external_id"] = external_id
        self.inserts.setdefault(model, []).append(row)

    def _insert(self, model, kind=None):
        """Insert the queued rows of a model at once; note their ids under kind."""
        rows = self.inserts.pop(model, [])
        if kind is not None and not self.write:
            self.created.update(((kind, row["external_id"]), _NEW) for row in rows)
        if not rows or not self.write:
            return
        db.session.execute(db.insert(model), rows)
        if kind is not None:
            wanted = {row["external_id"] for row in rows}
            found = db.session.execute(
                db.select(model.external_id, model.id).where(
                    model.school_id == self.school_id
                )
            )
            self.created.update(
                ((kind, ext), id_) for ext, id_ in found if ext in wanted
            )

    def _school(self):
        """Name the school after the set's one school org, the first time."""
        school = self.existing.school
        if self.parsed.school is None or not self.write:
            return
        sourced_id, name = self.parsed.school
        if school.external_id in (None, sourced_id):
            school.external_id = sourced_id
            school.name = name or school.name

    def _sessions(self):
        rows = sorted(self.parsed.sessions, key=lambda row: _PERIOD_RANK[row.kind])
        for _, level in groupby(rows, key=lambda row: _PERIOD_RANK[row.kind]):
            for row in level:
                self._session(row)
            self._insert(MarkingPeriod, "period")  # children need their parents' ids

    def _session(self, row):
        record = self.existing.periods.get(row.sourced_id)
        parent_id = self._id("period", row.parent) if row.parent else None
        if row.status == "tobedeleted" or (row.parent and parent_id is None):
            # Marking periods hold grades, so an import never deletes one.
            self._count("marking_periods", "unchanged")
            return
        values = {
            "kind": row.kind,
            "title": row.title,
            "start_date": row.start,
            "end_date": row.end,
            "parent_id": parent_id,
        }
        if record is None:
            values["short_name"] = row.short_name
        self._save("marking_periods", MarkingPeriod, record, values, row.sourced_id)

    def _courses(self):
        for row in self.parsed.courses:
            record = self.existing.courses.get(row.sourced_id)
            if row.status == "tobedeleted" and record is None:
                self._count("courses", "unchanged")
                continue
            values = {
                "code": row.code,
                "title": row.title,
                "active": row.status == "active",
            }
            if row.subject:
                values["subject"] = row.subject
            dropping = row.status == "tobedeleted" and record.active
            self._save("courses", Course, record, values, row.sourced_id, dropping)
        self._insert(Course, "course")

    def _people(self):
        """People first, then their logins, which need the new people's ids."""
        people = []
        for row in self.parsed.users:
            record = self.existing.people(row.kind).get(row.sourced_id)
            kind = "students" if row.kind == "student" else "staff"
            if row.status == "tobedeleted" and record is None:
                self._count(kind, "unchanged")
                continue
            values = self._person_values(row, record)
            if record is None:
                self._create(_PERSON_MODELS[row.kind], values, row.sourced_id)
                people.append((row, None, kind, None, False))
                continue
            dropping = row.status == "tobedeleted" and record.status == "active"
            changed = self._update(record, values)
            people.append((row, record, kind, changed, dropping))
        self._insert(Student, "student")
        self._insert(Staff, "staff")

        for row, record, kind, changed, dropping in people:
            person_id = record.id if record else self._id(row.kind, row.sourced_id)
            account_changed = self._account(row, record, person_id)
            if record is None:
                self._count(kind, "created")
            elif not (changed or account_changed):
                self._count(kind, "unchanged")
            else:
                self._count(kind, "dropped" if dropping else "updated")
        self._move_emails()
        self._insert(User)

    def _person_values(self, row, record):
        values = {
            "first_name": row.first_name,
            "middle_name": row.middle_name,
            "last_name": row.last_name,
            "status": "inactive" if row.status == "tobedeleted" else "active",
        }
        if row.email:
            values["email"] = row.email
        if row.local_id:
            values["local_id"] = row.local_id
        elif record is None:
            values["local_id"] = self._new_local_id(row.kind)
        if row.kind == "student" and row.grade_level:
            values["grade_level"] = row.grade_level
        if row.kind == "staff":
            values["role"] = row.role
        return values

    def _new_local_id(self, kind):
        """The next free local id: S00001 for students, T0001 for staff."""
        prefix, width = ("S", 5) if kind == "student" else ("T", 4)
        used = self.used_local_ids[kind]
        while True:
            self.next_local_number[kind] += 1
            candidate = f"{prefix}{self.next_local_number[kind]:0{width}d}"
            if candidate.lower() not in used:
                used.add(candidate.lower())
                return candidate

    def _account(self, row, record, person_id):
        """Create or update the person's login; say whether anything changed."""
        account = None
        if record is not None:
            account = self.existing.accounts.get((row.kind, record.id))
        if account is None and row.email:
            found = self.existing.accounts_by_email.get(row.email)
            if found is not None and not (found.student_id or found.staff_id):
                account = found  # an account made before the import, now linked
        if account is None and not row.email:
            return False  # no email, no login
        values = {
            "role": row.role,
            "active": row.enabled and row.status == "active",
        }
        if row.email:
            values["email"] = row.email
        link = f"{row.kind}_id"
        if account is None:
            values.update({link: person_id, "password_hash": self._hash(row.password)})
            self._create(User, values)
            return True
        values[link] = person_id
        if row.password and not account.password_hash:
            values["password_hash"] = self._hash(row.password)
        email = values.pop("email", account.email)
        if email != account.email:
            self.moved_emails.append((account, email))
        return bool(self._update(account, values)) or email != account.email

    def _move_emails(self):
        """Write changed login emails in two steps, so that people can swap them.

        Emails are unique, and the database checks each update as it goes: one
        login taking another's old email would clash with it until both moved.
        """
        if not self.write or not self.moved_emails:
            return
        for account, _ in self.moved_emails:
            account.email = f"moving-{account.id}@roster-import.invalid"
        db.session.flush()
        for account, email in self.moved_emails:
            account.email = email

    def _hash(self, password):
        """Hash each distinct password once per import: hashing is slow on purpose."""
        if not password:
            return ""
        if password not in self.hashes:
            self.hashes[password] = generate_password_hash(password)
        return self.hashes[password]

    def _teachers(self):
        """Per class: the active teacher rows (primary first) and those to remove."""
        active, removed = {}, {}
        for row in self.parsed.enrollments:
            if row.role != "teacher":
                continue
            target = active if row.status == "active" else removed
            target.setdefault(row.class_id, []).append(row)
        ordered = {
            class_id: sorted(rows, key=lambda r: not r.primary)
            for class_id, rows in active.items()
        }
        gone = {
            class_id: {r.user_id for r in rows} for class_id, rows in removed.items()
        }
        return ordered, gone

    def _teacher_values(self, class_id, record):
        """teacher_id and co_teacher_id as the set's teacher enrollments say.

        A bulk file lists a class's teachers in full. A delta file lists only
        changes: its rows join the section's teachers (a primary one first) and
        its tobedeleted rows leave; the rest stay.
        """
        rows = self.active_teachers.get(class_id, [])
        if not rows and (class_id not in self.removed_teachers or record is None):
            return {}
        primaries = {}
        for row in rows:
            primaries.setdefault(row.user_id, row.primary)
        listed = [(self._id("staff", s), first) for s, first in primaries.items()]
        ids = [staff_id for staff_id, _ in listed]
        if record is not None and (not rows or self.delta_enrollments):
            gone = {
                self._id("staff", s) for s in self.removed_teachers.get(class_id, ())
            }
            kept = [
                staff_id
                for staff_id in (record.teacher_id, record.co_teacher_id)
                if staff_id not in gone
            ]
            primary = [staff_id for staff_id, first in listed if first]
            others = [staff_id for staff_id, first in listed if not first]
            ids = primary + kept + others
        ids = _distinct(staff_id for staff_id in ids if staff_id is not None)
        ids += [None, None]
        return {"teacher_id": ids[0], "co_teacher_id": ids[1]}

    def _sections(self):
        # New sections take the school's Canvas defaults (LMS settings), read
        # once: a query per row would also flush the session per row.
        self.section_defaults = new_sections_defaults()
        self.active_teachers, self.removed_teachers = self._teachers()
        self.delta_enrollments = "enrollments.csv" in self.parsed.delta
        for row in self.parsed.classes:
            self._section(row)
        self._insert(Section, "section")
        listed = {row.sourced_id for row in self.parsed.classes}
        for class_id in {**self.active_teachers, **self.removed_teachers}:
            record = self.existing.sections.get(class_id)
            if class_id not in listed and record is not None:
                values = self._teacher_values(class_id, record)
                self._save("sections", Section, record, values, class_id)

    def _section(self, row):
        record = self.existing.sections.get(row.sourced_id)
        course_id = self._id("course", row.course)
        period_id = self._id("period", row.term)
        if (row.status == "tobedeleted" and record is None) or None in (
            course_id,
            period_id,
        ):
            self._count("sections", "unchanged")
            return
        values = {
            "course_id": course_id,
            "marking_period_id": period_id,
            "title": row.title,
            "active": row.status == "active",
        }
        if row.period:
            values["period"] = row.period
        if row.room:
            values["room"] = row.room
        values.update(self._teacher_values(row.sourced_id, record))
        if record is None:
            virtual, sync = self.section_defaults
            values.update(virtual_class=virtual, canvas_sync=sync)
        dropping = row.status == "tobedeleted" and record.active
        self._save("sections", Section, record, values, row.sourced_id, dropping)

    def _section_starts(self):
        """Each class's first day, for enrollments that give no beginDate."""
        by_ext = {ext: p.start_date for ext, p in self.existing.periods.items()}
        by_ext.update({row.sourced_id: row.start for row in self.parsed.sessions})
        by_id = {p.id: p.start_date for p in self.existing.periods.values()}
        starts = {
            ext: by_id.get(s.marking_period_id)
            for ext, s in self.existing.sections.items()
        }
        for row in self.parsed.classes:
            starts[row.sourced_id] = by_ext.get(row.term)
        return starts

    def _enrollments(self):
        starts = self._section_starts()
        rows = [row for row in self.parsed.enrollments if row.role == "student"]
        for number, row in enumerate(rows, start=1):
            self._enrollment(row, starts)
            if number % 1000 == 0:
                self.progress(self.done + number, self.total, "Importing enrollments")
        self._drop_leavers()
        self._insert(Enrollment)

    def _drop_leavers(self):
        """End the stints of students the set deletes: only active ones are taught."""
        leaving = {
            self.existing.students[row.sourced_id].id
            for row in self.parsed.users
            if row.status == "tobedeleted" and row.sourced_id in self.existing.students
        }
        for (student_id, _), stint in list(self.existing.active_pairs.items()):
            if student_id in leaving:
                self._end_stint(stint, stint.external_id)

    def _end_stint(self, stint, external_id, end=None):
        """Drop a student from a section; the stint stays, with its end date."""
        # Never before the stint began, which the roster page also refuses.
        end = end or max(date.today(), stint.start_date)
        values = {"status": "dropped", "end_date": end}
        self._save("enrollments", Enrollment, stint, values, external_id, True)
        # A later row may put the student back: that is a new stint, in a
        # dry run as in a real one.
        self.existing.active_pairs.pop((stint.student_id, stint.section_id), None)

    def _enrollment(self, row, starts):
        student_id = self._id("student", row.user_id)
        section_id = self._id("section", row.class_id)
        if None in (student_id, section_id):
            self._count("enrollments", "unchanged")
            return
        record = self.existing.enrollments.get(row.sourced_id)
        start = starts.get(row.class_id)
        if _moved(record, row, student_id, section_id):
            # The sourcedId now names another class or student: a new stint.
            # The old one ends today and stays as history; the new one starts
            # today unless the row says when.
            self._end_stint(record, row.sourced_id)
            today = date.today()
            record, start = None, today if start is None else max(start, today)
        if record is None:
            record = self.existing.active_pairs.get((student_id, section_id))
        if row.status == "tobedeleted":
            if record is None or record.status == "dropped":
                self._count("enrollments", "unchanged")
                return
            self._end_stint(record, row.sourced_id, row.end)
            return
        if record is not None and record.status == "dropped":
            record = None  # back in the class: a new stint, the old one kept
        values = {
            "student_id": student_id,
            "section_id": section_id,
            "status": "active",
            "start_date": row.begin or (record.start_date if record else start),
        }
        if row.end:
            values["end_date"] = row.end
        if record is not None:
            values["external_id"] = row.sourced_id
        self._save("enrollments", Enrollment, record, values, row.sourced_id)


def _moved(record, row, student_id, section_id):
    """True when an active row moves its sourcedId's active stint elsewhere."""
    return (
        record is not None
        and record.status == "active"
        and row.status == "active"
        and (record.student_id, record.section_id) != (student_id, section_id)
    )
