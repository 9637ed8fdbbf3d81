"""How documents write numbers and dates; the pages and the PDFs share it."""

from decimal import Decimal

from blueprints.reports import bp

DASH = "\u2014"


@bp.app_template_filter("pct")
def pct(value):
    """A percentage with two decimals, or a dash when there is none."""
    return DASH if value is None else f"{Decimal(value):.2f}"


@bp.app_template_filter("gpa")
def gpa(value):
    """A GPA with two decimals, or a dash when nothing was attempted."""
    return DASH if value is None else f"{Decimal(value):.2f}"


@bp.app_template_filter("credits")
def credits(value):
    """Credits without trailing zeros: 1, 0.5, 2.25."""
    if value is None:
        return DASH
    text = f"{Decimal(value):.2f}".rstrip("0").rstrip(".")
    return text or "0"


@bp.app_template_filter("longdate")
def longdate(value):
    """A date as schools print it: 3 December 2026."""
    return DASH if value is None else f"{value.day} {value:%B %Y}"


def text(value):
    """Any value as document text, a dash for nothing."""
    return DASH if value in (None, "") else str(value)
