"""The school details form and the marking-periods tree."""

import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from blueprints.access import admin_required
from blueprints.lms.hooks import sync_sections_using
from blueprints.school import bp
from blueprints.school.forms import MarkingPeriodForm, SchoolForm
from blueprints.school.rules import (
    Span,
    date_problems,
    kind_problem,
    nesting_problems,
)
from models import MarkingPeriod, School, db

logger = logging.getLogger(__name__)


def _span(period):
    """Reduce a period to the plain values the rules take."""
    return Span(period.kind, period.title, period.start_date, period.end_date)


def _parent_choices(tree, editing=None):
    """Parent choices, indented as the tree is; a period is not its own parent."""
    choices = [SelectChoice(0, "None (a school year)")]
    for period, depth in tree:
        if editing is None or period.id != editing.id:
            indent = "\u2003" * depth
            label = f"{indent}{period.title} ({period.kind})"
            choices.append(SelectChoice(period.id, label))
    return choices


def _check_tree(form, periods, editing=None):
    """Add the date, kind and nesting rules' messages to the form's fields."""
    parent = periods.get(form.parent_id.data)
    problems = date_problems(
        form.start_date.data,
        form.end_date.data,
        form.post_start.data,
        form.post_end.data,
    )
    message = kind_problem(form.kind.data, parent.kind if parent else None)
    if message:
        problems["parent_id"] = message
    children = [
        _span(p) for p in periods.values() if editing and p.parent_id == editing.id
    ]
    here = Span(
        form.kind.data, form.title.data, form.start_date.data, form.end_date.data
    )
    nested = nesting_problems(here, _span(parent) if parent else None, children)
    for field, text in {**nested, **problems}.items():
        getattr(form, field).errors.append(text)
    return not (problems or nested)


def _fill_defaults(form, period):
    """Preset the parent: the period's own, or the one the "Add" link named."""
    if period is not None:
        form.parent_id.data = period.parent_id or 0
        return
    form.parent_id.data = request.args.get("parent_id", 0, type=int)
    form.kind.data = request.args.get("kind", "year")
    form.does_grades.data = form.does_comments.data = True


def _period_form(period=None):
    """Show and save the period form, for a new period or an existing one."""
    school = School.current()
    tree = MarkingPeriod.tree(school.id)
    form = MarkingPeriodForm(obj=period)
    form.parent_id.choices = _parent_choices(tree, editing=period)
    if request.method == "GET":
        _fill_defaults(form, period)

    periods = {p.id: p for p, _ in tree}
    if form.validate_on_submit() and _check_tree(form, periods, editing=period):
        if period is None:
            period = MarkingPeriod(school_id=school.id)
            db.session.add(period)
        form.populate_obj(period)
        period.parent_id = form.parent_id.data or None
        sync_sections_using(period_id=period.id)
        db.session.commit()
        logger.info("marking period %s saved by user %s", period.id, current_user.id)
        flash(f"{period.title} is saved.", "success")
        return redirect(url_for("school.marking_periods"))

    status = 422 if form.errors else 200
    template = "school/period_form.html"
    return render_template(template, form=form, period=period), status


@bp.route("/marking-periods")
@admin_required
def marking_periods():
    """Show the school's calendar as an indented tree."""
    tree = MarkingPeriod.tree(School.current().id)
    return render_template("school/marking_periods.html", tree=tree)


@bp.route("/marking-periods/new", methods=["GET", "POST"])
@admin_required
def new_period():
    """Create a marking period."""
    return _period_form()


@bp.route("/marking-periods/<int:period_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_period(period_id):
    """Edit a marking period."""
    period = db.session.get(MarkingPeriod, period_id) or abort(404)
    return _period_form(period)


@bp.route("/school", methods=["GET", "POST"])
@admin_required
def details():
    """Show and save the school's name, address and phone."""
    school = School.current()
    form = SchoolForm(obj=school)
    if form.validate_on_submit():
        form.populate_obj(school)
        db.session.commit()
        logger.info("school %s details updated by user %s", school.id, current_user.id)
        flash("The school's details are saved.", "success")
        return redirect(url_for("school.details"))

    status = 422 if form.errors else 200
    return render_template("school/details.html", form=form), status
