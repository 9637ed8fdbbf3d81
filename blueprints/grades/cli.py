"""`flask grades finalize`: submit the merged grade wherever none was submitted."""

import logging

import click

from blueprints.reports.cli import by_external_id
from blueprints.reports.formatting import pct
from models import MarkingPeriod, Section, db
from models.grade_entry import finalize_section, grading_periods
from models.grade_reports import completion_rows

logger = logging.getLogger(__name__)


@click.command("finalize")
@click.option(
    "--period", "period_id", required=True, help="Marking period external id."
)
@click.option(
    "--section", "section_id", help="One section's external id (default: all)."
)
def finalize_command(period_id, section_id):
    """Store the merged grade of every student who has no final grade yet.

    A grade already submitted, or overridden, is never touched.
    """
    period = by_external_id(MarkingPeriod, period_id, "marking period")
    if not period.does_grades:
        raise click.ClickException(f"{period.title} takes no grades.")
    if section_id:
        section = by_external_id(Section, section_id, "section")
        if period not in grading_periods(section):
            raise click.ClickException(
                f"{section.name} is not graded in {period.title}."
            )
        sections = [section]
    else:
        sections = [row.section for row in completion_rows(period)]

    total = 0
    for section in sections:
        saved, skipped = finalize_section(section, period)
        total += len(saved)
        click.echo(
            f"{section.course.code} {section.name}: {len(saved)} finalized, "
            f"{len(skipped)} left as they were."
        )
        for student, grade in saved:
            click.echo(
                f"  finalized {student.sortable_name}: "
                f"{pct(grade.percentage)} {grade.letter or ''}".rstrip()
            )
        for student, reason in skipped:
            click.echo(f"  left {student.sortable_name}: {reason}")
    db.session.commit()
    logger.info(
        "period %s finalized from the CLI: %d grades in %d sections",
        period.id,
        total,
        len(sections),
    )
    click.echo(f"{total} grades finalized in {len(sections)} sections.")
