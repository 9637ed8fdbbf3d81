"""Jobs that push Homeroom's roster to Canvas, one record or the whole school.

Each job takes ids, reloads its rows, and leaves every record it touched
`synced` or `error` (never `pending`). Canvas SIS ids are the records'
external ids, so a record is always found again: creates go first and a
"SIS ID already in use" answer turns into a lookup, which is what keeps a
retry after a lost response from making a duplicate.
"""

import logging
import time
from collections import defaultdict
from contextlib import contextmanager

from flask import current_app
from rq import get_current_job

from jobs.canvas import (
    CanvasClient,
    CanvasConfigError,
    CanvasError,
    CanvasNotFound,
    CanvasValidationError,
    sis,
)
from jobs.canvas import payloads as build
from jobs.progress import report_progress
from jobs.sis_import import SchoolImport
from jobs.sync_queue import enqueue_enrollment, enqueue_section
from jobs.sync_rules import (
    PEOPLE,
    Blocked,
    check_email,
    login_taken,
    never_synced,
    plain_message,
)
from models import (
    CanvasSettings,
    Course,
    Enrollment,
    MarkingPeriod,
    Section,
    Staff,
    Student,
    SyncActivity,
    SyncState,
    db,
)
from models.lms import payload_hash

logger = logging.getLogger(__name__)

BULK_COMMIT_EVERY = 50
# The state kinds each choice of "Sync all" moves to pending.
BULK_KINDS = {
    "staff": ("staff",),
    "students": ("student",),
    "sections": ("term", "section", "enrollment"),
}


# Job entry points -------------------------------------------------------


def sync_person(kind, record_id, force=False):
    """Create or update one student's or staff member's Canvas user."""
    with _syncer([(kind, [record_id])]) as syncer:
        state = syncer.person(kind, record_id, force=force)
        db.session.commit()
        if state is not None and state.state == "synced":
            syncer.wake_dependents(kind, record_id)
    return _state_name(state)


def sync_term(period_id, force=False):
    """Create or update one marking period's Canvas enrollment term."""
    with _syncer([("term", [period_id])]) as syncer:
        state = syncer.term(period_id, force=force)
        db.session.commit()
    return _state_name(state)


def sync_section(section_id, force=False):
    """Sync a section: term, course, section, teachers and students' enrollments."""
    with _syncer([("section", [section_id])]) as syncer:
        state = syncer.section(section_id, force=force)
        db.session.commit()
        if state is not None and state.state != "off":
            syncer.section_enrollments(section_id)
            db.session.commit()
    return _state_name(state)


def sync_enrollment(section_id, student_id, force=False):
    """Make Canvas show a student in, or out of, a section as Homeroom does."""
    stints = db.select(Enrollment.id).where(
        Enrollment.section_id == section_id, Enrollment.student_id == student_id
    )
    with _syncer([("enrollment", stints)]) as syncer:
        state = syncer.enrollment(section_id, student_id, force=force)
        db.session.commit()
    return _state_name(state)


def sync_all(kinds):
    """Sync every record of the given kinds, reporting progress as it goes."""
    # Rows stay loaded across the batch commits instead of being re-read.
    db.session().expire_on_commit = False
    scope = [(kind, None) for key in kinds for kind in BULK_KINDS[key]]
    with _syncer(scope, bulk=True) as syncer:
        syncer.preload()
        work = _bulk_work(kinds)
        total = len(work)
        report_progress(0, total, "Starting")
        if syncer.invite or not current_app.config.get("CANVAS_SIS_IMPORT", True):
            _sync_one_by_one(syncer, work)
        else:
            _sync_by_import(syncer, work)
        summary = {"records": total, "requests": syncer.client.request_count}
    logger.info(
        "canvas sync of %s finished: %d records, %d requests",
        ", ".join(kinds),
        total,
        summary["requests"],
    )
    return summary


