"""Each student's standing in a section's gradebook, for pages and final grades.

`section_summaries` is the interface the final-grade, report-card and
progress-report pages call; its shape is kept stable. It runs a fixed number
of queries per section however many students and assignments there are.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from models import grade_math
from models.base import db
from models.grade_math import Item, TypeInput
from models.gradebook import (
    Assignment,
    AssignmentType,
    CanvasCourseScore,
    CanvasGroup,
    GradebookConfig,
    GradingScale,
    Score,
)
from models.scheduling import Enrollment


@dataclass
class TypeSummary:
    """One assignment type's share of a student's grade."""

    name: str
    weight: Decimal
    percentage: Decimal | None
    earned: Decimal
    possible: Decimal
    is_canvas: bool


@dataclass
class WorkItem:
    """A piece of work flagged missing or late."""

    title: str
    type_name: str
    due_date: date | None
    is_canvas: bool


@dataclass
class StudentSummary:
    """A student's gradebook percentage and letter, with what went into them."""

    student_id: int
    percentage: Decimal | None
    letter: str | None
    homeroom_percentage: Decimal | None
    canvas_percentage: Decimal | None
    canvas_course_score: Decimal | None
    by_type: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    late: list = field(default_factory=list)


class ScoreRow(NamedTuple):
    """A score's values, read without the ORM's bookkeeping."""

    points: Decimal | None
    excused: bool
    missing: bool
    late: bool


class WorkRow(NamedTuple):
    """An assignment's values the math and the grid read, once per page."""

    id: int
    type_id: int
    points: Decimal
    group: int | None
    counts: bool
    title: str
    due_on: date | None


@dataclass
class GradebookData:
    """Everything one section's summaries need, loaded in a few queries."""

    config: GradebookConfig | None
    levels: list
    types: list
    assignments: list
    work: list
    scores: dict
    group_weights: dict
    course_scores: dict
    student_ids: list


def _levels(scale):
    """A scale model (or a list of levels) as grade-math levels."""
    if scale is None:
        return []
    if isinstance(scale, GradingScale):
        return scale.as_levels()
    return list(scale)


def letter_for(percentage, scale):
    """The scale's letter for a percentage (scale: GradingScale or levels)."""
    return grade_math.letter_for(percentage, _levels(scale))


def grade_points(letter, scale):
    """The GPA points of a letter on a scale, None if the scale has no such letter."""
    return grade_math.grade_points(letter, _levels(scale))


def _roster(section_id, as_of, scored):
    """Students active in the section at as_of; with no date, now and any scored."""
    query = db.select(Enrollment.student_id).where(Enrollment.section_id == section_id)
    if as_of is None:
        query = query.where(Enrollment.status == "active")
    else:
        query = query.where(
            Enrollment.start_date <= as_of,
            (Enrollment.end_date.is_(None)) | (Enrollment.end_date >= as_of),
        )
    ids = set(db.session.scalars(query))
    if as_of is None:
        ids |= scored
    return sorted(ids)


def load(section_id, marking_period_id=None, as_of=None, student_ids=None):
    """Load a section's gradebook rows once; student_ids narrows the scores.

    With `as_of`, the grade is the one that stood on that day: work due (or,
    without a due date, assigned) after it is left out.
    """
    config = db.session.scalar(
        db.select(GradebookConfig).where(GradebookConfig.section_id == section_id)
    )
    scale = config.scale if config and config.scale else GradingScale.default()
    types = AssignmentType.of_section(section_id)
    assignments = Assignment.of_section(section_id, marking_period_id)
    if as_of is not None:
        assignments = [a for a in assignments if _set_by(a, as_of)]
    # Plain rows, not ORM objects: a section holds thousands of scores.
    score_query = (
        db.select(
            Score.assignment_id, Score.student_id, Score.points, Score.excused,
            Score.missing, Score.late,
        )
        .join(Assignment, Assignment.id == Score.assignment_id)
        .where(Assignment.section_id == section_id)
    )  # fmt: skip
    course_query = db.select(CanvasCourseScore).where(
        CanvasCourseScore.section_id == section_id
    )
    if student_ids is not None:
        score_query = score_query.where(Score.student_id.in_(student_ids))
        course_query = course_query.where(CanvasCourseScore.student_id.in_(student_ids))
    scores = {
        (row.assignment_id, row.student_id): ScoreRow(*row[2:])
        for row in db.session.execute(score_query)
    }
    groups = db.session.scalars(
        db.select(CanvasGroup).where(CanvasGroup.section_id == section_id)
    )
    if student_ids is None:
        student_ids = _roster(section_id, as_of, {sid for _a, sid in scores})
    return GradebookData(
        config=config,
        levels=_levels(scale),
        types=types,
        assignments=assignments,
        work=[
            WorkRow(
                a.id,
                a.type_id,
                a.points,
                a.canvas_group_id,
                counts_in_grade(a),
                a.title,
                a.due_on,
            )
            for a in assignments
        ],  # fmt: skip
        scores=scores,
        group_weights={g.canvas_group_id: g.weight for g in groups},
        course_scores={c.student_id: c for c in db.session.scalars(course_query)},
        student_ids=list(student_ids),
    )


