"""Progress reports, report cards and transcripts: printable pages and PDFs."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from blueprints.reports import formatting, routes  # noqa: E402,F401
