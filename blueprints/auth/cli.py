"""`flask users ...`: accounts from the command line."""

import logging

import click
from email_validator import EmailNotValidError, validate_email

from models import School, User, db

logger = logging.getLogger(__name__)


@click.group("users")
def users_cli():
    """Manage sign-in accounts."""


@users_cli.command("create-admin")
@click.option("--email", required=True, help="The admin's sign-in email.")
@click.option("--password", required=True, help="At least 8 characters.")
def create_admin(email, password):
    """Create an admin account, or reset the password of an existing admin."""
    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise click.BadParameter(str(error), param_hint="--email") from None
    if len(password) < 8:
        raise click.BadParameter(
            "must be at least 8 characters", param_hint="--password"
        )

    user = User.by_email(email)
    if user is not None and user.role != "admin":
        raise click.ClickException(
            f"{email} already belongs to a {user.role} account; choose another email."
        )
    if user is None:
        user = User(email=email, role="admin", school_id=School.current().id)
        db.session.add(user)
    user.set_password(password)
    user.active = True
    db.session.commit()
    logger.info("admin %s created or reset from the CLI", user.id)
    click.echo(f"Admin {email} is ready.")
