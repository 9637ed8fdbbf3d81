"""OneRoster 1.1 CSV: read a set of files into typed rows, collecting every error.

Pure: it takes file texts and a snapshot of what Homeroom already holds, as
plain values, and returns plain values. Nothing here touches the database.
Lines count as an editor shows them: the header is line 1.
"""

import contextlib
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from email_validator import EmailNotValidError, validate_email

DATA_FILES = (
    "orgs.csv",
    "academicSessions.csv",
    "courses.csv",
    "classes.csv",
    "users.csv",
    "enrollments.csv",
)
MANIFEST = "manifest.csv"

_REQUIRED_COLUMNS = {
    "orgs.csv": ("sourcedId", "name", "type"),
    "academicSessions.csv": ("sourcedId", "title", "type", "startDate", "endDate"),
    "courses.csv": ("sourcedId", "title"),
    "classes.csv": ("sourcedId", "title", "courseSourcedId", "termSourcedIds"),
    "users.csv": ("sourcedId", "role", "givenName", "familyName"),
    "enrollments.csv": ("sourcedId", "classSourcedId", "userSourcedId", "role"),
}
_STATUSES = ("active", "tobedeleted")
_SESSION_TYPES = ("schoolYear", "semester", "term", "gradingPeriod")
_KIND_RANK = {"year": 0, "semester": 1, "quarter": 2, "progress": 3}
_CLASS_TYPES = ("homeroom", "scheduled")
_USER_ROLES = {
    "student": ("student", "student"),
    "teacher": ("staff", "teacher"),
    "administrator": ("staff", "admin"),
}
# OneRoster roles Homeroom keeps no record for; their rows are passed over.
_PASSED_USER_ROLES = ("aide", "guardian", "parent", "proctor", "relative")
_ENROLLMENT_ROLES = ("student", "teacher")
_PASSED_ENROLLMENT_ROLES = ("administrator", "proctor", "aide")
_GRADE_ALIASES = {"PK": "PK", "PR": "PK", "TK": "PK", "KG": "KG"}
_SOURCED_ID_MAX = 100
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The student and staff forms' LOCAL_ID_RULE (blueprints/students/forms.py):
# an id the import takes must be one those forms can save again.
_LOCAL_ID = re.compile(r"[A-Za-z0-9._-]+")
# What a reference names, for saying that it is marked tobedeleted.
_RECORD_WORDS = {
    "academicSessions.csv": "session",
    "courses.csv": "course",
    "classes.csv": "class",
    "users.csv": "user",
}


