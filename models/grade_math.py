"""Grade math on plain values: the definitions in ARCHITECTURE "Grade math".

Nothing here touches the database or the network. Percentages are Decimals on
a 0-100 scale (extra credit may carry one past 100, never past
`100 * SCORE_CAP`); None means "no graded work yet".
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import NamedTuple

ROUNDING_MODES = ("normal", "up", "down", "none")
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
# A score counts for at most twice its points: extra credit has a ceiling, so
# one typo (95 typed as 950) cannot swamp a term.
SCORE_CAP = Decimal(2)
# Without weighting, a type known only as a percentage (option 2's Canvas
# course score) counts as one assignment of this many points.
PERCENT_ONLY_POINTS = HUNDRED
# Under option 1, a gap between the Canvas type and Canvas's own course score
# wider than this means the two systems are set up differently.
CANVAS_TOLERANCE = Decimal("0.5")
# Thirds and sevenths do not divide out in Decimal: an exact 80 arrives as
# 79.99...98 and would round down to 79. Values are snapped to this step
# before rounding, far finer than any grade and far coarser than the error.
SNAP = Decimal("1E-9")


class Item(NamedTuple):
    """One student's result on one assignment (a tuple: thousands per page)."""

    possible: Decimal
    earned: Decimal | None = None
    excused: bool = False
    missing: bool = False
    group: str | None = None


@dataclass(frozen=True)
class TypeInput:
    """An assignment type: its weight and the student's items in it.

    `percentage` replaces the items when the type is known only as a
    percentage (option 2's Canvas course score). `group_weights` maps a Canvas
    assignment group to its weight when the Canvas course weights its groups.
    """

    name: str
    weight: Decimal = Decimal(0)
    items: Sequence[Item] = ()
    percentage: Decimal | None = None
    group_weights: dict | None = None
    is_canvas: bool = False


@dataclass(frozen=True)
class TypeResult:
    """A type's earned and possible points and its percentage (None: no work)."""

    name: str
    weight: Decimal
    percentage: Decimal | None
    earned: Decimal
    possible: Decimal
    is_canvas: bool = False
    by_groups: bool = False  # the percentage weights Canvas's groups


@dataclass(frozen=True)
class Level:
    """One letter of a grading scale."""

    letter: str
    min_percentage: Decimal
    gpa_points: Decimal = Decimal(0)
    passing: bool = True


@dataclass(frozen=True)
class Result:
    """A student's gradebook percentage, unrounded and rounded, by type."""

    raw: Decimal | None
    percentage: Decimal | None
    types: list = field(default_factory=list)


def dec(value):
    """A Decimal from an int, str, float or Decimal; None stays None."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def counted(item, missing_as_zero):
    """(earned, possible) an item adds to its type, or None when left out."""
    if item.excused:
        return None
    if item.earned is None:
        if item.missing and missing_as_zero and item.possible > 0:
            return Decimal(0), item.possible
        return None
    earned = max(item.earned, Decimal(0))
    if item.possible > 0:
        earned = min(earned, item.possible * SCORE_CAP)
    return earned, item.possible


def points(items, missing_as_zero):
    """Earned and possible points over items; possible 0 means nothing graded."""
    earned = possible = Decimal(0)
    graded = False
    for item in items:
        pair = counted(item, missing_as_zero)
        if pair is None:
            continue
        graded = True
        earned += pair[0]
        possible += pair[1]
    return earned, possible, graded


def ratio(earned, possible):
    """earned/possible as a percentage, held between 0 and the extra-credit cap."""
    if possible <= 0:
        return None
    return min(earned / possible * HUNDRED, HUNDRED * SCORE_CAP)


def weighted_mean(pairs: Iterable):
    """Mean of (weight, percentage) pairs, renormalising over those with work.

    Pairs whose percentage is None or whose weight is 0 are left out; when
    none is left, the answer is None.
    """
    live = [(dec(w), p) for w, p in pairs if p is not None and dec(w) > 0]
    total = sum((w for w, _p in live), Decimal(0))
    if total == 0:
        return None
    return sum((w * p for w, p in live), Decimal(0)) / total


def type_result(spec: TypeInput, missing_as_zero):
    """A type's percentage: by points, by weighted groups, or given outright."""
    if spec.percentage is not None or not spec.items:
        pct = dec(spec.percentage)
        return TypeResult(spec.name, dec(spec.weight), pct, Decimal(0), Decimal(0),
                          spec.is_canvas)  # fmt: skip
    earned, possible, _graded = points(spec.items, missing_as_zero)
    if spec.group_weights:
        by_group = {}
        for item in spec.items:
            by_group.setdefault(item.group, []).append(item)
        pct = weighted_mean(
            (
                spec.group_weights.get(group, Decimal(0)),
                ratio(*points(items, missing_as_zero)[:2]),
            )
            for group, items in by_group.items()
        )
    else:
        pct = ratio(earned, possible)
    return TypeResult(
        spec.name, dec(spec.weight), pct, earned, possible, spec.is_canvas,
        by_groups=bool(spec.group_weights),
    )  # fmt: skip


