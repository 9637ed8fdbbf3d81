"""Users admin views: list, create, reset password, (de)activate."""

import logging

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.access import admin_required
from blueprints.rendering import page_or_partial, wants_partial
from blueprints.students.grid import GridArgs, paginate
from blueprints.users import bp
from blueprints.users.forms import PasswordForm, UserForm
from blueprints.users.queries import FILTERS, SORTS, unlinked_people, user_grid
from models import User, db

logger = logging.getLogger(__name__)


@bp.get("/users")
@admin_required
def index():
    """List accounts, searched, filtered, sorted and paged."""
    args = GridArgs.from_request(SORTS, "email", FILTERS)
    page = paginate(user_grid(args), args)
    return page_or_partial(
        "users/index.html",
        "users/_results.html",
        results=page,
        args=args,
        filter_values=FILTERS,
    )


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def create():
    """Show the new-account form and create the account."""
    form = UserForm(school_id=current_user.school_id)
    if not form.validate_on_submit():
        status = 422 if form.errors else 200
        people = unlinked_people()
        return render_template("users/new.html", form=form, people=people), status

    user = User(school_id=current_user.school_id)
    form.fill(user)
    db.session.add(user)
    db.session.commit()
    logger.info("user %s created by user %s", user.id, current_user.id)

    flash(f"Account {user.email} was created.", "success")
    return redirect(url_for("users.record", user_id=user.id), 303)


@bp.get("/users/<int:user_id>")
@admin_required
def record(user_id):
    """Show an account with its password and activation controls."""
    user = db.get_or_404(User, user_id)
    return render_template("users/record.html", user=user, form=PasswordForm())


@bp.post("/users/<int:user_id>/password")
@admin_required
def reset_password(user_id):
    """Set a new password chosen by the admin."""
    user = db.get_or_404(User, user_id)
    form = PasswordForm()
    if not form.validate_on_submit():
        return render_template("users/record.html", user=user, form=form), 422

    user.set_password(form.password.data)
    db.session.commit()
    logger.info("user %s password reset by user %s", user.id, current_user.id)

    flash(f"The password of {user.email} was changed.", "success")
    return redirect(url_for("users.record", user_id=user.id), 303)


@bp.post("/users/<int:user_id>/deactivate")
@admin_required
def deactivate(user_id):
    """Stop an account from signing in; an admin cannot lock herself out."""
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        flash("You cannot deactivate your own account.", "error")
        return redirect(url_for("users.record", user_id=user.id), 303)

    user.active = False
    db.session.commit()
    logger.info("user %s deactivated by user %s", user.id, current_user.id)
    return _after_toggle(user, "deactivated")


@bp.post("/users/<int:user_id>/reactivate")
@admin_required
def reactivate(user_id):
    """Let a deactivated account sign in again."""
    user = db.get_or_404(User, user_id)
    user.active = True
    db.session.commit()
    logger.info("user %s reactivated by user %s", user.id, current_user.id)
    return _after_toggle(user, "reactivated")


def _after_toggle(user, done):
    """The account's grid row for htmx; otherwise back where the form was."""
    if wants_partial():
        return render_template("users/_row.html", user=user)
    flash(f"{user.email} was {done}.", "success")
    back = request.form.get("next", "")
    if not back.startswith("/users"):
        back = url_for("users.record", user_id=user.id)
    return redirect(back, 303)
