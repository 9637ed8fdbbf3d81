"""LMS: Canvas settings, connection test, sync activity, resync and SSO."""

from flask import Blueprint

bp = Blueprint("lms", __name__)

from blueprints.lms import routes, sso  # noqa: E402,F401
