"""Course catalogue, course pages, and section setup and pages."""

import logging

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from blueprints.access import admin_required, get_section_or_404, staff_required
from blueprints.courses import bp
from blueprints.courses.forms import CourseForm, SectionForm
from blueprints.lms.hooks import sync_section_on_save, sync_sections_using
from blueprints.rendering import page_or_partial
from blueprints.scheduling.roster import roster_context
from models import Course, Enrollment, MarkingPeriod, School, Section, Staff, db

logger = logging.getLogger(__name__)


def _own_staff_id():
    """None for admins, who see everything; a teacher's staff id otherwise.

    A teacher account not linked to a staff record gets 0, which matches no
    section, so she sees nothing rather than everything.
    """
    if current_user.role == "admin":
        return None
    return current_user.staff_id or 0


def _code_collision(form, course=None):
    """Say at the code field which course already uses the code."""
    other = Course.by_code(
        School.current().id, form.code.data, exclude_id=course.id if course else None
    )
    if other is not None:
        form.code.errors.append(
            f"Code {other.code} is already used by {other.title}; choose another."
        )
    return other is None


def _course_form(course=None):
    """Show and save the course form, for a new course or an existing one."""
    form = CourseForm(obj=course)
    if form.validate_on_submit() and _code_collision(form, course):
        if course is None:
            course = Course(school_id=School.current().id)
            db.session.add(course)
        form.populate_obj(course)
        course.code = course.code.strip()
        sync_sections_using(course_id=course.id)
        db.session.commit()
        logger.info("course %s saved by user %s", course.id, current_user.id)
        flash(f"{course.code} {course.title} is saved.", "success")
        return redirect(url_for("courses.show", course_id=course.id))

    status = 422 if form.errors else 200
    return render_template("courses/form.html", form=form, course=course), status


@bp.route("/courses")
@staff_required
def index():
    """List the courses: all for admins, a teacher's own for teachers."""
    staff_id = _own_staff_id()
    query = Course.listing(School.current().id, staff_id=staff_id)
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"])
    counts = Course.section_counts([c.id for c in page.items], staff_id=staff_id)
    return render_template("courses/index.html", page=page, counts=counts)


@bp.route("/courses/new", methods=["GET", "POST"])
@admin_required
def new():
    """Create a course."""
    return _course_form()


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
@admin_required
def edit(course_id):
    """Edit a course."""
    course = db.session.get(Course, course_id) or abort(404)
    return _course_form(course)


def _visible_sections(course):
    """The course's sections the user may see; 403 for a teacher with none."""
    sections = Section.of_course(course.id, staff_id=_own_staff_id())
    if current_user.role != "admin" and not sections:
        abort(403)
    return sections


@bp.route("/courses/<int:course_id>")
@staff_required
def show(course_id):
    """Show a course and its sections; a teacher sees only her own sections."""
    course = db.session.get(Course, course_id) or abort(404)
    sections = _visible_sections(course)
    return render_template("courses/show.html", course=course, sections=sections)


def _fill_choices(form):
    """Offer the school's courses, marking periods and staff."""
    school_id = School.current().id
    courses = db.session.scalars(
        db.select(Course).where(Course.school_id == school_id).order_by(Course.code)
    )
    form.course_id.choices = [
        SelectChoice(c.id, f"{c.code} · {c.title}") for c in courses
    ]
    form.marking_period_id.choices = [
        SelectChoice(p.id, "\u2003" * depth + p.title)
        for p, depth in MarkingPeriod.tree(school_id)
    ]
    staff = db.session.scalars(
        db.select(Staff)
        .where(Staff.school_id == school_id)
        .order_by(Staff.last_name, Staff.first_name)
    )
    people = [
        SelectChoice(
            s.id, s.sortable_name + ("" if s.status == "active" else " (inactive)")
        )
        for s in staff
    ]
    form.teacher_id.choices = [SelectChoice(0, "Choose a teacher"), *people]
    form.co_teacher_id.choices = [SelectChoice(0, "None"), *people]


def _capacity_fits(form, section):
    """Refuse a capacity below the number of students already in the section."""
    if section is None or not form.capacity.data:
        return True
    enrolled = Enrollment.active_count(section.id)
    if form.capacity.data < enrolled:
        form.capacity.errors.append(
            f"{enrolled} students are in this section; capacity cannot be lower."
        )
        return False
    return True


def _section_form(section=None):
    """Show and save the section form, for a new section or an existing one."""
    form = SectionForm(obj=section)
    _fill_choices(form)
    if section is None and request.method == "GET":
        form.course_id.data = request.args.get("course_id", type=int)
    if form.validate_on_submit() and _capacity_fits(form, section):
        created = section is None
        if created:
            section = Section(school_id=School.current().id)
            db.session.add(section)
        form.populate_obj(section)
        section.co_teacher_id = form.co_teacher_id.data or None
        sync_section_on_save(section)
        db.session.commit()
        verb = "created" if created else "updated"
        logger.info("section %s %s by user %s", section.id, verb, current_user.id)
        flash(f"{section.name} is saved.", "success")
        return redirect(url_for("courses.section", section_id=section.id))

    status = 422 if form.errors else 200
    return render_template("sections/form.html", form=form, section=section), status


@bp.route("/sections/new", methods=["GET", "POST"])
@admin_required
def new_section():
    """Create a section."""
    return _section_form()


@bp.route("/sections/<int:section_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_section(section_id):
    """Edit a section."""
    section = db.session.get(Section, section_id) or abort(404)
    return _section_form(section)


@bp.route("/sections/<int:section_id>")
@staff_required
def section(section_id):
    """Show a section's facts and roster; ?dropped=1 adds past stints."""
    # One joined query puts the section and its people in the session, so
    # the access check and the page below issue no lazy loads.
    Section.with_details(section_id)
    section = get_section_or_404(section_id, current_user)
    show_dropped = request.args.get("dropped") == "1"

    context = roster_context(section, show_dropped=show_dropped)
    return page_or_partial("sections/show.html", "sections/_roster.html", **context)
