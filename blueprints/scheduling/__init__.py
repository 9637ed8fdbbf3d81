"""Putting students in sections and taking them out, with history kept."""

from flask import Blueprint

bp = Blueprint("scheduling", __name__, url_prefix="/scheduling")

from blueprints.scheduling import routes  # noqa: E402,F401
