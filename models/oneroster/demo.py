"""The demo school: a generated OneRoster set run through the importer.

The importer makes the people, their logins and the timetable; this module
adds what OneRoster does not carry: grading windows and exams.
"""

from datetime import timedelta

from models.auth import User
from models.base import db
from models.oneroster.apply import run_import
from models.oneroster.generate import RosterShape, generate_roster
from models.school import MarkingPeriod
from models.staff import Staff
from models.students import Student

DEMO_PASSWORD = "homeroom-demo"
DEMO_PREFIX = "demo"


def school_year_of(today):
    """The calendar year the school year running on a date began in."""
    return today.year if today.month >= 7 else today.year - 1


def has_people():
    """True once the database holds any student or member of staff."""
    found = db.session.scalar(db.select(Student.id).limit(1))
    return found is not None or db.session.scalar(db.select(Staff.id).limit(1))


def seed_demo(school, today):
    """Import the demo school; return (result, logins). Never commits."""
    shape = RosterShape(
        school_year=school_year_of(today), password=DEMO_PASSWORD, prefix=DEMO_PREFIX
    )
    result = run_import(generate_roster(shape), school)
    if not result.ok:
        return result, []
    _set_grading_windows(school, today)
    return result, _logins()


def _set_grading_windows(school, today):
    """Open posting for the last two weeks of each semester and quarter."""
    periods = db.session.scalars(
        db.select(MarkingPeriod).where(
            MarkingPeriod.school_id == school.id,
            MarkingPeriod.kind.in_(("semester", "quarter")),
            MarkingPeriod.external_id.startswith(f"{DEMO_PREFIX}-"),
        )
    )
    for period in periods:
        period.post_start = period.end_date - timedelta(days=14)
        period.post_end = period.end_date + timedelta(days=7)
        if period.start_date <= today <= period.end_date:
            # So that grades can be posted in the demo on the day it is seeded.
            period.post_start = min(period.post_start, today)
        period.does_exams = period.kind == "semester"


def _logins():
    """(role, email) of the first demo admin, teacher and student."""
    wanted = {
        "admin": (Staff, f"{DEMO_PREFIX}-adm-001"),
        "teacher": (Staff, f"{DEMO_PREFIX}-tch-0001"),
        "student": (Student, f"{DEMO_PREFIX}-stu-00001"),
    }
    logins = []
    for role, (model, external_id) in wanted.items():
        link = User.staff_id if model is Staff else User.student_id
        email = db.session.scalar(
            db.select(User.email)
            .join(model, link == model.id)
            .where(model.external_id == external_id)
        )
        logins.append((role, email))
    return logins
