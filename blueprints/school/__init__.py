"""The school's details and its calendar of marking periods."""

from flask import Blueprint

bp = Blueprint("school", __name__)

from blueprints.school import routes  # noqa: E402,F401
