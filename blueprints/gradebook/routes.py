"""Gradebook pages: Grades tab, cell saves, types, assignments, configuration."""

import logging
from functools import wraps

from flask import (
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from blueprints.access import get_section_or_404, staff_required
from blueprints.gradebook import actions, bp, grid
from blueprints.gradebook.export import grades_csv
from blueprints.gradebook.forms import AssignmentForm, ConfigForm, TypeForm
from blueprints.rendering import page_or_partial, wants_partial
from jobs.enqueue import enqueue_once, find_job, job_progress
from models import (
    Assignment,
    AssignmentType,
    CanvasGroup,
    Enrollment,
    GradingScale,
    Score,
    db,
)
from models.gradebook_summary import student_summary

logger = logging.getLogger(__name__)


def gradebook_access(edit=False):
    """Load the section for its teacher; admins may view but not change it."""

    def decorator(view):
        @wraps(view)
        @staff_required
        def wrapped(section_id, **kwargs):
            section = get_section_or_404(section_id, current_user)
            if edit and not section.is_taught_by(current_user.staff_id):
                abort(403)
            return view(section, **kwargs)

        return wrapped

    return decorator


def _context(section, **extra):
    """What every gradebook page shows: the section, its setup, who may edit."""
    config = actions.config_for(section)
    return dict(
        section=section,
        config=config,
        can_edit=section.is_taught_by(current_user.staff_id),
        **extra,
    )


def _in_section(section, student_id):
    """Whether the student has (or had) a place in the section."""
    return (
        db.session.scalar(
            db.select(Enrollment.id)
            .where(
                Enrollment.section_id == section.id,
                Enrollment.student_id == student_id,
            )
            .limit(1)
        )
        is not None
    )


def _assignment_or_404(section, assignment_id):
    """An assignment of this section, or 404."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.section_id != section.id:
        abort(404)
    return assignment


@bp.app_template_filter("plain_number")
def plain_number(value):
    """A Decimal as people write it: 30 not 3E+1 or 30.00, 7.5 not 7.50."""
    return actions.format_points(value) if value is not None else ""


# Grades tab ----------------------------------------------------------------


@bp.route("/")
@gradebook_access()
def index(section):
    """Open the gradebook on its Grades tab."""
    return redirect(url_for("gradebook.grades", section_id=section.id))


@bp.route("/grades/")
@gradebook_access()
def grades(section):
    """Show students by assignments, with keyboard entry for Homeroom's work."""
    context = _context(section)
    db.session.commit()  # the configuration made on first visit
    periods = _periods(section)
    period_id = _chosen_period(periods)
    columns, rows = grid.build(
        section, context["config"], period_id, can_edit=context["can_edit"]
    )
    return page_or_partial(
        "gradebook/grades.html",
        "gradebook/_grid.html",
        columns=columns,
        rows=rows,
        periods=periods,
        period_id=period_id,
        **context,
    )


def _chosen_period(periods, values=None):
    """The marking period asked for in mp=, if it is one of the section's."""
    wanted = (request.args if values is None else values).get("mp", type=int)
    return wanted if wanted in {p.id for p in periods} else None


@bp.route("/grades/c/<int:assignment_id>/<int:student_id>", methods=["POST"])
@gradebook_access(edit=True)
def save_cell(section, assignment_id, student_id):
    """Save one typed score; answer the cell's status and the row's grade."""
    assignment = _assignment_or_404(section, assignment_id)
    if assignment.read_only:
        abort(403)
    if not _in_section(section, student_id):
        abort(404)

    value, error = actions.parse_cell(request.form.get("v", ""), assignment)
    score = None
    if error is None:
        score = actions.save_cell(assignment, student_id, value)
        db.session.commit()
        logger.debug("score %s/%s saved", assignment.id, student_id)
    period_id = _chosen_period(_periods(section), request.form)
    summary = student_summary(section.id, student_id, period_id)
    return render_template(
        "gradebook/_cell_saved.html",
        error=error,
        text=None if error else actions.cell_text(score, short=True),
        summary=summary,
        config=actions.config_for(section),
    ), (422 if error else 200)


@bp.route("/grades.csv")
@gradebook_access()
def export_csv(section):
    """Download the Grades tab as CSV."""
    text = grades_csv(section, _chosen_period(_periods(section)))
    db.session.commit()
    filename = f"grades-{section.external_id}.csv"
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# Canvas jobs ---------------------------------------------------------------


@bp.route("/canvas/<any(coursework, grades):kind>", methods=["POST"])
@gradebook_access(edit=True)
def canvas_start(section, kind):
    """Queue Get Canvas Assignments or the grade pull; show its progress."""
    config = actions.config_for(section)
    if config.canvas_option is None:
        abort(409)
    job, created = enqueue_once(
        actions.CANVAS_JOBS[kind],
        section.id,
        job_id=actions.canvas_job_id(kind, section.id),
    )
    if created:
        logger.info(
            "section %s canvas %s queued by user %s", section.id, kind, current_user.id
        )
    if not wants_partial():
        flash("Canvas is being read; the result shows here when it is done.")
        tab = "gradebook.grades" if kind == "grades" else "gradebook.assignments"
        mp = request.args.get("mp", type=int)
        return redirect(url_for(tab, section_id=section.id, job=kind, mp=mp), 303)
    return _job_status(section, kind, job)


@bp.route("/canvas/<any(coursework, grades):kind>")
@gradebook_access()
def canvas_status(section, kind):
    """The progress or result of a section's Canvas job, for polling."""
    return _job_status(section, kind, find_job(actions.canvas_job_id(kind, section.id)))


def _job_status(section, kind, job):
    """Render a job's badge: polling while it runs, its result once done."""
    progress = job_progress(job)
    response = make_response(
        render_template(
            "gradebook/_canvas_job.html",
            section=section,
            kind=kind,
            # The grades page's marking period, kept for its polls and reload.
            period_id=request.args.get("mp", type=int),
            progress=progress,
            result=progress.get("result") or {},
        )
    )
    if progress["status"] == "finished":
        # The assignment list and the grid listen for these and reload once.
        response.headers["HX-Trigger"] = f"{kind}-done"
    return response


# Configuration -------------------------------------------------------------


@bp.route("/config", methods=["GET", "POST"])
@gradebook_access()
def configuration(section):
    """Show and save how the gradebook counts; the Canvas option locks."""
    context = _context(section)
    config = context["config"]
    scales = GradingScale.for_school(section.school_id)
    form = ConfigForm(obj=config, scales=scales)
    if request.method == "GET":
        form.canvas_option.data = str(config.canvas_option or "")
    elif not context["can_edit"]:
        abort(403)
    elif form.validate_on_submit():
        option = config.canvas_option
        if section.canvas_sync and not config.locked and form.canvas_option.data:
            option = int(form.canvas_option.data)
        errors = actions.configure(
            section,
            config,
            option=option,
            weighted=form.weighted.data,
            rounding=form.rounding.data,
            missing_as_zero=form.missing_as_zero.data,
            scale_id=form.scale_id.data,
        )
        if not errors:
            db.session.commit()
            logger.info(
                "section %s gradebook configured by user %s (option %s)",
                section.id,
                current_user.id,
                config.canvas_option,
            )
            flash("The gradebook configuration is saved.", "success")
            return redirect(url_for("gradebook.configuration", section_id=section.id))
        db.session.rollback()
        for name, message in errors.items():
            getattr(form, name).errors.append(message)

    status = 422 if form.errors else 200
    body = render_template(
        "gradebook/config.html",
        form=form,
        lock_reason=actions.lock_reason(config) if config.locked else None,
        **context,
    )
    return body, status


# Assignment types ----------------------------------------------------------


@bp.route("/types", methods=["GET", "POST"])
@gradebook_access()
def types(section):
    """List the assignment types and add one."""
    context = _context(section)
    form = TypeForm()
    if request.method == "POST":
        if not context["can_edit"]:
            abort(403)
        if form.validate_on_submit():
            name = form.name.data.strip()
            if _type_named(section, name):
                form.name.errors.append(f"This section already has a type {name}.")
            else:
                db.session.add(
                    AssignmentType(
                        section_id=section.id, name=name, weight=form.weight.data,
                        sort_order=len(AssignmentType.of_section(section.id)),
                    )
                )  # fmt: skip
                db.session.commit()
                logger.info("section %s type %s added", section.id, name)
                flash(f"The type {name} is added.", "success")
                return redirect(url_for("gradebook.types", section_id=section.id))
    return _types_page(section, context, form)


def _type_named(section, name):
    """The section's type with this name, ignoring case, or None."""
    return db.session.scalar(
        db.select(AssignmentType).where(
            AssignmentType.section_id == section.id,
            db.func.lower(AssignmentType.name) == name.lower(),
        )
    )


def _types_page(section, context, form, weight_errors=None, status=None,
                typed=None):  # fmt: skip
    """Render the types page with the weights check; typed: refused input."""
    kinds = AssignmentType.of_section(section.id)
    problem = actions.weight_problem(
        [k.weight for k in kinds], context["config"].weighted
    )
    status = status or (422 if form.errors or weight_errors else 200)
    groups = db.session.scalars(
        db.select(CanvasGroup)
        .where(CanvasGroup.section_id == section.id)
        .order_by(CanvasGroup.position, CanvasGroup.name)
    ).all()
    body = render_template(
        "gradebook/types.html",
        form=form,
        kinds=kinds,
        canvas_groups=groups,
        weight_problem=problem,
        weight_errors=weight_errors or {},
        typed=typed or {},
        typed_total=_typed_total(typed),
        **context,
    )
    return body, status


def _typed_total(typed):
    """The total of refused weights as typed, when every one is a number."""
    if not typed:
        return None
    weights = [actions.parse_weight(text) for text in typed.values()]
    if None in weights:
        return None
    return actions.format_points(sum(weights))


@bp.route("/types/weights", methods=["POST"])
@gradebook_access(edit=True)
def save_weights(section):
    """Save every type's weight at once; with weighting on they must total 100."""
    context = _context(section)
    kinds = AssignmentType.of_section(section.id)
    weights = {
        k.name: actions.parse_weight(request.form.get(f"w{k.id}", "")) for k in kinds
    }
    errors = actions.set_types(section, weights, context["config"].weighted)
    if errors:
        db.session.rollback()
        typed = {f"w{k.id}": request.form.get(f"w{k.id}", "") for k in kinds}
        return _types_page(section, _context(section), TypeForm(), errors, 422, typed)
    db.session.commit()
    logger.info("section %s type weights saved by user %s", section.id, current_user.id)
    flash("The weights are saved.", "success")
    return redirect(url_for("gradebook.types", section_id=section.id))


@bp.route("/types/<int:type_id>/delete", methods=["POST"])
@gradebook_access(edit=True)
def delete_type(section, type_id):
    """Remove a type that holds no assignments."""
    kind = db.session.get(AssignmentType, type_id)
    if kind is None or kind.section_id != section.id:
        abort(404)
    if kind.assignments or kind.is_canvas:
        flash(f"{kind.name} holds assignments, so it stays.", "error")
    else:
        db.session.delete(kind)
        db.session.commit()
        flash(f"The type {kind.name} is removed.", "success")
    return redirect(url_for("gradebook.types", section_id=section.id), 303)


# Assignments ---------------------------------------------------------------


@bp.route("/assignments")
@gradebook_access()
def assignments(section):
    """List the section's assignments, Homeroom's and Canvas's."""
    context = _context(section)
    rows = Assignment.of_section(section.id)
    kinds = {k.id: k for k in AssignmentType.of_section(section.id)}
    return render_template(
        "gradebook/assignments.html", assignments=rows, kinds=kinds, **context
    )


def _periods(section):
    """The section's marking period and the periods inside it."""
    top = section.marking_period
    return [top, *top.children] if top else []


@bp.route("/assignments/new", methods=["GET", "POST"])
@gradebook_access(edit=True)
def new_assignment(section):
    """Create an assignment; optionally publish it to the Canvas course too."""
    return _assignment_form(section, None)


@bp.route("/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
@gradebook_access(edit=True)
def edit_assignment(section, assignment_id):
    """Edit an assignment made in Homeroom."""
    assignment = _assignment_or_404(section, assignment_id)
    if assignment.from_canvas:
        abort(403)
    return _assignment_form(section, assignment)


def _assignment_form(section, assignment):
    """Show and save the assignment form."""
    context = _context(section)
    kinds = AssignmentType.of_section(section.id)
    form = AssignmentForm(obj=assignment, types=kinds, periods=_periods(section))
    canvas_ok = section.canvas_sync and context["config"].canvas_option == 1
    if request.method == "GET" and assignment is not None:
        form.marking_period_id.data = assignment.marking_period_id or 0
    if form.validate_on_submit():
        errors = actions.assignment_errors(
            section,
            title=form.title.data,
            type_id=form.type_id.data,
            points=form.points.data,
        )
        for name, message in errors.items():
            getattr(form, name).errors.append(message)
        if not errors:
            return _save_assignment(section, assignment, form, canvas_ok)
    status = 422 if form.errors else 200
    body = render_template(
        "gradebook/assignment_form.html",
        form=form,
        assignment=assignment,
        canvas_ok=canvas_ok,
        has_types=bool(form.type_id.choices),
        **context,
    )
    return body, status


def _save_assignment(section, assignment, form, canvas_ok):
    """Store the form's assignment and queue its Canvas copy when asked."""
    created = assignment is None
    if created:
        assignment = Assignment(section_id=section.id)
        db.session.add(assignment)
    assignment.title = form.title.data.strip()
    assignment.type_id = form.type_id.data
    assignment.points = form.points.data
    assignment.assigned_on = form.assigned_on.data
    assignment.due_on = form.due_on.data
    assignment.description = form.description.data or ""
    assignment.marking_period_id = form.marking_period_id.data or None
    db.session.commit()
    logger.info(
        "assignment %s saved in section %s by user %s",
        assignment.id,
        section.id,
        current_user.id,
    )
    message = f"{assignment.title} is saved."
    if (
        canvas_ok
        and form.also_in_canvas.data
        and assignment.canvas_assignment_id is None
    ):
        enqueue_once(
            "jobs.gradebook_canvas.publish_assignment",
            assignment.id,
            job_id=f"canvas:assignment:{assignment.id}",
        )
        message += " It is being created in Canvas."
    flash(message, "success")
    return redirect(url_for("gradebook.assignments", section_id=section.id))


@bp.route("/assignments/<int:assignment_id>/delete", methods=["POST"])
@gradebook_access(edit=True)
def delete_assignment(section, assignment_id):
    """Delete an assignment made in Homeroom, with its scores."""
    assignment = _assignment_or_404(section, assignment_id)
    if assignment.from_canvas:
        abort(403)
    db.session.execute(db.delete(Score).where(Score.assignment_id == assignment.id))
    db.session.delete(assignment)
    db.session.commit()
    logger.info("assignment %s deleted by user %s", assignment_id, current_user.id)
    flash(f"{assignment.title} is deleted with its scores.", "success")
    return redirect(url_for("gradebook.assignments", section_id=section.id), 303)
