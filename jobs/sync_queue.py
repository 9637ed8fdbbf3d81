"""What pages and commands call to have records synced to Canvas.

`request_sync` marks a record pending in the caller's transaction and
queues its job once that transaction commits, so a job never reads rows
that are not there yet. Jobs are named by the record (`canvas:user:student:42`),
so two clicks make one job.
"""

import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

from jobs.enqueue import enqueue_once, find_job
from models import CanvasSettings, Enrollment, Section, Staff, Student, SyncState, db

logger = logging.getLogger(__name__)

ALL_JOB_ID = "canvas:all"
_PENDING_KEY = "canvas_sync_jobs"
ALL_KINDS = ("staff", "students", "sections")


def person_job_id(kind, record_id):
    """The job id syncing one person."""
    return f"canvas:user:{kind}:{record_id}"


def section_job_id(section_id):
    """The job id syncing one section."""
    return f"canvas:section:{section_id}"


def enrollment_job_id(section_id, student_id):
    """The job id syncing one student's place in one section."""
    return f"canvas:enrollment:{section_id}:{student_id}"


def canvas_configured():
    """True once the LMS settings hold a URL and a token."""
    settings = CanvasSettings.load()
    return settings is not None and settings.is_configured


def request_sync(kind, record_id, enabled=None, force=False):
    """Mark a record pending and queue its sync when the session commits.

    `kind` is student, staff, section or enrollment (an Enrollment row id).
    `enabled=False` turns sync off for a person; True turns it back on.
    Returns the record's state row, or None when there is nothing to do.
    """
    if kind in ("student", "staff"):
        return _request_person(kind, record_id, enabled, force)
    if kind == "section":
        return _request_section(record_id, force)
    if kind == "enrollment":
        return _request_enrollment(record_id, force)
    raise ValueError(f"unknown sync kind {kind!r}")


def _request_person(kind, record_id, enabled, force):
    """Mark a person pending, or record her setting while Canvas is not set up.

    Only `disabled` says an admin turned sync off. A person saved before
    Canvas is configured rests `off` without it (no job could settle a
    pending state), so her box stays ticked and Sync all picks her up.
    """
    state = SyncState.ensure(kind, record_id, state="off")
    if enabled is False:
        state.state = "off"
        state.details = dict(state.details or {}, disabled=True)
        return state
    if enabled is None and (state.details or {}).get("disabled"):
        return state
    if enabled:
        state.details = {
            k: v for k, v in (state.details or {}).items() if k != "disabled"
        }
    if not canvas_configured():
        return state
    state.state = "pending"
    _after_commit(
        "jobs.sync.sync_person",
        (kind, record_id, force),
        person_job_id(kind, record_id),
    )
    return state


def _request_section(section_id, force):
    section = db.session.get(Section, section_id)
    state = SyncState.ensure("section", section_id, state="off")
    if section is None or not (section.virtual_class and section.canvas_sync):
        state.state = "off"
        return state
    if not canvas_configured():
        return state
    state.state = "pending"
    _after_commit(
        "jobs.sync.sync_section", (section_id, force), section_job_id(section_id)
    )
    return state


def _request_enrollment(enrollment_id, force):
    stint = db.session.get(Enrollment, enrollment_id)
    if stint is None:
        return None
    state = SyncState.ensure("enrollment", enrollment_id, state="off")
    section = stint.section
    if not (section.virtual_class and section.canvas_sync):
        state.state = "off"
        return state
    if not canvas_configured():
        return state
    state.state = "pending"
    enqueue_enrollment(stint.section_id, stint.student_id, force, now=False)
    return state


def enqueue_section(section_id):
    """Queue a section's sync now (from a job: no transaction to wait for)."""
    _enqueue("jobs.sync.sync_section", (section_id, False), section_job_id(section_id))


def enqueue_enrollment(section_id, student_id, force=False, now=True):
    """Queue the sync of a student's place in a section."""
    args = (section_id, student_id, force)
    job_id = enrollment_job_id(section_id, student_id)
    if now:
        _enqueue("jobs.sync.sync_enrollment", args, job_id)
    else:
        _after_commit("jobs.sync.sync_enrollment", args, job_id)


def request_sync_all(kinds=ALL_KINDS):
    """Mark every syncing record of the kinds pending and queue one bulk job.

    Returns (job, created); a second request while the job waits joins it.
    """
    kinds = tuple(k for k in ALL_KINDS if k in kinds)
    if "staff" in kinds:
        _mark_people("staff", Staff)
    if "students" in kinds:
        _mark_people("student", Student)
    if "sections" in kinds:
        _mark_sections()
    db.session.commit()
    return enqueue_once(
        "jobs.sync.sync_all",
        list(kinds),
        job_id=ALL_JOB_ID,
        description=f"Sync {', '.join(kinds)} to Canvas",
        timeout=4 * 3600,
    )


def sync_all_job():
    """The bulk sync job, running or done, or None."""
    return find_job(ALL_JOB_ID)


def _mark_people(kind, model):
    """Add pending states for people never synced; set the rest pending."""
    _add_missing_states(kind, db.select(model.id))
    db.session.execute(
        db.update(SyncState)
        .where(SyncState.kind == kind, SyncState.state != "off")
        .values(state="pending")
    )
    resting = db.session.scalars(
        db.select(SyncState).where(SyncState.kind == kind, SyncState.state == "off")
    )
    for state in resting:
        if not (state.details or {}).get("disabled"):
            state.state = "pending"


def _mark_sections():
    """Syncing sections and their enrollments go pending; others off."""
    syncing = db.select(Section.id).where(
        Section.virtual_class.is_(True), Section.canvas_sync.is_(True)
    )
    _add_missing_states("section", db.select(Section.id))
    _add_missing_states("enrollment", db.select(Enrollment.id))
    stints = db.select(Enrollment.id).where(Enrollment.section_id.in_(syncing))
    for kind, ids in (("section", syncing), ("enrollment", stints)):
        db.session.execute(
            db.update(SyncState)
            .where(SyncState.kind == kind)
            .values(
                state=db.case((SyncState.record_id.in_(ids), "pending"), else_="off")
            )
        )


def _add_missing_states(kind, ids):
    """Insert a pending state for each id that has none."""
    known = db.select(SyncState.record_id).where(SyncState.kind == kind)
    column = ids.selected_columns[0]
    _insert_states(kind, list(db.session.scalars(ids.where(column.not_in(known)))))


def _insert_states(kind, ids):
    """Insert pending state rows for the ids given."""
    rows = [
        {"kind": kind, "record_id": i, "state": "pending", "details": {}} for i in ids
    ]
    if rows:
        db.session.execute(db.insert(SyncState), rows)


def _after_commit(func, args, job_id):
    """Remember a job to enqueue once the current transaction commits."""
    db.session.flush()
    pending = db.session.info.setdefault(_PENDING_KEY, {})
    pending[job_id] = (func, args)


def _enqueue(func, args, job_id):
    """Enqueue a sync job under its deterministic id."""
    job, created = enqueue_once(func, *args, job_id=job_id)
    logger.debug("canvas sync job %s %s", job_id, "queued" if created else "joined")
    return job


@event.listens_for(Session, "after_commit")
def _enqueue_after_commit(session):
    """Queue the sync jobs a request asked for, now that its rows are saved."""
    pending = session.info.pop(_PENDING_KEY, None)
    for job_id, (func, args) in (pending or {}).items():
        try:
            _enqueue(func, args, job_id)
        except Exception:
            logger.exception("canvas sync job %s could not be queued", job_id)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session):
    """A rolled-back request queues nothing."""
    session.info.pop(_PENDING_KEY, None)
