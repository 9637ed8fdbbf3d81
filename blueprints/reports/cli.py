"""`flask reports ...`: report cards and transcripts as PDF files."""

import logging
from pathlib import Path

import click

from blueprints.reports.pdf import report_cards_pdf, transcript_pdf
from models import MarkingPeriod, School, Student, db
from models.reports import report_cards, transcript

logger = logging.getLogger(__name__)


def by_external_id(model, external_id, what):
    """Find one of the school's records by external id, or stop with a message."""
    school = School.current()
    record = db.session.scalar(
        db.select(model).where(
            model.school_id == school.id, model.external_id == external_id
        )
    )
    if record is None:
        raise click.ClickException(f"No {what} has the external id {external_id}.")
    return record


def write_pdf(path, data):
    """Write PDF bytes to a file and say where."""
    Path(path).write_bytes(data)
    click.echo(f"Wrote {path} ({len(data):,} bytes).")


@click.group("reports")
def reports_cli():
    """Make report cards and transcripts as PDF files."""


@reports_cli.command("report-cards")
@click.option(
    "--period", "period_id", required=True, help="Marking period external id."
)
@click.option(
    "--student", "student_id", help="One student's external id (default: all)."
)
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="PDF file.")
def report_cards_command(period_id, student_id, out):
    """Report cards for a marking period: one student, or every active student."""
    period = by_external_id(MarkingPeriod, period_id, "marking period")
    if student_id:
        students = [by_external_id(Student, student_id, "student")]
    else:
        students = db.session.scalars(
            db.select(Student)
            .where(Student.school_id == period.school_id, Student.status == "active")
            .order_by(Student.grade_level, Student.last_name, Student.first_name)
        ).all()

    cards = report_cards(period, students)
    write_pdf(out, report_cards_pdf(cards, School.current()))
    click.echo(f"{len(cards)} report cards for {period.title}.")
    logger.info("report cards for period %s written from the CLI", period.id)


@reports_cli.command("transcript")
@click.option("--student", "student_id", required=True, help="Student external id.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="PDF file.")
def transcript_command(student_id, out):
    """A student's transcript."""
    student = by_external_id(Student, student_id, "student")
    record = transcript(student)
    write_pdf(out, transcript_pdf(record))
    click.echo(
        f"Transcript of {student.full_name}: {len(record.years)} years, "
        f"cumulative GPA {record.totals.gpa if record.totals.gpa is not None else '-'}."
    )
