"""Students: the grid, the record with its tabs, create and edit."""

from flask import Blueprint

bp = Blueprint("students", __name__)

from blueprints.students import routes  # noqa: E402,F401
