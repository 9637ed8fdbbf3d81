"""What report cards and transcripts say, gathered once for page and PDF alike.

Each document has one function here returning plain dataclasses; the HTML
page and the PDF both render its answer, so their numbers cannot disagree.
Queries are made in bulk: a whole grade level costs the same handful of
queries as one student.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import joinedload

from models.base import db
from models.courses import Course, Section
from models.final_grade_math import credit_totals, gpa
from models.grades import CommentCode, FinalGrade
from models.scheduling import Enrollment
from models.school import MarkingPeriod, School
from models.students import Student


@dataclass
class GradeRow:
    """One section's line on a report card or transcript."""

    course_code: str
    course_title: str
    section_name: str
    teacher: str
    percentage: Decimal | None
    letter: str | None
    credits_attempted: Decimal
    credits_earned: Decimal
    source: str
    comments: list = field(default_factory=list)


@dataclass
class GpaBlock:
    """GPA and credits over a set of grades."""

    gpa: Decimal | None
    weighted_gpa: Decimal | None
    credits_attempted: Decimal
    credits_earned: Decimal


@dataclass
class ReportCard:
    """One student's report card for one marking period."""

    school: School
    student: Student
    period: MarkingPeriod
    rows: list
    totals: GpaBlock


@dataclass
class TranscriptYear:
    """One school year on a transcript."""

    year: MarkingPeriod
    rows: list
    totals: GpaBlock


@dataclass
class Transcript:
    """A student's final grades for every year, with cumulative GPA."""

    school: School
    student: Student
    years: list
    totals: GpaBlock


def _block(lines):
    """GPA, weighted GPA and credits for a list of GradeLines."""
    attempted, earned = credit_totals(lines)
    return GpaBlock(gpa(lines), gpa(lines, weighted=True), attempted, earned)


def _still_enrolled(grades, end_of):
    """The grades whose student was still in the section when the period ended.

    A section dropped before a period closed keeps that period's grade off the
    documents and out of the GPA; dropping it later takes nothing away, since
    the grade was earned. One query for them all.
    """
    if not grades:
        return []
    rows = db.session.execute(
        db.select(
            Enrollment.student_id,
            Enrollment.section_id,
            Enrollment.status,
            Enrollment.end_date,
        ).where(
            Enrollment.student_id.in_({grade.student_id for grade in grades}),
            Enrollment.section_id.in_({grade.section_id for grade in grades}),
        )
    )
    left_on = {}  # (student, section) -> the day her last stint there ended
    for student_id, section_id, status, end_date in rows:
        ended = end_date if status == "dropped" and end_date else date.max
        key = (student_id, section_id)
        left_on[key] = max(left_on.get(key, date.min), ended)
    return [
        grade
        for grade in grades
        if left_on.get((grade.student_id, grade.section_id), date.min) >= end_of(grade)
    ]


def _grade_row(grade, codes):
    """A stored final grade as a line of a document."""
    section = grade.section
    comments = [
        f"{code}: {codes[code]}" if code in codes else code for code in grade.codes
    ]
    if grade.comment:
        comments.append(grade.comment)
    return GradeRow(
        course_code=section.course.code,
        course_title=section.course.title,
        section_name=section.name,
        teacher=section.teacher.full_name if section.teacher else "",
        percentage=grade.percentage,
        letter=grade.letter,
        credits_attempted=grade.credits_attempted,
        credits_earned=grade.credits_earned,
        source=grade.source,
        comments=comments,
    )


def _grades_query():
    """Final grades with their section, course and teacher loaded alongside."""
    return (
        db.select(FinalGrade)
        .join(FinalGrade.section)
        .join(Section.course)
        .options(
            joinedload(FinalGrade.section).joinedload(Section.course),
            joinedload(FinalGrade.section).joinedload(Section.teacher),
        )
        .order_by(Section.period, Course.title, FinalGrade.id)
    )