@dataclass(frozen=True)
class RosterError:
    """One problem in the files: where it is and what is wrong."""

    file: str
    line: int | None
    column: str
    message: str

    def as_dict(self):
        """The error as the JSON output and the preview page show it."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class SessionRow:
    """An academic session, to become a marking period."""

    line: int
    sourced_id: str
    status: str
    title: str
    type: str
    start: date
    end: date
    parent: str | None
    kind: str = ""

    @property
    def short_name(self):
        """The period's short name: its title, cut to the column's width."""
        return self.title[:20]


@dataclass
class CourseRow:
    """A course of the catalogue."""

    line: int
    sourced_id: str
    status: str
    title: str
    code: str
    subject: str


@dataclass
class ClassRow:
    """A class, to become a section in one marking period."""

    line: int
    sourced_id: str
    status: str
    title: str
    course: str
    term: str | None
    period: str
    room: str


@dataclass
class UserRow:
    """A student or a member of staff, with the login they sign in with."""

    line: int
    sourced_id: str
    status: str
    kind: str
    role: str
    enabled: bool
    first_name: str
    middle_name: str
    last_name: str
    email: str | None
    local_id: str | None
    grade_level: str | None
    password: str


@dataclass
class EnrollmentRow:
    """A student's place in a class, or a teacher's."""

    line: int
    sourced_id: str
    status: str
    class_id: str
    user_id: str
    role: str
    primary: bool
    begin: date | None
    end: date | None


@dataclass(frozen=True)
class EmailOwner:
    """Who holds an email in Homeroom: a person, or an account with no person."""

    person: str | None
    label: str
    account_role: str | None = None


@dataclass
class Snapshot:
    """What Homeroom already holds, as plain values, for cross-checking rows."""

    # sourcedId -> (kind, start, end, parent sourcedId)
    sessions: dict = field(default_factory=dict)
    courses: set = field(default_factory=set)
    course_codes: dict = field(default_factory=dict)  # lower-case code -> sourcedId
    sections: set = field(default_factory=set)
    people: dict = field(default_factory=dict)  # sourcedId -> (kind, label)
    # (kind, lower-case local id) -> sourcedId
    local_ids: dict = field(default_factory=dict)
    emails: dict = field(default_factory=dict)  # email -> EmailOwner
    school: str | None = None


@dataclass
class ParsedRoster:
    """Every valid row of a set, the errors found, and notes on rows passed over."""

    sessions: list = field(default_factory=list)
    courses: list = field(default_factory=list)
    classes: list = field(default_factory=list)
    users: list = field(default_factory=list)
    enrollments: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    school: tuple | None = None  # (sourcedId, name) of the one school org
    delta: set = field(default_factory=set)  # files the manifest marks delta


class _Row:
    """One record of a file; its readers note errors against their column."""

    def __init__(self, parser, line, values):
        self.parser = parser
        self.line = line
        self.values = values
        self.ok = True

    def error(self, column, message):
        """Note an error in this row."""
        self.ok = False
        self.parser.error(self.line, column, message)

    def text(self, column, required=False, limit=None):
        """A stripped value; required ones must be present, long ones are refused."""
        value = (self.values.get(column) or "").strip()
        if required and not value:
            self.error(column, "is required")
        elif limit and len(value) > limit:
            self.error(column, f"is {len(value)} characters long; at most {limit}")
        return value

    def choice(self, column, allowed, default=None, passed=()):
        """A value from an enumeration; blank gives the default."""
        value = self.text(column)
        if not value and default is not None:
            return default
        if value in allowed or value in passed:
            return value
        self.error(column, f"{value!r} is not one of {', '.join(allowed)}")
        return default

    def date(self, column, required=False):
        """A YYYY-MM-DD date, or None when blank and not required."""
        value = self.text(column, required=required)
        if not value:
            return None
        try:
            if _DATE.fullmatch(value):
                return date.fromisoformat(value)
        except ValueError:
            pass
        self.error(column, f"{value!r} is not a date in the form YYYY-MM-DD")
        return None

    def boolean(self, column, default):
        """true or false; blank gives the default."""
        value = self.text(column).lower()
        if not value:
            return default
        if value in ("true", "false"):
            return value == "true"
        self.error(column, f"{value!r} is not true or false")
        return default

    def ids(self, column, required=False):
        """A comma-separated list of sourcedIds."""
        value = self.text(column, required=required)
        return [part.strip() for part in value.split(",") if part.strip()]

    def common(self):
        """Check the columns every file shares; return (sourcedId, status)."""
        sourced_id = self.text("sourcedId", required=True, limit=_SOURCED_ID_MAX)
        status = self.choice("status", _STATUSES, default="active")
        modified = self.text("dateLastModified")
        if modified:
            try:
                datetime.fromisoformat(modified)
            except ValueError:
                self.error("dateLastModified", f"{modified!r} is not an ISO 8601 time")
        return sourced_id, status


class _FileParser:
    """Reads one CSV file into rows, keeping track of ids already seen."""

    def __init__(self, name, errors):
        self.name = name
        self.errors = errors
        self.seen = {}
        self.ids = set()

    def error(self, line, column, message):
        """Note an error in this file."""
        self.errors.append(RosterError(self.name, line, column, message))

    def rows(self, data):
        """Yield each record as a _Row, after checking the header."""
        text = self._decode(data)
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if not header:
            self.error(1, "", "the file is empty; it needs at least a header line")
            return
        header = [name.strip() for name in header]
        for column in sorted({c for c in header if header.count(c) > 1}):
            self.error(1, column, "this column appears twice in the header")
        missing = [c for c in _REQUIRED_COLUMNS.get(self.name, ()) if c not in header]
        for column in missing:
            self.error(1, column, "this column is missing from the header")
        if missing:
            self._note_ids(reader, header)
            return
        try:
            for record in reader:
                if not any(cell.strip() for cell in record):
                    continue
                values = dict(zip(header, record, strict=False))
                row = _Row(self, reader.line_num, values)
                if len(record) != len(header):
                    row.error(
                        "",
                        f"the line has {len(record)} fields; "
                        f"the header has {len(header)}",
                    )
                yield row
        except csv.Error as error:
            self.error(reader.line_num, "", f"the line is not valid CSV: {error}")

    def _note_ids(self, reader, header):
        """Keep the ids of a file whose header is wrong, so references to them hold."""
        if "sourcedId" not in header:
            return
        at = header.index("sourcedId")
        with contextlib.suppress(csv.Error):
            self.ids = {record[at].strip() for record in reader if len(record) > at}

    def unique(self, row, sourced_id):
        """Refuse a sourcedId already used on an earlier line of this file."""
        if not sourced_id:
            return
        earlier = self.seen.setdefault(sourced_id, row.line)
        if earlier != row.line:
            row.error("sourcedId", f"{sourced_id!r} is also on line {earlier}")

    def _decode(self, data):
        if isinstance(data, str):
            return data.removeprefix("\ufeff")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            self.error(line, "", "the line is not UTF-8 text")
            # Read on regardless, so that other files' references still resolve.
            return data.decode("utf-8-sig", errors="replace")


def parse_roster(files, known=None):
    """Read a OneRoster set ({file name: text or bytes}) into a ParsedRoster."""
    return _Reader(files, known or Snapshot()).read()


class _Reader:
    """Reads the files of one set in dependency order and checks across them."""

    def __init__(self, files, known):
        self.files = files
        self.known = known
        self.result = ParsedRoster()
        self.errors = self.result.errors
        self.passed_users = set()
        self.user_kinds = {}
        # Every sourcedId of each file, valid or not, so that a reference to a
        # row already reported as wrong is not reported a second time.
        self.listed = {name: set() for name in DATA_FILES}
        self.deleted = {name: set() for name in DATA_FILES}
        self.unplaced = set()

    def read(self):
        """Parse every file present, then the references between them."""
        present = [name for name in DATA_FILES if name in self.files]
        if not present:
            self.errors.append(
                RosterError(
                    "", None, "", "no OneRoster files found: " + ", ".join(DATA_FILES)
                )
            )
            return self.result
        if MANIFEST in self.files:
            self._manifest()
        if "orgs.csv" in self.files:
            self._orgs()
        self._sessions()
        self._courses()
        self._classes()
        self._users()
        self._enrollments()
        self.errors.sort(key=_error_order)
        return self.result

    def _rows(self, name):
        parser = _FileParser(name, self.errors)
        if name not in self.files:
            return
        for row in parser.rows(self.files[name]):
            sourced_id = (row.values.get("sourcedId") or "").strip()
            self.listed[name].add(sourced_id)
            if (row.values.get("status") or "").strip() == "tobedeleted":
                self.deleted[name].add(sourced_id)
            yield parser, row
        self.listed[name] |= parser.ids

    def _deleted(self, name, sourced_id):
        """Why an active row may not name this record, or None when it may."""
        if sourced_id in self.deleted[name]:
            return (
                f"{_RECORD_WORDS[name]} {sourced_id!r} is marked tobedeleted in {name}"
            )
        return None

    def _refuse_deleted(self, row, status, column, name, ids):
        """An active row may not name a record the set marks tobedeleted."""
        if status != "active":
            return
        for sourced_id in ids:
            problem = self._deleted(name, sourced_id)
            if problem:
                row.error(column, problem)

    def _note(self, name, line, column, message):
        self.result.notes.append(RosterError(name, line, column, message))

    def _manifest(self):
        parser = _FileParser(MANIFEST, self.errors)
        for row in parser.rows(self.files[MANIFEST]):
            prop, value = row.text("propertyName"), row.text("value")
            if prop == "oneroster.version" and value not in ("1.0", "1.1"):
                row.error("value", f"Homeroom reads OneRoster 1.1, not {value}")
            name = prop.removeprefix("file.") + ".csv"
            wanted = prop.startswith("file.") and value in ("bulk", "delta")
            if wanted and name not in self.files:
                row.error("value", f"the manifest lists {name} but the set lacks it")
            if wanted and value == "delta":
                self.result.delta.add(name)

    def _orgs(self):
        schools = []
        for parser, row in self._rows("orgs.csv"):
            sourced_id, status = row.common()
            parser.unique(row, sourced_id)
            name = row.text("name", required=True, limit=200)
            org_type = row.text("type", required=True)
            if org_type == "school" and status == "active" and row.ok:
                schools.append((sourced_id, name))
        if len(schools) == 1:
            self.result.school = schools[0]

    def _org_ref(self, row, column, ids):
        """Check org references, when the set carries its orgs."""
        if "orgs.csv" not in self.files:
            return
        for org in ids:
            if org not in self.listed["orgs.csv"] and org != self.known.school:
                row.error(column, f"no org has sourcedId {org!r}")

    def _sessions(self):
        rows = {}
        for parser, row in self._rows("academicSessions.csv"):
            sourced_id, status = row.common()
            parser.unique(row, sourced_id)
            session = SessionRow(
                line=row.line,
                sourced_id=sourced_id,
                status=status,
                title=row.text("title", required=True, limit=100),
                type=row.choice("type", _SESSION_TYPES),
                start=row.date("startDate", required=True),
                end=row.date("endDate", required=True),
                parent=row.text("parentSourcedId") or None,
            )
            year = row.text("schoolYear")
            if year and not re.fullmatch(r"\d{4}", year):
                row.error("schoolYear", f"{year!r} is not a four-digit year")
            if session.start and session.end and session.end < session.start:
                row.error("endDate", "is before startDate")
            if row.ok:
                rows[sourced_id] = session
        self.sessions = rows
        for session in rows.values():
            self._session_kind(session, set())
        for session in rows.values():
            if session.kind:
                self.result.sessions.append(session)

    def _session_info(self, sourced_id):
        """(kind, start, end, parent) of a session in the files or in Homeroom."""
        row = self.sessions.get(sourced_id)
        if row is not None:
            return row.kind, row.start, row.end, row.parent
        return self.known.sessions.get(sourced_id)

    def _session_kind(self, session, visiting):
        """Work out a session's kind from its type and its parent's kind.

        Returns "" for a session that cannot be placed, None while it is
        being placed (so that a loop of parents shows itself).
        """
        if session.kind or session.sourced_id in self.unplaced:
            return session.kind
        if session.sourced_id in visiting:
            return None
        visiting.add(session.sourced_id)
        parent_kind, fail = self._parent_kind(session, visiting)
        kind = _kind_for(session.type, parent_kind)
        if not fail and parent_kind and _KIND_RANK[kind] <= _KIND_RANK[parent_kind]:
            fail = f"a {kind} cannot sit inside a {parent_kind}"
        if not fail and parent_kind:
            _, start, end, _ = self._session_info(session.parent)
            if session.start < start or session.end > end:
                fail = f"its dates fall outside its parent ({start} to {end})"
        if fail or parent_kind == "":
            self.unplaced.add(session.sourced_id)
            if fail:
                self.errors.append(
                    RosterError(
                        "academicSessions.csv", session.line, "parentSourcedId", fail
                    )
                )
            return ""
        session.kind = kind
        return kind

    def _parent_kind(self, session, visiting):
        """(parent's kind, error); the kind is "" when the parent is itself wrong."""
        if not session.parent:
            return None, None
        deleted = self._deleted("academicSessions.csv", session.parent)
        if deleted and session.status == "active":
            return None, deleted
        parent = self.sessions.get(session.parent)
        if parent is not None:
            kind = self._session_kind(parent, visiting)
            return kind, ("its parents form a loop" if kind is None else None)
        if session.parent in self.known.sessions:
            return self.known.sessions[session.parent][0], None
        if session.parent in self.listed["academicSessions.csv"]:
            return "", None  # the parent's own line is reported already
        return None, f"no academic session has sourcedId {session.parent!r}"

    def _courses(self):
        codes = {}
        for parser, row in self._rows("courses.csv"):
            sourced_id, status = row.common()
            parser.unique(row, sourced_id)
            code = row.text("courseCode", limit=50) or sourced_id[:50]
            course = CourseRow(
                line=row.line,
                sourced_id=sourced_id,
                status=status,
                title=row.text("title", required=True, limit=200),
                code=code,
                subject=row.text("subjects").split(",")[0].strip()[:100],
            )
            year = row.text("schoolYearSourcedId")
            if year and not self._session_known(year):
                row.error("schoolYearSourcedId", f"no session has sourcedId {year!r}")
            sessions = "academicSessions.csv"
            self._refuse_deleted(row, status, "schoolYearSourcedId", sessions, [year])
            self._org_ref(row, "orgSourcedId", row.ids("orgSourcedId"))
            self._check_code(row, course, codes)
            if row.ok:
                self.result.courses.append(course)

    def _check_code(self, row, course, codes):
        # The course form ignores case, so "alg1" beside "ALG1" could not be saved.
        key = course.code.lower()
        earlier = codes.setdefault(key, (row.line, course.code))
        owner = self.known.course_codes.get(key)
        if earlier[0] != row.line:
            row.error("courseCode", _also_on(course.code, *earlier))
        elif owner is not None and owner != course.sourced_id:
            row.error(
                "courseCode",
                f"{course.code!r} already belongs to course {owner!r} in Homeroom",
            )

    def _classes(self):
        for parser, row in self._rows("classes.csv"):
            sourced_id, status = row.common()
            parser.unique(row, sourced_id)
            course = row.text("courseSourcedId", required=True)
            listed = self.listed["courses.csv"]
            if course and course not in listed and course not in self.known.courses:
                row.error("courseSourcedId", f"no course has sourcedId {course!r}")
            self._refuse_deleted(
                row, status, "courseSourcedId", "courses.csv", [course]
            )
            row.choice("classType", _CLASS_TYPES, default="scheduled")
            self._org_ref(row, "schoolSourcedId", row.ids("schoolSourcedId"))
            section = ClassRow(
                line=row.line,
                sourced_id=sourced_id,
                status=status,
                title=row.text("title", required=True, limit=200),
                course=course,
                term=self._class_term(row, status),
                period=", ".join(row.ids("periods")),
                room=row.text("location", limit=50),
            )
            if len(section.period) > 20:
                row.error("periods", "is longer than 20 characters")
            if row.ok:
                self.result.classes.append(section)

    def _class_term(self, row, status):
        """The one marking period a class belongs to: its term, or their parent."""
        terms = row.ids("termSourcedIds", required=True)
        unknown = [t for t in terms if not self._session_known(t)]
        for term in unknown:
            row.error("termSourcedIds", f"no academic session has sourcedId {term!r}")
        sessions = "academicSessions.csv"
        self._refuse_deleted(row, status, "termSourcedIds", sessions, terms)
        if unknown or not terms or any(self._session_info(t) is None for t in terms):
            row.ok = False  # a term of this class is wrong, and reported as such
            return None
        chains = [self._ancestry(term) for term in terms]
        shared = [s for s in chains[0] if all(s in chain for chain in chains[1:])]
        if not shared:
            row.error("termSourcedIds", "these terms share no school year")
            return None
        return shared[0]

    def _session_known(self, sourced_id):
        """True when the session is in the files (even if wrong) or in Homeroom."""
        return (
            sourced_id in self.listed["academicSessions.csv"]
            or sourced_id in self.known.sessions
        )

    def _ancestry(self, sourced_id):
        """The session and its parents, nearest first."""
        chain = []
        while sourced_id and sourced_id not in chain:
            chain.append(sourced_id)
            info = self._session_info(sourced_id)
            sourced_id = info[3] if info else None
        return chain

    def _users(self):
        rows = []
        for parser, row in self._rows("users.csv"):
            sourced_id, status = row.common()
            parser.unique(row, sourced_id)
            role = row.choice("role", tuple(_USER_ROLES), passed=_PASSED_USER_ROLES)
            if role in _PASSED_USER_ROLES:
                self.passed_users.add(sourced_id)
                continue
            user = self._user(row, sourced_id, status, role)
            if row.ok and user is not None:
                rows.append((row, user))
        self._check_people(rows)
        self.result.users = [user for row, user in rows if row.ok]
        self.user_kinds = {u.sourced_id: u.kind for u in self.result.users}

    def _user(self, row, sourced_id, status, role):
        email = row.text("email", limit=254) or row.text("username")
        column = "email" if row.text("email") else "username"
        if "@" not in email and column == "username":
            email = ""
        if email:
            email = _check_email(row, column, email)
        self._org_ref(row, "orgSourcedIds", row.ids("orgSourcedIds"))
        if role is None:
            return None
        kind, homeroom_role = _USER_ROLES[role]
        return UserRow(
            line=row.line,
            sourced_id=sourced_id,
            status=status,
            kind=kind,
            role=homeroom_role,
            enabled=row.boolean("enabledUser", default=True),
            first_name=row.text("givenName", required=True, limit=100),
            middle_name=row.text("middleName", limit=100),
            last_name=row.text("familyName", required=True, limit=100),
            email=email or None,
            local_id=self._local_id(row),
            grade_level=self._grade(row, kind, sourced_id),
            password=self._password(row),
        )

    def _local_id(self, row):
        value = row.text("identifier", limit=50)
        if value and not _LOCAL_ID.fullmatch(value):
            row.error(
                "identifier",
                f"{value!r} may hold only letters, digits, dots, dashes and "
                "underscores",
            )
        return value or None

    def _password(self, row):
        value = row.values.get("password") or ""
        if value and len(value) < 8:
            row.error("password", "is shorter than 8 characters")
        return value

    def _grade(self, row, kind, sourced_id):
        """The first of the user's grades, as a Homeroom grade level."""
        first = row.text("grades").split(",")[0].strip()
        if kind != "student":
            return None
        if not first:
            if sourced_id not in self.known.people:
                row.error("grades", "a new student needs a grade level")
            return None
        level = _GRADE_ALIASES.get(first.upper())
        if level is None and first.isdigit() and 1 <= int(first) <= 12:
            level = f"{int(first):02d}"
        if level is None:
            row.error("grades", f"{first!r} is not a grade Homeroom keeps (PK-12)")
        return level

    def _check_people(self, rows):
        """Emails and local ids must be unique; a person keeps their kind."""
        emails, local_ids = {}, {}
        file_emails = {user.sourced_id: user.email for _, user in rows}
        for row, user in rows:
            existing = self.known.people.get(user.sourced_id)
            if existing and existing[0] != user.kind:
                row.error(
                    "role",
                    f"this user is a {_KIND_WORD[existing[0]]} in Homeroom; "
                    f"an import cannot make them a {_KIND_WORD[user.kind]}",
                )
            if user.email:
                self._check_unique_email(row, user, emails, file_emails)
            if user.local_id:
                # The forms ignore case: "s1001" beside "S1001" is one id to a person.
                key = (user.kind, user.local_id.lower())
                earlier = local_ids.setdefault(key, (row.line, user.local_id))
                owner = self.known.local_ids.get(key)
                if earlier[0] != row.line:
                    row.error("identifier", _also_on(user.local_id, *earlier))
                elif owner is not None and owner != user.sourced_id:
                    label = self.known.people.get(owner, ("", owner))[1]
                    row.error(
                        "identifier",
                        f"{user.local_id!r} already belongs to {label} in Homeroom",
                    )

    def _check_unique_email(self, row, user, emails, file_emails):
        earlier = emails.setdefault(user.email, row.line)
        if earlier != row.line:
            row.error("email", f"{user.email} is also on line {earlier}")
            return
        owner = self.known.emails.get(user.email)
        if owner is None or owner.person == user.sourced_id:
            return
        if owner.person is None and owner.account_role == user.role:
            return  # an account of the same role with no person: the import links it
        if owner.person in file_emails and file_emails[owner.person] != user.email:
            return  # its holder gives it up in this same import
        row.error("email", f"{user.email} already belongs to {owner.label}")

    def _enrollments(self):
        pairs, teachers = {}, {}
        for parser, row in self._rows("enrollments.csv"):
            sourced_id, status = row.common()
            parser.unique(row, sourced_id)
            role = row.choice(
                "role", _ENROLLMENT_ROLES, passed=_PASSED_ENROLLMENT_ROLES
            )
            enrollment = EnrollmentRow(
                line=row.line,
                sourced_id=sourced_id,
                status=status,
                class_id=row.text("classSourcedId", required=True),
                user_id=row.text("userSourcedId", required=True),
                role=role,
                primary=row.boolean("primary", default=False),
                begin=row.date("beginDate"),
                end=row.date("endDate"),
            )
            self._org_ref(row, "schoolSourcedId", row.ids("schoolSourcedId"))
            begin, end = enrollment.begin, enrollment.end
            if begin and end and end < begin:
                row.error("endDate", "is before beginDate")
            passed = enrollment.user_id in self.passed_users
            if passed or role in _PASSED_ENROLLMENT_ROLES:
                continue
            self._check_enrollment(row, enrollment, pairs)
            if row.ok:
                self.result.enrollments.append(enrollment)
                if role == "teacher" and status == "active":
                    teachers.setdefault(enrollment.class_id, []).append(enrollment)
        for class_id, rows in teachers.items():
            if len(rows) > 2:
                self._note(
                    "enrollments.csv",
                    rows[2].line,
                    "classSourcedId",
                    f"class {class_id!r} has {len(rows)} teachers; Homeroom keeps "
                    "the primary teacher and one more",
                )

    def _check_enrollment(self, row, enrollment, pairs):
        class_id, user_id = enrollment.class_id, enrollment.user_id
        listed = self.listed["classes.csv"]
        if class_id and class_id not in listed and class_id not in self.known.sections:
            row.error("classSourcedId", f"no class has sourcedId {class_id!r}")
        kind = self.user_kinds.get(user_id)
        if kind is None and user_id in self.known.people:
            kind = self.known.people[user_id][0]
        if user_id and kind is None and user_id not in self.listed["users.csv"]:
            row.error("userSourcedId", f"no user has sourcedId {user_id!r}")
        status = enrollment.status
        self._refuse_deleted(row, status, "classSourcedId", "classes.csv", [class_id])
        self._refuse_deleted(row, status, "userSourcedId", "users.csv", [user_id])
        if kind is None:
            row.ok = False
        wanted = "student" if enrollment.role == "student" else "staff"
        if kind and enrollment.role and kind != wanted:
            row.error(
                "role",
                f"user {user_id!r} is a {_KIND_WORD[kind]}, not a {_KIND_WORD[wanted]}",
            )
        if enrollment.role == "student" and enrollment.status == "active":
            earlier = pairs.setdefault((class_id, user_id), row.line)
            if earlier != row.line:
                row.error(
                    "userSourcedId",
                    f"{user_id!r} is already in class {class_id!r} on line {earlier}",
                )


_KIND_WORD = {"student": "student", "staff": "staff member"}


def _kind_for(session_type, parent_kind):
    """Homeroom's kind of marking period for a OneRoster session type."""
    if session_type == "schoolYear":
        return "year"
    if session_type == "semester":
        return "semester"
    if session_type == "term":
        inside = {"semester": "quarter", "quarter": "progress"}
        return inside.get(parent_kind, "semester")
    return "progress" if parent_kind == "quarter" else "quarter"


def _also_on(value, line, earlier):
    """Say that a value is on an earlier line, naming it there if its case differs."""
    if value == earlier:
        return f"{value!r} is also on line {line}"
    return f"{value!r} is also on line {line}, as {earlier!r}; case does not count"


def _check_email(row, column, email):
    """Normalise an email to lower case, noting it when it is not one."""
    try:
        return validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        row.error(column, f"{email!r} is not a valid email: {error}")
        return ""


def _error_order(error):
    order = (MANIFEST, *DATA_FILES)
    rank = order.index(error.file) if error.file in order else -1
    return rank, error.line or 0
