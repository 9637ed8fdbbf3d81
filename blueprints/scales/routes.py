"""The school's grading scales: list, new, edit and delete."""

import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.access import admin_required
from blueprints.scales import bp
from blueprints.scales.forms import ScaleForm
from blueprints.scales.queries import gradebook_uses, scale_of_school, uses_of
from blueprints.scales.rules import delete_problem
from models import GradingScale, GradingScaleLevel, School, db

logger = logging.getLogger(__name__)

# Empty rows offered for new levels: a whole scale's worth on a new one.
NEW_SCALE_ROWS = 6
EXTRA_ROWS = 3


def _scale_or_404(scale_id):
    """Load one of the school's scales, else 404."""
    return scale_of_school(scale_id, School.current().id) or abort(404)


def _save_levels(scale, rows):
    """Make the scale's levels match the rows, keeping levels by their letter."""
    wanted = {row.letter.casefold(): row for row in rows}
    for level in list(scale.levels):
        if level.letter.casefold() not in wanted:
            scale.levels.remove(level)
    # Deletes go first: the unit of work would otherwise run them after the
    # updates, against the rule of one level per letter.
    db.session.flush()

    kept = {level.letter.casefold(): level for level in scale.levels}
    for key, row in wanted.items():
        level = kept.get(key) or GradingScaleLevel()
        level.letter = row.letter
        level.min_percentage = row.min_percentage
        level.gpa_points = row.gpa_points
        level.passing = row.passing
        if key not in kept:
            scale.levels.append(level)


def _save(form, scale, others):
    """Copy the form onto the scale; return True when it became the default.

    There is always exactly one default: ticking the box takes it from the
    others, and a school with no default gets this scale as its default.
    """
    scale.name = form.name.data
    db.session.add(scale)
    _save_levels(scale, form.rows())
    takes_default = not scale.is_default and (
        form.is_default.data or not any(s.is_default for s in others)
    )
    if takes_default:
        for other in others:
            other.is_default = False
        scale.is_default = True
    return takes_default


def _scale_form(scale=None):
    """Show and save the scale form, for a new scale or an existing one."""
    school = School.current()
    others = [s for s in GradingScale.for_school(school.id) if s is not scale]
    form = ScaleForm(obj=scale, taken=[s.name for s in others])
    if request.method == "GET":
        form.add_blank_rows(EXTRA_ROWS if scale else NEW_SCALE_ROWS)

    if form.validate_on_submit():
        verb = "updated" if scale else "created"
        scale = scale or GradingScale(school_id=school.id)
        became_default = _save(form, scale, others)
        db.session.commit()
        logger.info("grading scale %s %s by user %s", scale.id, verb, current_user.id)
        if became_default:
            logger.info(
                "grading scale %s made the default by user %s",
                scale.id,
                current_user.id,
            )
        flash(f"{scale.name} is saved.", "success")
        return redirect(url_for("scales.index"), 303)

    status = 422 if form.errors else 200
    uses = uses_of(scale.id) if scale else 0
    reason = scale and delete_problem(scale.name, scale.is_default, uses)
    return render_template(
        "scales/form.html", form=form, scale=scale, uses=uses, delete_reason=reason
    ), status


@bp.get("/grading-scales")
@admin_required
def index():
    """List the school's grading scales, their letters and how many use them."""
    scales = GradingScale.for_school(School.current().id)
    uses = gradebook_uses()
    return render_template("scales/index.html", scales=scales, uses=uses)


@bp.route("/grading-scales/new", methods=["GET", "POST"])
@admin_required
def new():
    """Create a grading scale."""
    return _scale_form()


@bp.route("/grading-scales/<int:scale_id>/edit", methods=["GET", "POST"])
@admin_required
def edit(scale_id):
    """Edit a scale's name, default switch and levels."""
    return _scale_form(_scale_or_404(scale_id))


@bp.post("/grading-scales/<int:scale_id>/delete")
@admin_required
def delete(scale_id):
    """Delete an unused scale that is not the default; else say why it stays."""
    scale = _scale_or_404(scale_id)
    problem = delete_problem(scale.name, scale.is_default, uses_of(scale.id))
    if problem:
        flash(problem, "error")
        return redirect(url_for("scales.edit", scale_id=scale.id), 303)

    db.session.delete(scale)
    db.session.commit()
    logger.info("grading scale %s deleted by user %s", scale_id, current_user.id)
    flash(f"{scale.name} is deleted.", "success")
    return redirect(url_for("scales.index"), 303)
