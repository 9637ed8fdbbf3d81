"""Whole-school sync through one Canvas SIS Import (a zip of CSVs).

"Sync all" plans what each record would send, skips what Canvas already has
(same payload hash), writes the rest as Canvas SIS CSVs, uploads them in one
request and polls until Canvas has imported them. Canvas's warnings name SIS
ids, which map back to the records they concern; those records end in error
with the warning, the rest synced. Canvas ids are then read back with a few
list requests, so later per-record syncs can address them.

People a section or enrollment needs who were never synced (added before
Canvas was set up, or a `--sections` run) go in the same import.
"""

import csv
import io
import logging
import re
import time
import zipfile
from dataclasses import dataclass, field

from jobs.canvas import CanvasError
from jobs.canvas import payloads as build
from jobs.progress import report_progress
from jobs.sync_rules import (
    NOUNS,
    PEOPLE,
    Blocked,
    check_email,
    never_synced,
    plain_message,
)
from models import MarkingPeriod, Section, Staff, SyncActivity, db
from models.base import utcnow
from models.lms import payload_hash

logger = logging.getLogger(__name__)

FINISHED = {"imported", "imported_with_messages", "failed", "failed_with_messages"}
FAILED = {"failed", "failed_with_messages", "aborted"}
DROP_STATUS = {"conclude": "completed", "delete": "deleted", "inactivate": "inactive"}
HEADERS = {
    "users.csv": [
        "user_id", "login_id", "first_name", "last_name", "full_name",
        "sortable_name", "short_name", "email", "status",
    ],
    "terms.csv": ["term_id", "name", "status", "start_date", "end_date"],
    "courses.csv": ["course_id", "short_name", "long_name", "term_id", "status"],
    "sections.csv": ["section_id", "course_id", "name", "status"],
    "enrollments.csv": ["section_id", "user_id", "role", "status"],
}  # fmt: skip
POLL_LIMIT_S = 3600


@dataclass
class Planned:
    """One record's part of the import: its CSV rows and what to save after."""

    state: object
    label: str
    digest: str
    rows: list = field(default_factory=list)
    sis_ids: tuple = ()
    details: dict = field(default_factory=dict)
    student_id: int | None = None


