"""Input Final Grades, period weights, the completion report and finalizing."""

from flask import Blueprint

bp = Blueprint("grades", __name__)

from blueprints.grades import routes  # noqa: E402,F401
