"""Benchmark: import a 2,000-student OneRoster set, then time the busiest pages.

Run on demand, never in the test suite:

    .venv/bin/python bench/pages.py [--requests 50]

Imports into a fresh SQLite database, and into a throwaway PostgreSQL
database when one answers on 127.0.0.1:5432; then, signed in as an admin
through the Flask test client, times each page and counts its SQL queries and
bytes. Last, the gzipped size of every stylesheet and script under static/.
"""

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event  # noqa: E402

from app import create_app  # noqa: E402
from config import TestConfig  # noqa: E402
from models import Enrollment, School, Section, Student, User, db  # noqa: E402
from models.oneroster import run_import  # noqa: E402
from models.oneroster.generate import RosterShape, generate_roster  # noqa: E402
from tests import services  # noqa: E402

SHAPE = RosterShape(
    students=2000,
    teachers=115,
    administrators=5,
    sections=400,
    classes_per_term=3,
    prefix="bench",
    domain="bench.example.org",
    school_name="Benchmark High School",
)
TARGETS = {
    "import_s": 30.0,
    "queries": 10,
    "p50_ms": 50.0,
    "html_bytes": 60 * 1024,
    "static_gz_bytes": 30 * 1024,
}


def make_app(database_url, redis_url, **extra):
    """The app on one database, configured as the tests configure it."""
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config.update(
        SQLALCHEMY_DATABASE_URI=database_url,
        REDIS_URL=redis_url,
        LOG_LEVEL="ERROR",
        WTF_CSRF_ENABLED=False,
        **extra,
    )
    return create_app(config)


def time_import(app, files):
    """Migrate an empty database, import the set, commit; return seconds taken."""
    with app.app_context():
        upgrade(revision="heads")
        started = time.perf_counter()
        result = run_import(files, School.current())
        if not result.ok:
            raise SystemExit(f"the benchmark set does not import: {result.errors[:3]}")
        db.session.commit()
        elapsed = time.perf_counter() - started
        db.session.remove()
    return elapsed, result


class QueryCounter:
    """Counts the statements the engine sends while attached."""

    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, *args):
        self.count += 1


def measure(client, counter, url, requests):
    """Time a page over many requests: p50 and p95 ms, queries, bytes."""
    response = client.get(url)  # warm caches and templates first
    if response.status_code != 200:
        return {"status": response.status_code}
    times, cpu, queries = [], [], set()
    for _ in range(requests):
        counter.count = 0
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        queries.add(counter.count)
    times.sort()
    return {
        "status": response.status_code,
        "p50_ms": statistics.median(times),
        "p95_ms": times[int(len(times) * 0.95) - 1],
        # This process's CPU alone: steadier than wall time on a busy machine.
        "cpu_p50_ms": statistics.median(cpu),
        "queries": max(queries),
        "bytes": len(response.data),
    }


def sample_ids():
    """An admin, and the biggest and smallest student record and section roster."""
    per_student = (
        db.select(Enrollment.student_id, db.func.count(Enrollment.id).label("n"))
        .group_by(Enrollment.student_id)
        .order_by(db.text("n DESC"), Enrollment.student_id)
    )
    students = db.session.execute(per_student).all()
    per_section = (
        db.select(Enrollment.section_id, db.func.count(Enrollment.id).label("n"))
        .group_by(Enrollment.section_id)
        .order_by(db.text("n DESC"), Enrollment.section_id)
    )
    sections = db.session.execute(per_section).all()
    admin = db.session.scalar(
        db.select(User).where(User.role == "admin").order_by(User.id).limit(1)
    )
    return {
        "admin": admin.id,
        "student": (students[0][0], students[-1][0]),
        "section": (sections[0][0], sections[-1][0]),
        "counts": {
            "students": db.session.scalar(db.select(db.func.count(Student.id))),
            "sections": db.session.scalar(db.select(db.func.count(Section.id))),
        },
    }


