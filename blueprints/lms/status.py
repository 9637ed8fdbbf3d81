"""Counts of records per sync state, and the failing records, for pages and CLI."""

from flask import url_for

from models import Enrollment, MarkingPeriod, Section, Staff, Student, SyncState, db
from models.lms import SYNC_STATES

# The status report's kinds: its key, the sync kind and the model.
REPORT_KINDS = (
    ("students", "student", Student),
    ("staff", "staff", Staff),
    ("sections", "section", Section),
    ("enrollments", "enrollment", Enrollment),
)
ERROR_KINDS = REPORT_KINDS + (("terms", "term", MarkingPeriod),)


def sync_summary():
    """Per kind, the count in each state; and each failing record.

    A record without a state row was never asked to sync, so it counts as
    off. Failing records are named by their external id (the Canvas SIS id).
    """
    grouped = db.session.execute(
        db.select(
            SyncState.kind, SyncState.state, db.func.count(SyncState.id)
        ).group_by(SyncState.kind, SyncState.state)
    ).all()
    by_kind = {}
    for kind, state, count in grouped:
        by_kind.setdefault(kind, {})[state] = count
    summary = {}
    for key, kind, model in REPORT_KINDS:
        total = db.session.scalar(db.select(db.func.count(model.id)))
        counts = {state: by_kind.get(kind, {}).get(state, 0) for state in SYNC_STATES}
        tracked = counts["pending"] + counts["synced"] + counts["error"]
        counts["off"] = max(total - tracked, 0)
        summary[key] = counts
    summary["errors"] = failing_records()
    return summary


def failing_records():
    """Every record in error: kind, external id and message."""
    errors = []
    for _key, kind, model in ERROR_KINDS:
        rows = db.session.execute(
            db.select(model.external_id, SyncState.last_error)
            .join(SyncState, SyncState.record_id == model.id)
            .where(SyncState.kind == kind, SyncState.state == "error")
            .order_by(model.external_id)
        )
        errors += [
            {"kind": kind, "id": external_id, "message": message}
            for external_id, message in rows
        ]
    return errors


def record_link(kind, record_id):
    """The Homeroom page of a synced record, or None."""
    endpoints = {
        "student": ("students.record", "student_id"),
        "staff": ("staff.record", "staff_id"),
        "section": ("courses.section", "section_id"),
    }
    if kind not in endpoints:
        return None
    endpoint, arg = endpoints[kind]
    return url_for(endpoint, **{arg: record_id})
