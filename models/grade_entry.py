"""Input Final Grades: what each student's row shows, and saving it.

The gradebook computes (`section_summaries`, its scale lookups); this module
picks the students, applies period weights for semester and year grades,
keeps an override beside the computed grade and fills a FinalGrade. It
never commits.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from models import grade_math
from models.base import db, utcnow
from models.final_grade_math import (
    FINALIZED,
    credits_earned,
    resolve,
    weighted_mean,
)
from models.gradebook import GradebookConfig, GradingScale
from models.gradebook_summary import section_summaries
from models.grades import FinalGrade, PeriodWeight
from models.scheduling import Enrollment
from models.school import MarkingPeriod

EXAM = "Exam"


@dataclass(frozen=True)
class Part:
    """One part of a semester or year grade: a child period or the exam."""

    label: str
    weight: Decimal
    percentage: Decimal | None
    is_exam: bool = False


@dataclass
class EntryRow:
    """One student's line on Input Final Grades."""

    student: object
    computed_percentage: Decimal | None
    computed_letter: str | None
    homeroom_percentage: Decimal | None = None
    canvas_percentage: Decimal | None = None
    canvas_course_score: Decimal | None = None
    diverges: bool = False
    parts: list = field(default_factory=list)
    grade: FinalGrade | None = None


@dataclass
class Entry:
    """A teacher's input for one row, already checked."""

    override_letter: str | None = None
    override_percentage: Decimal | None = None
    exam_percentage: Decimal | None = None
    codes: tuple = ()
    comment: str = ""


def section_levels(section):
    """The section's grading scale as grade-math levels (the school default)."""
    config = GradebookConfig.for_section(section, create=False)
    scale = config.scale if config and config.scale else None
    scale = scale or GradingScale.default(section.school_id)
    return scale.as_levels() if scale else []


def grading_periods_within(tree, period_id):
    """From a (period, depth) tree: the period and its descendants taking grades."""
    inside, found = [], None
    for period, depth in tree:
        if found is not None and depth <= found:
            break
        if period.id == period_id:
            found = depth
        if found is not None and period.does_grades:
            inside.append(period)
    return inside


def grading_periods(section):
    """The section's period and those inside it that take grades, in tree order."""
    tree = MarkingPeriod.tree(section.school_id)
    return grading_periods_within(tree, section.marking_period_id)


def weight_parts(period):
    """The period's weights as (child period or None for the exam, weight)."""
    weights = PeriodWeight.of(period.id)
    children = {child.id: child for child in period.children}
    return [
        (children.get(child_id), weight)
        for child_id, weight in weights.items()
        if child_id is None or child_id in children
    ]


def _child_grades(section, parts, student_ids):
    """Children's final percentages: {student id: {child period id: pct}}."""
    child_ids = [child.id for child, _weight in parts if child is not None]
    found = {student_id: {} for student_id in student_ids}
    if not child_ids:
        return found
    rows = db.session.execute(
        db.select(
            FinalGrade.student_id, FinalGrade.marking_period_id, FinalGrade.percentage
        ).where(
            FinalGrade.section_id == section.id,
            FinalGrade.marking_period_id.in_(child_ids),
        )
    )
    for student_id, period_id, percentage in rows:
        if student_id in found:
            found[student_id][period_id] = percentage
    return found


def entry_rows(section, period, levels):
    """Every active student's row: the computed grade and the stored one."""
    students = [stint.student for stint in Enrollment.roster(section.id)]
    stored = FinalGrade.for_section(section.id, period.id)
    parts = weight_parts(period)
    if parts:
        return _weighted_rows(section, students, stored, parts, levels)

    config = GradebookConfig.for_section(section, create=False)
    # Canvas's course score covers the whole course, so it is comparable only
    # with the section's own period, never with a quarter inside it.
    check_canvas = bool(
        config and config.canvas_option == 1 and period.id == section.marking_period_id
    )
    summaries = section_summaries(section.id, period.id)
    rows = []
    for student in students:
        summary = summaries.get(student.id)
        row = EntryRow(student, None, None, grade=stored.get(student.id))
        if summary is not None:
            row.computed_percentage = summary.percentage
            row.computed_letter = summary.letter
            row.homeroom_percentage = summary.homeroom_percentage
            row.canvas_percentage = summary.canvas_percentage
            row.canvas_course_score = summary.canvas_course_score
            row.diverges = check_canvas and grade_math.diverges(
                summary.canvas_percentage, summary.canvas_course_score
            )
        rows.append(row)
    return rows


