"""Progress reporting from inside a running job."""

from rq import get_current_job


def report_progress(done, total, message=""):
    """Record progress in the current job's meta, for pages to poll."""
    job = get_current_job()
    if job is None:
        return
    job.meta.update({"done": done, "total": total, "message": message})
    job.save_meta()
