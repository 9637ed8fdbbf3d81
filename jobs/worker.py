"""An RQ worker that runs each job inside a fresh application context."""

import logging

from rq import SimpleWorker

from jobs.queue import get_queue, redis_connection

logger = logging.getLogger(__name__)


class AppWorker(SimpleWorker):
    """Run jobs in this process, each with its own app context and session.

    SimpleWorker avoids a fork per job: a fork would share the database
    connection pool with the parent, and forking costs more than our jobs.
    """

    flask_app = None

    def perform_job(self, job, queue):
        """Run one job with an app context pushed and the session cleaned up."""
        from models import db

        with self.flask_app.app_context():
            try:
                return super().perform_job(job, queue)
            finally:
                db.session.remove()


def make_worker(app):
    """Build a worker bound to the app's queue and Redis."""
    worker = AppWorker([get_queue(app)], connection=redis_connection(app))
    worker.flask_app = app
    return worker
