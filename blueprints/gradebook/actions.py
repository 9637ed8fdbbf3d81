"""Gradebook changes shared by the pages and the CLI; they never commit.

Each returns a dict of errors keyed by field (empty when all is well) and
writes nothing when there are errors.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from models import (
    Assignment,
    AssignmentType,
    GradebookConfig,
    GradingScale,
    Score,
    db,
)
from models.grade_math import ROUNDING_MODES, SCORE_CAP, weights_total
from models.gradebook import CANVAS_TYPE_NAME

logger = logging.getLogger(__name__)

# Named by path: a blueprint never imports the Canvas client the jobs use.
CANVAS_JOBS = {
    "coursework": "jobs.gradebook_canvas.get_canvas_assignments",
    "grades": "jobs.gradebook_canvas.pull_grades",
}
EXCUSED_MARKS = ("*", "EX")
MISSING_MARKS = ("M", "MISSING")
HUNDRED = Decimal(100)


def canvas_job_id(kind, section_id):
    """The deterministic id of a section's Canvas job: canvas:grades:section:7."""
    return f"canvas:{kind}:section:{section_id}"


def lock_reason(config):
    """Why the Canvas option cannot change, in words for the page and the CLI."""
    day = config.locked_at
    return (
        f"The Canvas grade option was saved on {day:%B} {day.day}, {day.year}. "
        "Changing it would mix grades counted two different ways, so it is "
        "fixed for this section."
    )


def configure(section, config, *, option, weighted, rounding, missing_as_zero,
              scale_id=None):  # fmt: skip
    """Apply configuration values; the Canvas option locks once saved."""
    errors = {}
    if option is not None and option not in (1, 2):
        errors["canvas_option"] = "Choose option 1 or option 2."
    elif option is not None and not section.canvas_sync:
        errors["canvas_option"] = (
            "This section does not sync with Canvas, so it has no Canvas option."
        )
    elif config.locked and option != config.canvas_option:
        errors["canvas_option"] = lock_reason(config)
    if rounding not in ROUNDING_MODES:
        errors["rounding"] = "Choose a rounding mode."
    scale = None
    if scale_id is not None:
        scale = db.session.get(GradingScale, scale_id)
        if scale is None:
            errors["scale_id"] = "Choose a grading scale."
    if errors:
        return errors

    if option is not None and not config.locked:
        config.canvas_option = option
        config.lock()
        ensure_canvas_type(section.id)
    config.weighted = bool(weighted)
    config.rounding = rounding
    config.missing_as_zero = bool(missing_as_zero)
    if scale is not None:
        config.scale = scale
    return {}


def ensure_canvas_type(section_id):
    """The section's "Canvas" assignment type, made when first needed."""
    return AssignmentType.canvas_for(section_id)


def parse_weight(text):
    """A weight from text: a number from 0 to 100, or None when it is not."""
    try:
        value = Decimal(str(text).strip().rstrip("%") or "0")
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value > HUNDRED:
        return None
    return value.quantize(Decimal("0.01"))


def weight_problem(weights, weighted):
    """The sentence the page shows when weights do not add up to 100."""
    if not weighted:
        return None
    total = weights_total(weights)
    if total == HUNDRED:
        return None
    return (
        f"With weighting on, the type weights must add up to 100; "
        f"they add up to {total.normalize():f}."
    )


