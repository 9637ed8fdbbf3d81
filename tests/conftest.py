"""Fixtures: the app on each database backend, a private Redis, a real worker.

Every test that uses `app` runs once on SQLite and, when PostgreSQL answers on
127.0.0.1:5432, again on PostgreSQL. Each run gets its own PostgreSQL
database and its own Redis server, so parallel runs never meet.
"""

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from itsdangerous import URLSafeTimedSerializer
from werkzeug.serving import make_server

from app import create_app
from config import TestConfig
from jobs.worker import make_worker
from models import db
from tests import factories, services

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"

# The Canvas simulator fixtures (`simulator`, `canvas`) for the sync tests.
pytest_plugins = ["tests.canvas_helpers"]


def _backends():
    backends = ["sqlite"]
    if services.postgres_available():
        backends.append("postgresql")
    return backends


BACKENDS = _backends()


def pytest_report_header(config):
    """Say which databases the run covers."""
    return f"homeroom database backends: {', '.join(BACKENDS)}"


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A migrated, empty database for the run: SQLite file or PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "test.db"
        url, name = f"sqlite:///{path}", None
    else:
        name, url = services.create_postgres_database()
    app = create_app(_config(url, "redis://unused"))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield url
    if name:
        services.drop_postgres_database(name)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A Redis server that only this test run uses."""
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
        return
    process, url = services.start_private_redis(tmp_path_factory.mktemp("redis"))
    yield url
    process.terminate()
    process.wait(timeout=10)


def _config(database_url, redis_url, **extra):
    values = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    values.update(SQLALCHEMY_DATABASE_URI=database_url, REDIS_URL=redis_url)
    values.update(extra)
    return values


class Client(FlaskClient):
    """A test client that knows how to send a valid CSRF token."""

    def open(self, *args, **kwargs):
        """Serve each request in an app context of its own, as a server does.

        Without this the request would reuse the test's context: its `g`
        (and so the signed-in user) and its database session would leak
        from one request to the next.
        """
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def csrf_token(self):
        """Return a token the app accepts for this client's session."""
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", os.urandom(20).hex())
        serializer = URLSafeTimedSerializer(
            self.application.secret_key, salt="wtf-csrf-token"
        )
        return serializer.dumps(raw)

    def post_form(self, url, data=None, **kwargs):
        """POST a form with its CSRF token, as a browser would."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)

    def htmx(self, method, url, data=None, **kwargs):
        """Send a request as htmx does: HX-Request and the CSRF header."""
        headers = {"HX-Request": "true", "X-CSRFToken": self.csrf_token()}
        headers.update(kwargs.pop("headers", {}))
        return self.open(url, method=method, data=data, headers=headers, **kwargs)


def _empty_database():
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture()
def app(database_url, redis_url):
    """The application on one backend, emptied after each test."""
    application = create_app(_config(database_url, redis_url))
    application.test_client_class = Client
    with application.app_context():
        yield application
        db.session.rollback()
        _empty_database()
        from jobs.queue import redis_connection

        redis_connection(application).flushdb()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture()
def client(app):
    """A browser-like client with CSRF help."""
    return app.test_client()


@pytest.fixture()
def runner(app):
    """Runs the app's CLI commands."""
    return app.test_cli_runner()


@pytest.fixture()
def make():
    """The record factories (tests.factories) under one short name."""
    return factories


@pytest.fixture()
def login(client):
    """Sign a user in on the test client: login(user) or login("teacher")."""

    def sign_in(user_or_role="admin", on=None):
        user = user_or_role
        if isinstance(user_or_role, str):
            user = factories.user(user_or_role)
        with (on or client).session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
        return user

    return sign_in


@pytest.fixture()
def run_jobs(app):
    """Run every queued job now, in a real RQ worker, until the queue is empty."""

    def drain():
        worker = make_worker(app)
        worker.work(burst=True, with_scheduler=False)
        db.session.expire_all()
        return worker

    return drain


def _child_env(app):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        REDIS_URL=app.config["REDIS_URL"],
        SECRET_KEY=app.config["SECRET_KEY"],
        FLASK_APP="app",
        LOG_LEVEL="WARNING",
    )
    return env


@pytest.fixture()
def live_worker(app):
    """A worker process (`flask worker`) running beside the test."""
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "worker"],
        cwd=ROOT,
        env=_child_env(app),
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture()
def live_server(app):
    """The app served over real HTTP on a free port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; never a downloaded browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    """A fresh browser tab at a Chromebook's 1366x768."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield tab
    context.close()


def screenshot(tab, name):
    """Save a screenshot under test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=False)
    return path


def browser_login(tab, base_url, email, password=factories.PASSWORD):
    """Sign in through the real form."""
    tab.goto(f"{base_url}/login")
    tab.fill("input[name=email]", email)
    tab.fill("input[name=password]", password)
    tab.click("button[type=submit]")
    tab.wait_for_url(re.compile(rf"{re.escape(base_url)}/(\?.*)?$"))


def wait_until(check, timeout=20.0, interval=0.1):
    """Poll check() until it returns truthy; fail the test at the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")
