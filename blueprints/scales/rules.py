"""Rules for grading scales, on plain values so they test without a database."""

from decimal import Decimal
from typing import NamedTuple

# Extra credit can take a percentage past 100, so a cut-off may too.
MAX_PERCENTAGE = Decimal(200)
MAX_POINTS = Decimal(10)
LETTER_LENGTH = 5
CENT = Decimal("0.01")


class Row(NamedTuple):
    """One row of the levels table as typed; numbers are None when left empty."""

    letter: str
    min_percentage: Decimal | None
    gpa_points: Decimal | None
    passing: bool = True

    @property
    def blank(self):
        """Nothing typed: the row adds no level."""
        return not self.letter and self.min_percentage is self.gpa_points is None


def plain(value):
    """A Decimal as people write it: 90 not 90.00, 3.7 not 3.70."""
    return f"{value.normalize():f}"


def _number_problem(value, high, what):
    """Say why a number is out of bounds, or None."""
    if not value.is_finite():
        return "Type a number."
    if not 0 <= value <= high:
        return f"{what} must be between 0 and {high}."
    if value != value.quantize(CENT):
        return "Use at most two decimals."
    return None


def _letter_problem(row, letters):
    """Say why a row's letter will not do, or None; letters holds those above."""
    if not row.letter:
        return "Give a letter, or tick Remove."
    if len(row.letter) > LETTER_LENGTH:
        return f"Keep a letter to {LETTER_LENGTH} characters."
    if row.letter.casefold() in letters:
        return f"{row.letter} is already a letter of this scale."
    return None


def _cut_off_problem(row, lows):
    """Say why a row's from % will not do, or None; lows holds those above."""
    if row.min_percentage is None:
        return "Give the lowest percentage that earns this letter."
    message = _number_problem(row.min_percentage, MAX_PERCENTAGE, "From %")
    if message is None and row.min_percentage in lows:
        earlier = lows[row.min_percentage]
        return f"{earlier} already starts at {plain(row.min_percentage)}%."
    return message


def _points_problem(row):
    """Say why a row's GPA points will not do, or None."""
    if row.gpa_points is None:
        return "Give the GPA points (0 if the letter earns none)."
    return _number_problem(row.gpa_points, MAX_POINTS, "GPA points")


def row_problems(rows):
    """Check the rows of a scale; return {row index: {field: message}}.

    rows holds None for a row left blank or ticked for removal. A repeated
    letter or cut-off is flagged on the later row. The lowest cut-off must
    be 0, so that every percentage gets a letter; that is said on its row.
    """
    problems, letters, lows, starts = {}, set(), {}, []
    for index, row in enumerate(rows):
        if row is None:
            continue
        found = {
            "letter": _letter_problem(row, letters),
            "min_percentage": _cut_off_problem(row, lows),
            "gpa_points": _points_problem(row),
        }
        letters.add(row.letter.casefold())
        if found["min_percentage"] is None:
            lows[row.min_percentage] = row.letter or "Another level"
            starts.append((row.min_percentage, index))
        found = {field: text for field, text in found.items() if text}
        if found:
            problems[index] = found

    if starts and min(starts)[0] != 0:
        problems.setdefault(min(starts)[1], {})["min_percentage"] = (
            "The lowest level must start at 0, so every percentage gets a letter."
        )
    return problems


def levels_problem(rows):
    """Say why the table as a whole will not do, or None."""
    if all(row is None for row in rows):
        return "Give the scale at least one level, starting at 0%."
    return None


def delete_problem(name, is_default, uses):
    """Say why a scale must stay, or None when it may be deleted."""
    if is_default:
        return (
            f"{name} is the school's default scale; make another scale the "
            "default before deleting it."
        )
    if uses:
        books = "gradebook" if uses == 1 else "gradebooks"
        return f"{name} is used by {uses} {books}, so it cannot be deleted."
    return None
