"""Fixtures for the Canvas sync tests: a simulator on a real port, and settings.

Test modules import the fixtures they use from here.
"""

import logging

import pytest

from models import CanvasSettings, db
from tests.sim_server import start_simulator

TOKEN = "sim-token-5ec7e7-abcdef0123456789"


@pytest.fixture(scope="session")
def simulator():
    """One Canvas simulator for the run, on a free 127.0.0.1 port."""
    server = start_simulator(token=TOKEN)
    yield server
    server.stop()


@pytest.fixture()
def canvas(app, simulator):
    """The simulator, emptied, with Homeroom's LMS settings pointing at it.

    Retries back off for milliseconds rather than seconds, so fault tests stay
    quick; the retry logic itself is the same.
    """
    simulator.reset()
    app.config.update(CANVAS_BACKOFF=0.01, CANVAS_TIMEOUT=(2.0, 5.0))
    settings = CanvasSettings.get_or_create()
    settings.url = simulator.url
    settings.token = simulator.token
    settings.account_id = 1
    db.session.commit()
    return simulator


@pytest.fixture()
def logs(caplog):
    """caplog at DEBUG with Homeroom's loggers switched back on.

    Alembic's fileConfig (run when a test database is migrated) disables
    the loggers that exist at that moment, so later tests would see none.
    """
    for name, logger in logging.root.manager.loggerDict.items():
        if isinstance(logger, logging.Logger) and name.startswith(
            ("jobs", "blueprints")
        ):
            logger.disabled = False
    caplog.set_level(logging.DEBUG)
    for name in ("jobs", "blueprints", "models"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog
