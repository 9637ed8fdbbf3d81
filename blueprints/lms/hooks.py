"""What other areas call when they save a record Canvas should hear about.

Call these before the request's commit: the record goes `pending` in the same
transaction and its sync job is queued once the commit succeeds.
"""

from flask import request

from jobs.sync_queue import request_sync
from models import db


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


def sync_enrollment_on_save(stint):
    """Queue the sync of a student's place in a section after an add or drop."""
    db.session.flush()
    return request_sync("enrollment", stint.id)