class SchoolImport:
    """Plans, uploads and settles one SIS import for a Syncer's records."""

    def __init__(self, syncer):
        self.syncer = syncer
        self.client = syncer.client
        self.drop_status = DROP_STATUS[syncer.drop_action]
        self.planned = []
        self.files = {name: [] for name in HEADERS}
        self.included = set()

    # Planning ------------------------------------------------------------

    def plan(self, work):
        """Decide, record by record, what goes in the import."""
        for kind, record_id in work:
            if kind in ("student", "staff"):
                self._plan_person(kind, record_id)
            elif kind == "term":
                self._plan_term(record_id)
            elif kind == "section":
                self._plan_section(record_id)
            else:
                self._plan_enrollment(*record_id)

    def _add(self, planned, filename, row):
        """Put a CSV row in the import on behalf of a record."""
        planned.rows.append((filename, row))
        self.files[filename].append(row)

    def _unchanged(self, state, digest):
        """True when Canvas already has exactly this payload."""
        known = state.canvas_id or (state.details or {}).get("imported")
        return bool(known) and digest == state.payload_hash

    def _plan_person(self, kind, record_id):
        syncer = self.syncer
        record = db.session.get(PEOPLE[kind], record_id)
        state = syncer.state_of(kind, record_id)
        if record is None or state.state == "off":
            return
        label = f"{kind} {record.full_name} ({record.external_id})"
        try:
            check_email(kind, record, syncer.emails)
        except Blocked as exc:
            self._fail(state, label, str(exc))
            return
        payload = build.person_payload(
            record.first_name,
            record.last_name,
            record.preferred_name,
            record.email,
            record.external_id,
        )
        digest = payload_hash(payload)
        if self._unchanged(state, digest):
            state.mark_synced()
            return
        planned = Planned(state, label, digest, sis_ids=(record.external_id,))
        planned.details = dict(state.details or {}, email=payload["email"])
        given = record.preferred_name or record.first_name
        self._add(
            planned,
            "users.csv",
            {
                "user_id": record.external_id,
                "login_id": payload["email"],
                "first_name": given,
                "last_name": record.last_name,
                "full_name": payload["name"],
                "sortable_name": payload["sortable_name"],
                "short_name": payload["short_name"],
                "email": payload["email"],
                "status": "active",
            },
        )
        self.planned.append(planned)

    def _plan_term(self, period_id):
        period = db.session.get(MarkingPeriod, period_id)
        state = self.syncer.state_of("term", period_id)
        payload = build.term_payload(
            period.title, period.start_date, period.end_date, period.external_id
        )
        digest = payload_hash(payload)
        if self._unchanged(state, digest):
            state.mark_synced()
            return
        label = f"marking period {period.title} ({period.external_id})"
        planned = Planned(state, label, digest, sis_ids=(period.external_id,))
        self._add(
            planned,
            "terms.csv",
            {
                "term_id": period.external_id,
                "name": period.title,
                "status": "active",
                "start_date": payload["start_at"],
                "end_date": payload["end_at"],
            },
        )
        self.planned.append(planned)

    def _plan_section(self, section_id):
        syncer = self.syncer
        section = db.session.get(Section, section_id)
        state = syncer.state_of("section", section_id)
        if not (section.virtual_class and section.canvas_sync):
            state.state = "off"
            return
        label = f"section {section.name} ({section.external_id})"
        period = section.marking_period
        course = build.course_payload(
            section.name, section.course.code, section.external_id, period.external_id
        )
        canvas_section = build.section_payload(section.name, section.external_id)
        teachers = syncer.teachers(section)
        digest = payload_hash([course, canvas_section, sorted(teachers.items())])
        if state.canvas_id and digest == state.payload_hash:
            state.mark_synced()
            return
        waiting = self._teacher_problem(teachers)
        if waiting:
            self._fail(state, label, waiting)
            return
        planned = Planned(state, label, digest, sis_ids=(section.external_id,))
        details = dict(state.details or {})
        current = {int(k): v for k, v in (details.get("teachers") or {}).items()}
        self._add(
            planned,
            "courses.csv",
            {
                "course_id": section.external_id,
                "short_name": section.course.code,
                "long_name": section.name,
                "term_id": period.external_id,
                "status": "active",
            },
        )
        self._add(
            planned,
            "sections.csv",
            {
                "section_id": section.external_id,
                "course_id": section.external_id,
                "name": section.name,
                "status": "active",
            },
        )
        for staff_id, sis_user_id in teachers.items():
            if staff_id not in current:
                row = self._enrollment_row(section, sis_user_id, "teacher", "active")
                self._add(planned, "enrollments.csv", row)
                current[staff_id] = None
        for staff_id in [s for s in current if s not in teachers]:
            current.pop(staff_id)
            staff = db.session.get(Staff, staff_id)
            row = self._enrollment_row(
                section, staff.external_id, "teacher", self.drop_status
            )
            self._add(planned, "enrollments.csv", row)
        details.update(
            course=course, section=canvas_section, teachers=current, imported=True
        )
        planned.details = details
        self.planned.append(planned)

    def _teacher_problem(self, teachers):
        """Why a section cannot sync yet because of a teacher, or None."""
        for staff_id in teachers:
            self._include_person("staff", staff_id)
            problem = self._person_problem("staff", staff_id, "teacher")
            if problem:
                return problem
        return None

    def _include_person(self, kind, record_id):
        """Put a person never synced in the import, before what needs her."""
        if (kind, record_id) in self.included:
            return
        self.included.add((kind, record_id))
        state = self.syncer.state_of(kind, record_id, create=False)
        if state is not None and not never_synced(state):
            return
        state = self.syncer.state_of(kind, record_id)
        state.state = "pending"
        self._plan_person(kind, record_id)

    def _person_problem(self, kind, record_id, role):
        """What an enrollment waits on when a person will not be in Canvas."""
        state = self.syncer.state_of(kind, record_id, create=False)
        if state is not None and state.state not in ("off", "error"):
            return None
        name = db.session.get(PEOPLE[kind], record_id).full_name
        if state is None or state.state == "off":
            return (
                f"Waits on {role} {name}, who is not set to synchronize with "
                "Canvas. Tick the box on their General Information tab."
            )
        return f"Waits on {role} {name}: {state.last_error}"

    def _plan_enrollment(self, section_id, student_id):
        syncer = self.syncer
        stints = syncer.stints_of(section_id, student_id)
        states = [syncer.state_of("enrollment", stint.id) for stint in stints]
        state, section = states[-1], stints[-1].section
        if not (section.virtual_class and section.canvas_sync):
            for row in states:
                row.state = "off"
            return
        student = stints[-1].student
        label = f"{student.full_name} in {section.name}"
        active = any(stint.is_active for stint in stints)
        payload = {
            "user": student.external_id,
            "section": section.external_id,
            "state": "active" if active else "dropped",
            "drop": syncer.drop_action,
        }
        digest = payload_hash(payload)
        if self._unchanged(state, digest):
            _mirror(states, state, synced=True)
            return
        section_state = syncer.state_of("section", section.id)
        if section_state.state == "error":
            message = (
                f"Waits on section {section.name}, which is not in Canvas: "
                f"{section_state.last_error}"
            )
            self._fail(state, label, message, mirror=states)
            return
        self._include_person("student", student.id)
        problem = self._person_problem("student", student.id, "student")
        if problem:
            self._fail(state, label, problem, mirror=states)
            return
        if not active and not (state.canvas_id or state.payload_hash):
            _mirror(states, state, synced=True)
            return
        status = "active" if active else self.drop_status
        planned = Planned(
            state,
            label,
            digest,
            sis_ids=(student.external_id, section.external_id),
            student_id=student.id,
        )
        planned.details = dict(
            state.details or {}, imported=True, canvas_state=status, mirror=states
        )
        row = self._enrollment_row(section, student.external_id, "student", status)
        self._add(planned, "enrollments.csv", row)
        self.planned.append(planned)

    @staticmethod
    def _enrollment_row(section, sis_user_id, role, status):
        """An enrollments.csv row for a user in a section."""
        return {
            "section_id": section.external_id,
            "user_id": sis_user_id,
            "role": role,
            "status": status,
        }

    def _fail(self, state, label, message, mirror=None):
        """A record that cannot go to Canvas yet: error, and say why."""
        state.mark_error(message)
        if mirror:
            _mirror(mirror, state)
        db.session.add(
            SyncActivity(
                job_id=self.syncer.job_id,
                kind=state.kind,
                record_id=state.record_id,
                label=label[:300],
                action="checked",
                result="error",
                error=message,
                trace=[],
            )
        )

    # Uploading -------------------------------------------------------------

    def run(self):
        """Upload the planned rows, wait for Canvas, settle every record."""
        if not self.planned:
            return {"records": 0, "sis_import": None}
        report_progress(0, 100, f"Uploading {len(self.planned)} records to Canvas")
        try:
            finished = self._upload_and_wait()
        except CanvasError as exc:
            self._settle_failure(plain_message(exc, "record"))
            return {"records": len(self.planned), "sis_import": None}
        if finished["workflow_state"] in FAILED:
            messages = "; ".join(m for _f, m in finished.get("processing_errors") or [])
            self._settle_failure(
                f"Canvas could not import the roster ({finished['workflow_state']}): "
                f"{messages or 'no reason given'}"
            )
        else:
            warnings = finished.get("processing_warnings") or []
            self._settle(finished["id"], warnings)
            # What Canvas imported stays recorded if reading ids back fails.
            db.session.commit()
            self._read_back_ids(finished["id"])
        return {"records": len(self.planned), "sis_import": finished["id"]}

    def zip_bytes(self):
        """The planned rows as a zip of Canvas SIS CSVs."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, rows in self.files.items():
                if not rows:
                    continue
                text = io.StringIO()
                writer = csv.DictWriter(text, HEADERS[name], lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
                archive.writestr(name, text.getvalue())
        return buffer.getvalue()

    def _upload_and_wait(self):
        """POST the zip; poll the import until Canvas says it is done."""
        path = self.client.account_path("sis_imports")
        created = self.client.post(
            path,
            {"import_type": "instructure_csv", "extension": "zip"},
            files={"attachment": ("homeroom.zip", self.zip_bytes(), "application/zip")},
        )
        logger.info(
            "canvas sis import %s uploaded by job %s", created["id"], self.syncer.job_id
        )
        deadline = time.monotonic() + POLL_LIMIT_S
        pause = 0.1
        found = created
        while found["workflow_state"] not in FINISHED | FAILED:
            if time.monotonic() > deadline:
                raise CanvasError("Canvas did not finish the roster import in an hour")
            time.sleep(pause)
            pause = min(pause * 2, 2.0)
            found = self.client.get(f"{path}/{created['id']}")
            report_progress(found.get("progress") or 0, 100, "Canvas is importing")
        return found

    # Settling ----------------------------------------------------------------

    def _settle(self, import_id, warnings):
        """Mark each planned record synced, or in error with its warning."""
        by_id = {}
        for planned in self.planned:
            for sis_id in planned.sis_ids:
                by_id.setdefault(sis_id, []).append(planned)
        refused = {}
        for filename, message in warnings:
            for planned in self._concerned(filename, message, by_id):
                refused.setdefault(id(planned), message)
        rows = []
        for planned in self.planned:
            message = refused.get(id(planned))
            # People settle first, so an enrollment sees her final state.
            waits = self._waits_on(planned)
            if message or waits:
                words = waits or _warning_words(planned.state.kind, message)
                rows.append(self._activity(planned, import_id, message, words))
                planned.state.mark_error(words)
            else:
                rows.append(self._activity(planned, import_id, None, None))
                self._succeed(planned)
            mirror = planned.details.pop("mirror", None) if planned.details else None
            if mirror:
                _mirror(mirror, planned.state)
        db.session.execute(db.insert(SyncActivity), rows)
        logger.info(
            "canvas sis import %s settled: %d records, %d refused",
            import_id,
            len(self.planned),
            len(refused),
        )

    def _waits_on(self, planned):
        """For a refused enrollment whose student Canvas refused: say so."""
        if planned.state.kind != "enrollment" or planned.student_id is None:
            return None
        return self._person_problem("student", planned.student_id, "student")

    def _concerned(self, filename, message, by_id):
        """The planned records a warning is about: it names all their SIS ids."""
        named = {sis_id for sis_id in by_id if _names(message, sis_id)}
        found = []
        for sis_id in named:
            for planned in by_id[sis_id]:
                in_file = any(f == filename for f, _row in planned.rows)
                if in_file and set(planned.sis_ids) <= named and planned not in found:
                    found.append(planned)
        return found

    def _succeed(self, planned):
        """Save what the record now has in Canvas."""
        state = planned.state
        details = {k: v for k, v in planned.details.items() if k != "mirror"}
        details["imported"] = True
        state.details = details
        state.payload_hash = planned.digest
        state.mark_synced()

    def _activity(self, planned, import_id, message, error):
        """An activity row for one record: Canvas's warning, and our error."""
        return {
            "job_id": self.syncer.job_id,
            "kind": planned.state.kind,
            "record_id": planned.state.record_id,
            "label": planned.label[:300],
            "action": f"SIS import {import_id}",
            "result": "error" if error else "synced",
            "request_count": 0,
            "error": error or "",
            "trace": [
                {
                    "method": "CSV",
                    "path": filename,
                    "params": None,
                    "data": row,
                    "status": "refused" if message else "imported",
                    "response": message or f"imported by SIS import {import_id}",
                    "ms": 0,
                    "attempt": 1,
                }
                for filename, row in planned.rows
            ],
            "started_at": utcnow(),
            "ms": 0,
        }

    def _settle_failure(self, message):
        """The import as a whole failed: every planned record says why."""
        for planned in self.planned:
            planned.state.mark_error(message)
            mirror = (planned.details or {}).pop("mirror", None)
            if mirror:
                _mirror(mirror, planned.state)
        db.session.add(
            SyncActivity(
                job_id=self.syncer.job_id,
                kind="import",
                label=f"SIS import of {len(self.planned)} record(s)",
                action="upload",
                result="error",
                request_count=len(self.client.trace),
                error=message,
                trace=self.client.trace,
            )
        )

    def _read_back_ids(self, import_id):
        """Fill in Canvas ids of imported users, terms and courses.

        A list Canvas fails to give leaves its records in error, their hash
        cleared so that the next Sync all imports and reads them again.
        """
        readers = (
            (("student", "staff"), self._user_ids),
            (("term",), self._term_ids),
            (("section",), self._course_ids),
        )
        for kinds, read in readers:
            if not self._unread(kinds):
                continue
            start = len(self.client.trace)
            try:
                ids = read()
            except CanvasError as exc:
                self._read_back_failed(kinds, exc, import_id, start)
                continue
            self._fill(kinds, ids)

    def _user_ids(self):
        """Map SIS user id to Canvas user id for the account's users."""
        users = self.client.paginate(self.client.account_path("users"))
        return {u["sis_user_id"]: u["id"] for u in users if u.get("sis_user_id")}

    def _term_ids(self):
        """Map SIS term id to Canvas term id."""
        path = self.client.account_path("terms")
        terms = self.client.paginate(path, key="enrollment_terms")
        return {t["sis_term_id"]: t["id"] for t in terms}

    def _course_ids(self):
        """Map SIS course id to Canvas course id."""
        courses = self.client.paginate(self.client.account_path("courses"))
        return {c["sis_course_id"]: c["id"] for c in courses}

    def _unread(self, kinds):
        """The planned records of kinds that Canvas took but whose id is unknown."""
        return [
            planned
            for planned in self.planned
            if planned.state.kind in kinds
            and planned.state.state == "synced"
            and not planned.state.canvas_id
        ]

    def _fill(self, kinds, ids):
        """Set canvas_id on the synced planned records of kinds, by SIS id."""
        for planned in self._unread(kinds):
            planned.state.canvas_id = ids.get(planned.sis_ids[0])

    def _read_back_failed(self, kinds, exc, import_id, start):
        """Records whose Canvas id could not be read: error, and say so."""
        trace = self.client.trace[start:]
        rows = []
        for planned in self._unread(kinds):
            state = planned.state
            noun = NOUNS.get(state.kind, state.kind)
            message = (
                f"Canvas imported this {noun}, but Homeroom could not read back "
                f"its Canvas id: {exc.message}. Press Resync to try again."
            )
            state.mark_error(message)
            state.payload_hash = ""
            rows.append(
                {
                    "job_id": self.syncer.job_id,
                    "kind": state.kind,
                    "record_id": state.record_id,
                    "label": planned.label[:300],
                    "action": f"read back after SIS import {import_id}",
                    "result": "error",
                    "request_count": len(trace),
                    "error": message,
                    "trace": trace,
                    "started_at": utcnow(),
                    "ms": 0,
                }
            )
        db.session.execute(db.insert(SyncActivity), rows)
        logger.warning(
            "canvas ids of %d records not read back after sis import %s: %s",
            len(rows),
            import_id,
            exc.message,
        )


def _mirror(states, state, synced=False):
    """Older stints of the same student and section share the latest's state."""
    for row in states:
        if row is state:
            continue
        row.state, row.last_error = state.state, state.last_error
        row.canvas_id = state.canvas_id
    if synced:
        for row in states:
            row.mark_synced()


def _names(message, sis_id):
    """Say whether a message names a SIS id (not merely a longer one)."""
    return re.search(rf"(?<![\w-]){re.escape(sis_id)}(?![\w-])", message) is not None


def _warning_words(kind, message):
    """A Canvas import warning, in words an admin can act on."""
    if "already claimed" in message:
        return (
            "Canvas already has this login for another Canvas user, so this "
            f"{kind} cannot use it. Change the email here, or free that login "
            f"in Canvas, then press Resync. (Canvas: {message})"
        )
    return f"Canvas refused this {kind} in the roster import: {message}"
