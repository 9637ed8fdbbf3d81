"""A section's gradebook: configuration, assignment types, assignments, grades."""

from flask import Blueprint

bp = Blueprint("gradebook", __name__, url_prefix="/sections/<int:section_id>/gradebook")

from blueprints.gradebook import routes  # noqa: E402,F401
