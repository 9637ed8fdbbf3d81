"""What a progress report says, for the page and the PDF alike.

The numbers are the gradebook's own (`section_summaries`); this module only
chooses the sections and students and orders them.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import joinedload

from models.base import db
from models.courses import Course, Section
from models.gradebook import GradebookConfig
from models.gradebook_summary import section_summaries, student_summary
from models.scheduling import Enrollment
from models.school import School
from models.students import Student


@dataclass
class SectionProgress:
    """A section's line on a progress report: its gradebook summary.

    `weighted` says whether the gradebook weighs its assignment types; when it
    does not, the types' weights count for nothing and are not printed.
    """

    section: Section
    summary: object
    weighted: bool


@dataclass
class ProgressReport:
    """One student's progress in one or more sections on a date."""

    school: School
    student: Student
    on: date
    sections: list


def _in_section_on(on):
    """A WHERE clause: the stint covers the date."""
    return (Enrollment.start_date <= on) & (
        Enrollment.end_date.is_(None) | (Enrollment.end_date >= on)
    )


def _sections_query():
    """Sections with course and teacher loaded, in timetable order."""
    return (
        db.select(Section)
        .join(Section.course)
        .options(joinedload(Section.course), joinedload(Section.teacher))
        .order_by(Section.period, Course.title, Section.id)
    )


def _weighted(section_ids):
    """The ids of the sections whose gradebooks weigh assignment types."""
    if not section_ids:
        return set()
    return set(
        db.session.scalars(
            db.select(GradebookConfig.section_id).where(
                GradebookConfig.section_id.in_(section_ids),
                GradebookConfig.weighted.is_(True),
            )
        )
    )


def student_progress(student, on=None):
    """A student's progress in each section she is in on the date."""
    on = on or date.today()
    sections = (
        db.session.scalars(
            _sections_query()
            .join(Enrollment, Enrollment.section_id == Section.id)
            .where(Enrollment.student_id == student.id, _in_section_on(on))
        )
        .unique()
        .all()
    )
    weighted = _weighted([section.id for section in sections])
    return ProgressReport(
        school=db.session.get(School, student.school_id),
        student=student,
        on=on,
        sections=[
            SectionProgress(
                section,
                student_summary(section.id, student.id, as_of=on),
                section.id in weighted,
            )
            for section in sections
        ],
    )


def section_progress(section, on=None):
    """Progress reports for every student in the section on the date."""
    on = on or date.today()
    summaries = section_summaries(section.id, as_of=on)
    students = db.session.scalars(
        db.select(Student)
        .where(Student.id.in_(list(summaries)))
        .order_by(Student.last_name, Student.first_name, Student.id)
    ).all()
    school = db.session.get(School, section.school_id)
    weighted = section.id in _weighted([section.id])
    return [
        ProgressReport(
            school,
            student,
            on,
            [SectionProgress(section, summaries[student.id], weighted)],
        )
        for student in students
    ]
