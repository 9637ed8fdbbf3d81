"""Push the demo school to a Canvas simulator and report what it cost.

    .venv/bin/python bench/roster_sync.py [--latency-ms 50] [--per-record]
        [--database sqlite|URL]

Builds a fresh database with the demo school (its sections set to sync, as
the LMS defaults for imported sections say), starts the Canvas simulator with
a fixed latency added to every request, runs "Sync all" through the real RQ
worker (one SIS import, or REST calls record by record with --per-record),
and prints: requests per kind, requests per record, wall time, and
Homeroom's own time per record (wall time less the injected latency). Then it
runs "Sync all" again with nothing changed and prints the requests made.
"""

import argparse
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from config import TestConfig  # noqa: E402
from jobs.sync_queue import request_sync_all  # noqa: E402
from jobs.worker import make_worker  # noqa: E402
from models import (  # noqa: E402
    CanvasSettings,
    Enrollment,
    School,
    Section,
    Staff,
    Student,
    SyncState,
    db,
)
from models.oneroster.demo import seed_demo  # noqa: E402
from tests import services  # noqa: E402
from tests.sim_server import start_simulator  # noqa: E402

KINDS = {
    "users": "users",
    "logins": "users",
    "terms": "terms",
    "courses": "courses",
    "sections": "sections",
    "enrollments": "enrollments",
    "sis_imports": "sis imports",
}


def kind_of(pattern):
    """The kind of record a request pattern (`POST /api/v1/...`) is about."""
    parts = pattern.split()[1].split("/")
    for part in reversed(parts):
        if part in KINDS:
            return KINDS[part]
    return "other"


def build_app(folder, redis_url, database, per_record=False):
    """A Homeroom app on a fresh database, migrated."""
    url = database if database != "sqlite" else f"sqlite:///{folder / 'bench.db'}"
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    config.update(
        SQLALCHEMY_DATABASE_URI=url,
        REDIS_URL=redis_url,
        LOG_LEVEL="WARNING",
        HOMEROOM_ENV="bench",
        CANVAS_SIS_IMPORT=not per_record,
    )
    app = create_app(config)
    with app.app_context():
        upgrade(revision="heads")
    return app


def seed(app, sim):
    """Point Homeroom at the simulator and import the demo school."""
    settings = CanvasSettings.get_or_create()
    settings.url = sim.url
    settings.token = sim.token
    settings.new_sections_virtual = True
    settings.new_sections_sync = True
    db.session.commit()
    result, _logins = seed_demo(School.current(), date.today())
    if not result.ok:
        raise SystemExit("the demo school did not import")
    db.session.commit()


def record_counts():
    """How many records of each kind a full sync covers."""
    count = db.func.count
    syncing = db.select(Section.id).where(Section.canvas_sync.is_(True))
    return {
        "students": db.session.scalar(db.select(count(Student.id))),
        "staff": db.session.scalar(db.select(count(Staff.id))),
        "sections": db.session.scalar(
            db.select(count(Section.id)).where(Section.canvas_sync.is_(True))
        ),
        "enrollments": db.session.scalar(
            db.select(count(Enrollment.id)).where(Enrollment.section_id.in_(syncing))
        ),
        "terms": db.session.scalar(
            db.select(count(db.distinct(Section.marking_period_id))).where(
                Section.canvas_sync.is_(True)
            )
        ),
    }


def run_sync(app):
    """Queue "Sync all" and drain the queue with the real worker; seconds."""
    started = time.perf_counter()
    request_sync_all()
    make_worker(app).work(burst=True, with_scheduler=False)
    return time.perf_counter() - started


def report(title, sim, wall, latency_ms, records):
    """Print one run's figures."""
    log = sim.requests_log()
    counts = log["counts"]
    total = log["total"]
    writes = sum(n for key, n in counts.items() if not key.startswith("GET "))
    by_kind = Counter()
    for pattern, n in counts.items():
        by_kind[kind_of(pattern)] += n
    sim_ms = sum(entry["ms"] for entry in log["requests"])
    print(f"\n{title}")
    print(f"  wall time            {wall:8.2f} s")
    print(f"  Canvas requests      {total:8d}  (writes {writes})")
    for kind, n in sorted(by_kind.items()):
        print(f"    {kind:<18} {n:8d}")
    for pattern, n in sorted(counts.items()):
        print(f"      {pattern:<52} {n:6d}")
    if records:
        own = wall - total * latency_ms / 1000
        own_net = wall - sim_ms / 1000
        print(f"  records              {records:8d}")
        print(f"  requests per record  {total / records:8.3f}")
        print(
            f"  own ms per record    {own * 1000 / records:8.2f}  (wall less latency)"
        )
        print(
            f"  own ms per record    {own_net * 1000 / records:8.2f}"
            "  (wall less the simulator's whole answer time)"
        )
    return total, writes


def main():
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--database", default="sqlite")
    parser.add_argument(
        "--per-record",
        action="store_true",
        help="sync through the REST API record by record, not a SIS import",
    )
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="homeroom-bench-"))
    redis, redis_url = services.start_private_redis(folder)
    sim = start_simulator(token="bench-token-0123456789abcdef")
    try:
        app = build_app(folder, redis_url, args.database, args.per_record)
        with app.app_context():
            seed(app, sim)
            counts = record_counts()
            records = sum(counts.values())
            print("demo school:", ", ".join(f"{n} {k}" for k, n in counts.items()))
            sim.set_latency(args.latency_ms)
            sim.clear_requests()

            wall = run_sync(app)
            report("First run", sim, wall, args.latency_ms, records)
            states = Counter(
                state for (state,) in db.session.execute(db.select(SyncState.state))
            )
            print(f"  states after         {dict(states)}")

            sim.clear_requests()
            wall = run_sync(app)
            _total, writes = report(
                "Second run, nothing changed", sim, wall, args.latency_ms, records
            )
            print(f"  writes               {writes:8d}")
    finally:
        sim.stop()
        redis.terminate()
        redis.wait(timeout=10)


if __name__ == "__main__":
    main()