def set_types(section, weights_by_name, weighted, *, replace=False):
    """Create or update types from {name: weight}; weights must total 100.

    The name "Canvas" means the Canvas type in a section that syncs. With
    `replace`, types not named and holding no assignments are removed.
    """
    errors = {}
    for name, weight in weights_by_name.items():
        if not name or len(name) > 100:
            errors[name or "name"] = "A type needs a name of at most 100 characters."
        elif weight is None:
            errors[name] = f"The weight of {name} must be a number from 0 to 100."
    existing = {t.name.lower(): t for t in AssignmentType.of_section(section.id)}
    if not errors:
        # The check is on the types as they will be, unnamed ones included.
        kept = [
            t.weight
            for key, t in existing.items()
            if key not in {n.lower() for n in weights_by_name}
            and not (replace and not t.is_canvas and not t.assignments)
        ]
        problem = weight_problem([*weights_by_name.values(), *kept], weighted)
        if problem:
            errors["weights"] = problem
    if errors:
        return errors

    for order, (name, weight) in enumerate(weights_by_name.items()):
        canvas = section.canvas_sync and name.lower() == CANVAS_TYPE_NAME.lower()
        kind = existing.pop(name.lower(), None)
        if kind is None and canvas:
            kind = ensure_canvas_type(section.id)
        if kind is None:
            kind = AssignmentType(section_id=section.id, name=name)
            db.session.add(kind)
        kind.weight = weight
        kind.sort_order = 1000 if canvas else order
    if replace:
        for kind in existing.values():
            if not kind.is_canvas and not kind.assignments:
                db.session.delete(kind)
    db.session.flush()
    return {}


@dataclass
class CellValue:
    """What a typed grade cell means."""

    points: Decimal | None = None
    excused: bool = False
    missing: bool = False


def parse_cell(text, assignment):
    """Read what a teacher typed into a grade cell: (CellValue, error)."""
    text = (text or "").strip()
    upper = text.upper()
    if not text:
        return CellValue(), None
    if upper in EXCUSED_MARKS:
        return CellValue(excused=True), None
    if upper in MISSING_MARKS:
        return CellValue(missing=True), None
    try:
        points = Decimal(text)
    except InvalidOperation:
        return None, "Type a number, EX (or *) for excused, or M for missing."
    if not points.is_finite() or points < 0:
        return None, "A score cannot be negative."
    limit = assignment.points * SCORE_CAP if assignment.points > 0 else HUNDRED
    if points > limit:
        return None, f"At most {limit.normalize():f} (twice the points)."
    if points.as_tuple().exponent < -2:
        return None, "Use at most two decimals."
    return CellValue(points=points), None


def save_cell(assignment, student_id, value):
    """Store a parsed cell as the student's score; an empty cell removes it."""
    score = db.session.scalar(
        db.select(Score).where(
            Score.assignment_id == assignment.id, Score.student_id == student_id
        )
    )
    if score is None:
        score = Score(assignment_id=assignment.id, student_id=student_id)
        db.session.add(score)
    score.points = value.points
    score.excused = value.excused
    score.missing = value.missing
    score.late = False
    score.source = "homeroom"
    if score.is_empty:
        # An empty cell is the same as no row; keep the table free of blanks.
        if score.id is None:
            db.session.expunge(score)
        else:
            db.session.delete(score)
        score = None
    db.session.flush()
    return score


def cell_text(score, short=False):
    """How a score reads in the CSV, or (short) in a grid cell."""
    if score is None:
        return ""
    if score.excused:
        return "EX"
    if score.points is not None:
        return format_points(score.points)
    if score.missing:
        return "M" if short else "MISSING"
    return ""


def format_points(value):
    """A plain number: 9.5 not 9.50, 10 not 10.00."""
    return f"{Decimal(value).normalize():f}"


def assignment_errors(section, *, title, type_id, points):
    """Check an assignment's fields that the form cannot check alone."""
    errors = {}
    kind = db.session.get(AssignmentType, type_id) if type_id else None
    if kind is None or kind.section_id != section.id:
        errors["type_id"] = "Choose one of this section's assignment types."
    elif kind.is_canvas:
        errors["type_id"] = (
            "The Canvas type holds Canvas's own work; "
            "choose another type or create it in Canvas."
        )
    if not (title or "").strip():
        errors["title"] = "Give the assignment a title."
    if points is None or points < 0:
        errors["points"] = "Points must be zero or more."
    return errors


def canvas_assignments_count(section_id):
    """How many of a section's assignments came from Canvas."""
    return db.session.scalar(
        db.select(db.func.count(Assignment.id)).where(
            Assignment.section_id == section_id, Assignment.from_canvas
        )
    )


def config_for(section):
    """The section's gradebook configuration, created with defaults."""
    return GradebookConfig.for_section(section)
