"""Input Final Grades, the Canvas fetch, period weights and the completion report."""

import logging
from datetime import date
from functools import wraps

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.access import admin_required, get_section_or_404, staff_required
from blueprints.gradebook.actions import CANVAS_JOBS, canvas_job_id
from blueprints.grades import bp
from blueprints.grades.forms import (
    CommentCodeForm,
    PostForm,
    read_rows,
    read_weights,
)
from blueprints.rendering import page_or_partial
from jobs.enqueue import enqueue_once, find_job, job_progress, rq_job_id
from models import (
    CommentCode,
    GradebookConfig,
    MarkingPeriod,
    PeriodWeight,
    SectionCompletion,
    db,
)
from models.final_grade_math import weight_errors
from models.grade_entry import (
    entry_rows,
    grading_periods,
    save_grade,
    section_levels,
)
from models.grade_reports import (
    completion_rows,
    report_period,
    sections_to_grade,
    weighted_periods,
)

logger = logging.getLogger(__name__)

# RQ states in which a fetch has yet to finish; the badge polls while in one.
RUNNING = {"queued", "started", "deferred", "scheduled"}


def with_section_period(view):
    """Load the section (the user's own) and one of its grading periods."""

    @wraps(view)
    def wrapped(section_id, period_id, **kwargs):
        section = get_section_or_404(section_id, current_user)
        period = next(
            (p for p in grading_periods(section) if p.id == period_id), None
        ) or abort(404)
        return view(section, period, **kwargs)

    return wrapped


def posting_open_required(view):
    """Teachers post only inside the period's window; admins at any time."""

    @wraps(view)
    def wrapped(section, period, **kwargs):
        if not _can_post(period):
            abort(403)
        return view(section, period, **kwargs)

    return wrapped


def _can_post(period):
    """Whether the signed-in user may submit grades for the period today."""
    return current_user.role == "admin" or period.is_posting_open(date.today())


def _grades_page(section, period, rows, errors=None, status=200):
    """Render Input Final Grades."""
    levels = section_levels(section)
    return render_template(
        "grades/input.html",
        section=section,
        period=period,
        periods=grading_periods(section),
        rows=rows,
        errors=errors or {},
        letters=[level.letter for level in levels],
        codes=CommentCode.available(section.school_id),
        can_post=_can_post(period),
        can_fetch=_can_fetch(section),
        form=PostForm(),
        data=request.form,
        job=_progress(_fetch_job(section, request.args.get("job"))),
    ), status


@bp.route("/grades")
@staff_required
def index():
    """The sections the user grades, with each grading period's status."""
    return render_template(
        "grades/index.html", rows=sections_to_grade(current_user), today=date.today()
    )


@bp.route("/grades/sections/<int:section_id>/periods/<int:period_id>")
@staff_required
@with_section_period
def input_final_grades(section, period):
    """Show Input Final Grades for a section and period."""
    rows = entry_rows(section, period, section_levels(section))
    return _grades_page(section, period, rows)


@bp.route("/grades/sections/<int:section_id>/periods/<int:period_id>", methods=["POST"])
@staff_required
@with_section_period
@posting_open_required
def submit_final_grades(section, period):
    """Save every student's final grade and mark the section complete."""
    form = PostForm()
    if not form.validate_on_submit():
        abort(400)
    levels = section_levels(section)
    rows = entry_rows(section, period, levels)
    codes = CommentCode.available(section.school_id)
    entries, errors = read_rows(
        request.form, rows, [lv.letter for lv in levels], codes, period.does_exams
    )
    if errors:
        return _grades_page(section, period, rows, errors, 422)

    saved = [
        save_grade(section, period, row, entries[row.student.id], levels, current_user)
        for row in rows
    ]
    SectionCompletion.record(section, period.id, current_user)
    db.session.commit()
    count = sum(grade is not None for grade in saved)
    logger.info(
        "section %s grades for period %s submitted (%d saved) by user %s",
        section.id,
        period.id,
        count,
        current_user.id,
    )
    flash(f"Saved {count} final grades; {section.name} is complete.", "success")
    return redirect(
        url_for(".input_final_grades", section_id=section.id, period_id=period.id)
    )


def _fetch_job_id(section_id):
    """The gradebook's job id for a section's grade pull (two clicks, one job)."""
    return canvas_job_id("grades", section_id)


def _fetch_job(section, asked=None):
    """The fetch to show: the one this page started, else one still running.

    A finished fetch is reported only where the page carries its id (after
    the teacher pressed the button), not on every visit afterwards.
    """
    base = _fetch_job_id(section.id)
    ours = [rq_job_id(base), rq_job_id(f"{base}:next")]
    if asked in ours:
        return find_job(asked)

    jobs = (find_job(job_id) for job_id in ours)
    return next((job for job in jobs if job and job.get_status() in RUNNING), None)


def _progress(job):
    """A job's progress for the badge, with its id and whether it still runs."""
    progress = job_progress(job)
    progress["id"] = job.id if job else None
    progress["running"] = progress["status"] in RUNNING
    return progress


def _can_fetch(section):
    """Canvas grades can be fetched once the section's Canvas option is set."""
    config = GradebookConfig.for_section(section, create=False)
    return bool(section.canvas_sync and config and config.canvas_option)


