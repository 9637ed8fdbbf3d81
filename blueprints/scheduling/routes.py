"""Add a student to a section, drop her from it, and find students to add.

Both writes answer htmx with the section's roster fragment, swapped in place,
and a plain browser with a 303 back to `next` and a flash message.
"""

import logging
from datetime import date
from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.access import admin_required
from blueprints.lms.hooks import sync_enrollment_on_save
from blueprints.rendering import page_or_partial, wants_partial
from blueprints.scheduling import bp
from blueprints.scheduling.forms import AddEnrollmentForm, DropEnrollmentForm
from blueprints.scheduling.roster import (
    active_student_ids,
    find_students,
    roster_context,
)
from blueprints.scheduling.rules import add_refusal, drop_refusal
from blueprints.students.schedule import schedule_page, stint_phase
from models import Enrollment, School, Section, Student, db

logger = logging.getLogger(__name__)


def _local_url(target):
    """Only return to an address on this site."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not (target or "").startswith("/"):
        return None
    return target


def _answer(section, form, errors=None, notice=None):
    """Send htmx the fresh roster; send a browser back with a flash."""
    if wants_partial():
        context = roster_context(section, form.dropped.data == "1", errors, notice)
        return page_or_partial("sections/show.html", "sections/_roster.html", **context)

    for message in (errors or {}).values():
        flash(message, "error")
    if notice:
        flash(notice, "success")
    back = _local_url(form.next.data)
    return redirect(back or url_for("courses.section", section_id=section.id), 303)


def _find_student(form):
    """The student named by id, or else by local id; None if neither matches."""
    if form.student_id.data:
        return db.session.get(Student, form.student_id.data)
    local_id = (form.student_local_id.data or "").strip()
    if not local_id:
        return None
    return db.session.scalar(
        db.select(Student).where(
            Student.school_id == School.current().id,
            db.func.lower(Student.local_id) == local_id.lower(),
        )
    )


def _add_problem(form, student, section, start):
    """Say why this add is refused, or None."""
    if form.start_date.errors:
        return form.start_date.errors[0]
    if student is None:
        typed = (form.student_local_id.data or "").strip()
        if typed:
            return f"No student has the local id {typed}."
        return "Choose a student: type a name or local id."

    latest = Enrollment.latest(student.id, section.id)
    return add_refusal(
        student.full_name,
        student.status,
        active_here=latest is not None and latest.is_active,
        last_end=latest.end_date if latest else None,
        start_date=start,
        enrolled=Enrollment.active_count(section.id),
        capacity=section.capacity,
    )


def _drop_problem(form, stint, end):
    """Say why this drop is refused, or None."""
    if form.end_date.errors:
        return form.end_date.errors[0]
    return drop_refusal(stint.status, stint.start_date, end)


def _refuse_drop(stint, form, problem):
    """Say why a drop was refused beside the date field it came from.

    A plain form from the student's Schedule tab gets that tab again, not a
    flash on a redirect, so the reason sits at the field with the date typed.
    A past stint has no field there, so it gets the flash.
    """
    schedule_url = url_for("students.schedule_tab", student_id=stint.student_id)
    from_tab = _local_url(form.next.data) == schedule_url
    past = stint_phase(stint, date.today()) == "past"
    if wants_partial() or not from_tab or past:
        return _answer(stint.section, form, errors={stint.id: problem})

    typed = (form.end_date.raw_data or [""])[0]
    page = schedule_page(stint.student, {stint.id: problem}, {stint.id: typed})
    return page, 422


@bp.route("/enrollments", methods=["POST"])
@admin_required
def add_enrollment():
    """Put a student in a section from a start date, opening a new stint."""
    form = AddEnrollmentForm()
    form.validate()
    # Locking the section row keeps two admins from both taking the last seat.
    section_id = form.section_id.data or abort(400)
    section = db.session.get(Section, section_id, with_for_update=True) or abort(404)
    student = _find_student(form)
    start = form.start_date.data or date.today()

    problem = _add_problem(form, student, section, start)
    if problem:
        return _answer(section, form, errors={"add": problem})

    stint = Enrollment(
        school_id=section.school_id,
        student_id=student.id,
        section_id=section.id,
        start_date=start,
    )
    db.session.add(stint)
    sync_enrollment_on_save(stint)
    db.session.commit()
    logger.info(
        "student %s added to section %s by user %s",
        student.id,
        section.id,
        current_user.id,
    )
    return _answer(section, form, notice=f"{student.full_name} is added.")


@bp.route("/enrollments/<int:enrollment_id>/drop", methods=["POST"])
@admin_required
def drop_enrollment(enrollment_id):
    """End a student's stint in a section on a date; the row is kept."""
    form = DropEnrollmentForm()
    form.validate()
    stint = db.session.get(Enrollment, enrollment_id, with_for_update=True)
    stint = stint or abort(404)
    end = form.end_date.data or max(date.today(), stint.start_date)

    problem = _drop_problem(form, stint, end)
    if problem:
        return _refuse_drop(stint, form, problem)

    stint.status = "dropped"
    stint.end_date = end
    sync_enrollment_on_save(stint)
    db.session.commit()
    logger.info(
        "enrollment %s (student %s, section %s) dropped by user %s",
        stint.id,
        stint.student_id,
        stint.section_id,
        current_user.id,
    )
    return _answer(stint.section, form, notice=f"{stint.student.full_name} is dropped.")


@bp.route("/sections/<int:section_id>/students")
@admin_required
def search_students(section_id):
    """List students matching what was typed, each with an Add button."""
    section = db.session.get(Section, section_id) or abort(404)
    text = request.args.get("student_local_id", "")

    students = find_students(section.school_id, text)
    in_section = active_student_ids(section.id) if students else set()
    return render_template(
        "scheduling/_search_results.html",
        students=students,
        in_section=in_section,
        text=text,
    )
