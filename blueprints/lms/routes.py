"""Canvas settings, connection test, bulk sync, activity, badges and resync."""

import logging
from datetime import UTC

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.access import (
    admin_required,
    can_see_section,
    can_see_student,
    staff_required,
)
from blueprints.lms import bp
from blueprints.lms.forms import CanvasSettingsForm
from blueprints.lms.status import record_link, sync_summary
from blueprints.rendering import page_or_partial, wants_partial
from jobs.enqueue import enqueue_once, find_job, job_progress
from jobs.sync_queue import (
    canvas_configured,
    request_sync,
    request_sync_all,
    sync_all_job,
)
from models import (
    CanvasSettings,
    Enrollment,
    Section,
    Staff,
    Student,
    SyncActivity,
    SyncState,
    db,
)
from models.lms import SYNC_KINDS

logger = logging.getLogger(__name__)

TEST_JOB_ID = "canvas:test-connection"
RESYNC_KINDS = ("student", "staff", "section", "enrollment")
ACTIVITY_PAGE_SIZE = 100


@bp.app_template_filter("stamp")
def stamp(moment):
    """A moment in UTC as people read it: 4 Dec 2026 07:25 UTC."""
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        # SQLite hands back naive times, already in UTC; PostgreSQL aware ones.
        moment = moment.astimezone(UTC)
    return f"{moment.day} {moment:%b %Y %H:%M} UTC"


@bp.app_template_global()
def sync_states(kind, records):
    """Map record id to sync state for a page of records, in one query."""
    return SyncState.states_for(kind, [record.id for record in records])


@bp.app_template_global()
def sync_state(kind, record_id):
    """One record's sync state, or None."""
    return SyncState.lookup(kind, record_id)


@bp.app_template_global()
def canvas_base_url():
    """The saved Canvas address, for links to Canvas pages; None if unset."""
    saved = CanvasSettings.load()
    return saved.url if saved is not None and saved.url else None


@bp.route("/lms/settings", methods=["GET", "POST"])
@admin_required
def settings():
    """Show and save the Canvas settings."""
    saved = CanvasSettings.load()
    form = CanvasSettingsForm(settings=saved)
    if not form.validate_on_submit():
        status = 422 if form.errors else 200
        return _settings_page(form, saved), status

    saved = CanvasSettings.get_or_create()
    form.fill(saved)
    db.session.commit()
    logger.info("canvas settings saved by user %s", current_user.id)

    flash("Canvas settings saved.", "success")
    return redirect(url_for("lms.settings"), 303)


def _settings_page(form, saved):
    """The settings page with its connection test and bulk sync panels."""
    test_job = find_job(TEST_JOB_ID)
    return render_template(
        "lms/settings.html",
        form=form,
        saved=saved,
        summary=sync_summary(),
        test=job_progress(test_job) if test_job else None,
        bulk=_bulk_progress(),
    )


@bp.post("/lms/test")
@admin_required
def test_connection():
    """Queue a connection test with the saved settings; answer with its status."""
    if CanvasSettings.load() is None:
        flash("Save the Canvas URL and token first.", "error")
        return redirect(url_for("lms.settings"), 303)
    enqueue_once("jobs.sync.test_connection", job_id=TEST_JOB_ID, timeout=120)
    logger.info("canvas connection test requested by user %s", current_user.id)
    if wants_partial():
        return test_result()
    return redirect(url_for("lms.settings"), 303)


@bp.get("/lms/test")
@admin_required
def test_result():
    """The connection test's answer, polled while it runs."""
    job = find_job(TEST_JOB_ID)
    test = job_progress(job) if job else None
    return page_or_partial("lms/test_page.html", "lms/_test_result.html", test=test)


@bp.post("/lms/sync-all")
@admin_required
def sync_all():
    """Queue one job syncing the whole school; a second click joins it."""
    if not _configured():
        flash("Set up Canvas before syncing.", "error")
        return redirect(url_for("lms.settings"), 303)
    job, created = request_sync_all()
    logger.info(
        "canvas sync of everything %s by user %s",
        "queued" if created else "joined",
        current_user.id,
    )
    if wants_partial():
        return sync_all_progress()
    return redirect(url_for("lms.settings"), 303)


