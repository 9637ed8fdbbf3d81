"""Student grid and record views."""

import logging
from functools import wraps

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from blueprints.access import admin_required, require_student_access, staff_required
from blueprints.lms.hooks import sync_person_on_save
from blueprints.rendering import page_or_partial
from blueprints.students import bp
from blueprints.students.forms import StudentForm
from blueprints.students.grid import GridArgs, paginate
from blueprints.students.people import account_of
from blueprints.students.queries import FILTERS, SORTS, student_grid
from blueprints.students.schedule import schedule_page
from models import Student, db

logger = logging.getLogger(__name__)


def student_access_required(view):
    """Open a student's record only to those access.can_see_student allows."""

    @wraps(view)
    @login_required
    def wrapped(student_id, **kwargs):
        require_student_access(student_id)
        return view(student_id, **kwargs)

    return wrapped


@bp.get("/students")
@staff_required
def index():
    """List the students the user may see, searched, filtered, sorted, paged."""
    args = GridArgs.from_request(SORTS, "name", FILTERS)
    page = paginate(student_grid(current_user, args), args)
    return page_or_partial(
        "students/index.html",
        "students/_results.html",
        results=page,
        args=args,
        filter_values=FILTERS,
    )


@bp.route("/students/new", methods=["GET", "POST"])
@admin_required
def create():
    """Show the new-student form and add the student."""
    form = StudentForm(school_id=current_user.school_id)
    if not form.validate_on_submit():
        status = 422 if form.errors else 200
        return render_template("students/new.html", form=form), status

    student = Student(school_id=current_user.school_id)
    form.fill(student)
    db.session.add(student)
    sync_person_on_save("student", student)
    db.session.commit()
    logger.info("student %s created by user %s", student.id, current_user.id)

    flash(f"{student.full_name} was added.", "success")
    return redirect(url_for("students.record", student_id=student.id), 303)


@bp.get("/students/<int:student_id>")
@student_access_required
def record(student_id):
    """Show the General Information tab; admins get the edit form."""
    student = db.get_or_404(Student, student_id)
    form = None
    if current_user.role == "admin":
        form = StudentForm(school_id=student.school_id, person=student)
    return _general_page(student, form)


@bp.post("/students/<int:student_id>")
@admin_required
def update(student_id):
    """Save the General Information form."""
    student = db.get_or_404(Student, student_id)
    form = StudentForm(school_id=student.school_id, person=student)
    if not form.validate_on_submit():
        return _general_page(student, form), 422

    form.fill(student)
    sync_person_on_save("student", student)
    db.session.commit()
    logger.info("student %s updated by user %s", student.id, current_user.id)

    flash("Saved.", "success")
    return redirect(url_for("students.record", student_id=student.id), 303)


@bp.get("/students/<int:student_id>/schedule")
@student_access_required
def schedule_tab(student_id):
    """Show the Schedule tab: current, upcoming and past classes."""
    student = db.get_or_404(Student, student_id)
    return schedule_page(student)


def _general_page(student, form):
    """The record page on its General Information tab."""
    return render_template(
        "students/record.html",
        tab="general",
        student=student,
        account=account_of(student),
        form=form,
    )