def combine(results, weighted):
    """The gradebook percentage over type results, weighted or by points."""
    if weighted:
        return weighted_mean((r.weight, r.percentage) for r in results)
    earned = possible = Decimal(0)
    for r in results:
        if r.percentage is None:
            continue
        if r.by_groups:
            # Its points count at the percentage Canvas's group weights give
            # them, so a Canvas-only gradebook shows Canvas's own percentage.
            earned += r.percentage * r.possible / HUNDRED
            possible += r.possible
        elif r.possible > 0:
            earned += r.earned
            possible += r.possible
        else:
            earned += r.percentage * PERCENT_ONLY_POINTS / HUNDRED
            possible += PERCENT_ONLY_POINTS
    return ratio(earned, possible)


def round_percentage(value, mode):
    """Round a percentage to a whole number (up, down, normal) or to cents."""
    if value is None:
        return None
    value = value.quantize(SNAP, rounding=ROUND_HALF_UP)
    if mode == "up":
        return value.quantize(Decimal(1), rounding=ROUND_CEILING).quantize(CENT)
    if mode == "down":
        return value.quantize(Decimal(1), rounding=ROUND_FLOOR).quantize(CENT)
    if mode == "normal":
        return value.quantize(Decimal(1), rounding=ROUND_HALF_UP).quantize(CENT)
    if mode == "none":
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    raise ValueError(f"unknown rounding mode {mode!r}")


def canvas_option2_percentage(current_score, final_score, missing_as_zero):
    """Option 2: Canvas's current score, or its final score if missing is zero."""
    return dec(final_score if missing_as_zero else current_score)


def gradebook(types, weighted, rounding="none", missing_as_zero=False):
    """The whole computation for one student: types in, Result out."""
    results = [type_result(t, missing_as_zero) for t in types]
    raw = combine(results, weighted)
    return Result(raw, round_percentage(raw, rounding), results)


def letter_for(percentage, levels: Sequence[Level]):
    """The letter of the highest level the percentage reaches, or None."""
    if percentage is None:
        return None
    best = None
    for level in levels:
        floor = dec(level.min_percentage)
        if percentage >= floor and (best is None or floor > best.min_percentage):
            best = Level(level.letter, floor, level.gpa_points, level.passing)
    return best.letter if best else None


def grade_points(letter, levels: Sequence[Level]):
    """The GPA points of a letter on a scale, or None when it has no such letter."""
    for level in levels:
        if level.letter == letter:
            return dec(level.gpa_points)
    return None


def weights_total(weights):
    """The sum of type weights, for the must-add-up-to-100 check."""
    return sum((dec(w) for w in weights), Decimal(0))


def diverges(canvas_type_percentage, canvas_course_score):
    """Under option 1: do the two Canvas figures differ past the tolerance?"""
    if canvas_type_percentage is None or canvas_course_score is None:
        return False
    gap = abs(dec(canvas_type_percentage) - dec(canvas_course_score))
    return gap > CANVAS_TOLERANCE
