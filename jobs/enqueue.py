"""Putting work on the queue so that two clicks make one job."""

import logging
import re

from rq.exceptions import NoSuchJobError
from rq.job import Dependency, Job, JobStatus

from jobs.queue import get_queue, redis_connection

logger = logging.getLogger(__name__)

# A job in one of these states will still run, so a second request joins it.
_WAITING = {
    JobStatus.QUEUED,
    JobStatus.DEFERRED,
    JobStatus.SCHEDULED,
}
_RUNNING = {JobStatus.STARTED}


def rq_job_id(job_id):
    """Map our readable ids (`canvas:user:student:42`) to the ids RQ accepts.

    RQ 2 allows only letters, digits, dashes and underscores in a job id.
    """
    return re.sub(r"[^A-Za-z0-9_-]", "-", job_id)


def find_job(job_id):
    """Return the job with this (readable or RQ) id, or None when Redis has none."""
    try:
        return Job.fetch(rq_job_id(job_id), connection=redis_connection())
    except NoSuchJobError:
        return None


def enqueue_once(func, *args, job_id, description=None, timeout=600, **kwargs):
    """Enqueue func under a deterministic id unless that job is still waiting.

    Returns (job, created). A job already running is not joined: the data may
    have changed since it loaded its rows, so one follow-up run is queued
    behind it, and further clicks join that follow-up.
    """
    conn = redis_connection()
    lock = conn.lock(f"homeroom:enqueue-lock:{job_id}", timeout=10, blocking_timeout=5)
    with lock:
        existing = find_job(job_id)
        status = existing.get_status(refresh=True) if existing else None
        if status in _WAITING:
            return existing, False
        depends_on = None
        if status in _RUNNING:
            description = f"{description or job_id} (follow-up)"
            job_id = f"{job_id}:next"
            follow_up = find_job(job_id)
            if follow_up and follow_up.get_status(refresh=True) in _WAITING:
                return follow_up, False
            depends_on = Dependency(jobs=[existing], allow_failure=True)
        job = get_queue().enqueue(
            func,
            *args,
            job_id=rq_job_id(job_id),
            description=description or job_id,
            job_timeout=timeout,
            result_ttl=86400,
            failure_ttl=7 * 86400,
            depends_on=depends_on,
            **kwargs,
        )
    logger.debug("job %s enqueued", job.id)
    return job, True


def job_progress(job):
    """Return a job's progress as a dict for pages to poll."""
    if job is None:
        return {"status": "missing", "done": 0, "total": 0, "message": ""}
    job.refresh()
    meta = job.meta or {}
    return {
        "status": job.get_status(),
        "done": meta.get("done", 0),
        "total": meta.get("total", 0),
        "message": meta.get("message", ""),
        "result": job.return_value() if job.is_finished else None,
        "error": meta.get("error", ""),
    }