def _weighted_rows(section, students, stored, parts, levels):
    """Rows of a semester or year whose grade comes from its parts."""
    children = _child_grades(section, parts, [s.id for s in students])
    rows = []
    for student in students:
        grade = stored.get(student.id)
        exam = grade.exam_percentage if grade else None
        shown = [
            Part(
                EXAM if child is None else child.short_name,
                weight,
                exam if child is None else children[student.id].get(child.id),
                is_exam=child is None,
            )
            for child, weight in parts
        ]
        row = EntryRow(student, None, None, parts=shown, grade=grade)
        row.computed_percentage, row.computed_letter = recompute_with_exam(
            row, exam, levels
        )
        rows.append(row)
    return rows


def recompute_with_exam(row, exam, levels):
    """The row's computed grade again, with a newly entered exam percentage."""
    if not row.parts:
        return row.computed_percentage, row.computed_letter
    percentage = weighted_mean(
        (part.weight, exam if part.is_exam else part.percentage) for part in row.parts
    )
    return percentage, grade_math.letter_for(percentage, levels)


def _level(letter, levels):
    """The scale level of a letter, or None."""
    return next((level for level in levels if level.letter == letter), None)


def save_grade(section, period, row, entry, levels, user, source=None):
    """Write the student's final grade for the period; None when there is none.

    An override is stored beside the computed grade; the final percentage and
    letter, GPA points and credits follow from whichever applies.
    """
    computed, computed_letter = recompute_with_exam(row, entry.exam_percentage, levels)
    resolved = resolve(
        computed,
        computed_letter,
        entry.override_letter,
        entry.override_percentage,
        lambda pct: grade_math.letter_for(pct, levels),
    )
    if resolved.letter is None and resolved.percentage is None:
        return None

    grade = row.grade
    if grade is None:
        grade = FinalGrade(
            school_id=section.school_id,
            student_id=row.student.id,
            section_id=section.id,
            marking_period_id=period.id,
        )
        db.session.add(grade)
        row.grade = grade
    level = _level(resolved.letter, levels)
    credits = section.course.credits

    grade.computed_percentage = computed
    grade.computed_letter = computed_letter
    grade.exam_percentage = entry.exam_percentage
    grade.override_letter = entry.override_letter
    grade.override_percentage = entry.override_percentage
    grade.percentage = resolved.percentage
    grade.letter = resolved.letter
    grade.gpa_points = level.gpa_points if level else None
    grade.gpa_bonus = section.course.gpa_bonus
    grade.passing = bool(level and level.passing)
    grade.credits_attempted = credits
    grade.credits_earned = credits_earned(credits, grade.passing)
    grade.comment_codes = " ".join(entry.codes)
    grade.comment = entry.comment
    grade.source = source or resolved.source
    grade.submitted_by_id = user.id if user is not None else None
    grade.submitted_at = utcnow()
    return grade


def finalize_section(section, period, user=None):
    """Store the merged grade of every student who has none yet.

    Returns (saved, skipped): students given a grade, and students left as
    they were (already graded, or with nothing to grade).
    """
    levels = section_levels(section)
    saved, skipped = [], []
    for row in entry_rows(section, period, levels):
        if row.grade is not None:
            skipped.append((row.student, "already has a grade"))
            continue
        grade = save_grade(section, period, row, Entry(), levels, user, FINALIZED)
        if grade is None:
            skipped.append((row.student, "has no graded work"))
        else:
            saved.append((row.student, grade))
    return saved, skipped
