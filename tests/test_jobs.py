"""The queue plumbing: unique job ids, progress, and the worker's app context."""

from jobs.enqueue import enqueue_once, find_job, job_progress
from jobs.progress import report_progress
from models import Student, db


def count_students():
    """A job that reads the database, so it needs an app context."""
    report_progress(1, 1, "counted")
    return db.session.scalar(db.select(db.func.count(Student.id)))


def test_enqueue_once_joins_a_waiting_job(app):
    first, created = enqueue_once(count_students, job_id="test:count")
    second, created_again = enqueue_once(count_students, job_id="test:count")
    assert created and not created_again
    assert first.id == second.id == "test-count"


def test_worker_runs_job_in_app_context(app, make, run_jobs):
    make.student()
    make.student()
    job, _ = enqueue_once(count_students, job_id="test:count")
    run_jobs()
    progress = job_progress(find_job(job.id))
    assert progress["status"] == "finished"
    assert progress["result"] == 2
    assert progress["message"] == "counted"


def test_finished_job_can_be_enqueued_again(app, run_jobs):
    enqueue_once(count_students, job_id="test:count")
    run_jobs()
    job, created = enqueue_once(count_students, job_id="test:count")
    assert created
    assert job.get_status() == "queued"


def test_job_progress_of_missing_job():
    assert job_progress(None)["status"] == "missing"
