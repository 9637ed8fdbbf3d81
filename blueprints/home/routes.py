"""The home page, which differs by role."""

from datetime import date

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy.orm import contains_eager

from blueprints.home import bp
from blueprints.students.queries import schedule
from blueprints.students.schedule import split_sections, split_stints
from models import Course, Enrollment, MarkingPeriod, Section, Staff, Student, db


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
    """A teacher's sections with their active head count, in timetable order."""
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
        .join(Section.marking_period)
        .where((Section.teacher_id == staff_id) | (Section.co_teacher_id == staff_id))
        .order_by(MarkingPeriod.start_date, Section.period, Course.title)
        .options(contains_eager(Section.course), contains_eager(Section.marking_period))
    ).all()


@bp.route("/")
@login_required
def index():
    """Show the signed-in user's home page."""
    if current_user.role == "admin":
        return render_template("home/admin.html", counts=_admin_counts())

    today = date.today()
    if current_user.role == "teacher":
        sections = _teacher_sections(current_user.staff_id)
        groups = split_sections(sections, today)
        return render_template("home/teacher.html", sections=sections, groups=groups)

    # Past classes belong on the Schedule tab; home shows today and what's next.
    groups = split_stints(schedule(current_user.student_id), today)
    return render_template("home/student.html", groups=groups)
