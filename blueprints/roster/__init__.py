"""Importing rosters: OneRoster 1.1 CSV sets from an admin page or the CLI."""

from flask import Blueprint

bp = Blueprint("roster", __name__, url_prefix="/roster")

from blueprints.roster import routes  # noqa: E402,F401
