"""Small builders for test records; each returns a flushed, committed row."""

import itertools
from datetime import date, timedelta

from models import (
    Course,
    Enrollment,
    MarkingPeriod,
    School,
    Section,
    Staff,
    Student,
    User,
    db,
)

_seq = itertools.count(1)
PASSWORD = "correct-horse-1"


def _save(record):
    db.session.add(record)
    db.session.commit()
    return record


def school():
    """The installation's school."""
    found = School.current()
    db.session.commit()
    return found


def period(**fields):
    """A marking period; a school year by default."""
    n = next(_seq)
    values = {
        "school_id": school().id,
        "kind": "year",
        "title": f"Year {n}",
        "short_name": f"Y{n}",
        "start_date": date(2026, 8, 20),
        "end_date": date(2027, 6, 10),
    }
    values.update(fields)
    return _save(MarkingPeriod(**values))


def semester_from_today(title, start_days, end_days):
    """A semester placed by days from today: negative days lie in the past."""
    today = date.today()
    return period(
        kind="semester",
        title=title,
        short_name=title[:20],
        start_date=today + timedelta(start_days),
        end_date=today + timedelta(end_days),
    )


def student(**fields):
    """An active student in grade 9."""
    n = next(_seq)
    values = {
        "school_id": school().id,
        "local_id": f"S{n:05d}",
        "first_name": f"Stu{n}",
        "last_name": f"Dent{n}",
        "email": f"student{n}@example.org",
        "grade_level": "09",
    }
    values.update(fields)
    return _save(Student(**values))


def staff(**fields):
    """An active teacher."""
    n = next(_seq)
    values = {
        "school_id": school().id,
        "local_id": f"T{n:04d}",
        "first_name": f"Tea{n}",
        "last_name": f"Cher{n}",
        "email": f"teacher{n}@example.org",
    }
    values.update(fields)
    return _save(Staff(**values))


def course(**fields):
    """A one-credit course."""
    n = next(_seq)
    values = {
        "school_id": school().id,
        "code": f"C{n:03d}",
        "title": f"Course {n}",
        "subject": "Math",
    }
    values.update(fields)
    return _save(Course(**values))


def section(**fields):
    """A section of a new course in a new year, taught by a new teacher."""
    values = {"school_id": school().id, "period": "1", "room": "101"}
    values.update(fields)
    if "course_id" not in values and "course" not in values:
        values["course"] = course()
    if "marking_period_id" not in values and "marking_period" not in values:
        values["marking_period"] = period()
    if "teacher_id" not in values and "teacher" not in values:
        values["teacher"] = staff()
    return _save(Section(**values))


def enroll(student_record, section_record, **fields):
    """Put a student in a section, active from the start of the year."""
    values = {
        "school_id": school().id,
        "student_id": student_record.id,
        "section_id": section_record.id,
        "start_date": date(2026, 8, 20),
    }
    values.update(fields)
    return _save(Enrollment(**values))


def user(role="admin", person=None, **fields):
    """A sign-in account; teachers and students get a linked person."""
    n = next(_seq)
    if person is None and role == "teacher":
        person = staff()
    if person is None and role == "student":
        person = student()
    values = {
        "school_id": school().id,
        "email": f"{role}{n}@example.org",
        "role": role,
        "student_id": person.id if isinstance(person, Student) else None,
        "staff_id": person.id if isinstance(person, Staff) else None,
    }
    values.update(fields)
    account = User(**values)
    account.set_password(PASSWORD)
    return _save(account)