def _set_by(assignment, day):
    """Whether the work was due, or assigned when it has no due date, by the day."""
    when = assignment.due_on or assignment.assigned_on
    return when is None or when <= day


def counts_in_grade(assignment):
    """Work deleted, unpublished or ungraded in Canvas shows but does not count."""
    return assignment.state == "active"


def _item(work, score):
    """A grade-math item from an assignment row and its score (or none)."""
    if score is None:
        return Item(work.points, None, False, False, work.group)
    return Item(work.points, score.points, score.excused, score.missing, work.group)


def _type_inputs(data, student_id):
    """The student's grade-math types: Homeroom's, then Canvas's per option."""
    config = data.config
    option = config.canvas_option if config else None
    missing_as_zero = bool(config and config.missing_as_zero)
    by_type = {t.id: [] for t in data.types}
    scores = data.scores
    for work in data.work:
        if work.counts and work.type_id in by_type:
            by_type[work.type_id].append(_item(work, scores.get((work.id, student_id))))
    inputs = []
    for kind in data.types:
        if kind.is_canvas and option == 2:
            course = data.course_scores.get(student_id)
            pct = None
            if course is not None:
                pct = grade_math.canvas_option2_percentage(
                    course.current_score, course.final_score, missing_as_zero
                )
            inputs.append(
                TypeInput(kind.name, kind.weight, percentage=pct, is_canvas=True)
            )
            continue
        weights = None
        if kind.is_canvas and config and config.canvas_weights_groups:
            weights = data.group_weights
        inputs.append(
            TypeInput(
                kind.name,
                kind.weight,
                by_type[kind.id],
                group_weights=weights,
                is_canvas=kind.is_canvas,
            )
        )
    return inputs


def _flagged(data, student_id):
    """Work marked missing (and still without points) and work marked late."""
    names = {t.id: (t.name, t.is_canvas) for t in data.types}
    missing, late = [], []
    for work in data.work:
        score = data.scores.get((work.id, student_id))
        if score is None or score.excused or not (score.missing or score.late):
            continue
        type_name, is_canvas = names.get(work.type_id, ("", False))
        item = WorkItem(work.title, type_name, work.due_on, is_canvas)
        if score.missing and score.points is None:
            missing.append(item)
        if score.late:
            late.append(item)
    return missing, late


def _cents(value):
    """A percentage to two decimals, rounded as the gradebook's own figures are."""
    return grade_math.round_percentage(value, "none")


def summarise(data, student_id):
    """One student's StudentSummary from loaded data."""
    config = data.config
    weighted = bool(config and config.weighted)
    rounding = config.rounding if config else "none"
    missing_as_zero = bool(config and config.missing_as_zero)
    inputs = _type_inputs(data, student_id)

    merged = grade_math.gradebook(inputs, weighted, rounding, missing_as_zero)
    homeroom = grade_math.round_percentage(
        grade_math.combine([r for r in merged.types if not r.is_canvas], weighted),
        rounding,
    )
    missing, late = _flagged(data, student_id)
    canvas_type = next((r for r in merged.types if r.is_canvas), None)
    course = data.course_scores.get(student_id)

    return StudentSummary(
        student_id=student_id,
        percentage=merged.percentage,
        letter=grade_math.letter_for(merged.percentage, data.levels),
        homeroom_percentage=homeroom,
        canvas_percentage=_cents(canvas_type.percentage) if canvas_type else None,
        canvas_course_score=course.current_score if course else None,
        by_type=[
            TypeSummary(
                r.name,
                r.weight,
                _cents(r.percentage),
                r.earned,
                r.possible,
                r.is_canvas,
            )
            for r in merged.types
        ],  # fmt: skip
        missing=missing,
        late=late,
    )


def section_summaries(section_id, marking_period_id=None, as_of=None):
    """Every student's summary in a section, keyed by student id.

    The students are those active in the section at `as_of`; without a date,
    those active now plus any who hold scores (a dropped student's work).
    """
    data = load(section_id, marking_period_id, as_of)
    return {sid: summarise(data, sid) for sid in data.student_ids}


def student_summary(section_id, student_id, marking_period_id=None, as_of=None):
    """One student's summary, as the Grades tab refreshes a row."""
    data = load(section_id, marking_period_id, as_of, student_ids=[student_id])
    return summarise(data, student_id)
