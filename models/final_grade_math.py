"""Final-grade arithmetic on plain values: overrides, period weights, GPA.

Nothing here touches the database or the gradebook's tables. Letters come in
already looked up (the gradebook's `letter_for` and `grade_points` own the
scale), so this module never decides what a percentage is worth.

Decisions the tests pin down:

- An override is kept beside the computed grade. A percentage override
  replaces the final percentage (and so the letter); a letter override
  replaces the letter and keeps the computed percentage for the record.
- Semester and year grades are weighted means of their parts (child periods'
  final percentages and the exam). A part with no grade is left out and the
  remaining weights are renormalised, the same rule the gradebook uses for
  assignment types; with no part present there is no grade.
- GPA: a grade's points are the scale's points for its letter; the weighted
  GPA adds the course's bonus, but only to a passing grade (an F in an honours
  course is still worth nothing). A period's GPA is the sum of points times
  credits attempted over the sum of credits attempted; grades of dropped
  sections and grades without points stay out of it. A failing grade earns no
  credits.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
MAX_PERCENTAGE = Decimal(200)  # extra credit can pass 100; past 200 is a typo

MERGED = "merged"
OVERRIDDEN = "overridden"
FINALIZED = "finalized"
SOURCES = (MERGED, OVERRIDDEN, FINALIZED)


def to_cents(value):
    """Round a Decimal to two places, halves away from zero; None stays None."""
    if value is None:
        return None
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_override(raw, letters):
    """Read an override typed by a teacher: a scale letter or a percentage.

    Returns (letter, percentage) with one of them set, (None, None) for a
    blank field, and raises ValueError with a message for anything else.
    """
    text = (raw or "").strip()
    if not text:
        return None, None

    by_upper = {letter.upper(): letter for letter in letters}
    if text.upper() in by_upper:
        return by_upper[text.upper()], None

    try:
        percentage = Decimal(text.rstrip("%").strip())
    except InvalidOperation:
        choices = ", ".join(letters)
        raise ValueError(
            f"Use a letter of the scale ({choices}) or a percentage."
        ) from None
    if not percentage.is_finite() or not 0 <= percentage <= MAX_PERCENTAGE:
        raise ValueError("A percentage override must be between 0 and 200.")
    return None, to_cents(percentage)


@dataclass(frozen=True)
class Resolved:
    """The grade that goes on record once any override is applied."""

    percentage: Decimal | None
    letter: str | None
    source: str


def resolve(
    computed_percentage,
    computed_letter,
    override_letter=None,
    override_percentage=None,
    letter_for=None,
):
    """Apply an override to the computed grade without losing the computed one.

    letter_for maps a percentage to a letter (the gradebook's scale lookup);
    it is needed only for a percentage override.
    """
    if override_letter and override_percentage is not None:
        raise ValueError("An override is a letter or a percentage, not both.")
    if override_percentage is not None:
        percentage = to_cents(override_percentage)
        return Resolved(percentage, letter_for(percentage), OVERRIDDEN)
    if override_letter:
        return Resolved(to_cents(computed_percentage), override_letter, OVERRIDDEN)
    return Resolved(to_cents(computed_percentage), computed_letter, MERGED)


def weight_errors(weights):
    """Return what is wrong with a set of weights; an empty list means valid.

    weights maps a part's label to its weight (Decimal or None for unset).
    """
    errors = []
    present = {label: w for label, w in weights.items() if w is not None}
    for label, weight in present.items():
        if weight < 0 or weight > HUNDRED:
            errors.append(f"{label}: a weight is between 0 and 100.")
    if present and sum(present.values()) != HUNDRED:
        total = sum(present.values())
        errors.append(f"The weights add up to {total:g}; they must add up to 100.")
    return errors


def weighted_mean(parts):
    """Weighted mean of (weight, percentage) pairs, renormalised over present parts.

    A part whose percentage is None is left out; zero-weight parts count for
    nothing. Returns None when no weighted part is present.
    """
    present = [(Decimal(w), Decimal(p)) for w, p in parts if p is not None and w]
    total_weight = sum((w for w, _ in present), Decimal(0))
    if not total_weight:
        return None
    total = sum((w * p for w, p in present), Decimal(0))
    return to_cents(total / total_weight)


@dataclass(frozen=True)
class GradeLine:
    """One final grade as GPA sees it."""

    points: Decimal | None
    credits: Decimal
    passing: bool
    bonus: Decimal = Decimal(0)
    dropped: bool = False


def line_points(line, weighted=False):
    """Grade points of one grade; the weighted GPA adds the bonus to a pass."""
    if line.points is None:
        return None
    if weighted and line.passing:
        return Decimal(line.points) + Decimal(line.bonus)
    return Decimal(line.points)


def credits_earned(credits_attempted, passing):
    """A passing grade earns its credits; a failing one earns none."""
    return Decimal(credits_attempted) if passing else Decimal(0)


def gpa(lines, weighted=False):
    """Sum of points times credits over credits attempted, to two places.

    Dropped sections and grades without points are left out; None when no
    credit is attempted.
    """
    counted = [
        (line_points(line, weighted), Decimal(line.credits))
        for line in lines
        if not line.dropped and line.points is not None
    ]
    attempted = sum((credits for _, credits in counted), Decimal(0))
    if not attempted:
        return None
    return to_cents(sum(p * c for p, c in counted) / attempted)


def credit_totals(lines):
    """Credits attempted and earned over the lines, dropped sections left out."""
    kept = [line for line in lines if not line.dropped]
    attempted = sum((Decimal(line.credits) for line in kept), Decimal(0))
    earned = sum(
        (credits_earned(line.credits, line.passing) for line in kept), Decimal(0)
    )
    return attempted, earned
