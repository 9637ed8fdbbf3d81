"""Grading scales: the school's letters, their cut-offs and GPA points."""

from flask import Blueprint

bp = Blueprint("scales", __name__)

from blueprints.scales import routes  # noqa: E402,F401
