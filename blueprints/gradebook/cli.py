"""`flask grades export`, `flask gradebook configure` and `flask canvas pull`."""

import logging

import click

from blueprints.gradebook import actions
from blueprints.gradebook.export import grades_csv
from models import School, Section, db
from models.grade_math import ROUNDING_MODES

logger = logging.getLogger(__name__)


def _section(external_id):
    """The school's section with this external id, or a usage error."""
    section = db.session.scalar(
        db.select(Section).where(
            Section.school_id == School.current().id,
            Section.external_id == external_id,
        )
    )
    if section is None:
        raise click.BadParameter(
            f"no section has the external id {external_id!r}", param_hint="--section"
        )
    return section


@click.group("grades")
def grades_cli():
    """Grades from the command line."""


@grades_cli.command("export")
@click.option(
    "--section", "section_id", required=True, help="The section's external id."
)
def export_command(section_id):
    """Print a section's Grades tab as CSV, one row per student."""
    section = _section(section_id)
    text = grades_csv(section)
    db.session.commit()
    click.echo(text, nl=False)


def _parse_types(text):
    """ "Homework:30,Tests:50" as {name: weight}; bad entries are usage errors."""
    weights = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, weight = part.rpartition(":")
        if not sep or not name.strip():
            raise click.BadParameter(
                f"{part!r} is not Name:weight", param_hint="--types"
            )
        weights[name.strip()] = actions.parse_weight(weight)
    return weights


@click.group("gradebook")
def gradebook_cli():
    """Set up section gradebooks."""


@gradebook_cli.command("configure")
@click.option(
    "--section", "section_id", required=True, help="The section's external id."
)
@click.option(
    "--option", type=click.Choice(["1", "2"]), help="The Canvas grade option."
)
@click.option("--weighted/--unweighted", default=None, help="Weight by type.")
@click.option(
    "--types", "types_text", help='Types and weights: "Homework:30,Tests:70".'
)
@click.option("--rounding", type=click.Choice(ROUNDING_MODES), help="Rounding mode.")
@click.option("--missing-as-zero/--missing-left-out", default=None)
def configure_command(section_id, option, weighted, types_text, rounding,
                      missing_as_zero):  # fmt: skip
    """Configure a section's gradebook as its page does, lock included."""
    section = _section(section_id)
    config = actions.config_for(section)
    weighted = config.weighted if weighted is None else weighted
    errors = actions.configure(
        section,
        config,
        option=int(option) if option else config.canvas_option,
        weighted=weighted,
        rounding=rounding or config.rounding,
        missing_as_zero=(
            config.missing_as_zero if missing_as_zero is None else missing_as_zero
        ),
    )
    if not errors and types_text is not None:
        errors = actions.set_types(section, _parse_types(types_text), weighted)
    if errors:
        db.session.rollback()
        raise click.ClickException(" ".join(errors.values()))
    db.session.commit()
    logger.info("section %s gradebook configured from the CLI", section.id)
    weighting = "weighted" if config.weighted else "unweighted"
    click.echo(
        f"Section {section.external_id}: option {config.canvas_option or 'none'}, "
        f"{weighting}, rounding {config.rounding}."
    )


@click.command("pull")
@click.option(
    "--section", "section_id", required=True, help="The section's external id."
)
def canvas_pull_command(section_id):
    """Queue the Canvas coursework and grade pull of one section."""
    from jobs.enqueue import enqueue_once

    section = _section(section_id)
    config = actions.config_for(section)
    db.session.commit()
    if config.canvas_option is None:
        raise click.ClickException(
            "This section has no Canvas option; configure its gradebook first."
        )
    job, created = enqueue_once(
        actions.CANVAS_JOBS["grades"],
        section.id,
        job_id=actions.canvas_job_id("grades", section.id),
    )
    state = "queued" if created else "already waiting"
    click.echo(f"Pull of section {section.external_id} {state} as job {job.id}.")
