"""The admin's roster import: upload a zip, preview it, apply it as a job."""

import logging

from flask import redirect, render_template, url_for
from flask_login import current_user

from blueprints.access import admin_required
from blueprints.rendering import page_or_partial, wants_partial
from blueprints.roster import bp
from blueprints.roster.forms import UploadForm
from blueprints.roster.uploads import job_id_for, save_upload, upload_path
from jobs.enqueue import enqueue_once, find_job, job_progress
from models import School, db
from models.oneroster import import_path

logger = logging.getLogger(__name__)

# Enough to fix a file by; a file wrong on every line needs no more to say so.
SHOWN_ERRORS = 200


@bp.route("/import", methods=["GET", "POST"])
@admin_required
def upload():
    """Show the upload form; store an uploaded zip and go to its preview."""
    form = UploadForm()
    if form.validate_on_submit():
        digest = save_upload(form.archive.data)
        logger.info("roster file %s uploaded by user %s", digest[:12], current_user.id)
        return redirect(url_for(".preview", digest=digest), 303)

    status = 422 if form.errors else 200
    return render_template("roster/upload.html", form=form), status


@bp.route("/import/<digest>")
@admin_required
def preview(digest):
    """Check the stored zip against Homeroom and show what applying would do."""
    path = upload_path(digest)
    result = import_path(path, School.current(), write=False)
    db.session.rollback()  # a preview leaves nothing behind, not even the school

    job = find_job(job_id_for(digest))
    return render_template(
        "roster/preview.html",
        digest=digest,
        result=result,
        shown_errors=SHOWN_ERRORS,
        progress=job_progress(job) if job else None,
    )


@bp.route("/import/<digest>/apply", methods=["POST"])
@admin_required
def apply(digest):
    """Queue the import of a previewed zip; two clicks make one job."""
    path = upload_path(digest)
    job, created = enqueue_once(
        "jobs.roster.apply_roster_import",
        str(path),
        current_user.id,
        job_id=job_id_for(digest),
        description=f"roster import {digest[:12]}",
    )
    if created:
        logger.info("roster import %s queued by user %s", digest[:12], current_user.id)
    if wants_partial():
        return _progress(digest, job)
    return redirect(url_for(".status", digest=digest), 303)


@bp.route("/import/<digest>/status")
@admin_required
def status(digest):
    """The import's progress bar, then its counts: page or polling fragment."""
    upload_path(digest)
    return _progress(digest, find_job(job_id_for(digest)))


def _progress(digest, job):
    return page_or_partial(
        "roster/status.html",
        "roster/_progress.html",
        digest=digest,
        progress=job_progress(job),
    )