@bp.get("/lms/sync-all")
@admin_required
def sync_all_progress():
    """The bulk sync's progress bar, polled while the job runs."""
    return page_or_partial(
        "lms/progress_page.html",
        "lms/_sync_progress.html",
        bulk=_bulk_progress(),
        summary=sync_summary(),
        oob_summary=wants_partial(),
    )


def _bulk_progress():
    """The bulk job's progress dict, or None if there has been none."""
    job = sync_all_job()
    return job_progress(job) if job is not None else None


def _configured():
    """True once Canvas settings are saved."""
    saved = CanvasSettings.load()
    return saved is not None and saved.is_configured


@bp.get("/lms/activity")
@admin_required
def activity():
    """Sync attempts, newest first, a page at a time.

    `?errors=1` keeps only failures; `?before=<id>` pages back from an id.
    """
    errors_only = request.args.get("errors") == "1"
    before = request.args.get("before", type=int)

    log = SyncActivity.page_before(before, errors_only, ACTIVITY_PAGE_SIZE)
    return page_or_partial(
        "lms/activity.html",
        "lms/_activity_rows.html",
        log=log,
        rows=log.rows,
        errors_only=errors_only,
        summary=sync_summary(),
        record_link=record_link,
    )


@bp.get("/lms/activity/<kind>/<int:record_id>")
@admin_required
def trace(kind, record_id):
    """One record's sync attempts with what was sent and what Canvas answered."""
    if kind not in SYNC_KINDS:
        abort(404)
    attempts = SyncActivity.for_record(kind, record_id)
    state = SyncState.lookup(kind, record_id)
    if state is None and not attempts:
        abort(404)
    return render_template(
        "lms/trace.html",
        kind=kind,
        record_id=record_id,
        state=state,
        attempts=attempts,
        link=record_link(kind, record_id),
    )


@bp.post("/lms/resync/<kind>/<int:record_id>")
@admin_required
def resync(kind, record_id):
    """Sync one record again now; answer with its (pending) badge."""
    if kind not in RESYNC_KINDS:
        abort(404)
    state = request_sync(kind, record_id, enabled=True, force=True)
    if state is None:
        abort(404)
    db.session.commit()
    queued = state.state == "pending"
    logger.info("%s %s resync requested by user %s", kind, record_id, current_user.id)

    if wants_partial():
        return badge(kind, record_id)
    if queued:
        flash("Resync queued.", "success")
    elif not canvas_configured():
        flash("Nothing was queued: Canvas is not set up yet.", "error")
    else:
        flash("Nothing was queued: this record does not sync with Canvas.", "error")
    return redirect(_back(), 303)


def _may_see_record(user, kind, record_id):
    """Admins see every badge; a teacher those of her sections and students."""
    if user.role == "admin":
        return True
    if kind == "student":
        return can_see_student(user, record_id)
    if kind == "staff":
        return user.staff_id == record_id
    if kind == "enrollment":
        stint = db.session.get(Enrollment, record_id)
        return stint is not None and can_see_section(user, stint.section)
    section = db.session.get(Section, record_id)
    return section is not None and can_see_section(user, section)


def _record_name(kind, record_id):
    """Whose badge it is, as its Resync button names it; None if unknown."""
    if kind == "enrollment":
        stint = db.session.get(Enrollment, record_id)
        return f"{stint.student.full_name} in {stint.section.name}" if stint else None
    model = {"student": Student, "staff": Staff, "section": Section}[kind]
    record = db.session.get(model, record_id)
    if record is None:
        return None
    return record.name if kind == "section" else record.full_name


@bp.get("/lms/badge/<kind>/<int:record_id>")
@staff_required
def badge(kind, record_id):
    """A record's sync badge; it polls itself while the record is pending."""
    if kind not in RESYNC_KINDS:
        abort(404)
    if not _may_see_record(current_user, kind, record_id):
        abort(403)
    state = SyncState.lookup(kind, record_id)
    resync_on = request.args.get("resync", "1") == "1"
    name = _record_name(kind, record_id) if resync_on else None
    partial = "lms/_badge.html"
    if request.args.get("view") == "info":
        partial = "lms/_canvas_status.html"
    response = page_or_partial(
        "lms/badge_page.html",
        partial,
        kind=kind,
        record_id=record_id,
        state=state,
        resync=resync_on,
        name=name,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _back():
    """Where a no-JavaScript form returns to: a local referrer, else activity."""
    target = request.referrer or ""
    if target.startswith(request.host_url):
        return target
    return url_for("lms.activity")
