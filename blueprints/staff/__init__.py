"""Staff: the grid, the record with the sections taught, create and edit."""

from flask import Blueprint

bp = Blueprint("staff", __name__)

from blueprints.staff import routes  # noqa: E402,F401
