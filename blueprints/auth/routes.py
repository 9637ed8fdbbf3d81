"""Sign-in and sign-out views."""

import logging
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from blueprints.auth import bp
from blueprints.auth.forms import LoginForm
from models import User

logger = logging.getLogger(__name__)


def _safe_next(target):
    """Only follow a ?next= that stays on this site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form and sign the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = User.by_email(form.email.data)
        if user is None or not user.check_password(form.password.data):
            form.password.errors.append("That email and password do not match.")
        elif not user.active:
            form.email.errors.append("This account is deactivated; ask an admin.")
        else:
            login_user(user)
            logger.info("user %s signed in", user.id)
            return redirect(
                _safe_next(request.args.get("next")) or url_for("home.index")
            )
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign the user out."""
    logger.info("user %s signed out", current_user.id)
    logout_user()
    flash("You are signed out.")
    return redirect(url_for("auth.login"))