def _sync_one_by_one(syncer, work):
    """Sync each record through the REST API.

    Used when Canvas should send invitations (a SIS import enrols users
    active) or when CANVAS_SIS_IMPORT is off.
    """
    total = len(work)
    for done, (kind, record_id) in enumerate(work, start=1):
        syncer.run_one(kind, record_id)
        if done % BULK_COMMIT_EVERY == 0 or done == total:
            db.session.commit()
            report_progress(done, total, f"{done} of {total} records")


def _sync_by_import(syncer, work):
    """Sync everything that changed through one Canvas SIS import."""
    school_import = SchoolImport(syncer)
    school_import.plan(work)
    db.session.commit()
    school_import.run()
    db.session.commit()
    report_progress(len(work), len(work), "Done")


def test_connection():
    """Ask Canvas for the configured account; say its name or why that failed."""
    try:
        with CanvasClient.from_settings(retries=1) as client:
            account = client.get(client.account_path())
    except CanvasError as exc:
        logger.warning("canvas connection test failed: %s", exc.message)
        return {"ok": False, "message": _connection_failure(exc)}
    logger.info("canvas connection test reached account %s", account.get("id"))
    return {"ok": True, "message": f"Connected to {account.get('name')}."}


def _connection_failure(exc):
    """Why a connection test failed, in words that say what to fix."""
    if isinstance(exc, CanvasNotFound):
        return "Canvas answered, but has no account with that id: check the account id."
    return exc.message


def _bulk_work(kinds):
    """The (kind, id) pairs a bulk sync walks, people before what needs them."""
    work = []
    if "staff" in kinds:
        work += [("staff", i) for i in _ids(Staff.id)]
    if "students" in kinds:
        work += [("student", i) for i in _ids(Student.id)]
    if "sections" in kinds:
        work += [("term", i) for i in _ids(MarkingPeriod.id, _synced_period_ids())]
        work += [("section", i) for i in _ids(Section.id)]
        pairs = db.session.execute(
            db.select(Enrollment.section_id, Enrollment.student_id)
            .distinct()
            .order_by(Enrollment.section_id, Enrollment.student_id)
        )
        work += [("enrollment", (sec, stu)) for sec, stu in pairs]
    return work


def _ids(column, only=None):
    """Every id of a table, in order, optionally within a set."""
    query = db.select(column).order_by(column)
    if only is not None:
        query = query.where(column.in_(only))
    return list(db.session.scalars(query))


def _synced_period_ids():
    """Marking periods that some syncing section uses."""
    return db.select(Section.marking_period_id).where(
        Section.virtual_class.is_(True), Section.canvas_sync.is_(True)
    )


def _state_name(state):
    """A job's result: the state the record ended in."""
    return state.state if state is not None else "missing"


@contextmanager
def _syncer(scope, bulk=False):
    """A Syncer for the current job; a missing configuration is recorded.

    `scope` lists the job's records as (kind, ids) pairs, ids None for all:
    if the job stops on an error, those still pending end in error.
    """
    job = get_current_job()
    job_id = job.id if job is not None else "inline"
    try:
        client = CanvasClient.from_settings()
    except CanvasConfigError as exc:
        _fail_pending(str(exc))
        db.session.commit()
        raise
    try:
        yield Syncer(client, CanvasSettings.load(), job_id, bulk=bulk)
    except Exception as exc:
        _record_stop(job, scope, exc, client.trace, bulk)
        raise
    finally:
        client.close()


