"""What other areas call when they save a record Canvas should hear about.

Call these before the request's commit: the record goes `pending` in the same
transaction and its sync job is queued once the commit succeeds.
"""

from flask import request

from jobs.sync_queue import request_sync
from models import Section, db


def sync_person_on_save(kind, record):
    """Queue a student's or staff member's sync, as the form's checkbox says.

    A form that showed the "Synchronize this user with Canvas" box turns sync
    on or off with it; any other save keeps the record's setting.
    """
    enabled = None
    if request.form.get("canvas_sync_shown"):
        enabled = request.form.get("canvas_sync") == "y"
    db.session.flush()
    return request_sync(kind, record.id, enabled=enabled)


def sync_section_on_save(section):
    """Queue a section's sync (or mark it off when its switches are off)."""
    db.session.flush()
    return request_sync("section", section.id)


def sync_sections_using(*, course_id=None, period_id=None):
    """Queue the syncing sections of a course or a marking period.

    A course's name and code, and a term's name and dates, travel with its
    sections' sync; a section whose payload did not change makes no write.
    """
    db.session.flush()
    query = db.select(Section.id).where(
        Section.virtual_class.is_(True), Section.canvas_sync.is_(True)
    )
    if course_id is not None:
        query = query.where(Section.course_id == course_id)
    if period_id is not None:
        query = query.where(Section.marking_period_id == period_id)
    return [request_sync("section", i) for i in db.session.scalars(query)]


def sync_enrollment_on_save(stint):
    """Queue the sync of a student's place in a section after an add or drop."""
    db.session.flush()
    return request_sync("enrollment", stint.id)
