"""`flask roster import` and `flask seed-demo`: OneRoster sets from the command line."""

import json
import logging
from datetime import date

import click

from jobs.sync_queue import canvas_configured, request_sync_all
from models import School, db
from models.oneroster import KINDS, OUTCOMES, import_path
from models.oneroster.demo import DEMO_PASSWORD, has_people, seed_demo

logger = logging.getLogger(__name__)


@click.group("roster")
def roster_cli():
    """Import OneRoster 1.1 CSV sets."""


@roster_cli.command("import")
@click.argument("path", type=click.Path(exists=True))
@click.option("--dry-run", is_flag=True, help="Check and count; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def import_command(path, dry_run, as_json):
    """Import a folder or zip of OneRoster 1.1 CSV files, all or nothing."""
    try:
        result = import_path(path, School.current(), write=not dry_run)
        if result.ok and not dry_run:
            db.session.commit()
        else:
            db.session.rollback()
    except Exception:
        db.session.rollback()
        raise

    applied = result.ok and not dry_run
    if applied:
        logger.info(
            "roster import %s applied from the CLI: %d created, %d updated, %d dropped",
            path,
            result.total("created"),
            result.total("updated"),
            result.total("dropped"),
        )
    # New and changed people and sections go to Canvas, as after a web import.
    sync_job = _queue_canvas_sync() if applied else None

    if as_json:
        output = result.as_dict()
        if sync_job is not None:
            output["canvas_sync_job"] = sync_job.id
        click.echo(json.dumps(output, indent=2))
    else:
        _echo_result(result, dry_run)
        if sync_job is not None:
            click.echo(f"Canvas sync queued as job {sync_job.id}.")
    if not result.ok:
        raise click.exceptions.Exit(1)


def _queue_canvas_sync():
    """Queue Sync all when Canvas is set up; return its job, or None."""
    if not canvas_configured():
        return None
    job, created = request_sync_all()
    logger.info(
        "canvas sync job %s %s by the roster import from the CLI",
        job.id,
        "queued" if created else "joined",
    )
    return job


def _echo_result(result, dry_run):
    """Counts as a small table, then errors and notes one per line."""
    for error in result.errors:
        click.echo(_where(error) + error.message, err=True)
    if not result.ok:
        click.echo(f"{len(result.errors)} errors; nothing was written.", err=True)
        return
    click.echo(f"{'':17}" + "".join(f"{outcome:>11}" for outcome in OUTCOMES))
    for kind in KINDS:
        counts = "".join(f"{result.counts[o][kind]:>11}" for o in OUTCOMES)
        click.echo(f"{kind.replace('_', ' '):17}{counts}")
    for note in result.notes:
        click.echo("note: " + _where(note) + note.message)
    click.echo("Dry run: nothing was written." if dry_run else "Import applied.")


def _where(error):
    line = f":{error.line}" if error.line else ""
    column = f" {error.column}" if error.column else ""
    return f"{error.file}{line}{column}: "


@click.command("seed-demo")
@click.option(
    "--if-empty", is_flag=True, help="Do nothing when the database has people."
)
def seed_demo_command(if_empty):
    """Fill the database with a demo school and print its demo logins."""
    if if_empty and has_people():
        click.echo("The database already has people; no demo school added.")
        return

    result, logins = seed_demo(School.current(), date.today())
    if not result.ok:
        db.session.rollback()
        _echo_result(result, dry_run=False)
        raise click.exceptions.Exit(1)
    db.session.commit()
    logger.info("demo school seeded: %d records created", result.total("created"))

    counts = result.counts["created"]
    click.echo(
        f"Demo school ready: {counts['students']} students, {counts['staff']} staff, "
        f"{counts['sections']} sections, {counts['enrollments']} enrollments."
    )
    click.echo(f"Demo logins (password: {DEMO_PASSWORD}):")
    for role, email in logins:
        click.echo(f"  {role:8} {email}")