def _record_stop(job, scope, exc, trace, bulk):
    """A job that stopped: its pending records, its activity and its meta say why."""
    job_id = job.id if job is not None else "inline"
    logger.exception("canvas sync job %s stopped", job_id)
    words = _stop_words(exc, bulk)
    try:
        db.session.rollback()
        for row in db.session.scalars(_pending_in(scope)):
            row.mark_error(f"The sync stopped before this record was done: {words}")
        db.session.add(
            SyncActivity(
                job_id=job_id,
                kind="job",
                label=(job.description if job is not None else "Canvas sync")[:300],
                action="stopped",
                result="error",
                request_count=len(trace),
                error=words,
                trace=trace[-20:],
            )
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        logger.exception("canvas sync job %s could not record its stop", job_id)
    if job is not None:
        job.meta["error"] = words
        job.save_meta()


def _stop_words(exc, bulk):
    """Why a job stopped, in words for the records it left and its progress box."""
    if isinstance(exc, CanvasError):
        return plain_message(exc, "record")
    again = "Press Sync all" if bulk else "Press Resync"
    return f"Homeroom hit an internal error; it has been logged. {again} to try again."


def _pending_in(scope):
    """The still-pending state rows of a job's records."""
    clauses = []
    for kind, ids in scope:
        clause = SyncState.kind == kind
        if ids is not None:
            clause = clause & SyncState.record_id.in_(ids)
        clauses.append(clause)
    return db.select(SyncState).where(SyncState.state == "pending", db.or_(*clauses))


def _fail_pending(message):
    """Without settings nothing can sync: pending records say why."""
    rows = db.session.scalars(db.select(SyncState).where(SyncState.state == "pending"))
    for row in rows:
        row.mark_error(message)


# The work ---------------------------------------------------------------


class Syncer:
    """Syncs records through one client, logging each attempt as activity."""

    def __init__(self, client, settings, job_id, bulk=False):
        self.client = client
        self.settings = settings
        self.job_id = job_id
        self.bulk = bulk
        self.drop_action = settings.drop_action
        self.invite = settings.send_invitations
        self._states = None
        self._stints = None
        self.emails = None
        self._loaded = []
        # Records this job has tried already: what waits on one that failed
        # says so, rather than asking Canvas again (and again, per student).
        self._tried = set()

    def preload(self):
        """Load every row a whole-school sync reads, one query per table.

        Later lookups by id hit the session's identity map, so a bulk sync
        costs a few queries in all rather than several per record.
        """
        self._states = {
            (row.kind, row.record_id): row
            for row in db.session.scalars(db.select(SyncState))
        }
        for model in (MarkingPeriod, Course, Staff, Student, Section):
            self._loaded += db.session.scalars(db.select(model)).all()
        self._stints = defaultdict(list)
        for stint in db.session.scalars(db.select(Enrollment).order_by(Enrollment.id)):
            self._stints[stint.section_id, stint.student_id].append(stint)
        self.emails = defaultdict(list)
        for record in self._loaded:
            if isinstance(record, Student | Staff) and record.email:
                kind = "student" if isinstance(record, Student) else "staff"
                self.emails[record.email.strip().lower()].append((kind, record))

    def state_of(self, kind, record_id, create=True):
        """A record's state row, from the preloaded map when there is one."""
        if self._states is None:
            if create:
                return SyncState.ensure(kind, record_id)
            return SyncState.lookup(kind, record_id)
        row = self._states.get((kind, record_id))
        if row is None and create:
            row = SyncState(kind=kind, record_id=record_id, state="pending", details={})
            db.session.add(row)
            self._states[kind, record_id] = row
        return row

    def stints_of(self, section_id, student_id):
        """Every stint of a student in a section, oldest first."""
        if self._stints is not None:
            return self._stints.get((section_id, student_id), [])
        return db.session.scalars(
            db.select(Enrollment)
            .where(
                Enrollment.section_id == section_id,
                Enrollment.student_id == student_id,
            )
            .order_by(Enrollment.id)
        ).all()

    def _retry_due(self, state, settled=("synced", "off")):
        """Say whether a record a dependent needs should be synced first."""
        if state is None:
            return True
        tried = (state.kind, state.record_id) in self._tried
        return state.state not in settled and not tried

    def run_one(self, kind, record_id):
        """Sync one record of any kind (bulk work items)."""
        if kind in PEOPLE:
            return self.person(kind, record_id)
        if kind == "term":
            return self.term(record_id)
        if kind == "section":
            return self.section(record_id)
        return self.enrollment(*record_id)

    # Attempts: activity rows and error handling --------------------------

    @contextmanager
    def _attempt(self, state, label):
        """Run one record's sync; record what happened; turn failures into state."""
        self._tried.add((state.kind, state.record_id))
        outer_trace = self.client.trace
        self.client.trace = []
        activity = SyncActivity(
            job_id=self.job_id,
            kind=state.kind,
            record_id=state.record_id,
            label=label[:300],
            action="sync",
        )
        started = time.perf_counter()
        try:
            yield activity
            activity.result = "synced"
        except Blocked as exc:
            state.mark_error(str(exc))
            activity.result = "error"
        except CanvasError as exc:
            failed = self.client.trace[-1] if self.client.trace else None
            state.mark_error(plain_message(exc, state.kind, failed))
            activity.result = "error"
        except Exception:
            logger.exception("%s %s sync crashed", state.kind, state.record_id)
            state.mark_error(
                "Homeroom hit an internal error while syncing this record; "
                "it has been logged. Press Resync to try again."
            )
            activity.result = "error"
        finally:
            activity.action = (activity.action or "")[:200]
            activity.trace = self.client.trace
            activity.request_count = len(self.client.trace)
            activity.ms = int((time.perf_counter() - started) * 1000)
            self.client.trace = outer_trace
        if activity.result == "error":
            activity.error = state.last_error
            logger.warning(
                "%s %s failed to sync to Canvas in job %s: %s",
                state.kind,
                state.record_id,
                self.job_id,
                state.last_error,
            )
        else:
            state.mark_synced()
            if self.bulk and activity.action == "unchanged":
                # A whole-school run logs what it changed, not every no-op.
                return
            logger.info(
                "%s %s synced to Canvas (%s) by job %s",
                state.kind,
                state.record_id,
                activity.action,
                self.job_id,
            )
        db.session.add(activity)

    # People ---------------------------------------------------------------

    def person(self, kind, record_id, force=False):
        """Create or update a person's Canvas user; return the state."""
        record = db.session.get(PEOPLE[kind], record_id)
        if record is None:
            return None
        state = self.state_of(kind, record_id)
        if state.state == "off":
            return state
        label = f"{kind} {record.full_name} ({record.external_id})"
        with self._attempt(state, label) as activity:
            check_email(kind, record, self.emails)
            payload = build.person_payload(
                record.first_name,
                record.last_name,
                record.preferred_name,
                record.email,
                record.external_id,
            )
            digest = payload_hash(payload)
            activity.action = "update" if state.canvas_id else "create"
            if force and state.canvas_id:
                activity.action = "verify"
            if state.canvas_id and digest == state.payload_hash and not force:
                activity.action = "unchanged"
            elif state.canvas_id and digest == state.payload_hash:
                activity.action = self._verify_user(state, payload)
            elif state.canvas_id:
                activity.action = self._update_user(state, payload)
            else:
                activity.action = self._create_user(state, payload)
            state.payload_hash = digest
            state.details = dict(state.details or {}, email=payload["email"])
        return state

    def _create_user(self, state, payload):
        """POST the user; a taken SIS id means it exists already: adopt it."""
        params = build.user_create_params(payload, self.invite)
        try:
            user = self.client.post(self.client.account_path("users"), params)
        except CanvasValidationError as exc:
            if exc.has("pseudonym.sis_user_id"):
                return self._adopt_user(state, payload)
            if exc.has("pseudonym.unique_id"):
                raise Blocked(login_taken(state.kind, payload["email"])) from exc
            raise
        state.canvas_id = user["id"]
        return "create"

    def _adopt_user(self, state, payload):
        """Find the user holding our SIS id and bring it up to date."""
        user = self.client.get(f"users/{sis.user_id(payload['sis_user_id'])}")
        state.canvas_id = user["id"]
        if build.user_matches(payload, user):
            return "found"
        self._write_user(state, payload, user.get("login_id"))
        return "found, update"

    def _verify_user(self, state, payload):
        """On a resync with nothing changed, check Canvas still has the user."""
        try:
            user = self.client.get(f"users/{state.canvas_id}")
        except CanvasNotFound:
            state.canvas_id = None
            return self._create_user(state, payload)
        restored = ""
        # Canvas leaves sis_user_id out when the token may not read SIS ids.
        if user.get("sis_user_id", payload["sis_user_id"]) != payload["sis_user_id"]:
            restored = self._restore_sis_id(state, payload, user["sis_user_id"])
        if build.user_matches(payload, user):
            return restored or "verified"
        self._write_user(state, payload, user.get("login_id"))
        return ", ".join(a for a in (restored, "update") if a)

    def _restore_sis_id(self, state, payload, found):
        """Give back the SIS id someone changed on the user's login in Canvas.

        Enrollments and SIS imports name the user by it; without it they fail.
        """
        logins = list(self.client.paginate(f"users/{state.canvas_id}/logins"))
        login = next((x for x in logins if x.get("sis_user_id") == found), None)
        if login is None:
            return ""
        path = self.client.account_path(f"logins/{login['id']}")
        try:
            self.client.put(path, {"login[sis_user_id]": payload["sis_user_id"]})
        except CanvasValidationError as exc:
            if exc.has("sis_user_id"):
                raise Blocked(
                    f"Another Canvas user holds this person's SIS id "
                    f"{payload['sis_user_id']}. Free it in Canvas, then press Resync."
                ) from exc
            raise
        return "SIS id restored"

    def _update_user(self, state, payload):
        """PUT changed names and email; recreate a user deleted in Canvas."""
        old_email = (state.details or {}).get("email")
        try:
            self._write_user(state, payload, old_email)
        except CanvasNotFound:
            state.canvas_id = None
            return self._create_user(state, payload)
        return "update"

    def _write_user(self, state, payload, old_login):
        """Send names and email, and move the login when the email changed."""
        params = build.user_update_params(payload)
        self.client.put(f"users/{state.canvas_id}", params)
        if (old_login or "").lower() != payload["email"]:
            self._move_login(state, payload)

    def _move_login(self, state, payload):
        """Point the user's SIS login at the new email address."""
        logins = self.client.paginate(f"users/{state.canvas_id}/logins")
        ours = [x for x in logins if x.get("sis_user_id") == payload["sis_user_id"]]
        if not ours:
            return
        path = self.client.account_path(f"logins/{ours[0]['id']}")
        try:
            self.client.put(path, {"login[unique_id]": payload["email"]})
        except CanvasValidationError as exc:
            if exc.has("unique_id"):
                raise Blocked(login_taken(state.kind, payload["email"])) from exc
            raise

    def wake_dependents(self, kind, record_id):
        """Re-queue what waited on a person who is now synced."""
        if kind == "staff":
            sections = db.session.scalars(
                db.select(Section.id).where(
                    (Section.teacher_id == record_id)
                    | (Section.co_teacher_id == record_id)
                )
            )
            waiting = SyncState.states_for("section", sections)
            for section_id, row in waiting.items():
                if row.state == "error":
                    enqueue_section(section_id)
            return
        stints = db.session.execute(
            db.select(Enrollment.id, Enrollment.section_id).where(
                Enrollment.student_id == record_id
            )
        ).all()
        waiting = SyncState.states_for("enrollment", [i for i, _ in stints])
        for stint_id, section_id in stints:
            row = waiting.get(stint_id)
            if row is not None and row.state == "error":
                enqueue_enrollment(section_id, record_id)

    # Terms -------------------------------------------------------------------

    def term(self, period_id, force=False):
        """Create or update a marking period's enrollment term."""
        period = db.session.get(MarkingPeriod, period_id)
        if period is None:
            return None
        state = self.state_of("term", period_id)
        payload = build.term_payload(
            period.title, period.start_date, period.end_date, period.external_id
        )
        digest = payload_hash(payload)
        if state.canvas_id and digest == state.payload_hash and not force:
            if state.state != "synced":
                state.mark_synced()
            return state
        label = f"marking period {period.title} ({period.external_id})"
        with self._attempt(state, label) as activity:
            activity.action = self._write_term(state, payload)
            state.payload_hash = digest
        return state

    def _write_term(self, state, payload):
        """POST or PUT the term; a taken SIS id means it exists: adopt it."""
        params = build.term_params(payload)
        if state.canvas_id:
            try:
                path = self.client.account_path(f"terms/{state.canvas_id}")
                self.client.put(path, params)
                return "update"
            except CanvasNotFound:
                state.canvas_id = None
        try:
            term = self.client.post(self.client.account_path("terms"), params)
            action = "create"
        except CanvasValidationError as exc:
            if not _sis_taken(exc):
                raise
            term_path = f"terms/{sis.term_id(payload['sis_term_id'])}"
            term = self.client.get(self.client.account_path(term_path))
            action = "found"
            if _differs(payload, term, ("name",)):
                path = self.client.account_path(f"terms/{term['id']}")
                self.client.put(path, params)
                action = "found, update"
        state.canvas_id = term["id"]
        return action

    # Sections ----------------------------------------------------------------

    def section(self, section_id, force=False):
        """Sync a section's term, course, Canvas section and teachers."""
        section = db.session.get(Section, section_id)
        if section is None:
            return None
        state = self.state_of("section", section_id)
        if not (section.virtual_class and section.canvas_sync):
            state.state = "off"
            return state
        label = f"section {section.name} ({section.external_id})"
        with self._attempt(state, label) as activity:
            activity.action = self._sync_section(section, state, force)
        return state

    def _sync_section(self, section, state, force):
        """The steps of a section sync; returns the action taken."""
        period = section.marking_period
        term = self.state_of("term", period.id, create=False)
        if term is None or ("term", period.id) not in self._tried:
            term = self.term(period.id)
        if term.state != "synced":
            raise Blocked(
                f"Waits on marking period {period.title}, which Canvas refused: "
                f"{term.last_error}"
            )
        course = build.course_payload(
            section.name, section.course.code, section.external_id, period.external_id
        )
        canvas_section = build.section_payload(section.name, section.external_id)
        teachers = self.teachers(section)
        digest = payload_hash([course, canvas_section, sorted(teachers.items())])
        known = state.canvas_id and (state.details or {}).get("section")
        unchanged = known and digest == state.payload_hash
        if unchanged and (not force or self._course_exists(state)):
            return "verified" if force else "unchanged"

        details = dict(state.details or {})
        actions = [self._write_course(state, course, details)]
        actions.append(self._write_section(state, canvas_section, details))
        actions.append(self._write_teachers(state, teachers, details))
        state.details = details
        state.payload_hash = digest
        return ", ".join(a for a in actions if a) or "unchanged"

    def teachers(self, section):
        """Map staff id to SIS user id for the section's teachers, synced first."""
        wanted = {}
        for staff_id in (section.teacher_id, section.co_teacher_id):
            if staff_id is None or staff_id in wanted:
                continue
            staff = db.session.get(Staff, staff_id)
            wanted[staff_id] = staff.external_id
        return wanted

    def _course_exists(self, state):
        """On a resync with nothing changed, check Canvas still has the course."""
        try:
            self.client.get(f"courses/{state.canvas_id}")
        except CanvasNotFound:
            state.canvas_id = state.canvas_section_id = None
            state.details = {}
            return False
        return True

    def _write_course(self, state, course, details):
        """Create the course, or update it where its name, code or term changed."""
        if state.canvas_id and details.get("course") == course:
            return ""
        params = build.course_params(course)
        if state.canvas_id:
            try:
                self.client.put(f"courses/{state.canvas_id}", params)
                details["course"] = course
                return "course updated"
            except CanvasNotFound:
                state.canvas_id = state.canvas_section_id = None
                details.pop("teachers", None)
        try:
            found = self.client.post(self.client.account_path("courses"), params)
            action = "course created"
        except CanvasValidationError as exc:
            if not _sis_taken(exc):
                raise
            path = f"courses/{sis.course_id(course['sis_course_id'])}"
            found = self.client.get(path)
            action = "course found"
            if _differs(course, found, ("name", "course_code")):
                self.client.put(f"courses/{found['id']}", params)
                action = "course found, updated"
        state.canvas_id = found["id"]
        details["course"] = course
        return action

    def _write_section(self, state, canvas_section, details):
        """Create the course's Canvas section, or rename it."""
        if state.canvas_id and details.get("section") == canvas_section:
            return ""
        params = build.section_params(canvas_section)
        if state.canvas_id and details.get("section"):
            self.client.put(_section_path(state, canvas_section), params)
            details["section"] = canvas_section
            return "section renamed"
        try:
            path = f"courses/{state.canvas_id}/sections"
            found = self.client.post(path, params)
            action = "section created"
        except CanvasValidationError as exc:
            if not _sis_taken(exc):
                raise
            path = f"sections/{sis.section_id(canvas_section['sis_section_id'])}"
            found = self.client.get(path)
            action = "section found"
        state.canvas_section_id = found["id"]
        details["section"] = canvas_section
        return action

    def _write_teachers(self, state, wanted, details):
        """Enrol new teachers, then end the enrollments of those replaced.

        The course stays the same: a change of teacher is a swap of
        enrollments inside it, never a new course.
        """
        current = {int(k): v for k, v in (details.get("teachers") or {}).items()}
        actions = []
        for staff_id, sis_user_id in wanted.items():
            if staff_id in current:
                continue
            person = self._ready_person("staff", staff_id, "teacher")
            params = build.enrollment_params(sis_user_id, "TeacherEnrollment", False)
            path = f"{_section_path(state, details['section'])}/enrollments"
            enrollment = self.client.post(path, params)
            current[staff_id] = enrollment["id"]
            details["teachers"] = {str(k): v for k, v in current.items()}
            actions.append(f"teacher {person.record_id} enrolled")
        for staff_id in [s for s in current if s not in wanted]:
            enrollment_id = current.pop(staff_id) or self._find_enrollment(
                _section_path(state, details["section"]),
                db.session.get(Staff, staff_id).external_id,
                "TeacherEnrollment",
            )
            if enrollment_id:
                self._end_enrollment(state.canvas_id, enrollment_id)
            details["teachers"] = {str(k): v for k, v in current.items()}
            actions.append(f"teacher {staff_id} removed")
        details["teachers"] = {str(k): v for k, v in current.items()}
        return ", ".join(actions)

    def _find_enrollment(self, section_path, sis_user_id, kind):
        """The id of a user's enrollment in a section, in any state, or None.

        Records synced by a SIS import know their SIS ids but not the Canvas
        enrollment ids; this finds one when a drop needs it.
        """
        params = {
            "user_id": sis.param_id("sis_user_id", sis_user_id),
            "type[]": kind,
            "state[]": ["active", "invited", "inactive", "completed"],
        }
        for enrollment in self.client.paginate(f"{section_path}/enrollments", params):
            return enrollment["id"]
        return None

    def _end_enrollment(self, course_id, enrollment_id):
        """Conclude, delete or inactivate an enrollment, as the school chose."""
        path = f"courses/{course_id}/enrollments/{enrollment_id}"
        try:
            found = self.client.delete(path, {"task": self.drop_action})
        except CanvasNotFound:
            return "gone"
        return (found or {}).get("enrollment_state", self.drop_action)

    def _ready_person(self, kind, record_id, role):
        """Sync a person first if needed; raise Blocked if she cannot be."""
        state = self.state_of(kind, record_id, create=False)
        if state is not None and never_synced(state):
            # Added before Canvas was set up: she is wanted, so she goes now.
            state.state = "pending"
        if self._retry_due(state):
            state = self.person(kind, record_id) or state
        if state is not None and state.state == "synced" and state.canvas_id:
            return state
        record = db.session.get(PEOPLE[kind], record_id)
        name = record.full_name if record else f"#{record_id}"
        if state is None or state.state == "off":
            raise Blocked(
                f"Waits on {role} {name}, who is not set to synchronize with "
                "Canvas. Tick the box on their General Information tab."
            )
        raise Blocked(f"Waits on {role} {name}: {state.last_error}")

    def section_enrollments(self, section_id):
        """Sync every student who is or was in the section."""
        students = db.session.scalars(
            db.select(Enrollment.student_id)
            .where(Enrollment.section_id == section_id)
            .distinct()
            .order_by(Enrollment.student_id)
        )
        for student_id in list(students):
            self.enrollment(section_id, student_id)

    # Enrollments ----------------------------------------------------------

    def enrollment(self, section_id, student_id, force=False):
        """Make Canvas show the student in the section, or out of it."""
        stints = self.stints_of(section_id, student_id)
        if not stints:
            return None
        states = [self.state_of("enrollment", stint.id) for stint in stints]
        state = states[-1]
        section = stints[-1].section
        if not (section.virtual_class and section.canvas_sync):
            for row in states:
                row.state = "off"
            return state
        if state.state == "off":
            state.state = "pending"
        active = any(stint.is_active for stint in stints)
        student = stints[-1].student
        label = f"{student.full_name} in {section.name}"
        with self._attempt(state, label) as activity:
            activity.action = self._sync_enrollment(
                section, student, states, active, force
            )
        for row in states[:-1]:
            row.state, row.last_error = state.state, state.last_error
            row.canvas_id = state.canvas_id
        return state

    def _sync_enrollment(self, section, student, states, active, force):
        """The steps of an enrollment sync; returns the action taken."""
        state = states[-1]
        section_state = self.state_of("section", section.id, create=False)
        # A section left `off` may have been switched on since: sync it.
        if self._retry_due(section_state, settled=("synced",)):
            section_state = self.section(section.id)
        if section_state.state != "synced":
            raise Blocked(
                f"Waits on section {section.name}, which is not in Canvas: "
                f"{section_state.last_error}"
            )
        self._ready_person("student", student.id, "student")

        canvas_id = next((r.canvas_id for r in reversed(states) if r.canvas_id), None)
        state.canvas_id = canvas_id
        known = canvas_id or (state.details or {}).get("imported")
        wanted = ("invited" if self.invite else "active") if active else "dropped"
        payload = {
            "user": student.external_id,
            "section": section.external_id,
            "state": wanted,
            "drop": self.drop_action,
        }
        digest = payload_hash(payload)
        if known and digest == state.payload_hash and not force:
            return "unchanged"

        details = dict(state.details or {})
        course_id = section_state.canvas_id
        section_path = _section_path(
            section_state, {"sis_section_id": section.external_id}
        )
        if not canvas_id and known and not active:
            canvas_id = self._find_enrollment(
                section_path, student.external_id, "StudentEnrollment"
            )
        if active:
            action = self._enrol_student(
                state, section_path, course_id, student, details
            )
        elif canvas_id:
            details["canvas_state"] = self._end_enrollment(course_id, canvas_id)
            action = f"dropped ({self.drop_action})"
        else:
            action = "nothing to drop"
        state.details = details
        state.payload_hash = digest
        return action

    def _enrol_student(self, state, section_path, course_id, student, details):
        """Enrol the student, or bring back an enrollment that was dropped.

        Canvas keeps one enrollment per user, section and type, so a POST for
        a student who was there before reactivates that same enrollment.
        """
        if state.canvas_id and details.get("canvas_state") == "inactive":
            path = f"courses/{course_id}/enrollments/{state.canvas_id}/reactivate"
            try:
                found = self.client.put(path)
                details["canvas_state"] = found.get("enrollment_state", "active")
                return "reactivated"
            except (CanvasValidationError, CanvasNotFound):
                logger.debug("enrollment %s not inactive; enrolling", state.canvas_id)
        params = build.enrollment_params(
            student.external_id, "StudentEnrollment", self.invite
        )
        found = self.client.post(f"{section_path}/enrollments", params)
        action = "reactivated" if state.canvas_id else "enrolled"
        state.canvas_id = found["id"]
        details["canvas_state"] = found.get("enrollment_state")
        return action


# Checks and messages --------------------------------------------------------


def _section_path(state, canvas_section):
    """The API path of a synced section: by Canvas id, else by SIS id."""
    if state.canvas_section_id:
        return f"sections/{state.canvas_section_id}"
    return f"sections/{sis.section_id(canvas_section['sis_section_id'])}"


def _sis_taken(exc):
    """Say whether a validation error is Canvas's "SIS ID already in use"."""
    return "already in use" in exc.message and "SIS ID" in exc.message


def _differs(payload, found, keys):
    """Say whether Canvas's copy differs from the payload in any of the keys."""
    return any(found.get(key) != payload[key] for key in keys)
