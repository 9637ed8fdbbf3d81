"""Staff grid and record views."""

import logging
from functools import wraps

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from blueprints.access import admin_required, can_see_section
from blueprints.lms.hooks import sync_person_on_save
from blueprints.rendering import page_or_partial
from blueprints.staff import bp
from blueprints.staff.forms import StaffForm
from blueprints.staff.queries import FILTERS, SORTS, sections_taught, staff_grid
from blueprints.students.grid import GridArgs, paginate
from blueprints.students.people import account_of
from models import Staff, db

logger = logging.getLogger(__name__)


def own_or_admin_required(view):
    """Open a staff record to admins, and to the staff member herself."""

    @wraps(view)
    @login_required
    def wrapped(staff_id, **kwargs):
        if current_user.role != "admin" and current_user.staff_id != staff_id:
            abort(403)
        return view(staff_id, **kwargs)

    return wrapped


@bp.get("/staff")
@admin_required
def index():
    """List staff, searched, filtered, sorted and paged."""
    args = GridArgs.from_request(SORTS, "name", FILTERS)
    page = paginate(staff_grid(args), args)
    return page_or_partial(
        "staff/index.html",
        "staff/_results.html",
        results=page,
        args=args,
        filter_values=FILTERS,
    )


@bp.route("/staff/new", methods=["GET", "POST"])
@admin_required
def create():
    """Show the new-staff form and add the staff member."""
    form = StaffForm(school_id=current_user.school_id)
    if not form.validate_on_submit():
        status = 422 if form.errors else 200
        return render_template("staff/new.html", form=form), status

    member = Staff(school_id=current_user.school_id)
    form.fill(member)
    db.session.add(member)
    sync_person_on_save("staff", member)
    db.session.commit()
    logger.info("staff %s created by user %s", member.id, current_user.id)

    flash(f"{member.full_name} was added.", "success")
    return redirect(url_for("staff.record", staff_id=member.id), 303)


@bp.get("/staff/<int:staff_id>")
@own_or_admin_required
def record(staff_id):
    """Show a staff member's facts and sections; admins get the edit form."""
    member = db.get_or_404(Staff, staff_id)
    form = None
    if current_user.role == "admin":
        form = StaffForm(school_id=member.school_id, person=member)
    return _record_page(member, form)


@bp.post("/staff/<int:staff_id>")
@admin_required
def update(staff_id):
    """Save the staff form."""
    member = db.get_or_404(Staff, staff_id)
    form = StaffForm(school_id=member.school_id, person=member)
    if not form.validate_on_submit():
        return _record_page(member, form), 422

    form.fill(member)
    sync_person_on_save("staff", member)
    db.session.commit()
    logger.info("staff %s updated by user %s", member.id, current_user.id)

    flash("Saved.", "success")
    return redirect(url_for("staff.record", staff_id=member.id), 303)


def _record_page(member, form):
    """The staff record page; sections the viewer may open are links."""
    sections = sections_taught(member.id)
    may_open = {s.id for s, _ in sections if can_see_section(current_user, s)}
    return render_template(
        "staff/record.html",
        member=member,
        account=account_of(member),
        sections=sections,
        may_open=may_open,
        form=form,
    )