@bp.route("/grades/sections/<int:section_id>/fetch-canvas", methods=["POST"])
@staff_required
def fetch_canvas(section_id):
    """Queue the gradebook's Canvas grade pull for the section."""
    section = get_section_or_404(section_id, current_user)
    if not _can_fetch(section):
        abort(409)
    job, created = enqueue_once(
        CANVAS_JOBS["grades"],
        section.id,
        job_id=_fetch_job_id(section.id),
        description=f"Fetch Canvas grades for section {section.id}",
    )
    if created:
        logger.info(
            "section %s canvas grades fetch queued by user %s",
            section.id,
            current_user.id,
        )
    return _fetch_status(section, job)


@bp.route("/grades/sections/<int:section_id>/fetch-canvas")
@staff_required
def fetch_canvas_status(section_id):
    """The state of the section's Canvas fetch, for the badge to poll."""
    section = get_section_or_404(section_id, current_user)
    return _fetch_status(section, _fetch_job(section, request.args.get("job")))


def _fetch_status(section, job):
    """Render the fetch badge alone for htmx, or go back to the page."""
    period_id = request.values.get("period", type=int)
    if request.headers.get("HX-Request") != "true" and period_id:
        return redirect(
            url_for(
                ".input_final_grades",
                section_id=section.id,
                period_id=period_id,
                job=job.id if job else None,
            )
        )
    return page_or_partial(
        "grades/_fetch.html",
        "grades/_fetch.html",
        section=section,
        period_id=period_id,
        job=_progress(job),
        offer_reload=True,
    )


@bp.route("/grades/completion")
@admin_required
def completion():
    """Which teachers have submitted which sections for a period."""
    periods = MarkingPeriod.tree(current_user.school_id)
    asked = request.args.get("period", type=int)
    period = report_period(periods, asked, date.today())
    if asked and period is None:
        abort(404)

    rows = completion_rows(period) if period else []
    return render_template(
        "grades/completion.html", periods=periods, period=period, rows=rows
    )


@bp.route("/grades/weights")
@admin_required
def weights_index():
    """The periods made of other periods, with the weights set for each."""
    return render_template(
        "grades/weights_index.html",
        periods=weighted_periods(current_user.school_id),
    )


def _weight_parts(period):
    """The parts a period's grade weighs: its children, then its exam if any."""
    parts = [(child.id, child.title) for child in period.children if child.does_grades]
    if period.does_exams:
        parts.append((None, "Exam"))
    return parts


def _weights_page(period, values, errors, status=200):
    """Render the weights form."""
    return render_template(
        "grades/weights.html",
        period=period,
        parts=_weight_parts(period),
        current=values,
        errors=errors,
        form=PostForm(),
    ), status


@bp.route("/grades/weights/<int:period_id>")
@admin_required
def weights(period_id):
    """Show how a semester or year grade weighs its child periods and exam."""
    period = db.session.get(MarkingPeriod, period_id) or abort(404)
    return _weights_page(period, PeriodWeight.of(period.id), [])


@bp.route("/grades/weights/<int:period_id>", methods=["POST"])
@admin_required
def save_weights(period_id):
    """Save a period's weights; they must add up to 100."""
    period = db.session.get(MarkingPeriod, period_id) or abort(404)
    if not PostForm().validate_on_submit():
        abort(400)
    parts = _weight_parts(period)
    values, errors = read_weights(request.form, parts)
    labels = dict(parts)
    errors = errors or weight_errors({labels[k]: w for k, w in values.items()})
    if errors:
        return _weights_page(period, values, errors, 422)

    PeriodWeight.replace(period.id, values)
    db.session.commit()
    logger.info("period %s weights set by user %s", period.id, current_user.id)
    flash(f"Weights for {period.title} are saved.", "success")
    return redirect(url_for(".weights_index"))


def _codes_page(form, status=200):
    """Render the comment codes page."""
    codes = CommentCode.listing(current_user.school_id)
    return render_template(
        "grades/comment_codes.html", codes=codes, form=form, toggle=PostForm()
    ), status


@bp.route("/grades/comment-codes")
@admin_required
def comment_codes():
    """The comment codes teachers may put on report cards."""
    return _codes_page(CommentCodeForm())


@bp.route("/grades/comment-codes", methods=["POST"])
@admin_required
def add_comment_code():
    """Add one of the school's own comment codes."""
    form = CommentCodeForm()
    if form.validate_on_submit():
        code = form.code.data.strip().upper()
        taken = {
            row.code.upper() for row in CommentCode.listing(current_user.school_id)
        }
        if code in taken:
            form.code.errors.append(f"{code} is already a comment code.")
        else:
            db.session.add(
                CommentCode(
                    school_id=current_user.school_id,
                    code=code,
                    text=form.text.data.strip(),
                )
            )
            db.session.commit()
            logger.info("comment code %s added by user %s", code, current_user.id)
            flash(f"Comment code {code} is added.", "success")
            return redirect(url_for(".comment_codes"))
    return _codes_page(form, 422)


@bp.route("/grades/comment-codes/<int:code_id>/toggle", methods=["POST"])
@admin_required
def toggle_comment_code(code_id):
    """Retire a comment code, or bring it back; grades keep the ones they have."""
    code = db.session.get(CommentCode, code_id) or abort(404)
    if code.school_id not in (None, current_user.school_id):
        abort(404)
    if not PostForm().validate_on_submit():
        abort(400)
    code.active = not code.active
    db.session.commit()
    logger.info(
        "comment code %s %s by user %s",
        code.code,
        "restored" if code.active else "retired",
        current_user.id,
    )
    return redirect(url_for(".comment_codes"))