def bench_pages(database_url, redis_url, requests):
    """Every page at two page sizes or two record sizes; returns rows to print."""
    rows = []
    for page_size in (25, 50, 100):
        app = make_app(database_url, redis_url, PAGE_SIZE=page_size)
        with app.app_context():
            ids = sample_ids()
            counter = QueryCounter(db.engine)
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = str(ids["admin"])
                session["_fresh"] = True
            pages = [("students grid", "/students"), ("staff grid", "/staff")]
            if page_size == 50:
                big, small = ids["student"]
                pages += [
                    ("student record", f"/students/{big}"),
                    ("student record (fewest classes)", f"/students/{small}"),
                ]
                big, small = ids["section"]
                pages += [
                    ("section roster", f"/sections/{big}"),
                    ("section roster (smallest)", f"/sections/{small}"),
                ]
            for name, url in pages:
                figures = measure(client, counter, url, requests)
                rows.append((f"{name} [page size {page_size}]", url, figures))
            db.session.remove()
            db.engine.dispose()
    return rows


def static_gzip_bytes():
    """Gzipped bytes of each CSS and JS file under static/, and their sum."""
    sizes = {}
    for path in sorted((ROOT / "static").rglob("*")):
        if path.suffix in (".css", ".js") and path.is_file():
            sizes[str(path.relative_to(ROOT))] = len(
                gzip.compress(path.read_bytes(), 9)
            )
    return sizes


def verdict(ok):
    return "ok" if ok else "MISSED"


def print_pages(rows):
    print(
        f"{'page':50} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8} {'queries':>8} "
        f"{'bytes':>8}"
    )
    for name, url, figures in rows:
        if figures.get("status") != 200:
            print(f"{name:50} {url} answered {figures.get('status')}")
            continue
        print(
            f"{name:50} {figures['p50_ms']:8.1f} {figures['p95_ms']:8.1f} "
            f"{figures['cpu_p50_ms']:8.1f} {figures['queries']:8d} "
            f"{figures['bytes']:8d}"
            f"  p50 {verdict(figures['p50_ms'] <= TARGETS['p50_ms'])},"
            f" queries {verdict(figures['queries'] <= TARGETS['queries'])},"
            f" html {verdict(figures['bytes'] <= TARGETS['html_bytes'])}"
        )


def print_constancy(rows):
    """Queries must not grow with the page size or the record's size."""
    by_page = {}
    for name, _, figures in rows:
        if figures.get("status") == 200:
            base = name.split(" [")[0].split(" (")[0]
            by_page.setdefault(base, set()).add(figures["queries"])
    for page, counts in by_page.items():
        constant = len(counts) == 1
        print(
            f"  {page}: queries {sorted(counts)} across sizes: "
            f"{'constant' if constant else 'NOT constant'}"
        )


def run_backend(name, database_url, redis_url, files, requests):
    app = make_app(database_url, redis_url)
    elapsed, result = time_import(app, files)
    created = result.counts["created"]
    print(
        f"\n{name}: import of {created['students']} students, {created['staff']} "
        f"staff, {created['sections']} sections, {created['enrollments']} "
        f"enrollments took {elapsed:.1f} s "
        f"({verdict(elapsed <= TARGETS['import_s'])}, target "
        f"{TARGETS['import_s']:.0f} s)"
    )
    with app.app_context():
        db.engine.dispose()
    rows = bench_pages(database_url, redis_url, requests)
    print_pages(rows)
    print_constancy(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--sqlite-only", action="store_true")
    options = parser.parse_args()

    started = time.perf_counter()
    files = generate_roster(SHAPE)
    print(f"generated the OneRoster set in {time.perf_counter() - started:.1f} s")

    with tempfile.TemporaryDirectory(prefix="homeroom-bench-") as folder:
        redis, redis_url = services.start_private_redis(folder)
        try:
            url = f"sqlite:///{folder}/bench.db"
            run_backend("SQLite", url, redis_url, files, options.requests)
            if not options.sqlite_only and services.postgres_available():
                name, url = services.create_postgres_database()
                try:
                    run_backend("PostgreSQL", url, redis_url, files, options.requests)
                finally:
                    services.drop_postgres_database(name)
            else:
                print("\nPostgreSQL: not measured (nothing answers on 127.0.0.1:5432)")
        finally:
            redis.terminate()
            redis.wait(timeout=10)

    sizes = static_gzip_bytes()
    total = sum(sizes.values())
    print("\nstatic files, gzipped:")
    for path, size in sizes.items():
        print(f"  {path:40} {size:7d}")
    print(
        f"  {'all CSS and JS':40} {total:7d} "
        f"({verdict(total <= TARGETS['static_gz_bytes'])}, target 30 KB)"
    )


if __name__ == "__main__":
    main()
