"""Users admin: sign-in accounts, their roles, passwords and activation."""

from flask import Blueprint

bp = Blueprint("users", __name__)

from blueprints.users import routes  # noqa: E402,F401
