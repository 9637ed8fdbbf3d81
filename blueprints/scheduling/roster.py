"""What a section's roster shows, and the student search that feeds it."""

from datetime import date

from flask_login import current_user

from models import Enrollment, Student, db

SEARCH_LIMIT = 10


def roster_context(section, show_dropped=False, errors=None, notice=None):
    """Everything sections/_roster.html needs, in a fixed number of queries."""
    dropped = Enrollment.roster(section.id, "dropped") if show_dropped else []
    today = date.today()
    term = section.marking_period
    return {
        "section": section,
        "active": Enrollment.roster(section.id),
        "dropped": dropped,
        "show_dropped": show_dropped,
        "can_schedule": current_user.role == "admin",
        "today": today,
        # A class that has not started yet is joined from its first day.
        "add_from": max(today, term.start_date) if term else today,
        "errors": errors or {},
        "notice": notice,
    }


def find_students(school_id, text):
    """Students whose names or local id contain every word typed."""
    words = text.split()
    if not words:
        return []
    query = db.select(Student).where(Student.school_id == school_id)
    for word in words:
        query = query.where(
            Student.first_name.icontains(word, autoescape=True)
            | Student.last_name.icontains(word, autoescape=True)
            | Student.preferred_name.icontains(word, autoescape=True)
            | Student.local_id.icontains(word, autoescape=True)
        )
    query = query.order_by(Student.last_name, Student.first_name).limit(SEARCH_LIMIT)
    return db.session.scalars(query).all()


def active_student_ids(section_id):
    """Ids of the students in the section now."""
    return set(
        db.session.scalars(
            db.select(Enrollment.student_id).where(
                Enrollment.section_id == section_id, Enrollment.status == "active"
            )
        )
    )
