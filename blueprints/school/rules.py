"""Rules for marking periods, on plain values so they test without a database."""

from typing import NamedTuple

KIND_LABELS = {
    "year": "school year",
    "semester": "semester",
    "quarter": "quarter",
    "progress": "progress period",
}

# Which kinds of period each kind may sit under; a year is the root. Many
# schools have no semesters, so their quarters sit right under the year.
PARENT_KINDS = {
    "year": (),
    "semester": ("year",),
    "quarter": ("semester", "year"),
    "progress": ("quarter", "semester"),
}


class Span(NamedTuple):
    """A marking period reduced to what the rules look at."""

    kind: str
    title: str
    start: object
    end: object


def kind_problem(kind, parent_kind):
    """Say why a period of this kind cannot sit under the parent, or None."""
    allowed = PARENT_KINDS[kind]
    label = KIND_LABELS[kind].capitalize()
    if parent_kind is None:
        if not allowed:
            return None
        under = " or a ".join(KIND_LABELS[k] for k in allowed)
        return f"A {KIND_LABELS[kind]} must sit under a {under}."
    if not allowed:
        return "A school year is the top of the tree; leave the parent empty."
    if parent_kind not in allowed:
        under = " or a ".join(KIND_LABELS[k] for k in allowed)
        return f"{label}s go under a {under}, not a {KIND_LABELS[parent_kind]}."
    return None


def date_problems(start, end, post_start, post_end):
    """Check a period's own dates; return {field: message}."""
    problems = {}
    if start and end and end <= start:
        problems["end_date"] = "The end date must be after the start date."
    if (post_start is None) != (post_end is None):
        missing = "post_end" if post_end is None else "post_start"
        problems[missing] = "Give both grade-posting dates, or neither."
    elif post_start and post_end < post_start:
        problems["post_end"] = "Grade posting must end on or after the day it starts."
    return problems


def nesting_problems(period, parent=None, children=()):
    """Check a period against its parent and children; return {field: message}.

    A period lies within its parent's dates, its children within its own, and
    every child's kind still fits under the period's kind.
    """
    problems = {}
    if parent is not None:
        if period.start < parent.start:
            problems["start_date"] = (
                f"Starts before its parent {parent.title} "
                f"(which starts {parent.start:%Y-%m-%d})."
            )
        if period.end > parent.end:
            problems["end_date"] = (
                f"Ends after its parent {parent.title} "
                f"(which ends {parent.end:%Y-%m-%d})."
            )
    for child in children:
        if child.start < period.start:
            problems.setdefault(
                "start_date",
                f"{child.title} starts earlier, on {child.start:%Y-%m-%d}; "
                "it must lie within this period.",
            )
        if child.end > period.end:
            problems.setdefault(
                "end_date",
                f"{child.title} ends later, on {child.end:%Y-%m-%d}; "
                "it must lie within this period.",
            )
        if kind_problem(child.kind, period.kind):
            problems.setdefault(
                "kind",
                f"{child.title} is a {KIND_LABELS[child.kind]}, which cannot "
                f"sit under a {KIND_LABELS[period.kind]}.",
            )
    return problems
