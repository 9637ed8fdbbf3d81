"""The home page, which differs by role."""

from flask import render_template
from flask_login import current_user, login_required

from blueprints.home import bp
from models import Course, Enrollment, Section, Staff, Student, db


def _admin_counts():
    """Head counts for the admin's dashboard, one query each."""
    count = db.func.count
    return {
        "students": db.session.scalar(
            db.select(count(Student.id)).where(Student.status == "active")
        ),
        "staff": db.session.scalar(
            db.select(count(Staff.id)).where(Staff.status == "active")
        ),
        "courses": db.session.scalar(db.select(count(Course.id))),
        "sections": db.session.scalar(db.select(count(Section.id))),
    }


def _teacher_sections(staff_id):
    """A teacher's sections with their active head count."""
    if staff_id is None:
        # An account not yet linked to a staff record teaches nothing; without
        # this guard the filter would read "teacher IS NULL" and match others.
        return []
    active = (
        db.select(db.func.count(Enrollment.id))
        .where(Enrollment.section_id == Section.id)
        .where(Enrollment.status == "active")
        .scalar_subquery()
    )
    return db.session.execute(
        db.select(Section, active)
        .join(Section.course)
        .where((Section.teacher_id == staff_id) | (Section.co_teacher_id == staff_id))
        .order_by(Section.period, Course.title)
    ).all()


def _student_sections(student_id):
    """The sections a student is in now."""
    return db.session.scalars(
        db.select(Section)
        .join(Enrollment, Enrollment.section_id == Section.id)
        .join(Section.course)
        .where(Enrollment.student_id == student_id, Enrollment.status == "active")
        .order_by(Section.period, Course.title)
    ).all()


@bp.route("/")
@login_required
def index():
    """Show the signed-in user's home page."""
    if current_user.role == "admin":
        return render_template("home/admin.html", counts=_admin_counts())
    if current_user.role == "teacher":
        sections = _teacher_sections(current_user.staff_id)
        return render_template("home/teacher.html", sections=sections)
    sections = _student_sections(current_user.student_id)
    return render_template("home/student.html", sections=sections)
