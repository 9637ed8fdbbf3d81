"""The OneRoster import as a background job, for the admin page's Apply button."""

import logging

from rq import get_current_job

from jobs.progress import report_progress
from jobs.sync_queue import canvas_configured, request_sync_all
from models import School, db
from models.oneroster import import_path

logger = logging.getLogger(__name__)


def apply_roster_import(path, user_id=None):
    """Import an uploaded OneRoster zip in one transaction; return the counts."""
    try:
        result = import_path(path, School.current(), progress=report_progress)
        if not result.ok:
            db.session.rollback()
            logger.warning(
                "roster import %s refused: %d errors", path, len(result.errors)
            )
            return result.as_dict()
        db.session.commit()
    except Exception:
        db.session.rollback()
        logger.exception("roster import %s failed", path)
        _record_failure("The import failed and nothing was written; see the log.")
        raise
    logger.info(
        "roster import %s applied by user %s: %d created, %d updated, %d dropped",
        path,
        user_id,
        result.total("created"),
        result.total("updated"),
        result.total("dropped"),
    )
    if canvas_configured():
        # New and changed people and sections go to Canvas by themselves.
        request_sync_all()
    return result.as_dict()


def _record_failure(message):
    """Leave a message an admin can read where the progress bar was."""
    job = get_current_job()
    if job is not None:
        job.meta["error"] = message
        job.save_meta()
