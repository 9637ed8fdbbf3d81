"""Who has graded what: the teacher's list and the admins' completion report."""

from dataclasses import dataclass

from sqlalchemy.orm import joinedload

from models.base import db
from models.courses import Course, Section
from models.grade_entry import grading_periods_within
from models.grades import PeriodWeight, SectionCompletion
from models.school import MarkingPeriod
from models.staff import Staff


@dataclass
class SectionStatus:
    """A section with its grading periods and which of them are complete."""

    section: Section
    term: MarkingPeriod | None  # the section's own marking period
    periods: list  # (period, SectionCompletion or None)


@dataclass
class CompletionRow:
    """One section on the completion report."""

    section: Section
    teacher: Staff | None
    completion: SectionCompletion | None


def _completions(section_ids, period_ids=None):
    """Completion rows keyed by (section id, period id), in one query."""
    if not section_ids:
        return {}
    query = db.select(SectionCompletion).where(
        SectionCompletion.section_id.in_(section_ids)
    )
    if period_ids is not None:
        query = query.where(SectionCompletion.marking_period_id.in_(period_ids))
    query = query.options(joinedload(SectionCompletion.completed_by))
    return {
        (row.section_id, row.marking_period_id): row
        for row in db.session.scalars(query)
    }


def _sections(where):
    """Active sections with course and teacher, by teacher then period."""
    return db.session.scalars(
        db.select(Section)
        .join(Section.course)
        .outerjoin(Staff, Staff.id == Section.teacher_id)
        .where(Section.active.is_(True), where)
        .options(joinedload(Section.course), joinedload(Section.teacher))
        .order_by(Staff.last_name, Staff.first_name, Section.period, Course.title)
    ).all()


def _class_period_key(text):
    """Sort class periods as numbers where they are numbers: 2 before 10."""
    return (0, int(text), "") if text.isdigit() else (1, 0, text)


def sections_to_grade(user):
    """A teacher's sections (every section for an admin) by term, then period."""
    where = db.true()
    if user.role != "admin":
        where = Section.taught_by_clause(user.staff_id or 0)
    sections = _sections(where)
    tree = MarkingPeriod.tree(user.school_id)
    terms = {period.id: period for period, _depth in tree}
    place = {period_id: n for n, period_id in enumerate(terms)}
    # A stable sort: within a term and class period, the teacher order stays.
    sections.sort(
        key=lambda section: (
            place.get(section.marking_period_id, len(place)),
            _class_period_key(section.period or ""),
        )
    )
    done = _completions([section.id for section in sections])
    return [
        SectionStatus(
            section,
            terms.get(section.marking_period_id),
            [
                (period, done.get((section.id, period.id)))
                for period in grading_periods_within(tree, section.marking_period_id)
            ],
        )
        for section in sections
    ]


def report_period(tree, period_id, today):
    """The grading period the completion report shows, from a (period, depth) tree.

    The one asked for (None if the school has no such grading period); else
    the open posting window that closes first; else the period that ended
    last; else the one in progress that ends first.
    """
    grading = [period for period, _depth in tree if period.does_grades]
    if period_id:
        return next((p for p in grading if p.id == period_id), None)

    open_now = [p for p in grading if p.is_posting_open(today)]
    if open_now:
        return min(open_now, key=lambda p: p.post_end)
    ended = [p for p in grading if p.end_date < today]
    if ended:
        return max(ended, key=lambda p: p.end_date)
    return min(grading, key=lambda p: p.end_date, default=None)


def _ancestor_ids(period):
    """The period and every period above it."""
    ids = []
    while period is not None:
        ids.append(period.id)
        period = period.parent
    return ids


def completion_rows(period):
    """Every section graded in the period, with its teacher and completion."""
    if not period.does_grades:
        return []
    sections = _sections(Section.marking_period_id.in_(_ancestor_ids(period)))
    done = _completions([section.id for section in sections], [period.id])
    return [
        CompletionRow(section, section.teacher, done.get((section.id, period.id)))
        for section in sections
    ]


def weighted_periods(school_id):
    """Periods with child periods, each with its weights (child id -> weight)."""
    tree = MarkingPeriod.tree(school_id)
    parent_ids = {period.parent_id for period, _depth in tree}
    parents = [period for period, _depth in tree if period.id in parent_ids]
    weights = {}
    if parents:
        rows = db.session.scalars(
            db.select(PeriodWeight).where(
                PeriodWeight.parent_id.in_([p.id for p in parents])
            )
        )
        for row in rows:
            weights.setdefault(row.parent_id, {})[row.child_id] = row.weight
    return [(period, weights.get(period.id, {})) for period in parents]
