"""`flask canvas ...`: configure Canvas, queue syncs, report sync status."""

import json
import logging

import click

from blueprints.lms.status import sync_summary
from jobs.sync_queue import ALL_KINDS, request_sync_all
from models import CanvasSettings, db
from models.lms import DROP_ACTIONS

logger = logging.getLogger(__name__)


@click.group("canvas")
def canvas_cli():
    """Connect Homeroom to Canvas and sync the roster."""


@canvas_cli.command("configure")
@click.option("--url", help="Canvas address, e.g. https://school.instructure.com.")
@click.option("--token", help="An access token of a Canvas admin.")
@click.option("--account-id", type=click.IntRange(min=1), help="Canvas account id.")
@click.option(
    "--drop-action",
    type=click.Choice(DROP_ACTIONS),
    help="What dropping a student does to the Canvas enrollment.",
)
@click.option(
    "--send-invitations/--no-send-invitations",
    default=None,
    help="Whether Canvas invites users to their courses.",
)
@click.option(
    "--virtual-new-sections/--no-virtual-new-sections",
    default=None,
    help="Whether sections the roster import creates are Virtual Classes.",
)
@click.option(
    "--sync-new-sections/--no-sync-new-sections",
    default=None,
    help="Whether sections the roster import creates sync with Canvas.",
)
def configure(url, token, account_id, drop_action, send_invitations,
              virtual_new_sections, sync_new_sections):  # fmt: skip
    """Save Canvas settings; options not given keep their saved values."""
    settings = CanvasSettings.get_or_create()
    if not (url or settings.url) or not (token or settings.token_encrypted):
        raise click.UsageError("The first configure needs --url and --token.")
    if url:
        settings.url = url.strip().rstrip("/")
    if token:
        settings.token = token
    if account_id:
        settings.account_id = account_id
    if drop_action:
        settings.drop_action = drop_action
    if send_invitations is not None:
        settings.send_invitations = send_invitations
    if virtual_new_sections is not None:
        settings.new_sections_virtual = virtual_new_sections
    if sync_new_sections is not None:
        settings.new_sections_sync = sync_new_sections
        settings.new_sections_virtual = settings.new_sections_virtual or (
            sync_new_sections
        )
    if not settings.new_sections_virtual:
        settings.new_sections_sync = False
    db.session.commit()
    logger.info("canvas settings saved from the CLI")
    click.echo(
        f"Canvas settings saved: {settings.url}, account {settings.account_id}, "
        f"token {settings.masked_token}."
    )


@canvas_cli.command("sync")
@click.option("--students", is_flag=True, help="Sync students.")
@click.option("--staff", is_flag=True, help="Sync staff.")
@click.option("--sections", is_flag=True, help="Sync sections and enrollments.")
@click.option("--all", "everything", is_flag=True, help="Sync everything.")
def sync(students, staff, sections, everything):
    """Queue a sync job; `flask worker --burst` (or a running worker) does it."""
    settings = CanvasSettings.load()
    if settings is None or not settings.is_configured:
        raise click.ClickException("Canvas is not set up: run `canvas configure`.")
    chosen = {"students": students, "staff": staff, "sections": sections}
    kinds = [k for k in ALL_KINDS if chosen[k] or everything]
    if not kinds:
        kinds = list(ALL_KINDS)
    job, created = request_sync_all(kinds)
    state = "queued" if created else "already queued"
    click.echo(f"Sync of {', '.join(kinds)} {state} as job {job.id}.")


@canvas_cli.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def status(as_json):
    """Print, per kind, how many records are in each state, and each failure."""
    summary = sync_summary()
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    for key in ("students", "staff", "sections", "enrollments"):
        counts = summary[key]
        click.echo(
            f"{key:<12} synced {counts['synced']:>5}  pending {counts['pending']:>5}"
            f"  error {counts['error']:>5}  off {counts['off']:>5}"
        )
    if summary["errors"]:
        click.echo("\nErrors:")
    for error in summary["errors"]:
        click.echo(f"  {error['kind']} {error['id']}: {error['message']}")


@canvas_cli.command("use-simulator")
@click.option("--url", required=True, help="The local simulator's address.")
@click.option("--token", required=True, help="The token the simulator accepts.")
def use_simulator(url, token):
    """Point Homeroom at the Canvas simulator unless a real Canvas is set up.

    Prints `simulator` when the simulator is now the configured Canvas, or
    `canvas` when another Canvas is configured and was left alone, so that
    `make run` starts the simulator only when it is the one in use.
    """
    settings = CanvasSettings.get_or_create()
    url = url.strip().rstrip("/")
    if settings.is_configured and settings.url != url:
        click.echo("canvas")
        return
    if not settings.is_configured:
        # A demo shows the integration: the demo sections become Canvas courses.
        settings.new_sections_virtual = settings.new_sections_sync = True
    settings.url, settings.token, settings.account_id = url, token, 1
    db.session.commit()
    logger.info("canvas settings pointed at the local simulator")
    click.echo("simulator")
