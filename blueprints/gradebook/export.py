"""The Grades tab as CSV, for the download and for `flask grades export`."""

import csv
import io

from blueprints.gradebook import actions, grid

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _two(value):
    """A percentage with two decimals, or empty."""
    return "" if value is None else f"{value:.2f}"


def _text(value):
    """Text a spreadsheet will not run: a leading = + - @ reads as a formula."""
    return f"'{value}" if value[:1] in FORMULA_STARTS else value


def grades_csv(section, marking_period_id=None):
    """One row per student: ids, name, a column per assignment, the grade."""
    config = actions.config_for(section)
    columns, rows = grid.build(section, config, marking_period_id)
    option2 = config.canvas_option == 2
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["external_id", "name", *(_text(c.title) for c in columns)]
    header += ["percentage", "letter"] + (["canvas_score"] if option2 else [])
    writer.writerow(header)
    for row in rows:
        cells = ["MISSING" if text == "M" else text for _e, text, _c, _a in row.cells]
        summary = row.summary
        name = _text(row.student.full_name)
        line = [_text(row.student.external_id), name, *cells]
        line += [_two(summary.percentage), summary.letter or ""]
        if option2:
            line.append(_two(summary.canvas_course_score))
        writer.writerow(line)
    return out.getvalue()