def report_card_students(student_id=None, grade_level=None):
    """The students a report card run covers: one, or a grade level's active."""
    query = db.select(Student).order_by(
        Student.last_name, Student.first_name, Student.id
    )
    if student_id is not None:
        query = query.where(Student.id == student_id)
    else:
        query = query.where(
            Student.grade_level == grade_level, Student.status == "active"
        )
    return db.session.scalars(query).all()


def report_cards(period, students):
    """Report cards for the students in a marking period, in their order.

    A grade stays off the card, and out of its GPA, when the student dropped
    the section before the period ended.
    """
    ids = [student.id for student in students]
    grades = (
        db.session.scalars(
            _grades_query().where(
                FinalGrade.marking_period_id == period.id,
                FinalGrade.student_id.in_(ids),
            )
        )
        .unique()
        .all()
        if ids
        else []
    )
    codes = CommentCode.available(period.school_id)
    school = db.session.get(School, period.school_id)

    by_student = {student_id: [] for student_id in ids}
    for grade in _still_enrolled(grades, lambda _grade: period.end_date):
        by_student[grade.student_id].append(grade)

    return [
        ReportCard(
            school=school,
            student=student,
            period=period,
            rows=[_grade_row(grade, codes) for grade in by_student[student.id]],
            totals=_block([grade.grade_line() for grade in by_student[student.id]]),
        )
        for student in students
    ]


def _year_of(period_id, periods):
    """The root of a period's tree (its school year), from a dict of periods."""
    period = periods[period_id]
    while period.parent_id is not None and period.parent_id in periods:
        period = periods[period.parent_id]
    return period


def transcript(student):
    """Every year's final grades for a student, with cumulative GPA.

    A section's final grade is the one for the section's own marking period
    (the year for a full-year course, the semester for a semester course);
    the grades of the periods inside it appear on report cards only.
    """
    grades = (
        db.session.scalars(
            _grades_query().where(
                FinalGrade.student_id == student.id,
                FinalGrade.marking_period_id == Section.marking_period_id,
            )
        )
        .unique()
        .all()
    )
    periods = {
        period.id: period
        for period in db.session.scalars(
            db.select(MarkingPeriod).where(MarkingPeriod.school_id == student.school_id)
        )
    }
    kept = _still_enrolled(
        grades, lambda grade: periods[grade.marking_period_id].end_date
    )
    codes = CommentCode.available(student.school_id)

    by_year = {}
    for grade in kept:
        by_year.setdefault(_year_of(grade.marking_period_id, periods), []).append(grade)
    years = [
        TranscriptYear(
            year=year,
            rows=[_grade_row(grade, codes) for grade in year_grades],
            totals=_block([grade.grade_line() for grade in year_grades]),
        )
        for year, year_grades in sorted(
            by_year.items(), key=lambda item: item[0].start_date
        )
    ]
    return Transcript(
        school=db.session.get(School, student.school_id),
        student=student,
        years=years,
        totals=_block([grade.grade_line() for grade in kept]),
    )


def graded_periods(student_ids):
    """The marking periods each student has final grades in, keyed by student.

    Periods run in the order their report cards go home: by end date, the
    shorter first when two end together (a quarter before its semester).
    """
    if not student_ids:
        return {}
    pairs = db.session.execute(
        db.select(FinalGrade.student_id, FinalGrade.marking_period_id)
        .where(FinalGrade.student_id.in_(student_ids))
        .distinct()
    ).all()
    periods = db.session.scalars(
        db.select(MarkingPeriod)
        .where(MarkingPeriod.id.in_({period_id for _, period_id in pairs}))
        .order_by(
            MarkingPeriod.end_date, MarkingPeriod.start_date.desc(), MarkingPeriod.id
        )
    ).all()
    held = set(pairs)
    return {
        student_id: [period for period in periods if (student_id, period.id) in held]
        for student_id in student_ids
    }
