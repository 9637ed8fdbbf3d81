"""Open in Canvas: a one-time Canvas session for a student or teacher."""

import logging

from flask import abort, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.access import role_required
from blueprints.lms import bp
from blueprints.rendering import wants_partial
from jobs.enqueue import enqueue_once, find_job
from models import Enrollment, Section, SyncState, db

logger = logging.getLogger(__name__)

sso_required = role_required("student", "teacher")


def _job_id(user, target):
    """The SSO job of one user for one destination (0: the Canvas dashboard)."""
    return f"canvas:sso:{user.id}:{target}"


def _person_state(user):
    """The sync state of the signed-in user's student or staff record."""
    if user.student_id:
        return SyncState.lookup("student", user.student_id)
    if user.staff_id:
        return SyncState.lookup("staff", user.staff_id)
    return None


def _may_open(user, section):
    """Teachers open their sections; students the ones they are in now."""
    if user.role == "teacher":
        return section.is_taught_by(user.staff_id)
    hit = db.session.scalar(
        db.select(Enrollment.id).where(
            Enrollment.section_id == section.id,
            Enrollment.student_id == user.student_id,
            Enrollment.status == "active",
        )
    )
    return hit is not None


def _problem(user, section):
    """Why Canvas cannot be opened for this user, or None."""
    person = _person_state(user)
    # A known Canvas user can sign in even while a sync of her is pending.
    if person is None or not person.canvas_id:
        return (
            "Your account is not in Canvas yet, so Homeroom cannot sign you in "
            "there. Ask the school office to sync it."
        )
    if section is not None and SyncState.course_id_for(section.id) is None:
        return f"{section.name} is not in Canvas."
    return None


@bp.post("/lms/open")
@sso_required
def open_canvas():
    """Ask Canvas (in a job) for a session, then wait for it on the next page."""
    section_id = request.form.get("section_id", type=int) or 0
    section = db.get_or_404(Section, section_id) if section_id else None
    if section is not None and not _may_open(current_user, section):
        abort(403)
    problem = _problem(current_user, section)
    if problem:
        return render_template("lms/open.html", problem=problem), 409

    enqueue_once(
        "jobs.sso.session_url",
        current_user.id,
        section_id or None,
        job_id=_job_id(current_user, section_id),
        timeout=60,
    )
    logger.info("canvas session requested by user %s", current_user.id)
    return redirect(url_for("lms.opening", target=section_id), 303)


@bp.get("/lms/open/<int:target>")
@sso_required
def opening(target):
    """Wait for the session URL, then send the browser to Canvas with it."""
    job = find_job(_job_id(current_user, target))
    if job is None:
        return render_template("lms/open.html", problem=_GONE), 404
    status = job.get_status(refresh=True)
    if status not in ("finished", "failed"):
        return render_template("lms/open.html", waiting=True)

    answer = job.return_value() if status == "finished" else None
    url = (job.meta or {}).get("session_url") if answer else None
    job.delete()
    if not url:
        problem = (answer or {}).get("error") or _UNREACHABLE
        return render_template("lms/open.html", problem=problem), 502
    if wants_partial():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, 303)


_GONE = "Nothing is being opened in Canvas now. Press Open in Canvas again."
_UNREACHABLE = "Canvas could not be reached. Try again in a minute."
