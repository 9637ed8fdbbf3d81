"""Students and staff become Canvas users, through the queue and a real worker."""

from jobs.sync_queue import request_sync
from models import SyncState, db


def _sync(kind, record_id):
    request_sync(kind, record_id, enabled=True)
    db.session.commit()


def test_new_student_syncs_to_canvas(app, make, canvas, run_jobs):
    student = make.student(email="ann.lee@example.org")
    _sync("student", student.id)
    assert SyncState.lookup("student", student.id).state == "pending"

    run_jobs()

    state = SyncState.lookup("student", student.id)
    assert state.state == "synced", state.last_error
    logins = canvas.users(sis_user_id=student.external_id)
    assert len(logins) == 1
    assert logins[0]["unique_id"] == "ann.lee@example.org"
    assert logins[0]["user_id"] == state.canvas_id
