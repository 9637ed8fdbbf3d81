"""Single sign-on: a one-time Canvas login URL for a Homeroom user."""

import logging

from rq import get_current_job

from jobs.canvas import CanvasClient, CanvasError, sis
from models import SyncState, User, db

logger = logging.getLogger(__name__)


def session_url(user_id, section_id=None):
    """Ask Canvas for a session URL logging the user in, landing on the course.

    Returns {"opened": True} or {"error": ...}. The URL itself goes in the
    job's meta, never its result: RQ logs results, and this URL signs a
    person in. The page that asked reads it once and deletes the job.
    """
    person = _person_of(db.session.get(User, user_id))
    state = SyncState.lookup(person[0], person[1].id) if person else None
    # The Canvas user exists once its id is known, whatever a pending sync does.
    if state is None or not state.canvas_id:
        return {"error": "Your account is not in Canvas yet."}
    record = person[1]
    try:
        with CanvasClient.from_settings(retries=2) as client:
            return_to = client.base_url + "/"
            if section_id is not None:
                course_id = SyncState.course_id_for(section_id)
                if course_id:
                    return_to = f"{client.base_url}/courses/{course_id}"
            answer = client.get(
                "/login/session_token",
                {
                    "as_user_id": sis.param_id("sis_user_id", record.external_id),
                    "return_to": return_to,
                },
            )
    except CanvasError as exc:
        logger.warning("canvas session for user %s failed: %s", user_id, exc.message)
        return {"error": f"Canvas did not open a session: {exc.message}"}
    logger.info("canvas session opened for user %s", user_id)
    job = get_current_job()
    job.meta["session_url"] = answer["session_url"]
    job.save_meta()
    return {"opened": True}


def _person_of(user):
    """(kind, record) of the student or staff member a sign-in account is."""
    if user is None:
        return None
    if user.student is not None:
        return "student", user.student
    if user.staff is not None:
        return "staff", user.staff
    return None
