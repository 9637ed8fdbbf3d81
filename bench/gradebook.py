"""A Canvas grade pull and the Grades tab for a 35-student, 60-assignment section.

    .venv/bin/python bench/gradebook.py [--students 35] [--assignments 60]
                                         [--latency-ms 50] [--renders 30]

Starts the Canvas simulator, gives its course the assignments (with
generated submissions) and a fixed latency per request, then times
`jobs.gradebook_canvas.pull_grades` as the worker runs it: the first pull
(everything) and a second one (changes only). Then renders the Grades tab
through the app and prints its server time (p50, p90) and size.
Targets: a pull makes at most the pages of submissions plus 3 requests; the
Grades tab's p50 is within 80 ms and its HTML within 120 KB.
"""

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from jobs.gradebook_canvas import pull_grades  # noqa: E402
from models import (  # noqa: E402
    AssignmentType,
    CanvasSettings,
    Course,
    Enrollment,
    GradebookConfig,
    MarkingPeriod,
    School,
    Section,
    Staff,
    Student,
    SyncState,
    User,
    db,
)
from tests.querycount import count_queries  # noqa: E402
from tests.sim_server import start_simulator  # noqa: E402

TOKEN = "bench-token-0123456789abcdef"


def seed_homeroom(students):
    """A school, a synced section with its teacher and enrolled students."""
    school = School.current()
    year = MarkingPeriod(school_id=school.id, kind="year", title="2026-2027",
                         short_name="Y", start_date=date(2026, 8, 20),
                         end_date=date(2027, 6, 10))  # fmt: skip
    course = Course(school_id=school.id, code="BIO-1", title="Biology")
    teacher = Staff(school_id=school.id, local_id="T1", first_name="Tess",
                    last_name="Teacher", email="tess@bench.example")  # fmt: skip
    db.session.add_all([year, course, teacher])
    db.session.flush()
    section = Section(school_id=school.id, course_id=course.id, period="1",
                      marking_period_id=year.id, teacher_id=teacher.id,
                      canvas_sync=True, virtual_class=True)  # fmt: skip
    user = User(school_id=school.id, email="tess@bench.example", role="teacher",
                staff_id=teacher.id)  # fmt: skip
    db.session.add_all([section, user])
    db.session.flush()
    kids = []
    for n in range(students):
        kid = Student(school_id=school.id, local_id=f"S{n:04d}", grade_level="09",
                      first_name=f"Student{n:02d}", last_name=f"Bench{n:02d}",
                      email=f"s{n}@bench.example")  # fmt: skip
        db.session.add(kid)
        db.session.flush()
        db.session.add(Enrollment(school_id=school.id, student_id=kid.id,
                                  section_id=section.id,
                                  start_date=date(2026, 8, 20)))  # fmt: skip
        kids.append(kid)
    db.session.commit()
    return section, user, kids


def seed_canvas(sim, section, kids, assignments):
    """The section's Canvas course with `assignments` graded assignments."""
    created = sim.seed(
        users=[{"name": k.full_name, "login_id": k.email,
                "sis_user_id": k.external_id} for k in kids],
        courses=[{"name": "Biology", "sis_course_id": section.external_id,
                  "published": True, "autofill": True,
                  "sections": [{"name": "Biology",
                                "sis_section_id": section.external_id}],
                  "enrollments": [{"user": k.external_id} for k in kids]}],
    )  # fmt: skip
    course_id = created["courses"][0]
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {sim.token}"
    base = f"{sim.url}/api/v1/courses/{course_id}"
    have = len(http.get(f"{base}/assignments", params={"per_page": 100}).json())
    for n in range(assignments - have + 1):  # the autofill has one not counted
        due = datetime.now(UTC) - timedelta(days=60 - n)
        http.post(f"{base}/assignments", data={
            "assignment[name]": f"Worksheet {n + 1}",
            "assignment[points_possible]": str(10 + n % 4 * 5),
            "assignment[due_at]": due.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "assignment[submission_types][]": "online_upload",
            "assignment[published]": "true",
        }).raise_for_status()  # fmt: skip
    return course_id


def configure(sim, section, course_id):
    """Point Homeroom at the simulator; option 1, Canvas type at 100%."""
    settings = CanvasSettings.get_or_create()
    settings.url = sim.url
    settings.token = sim.token
    settings.account_id = 1
    state = SyncState.ensure("section", section.id, state="synced")
    state.canvas_id = course_id
    config = GradebookConfig.for_section(section)
    config.canvas_option = 1
    config.weighted = True
    config.lock()
    AssignmentType.canvas_for(section.id).weight = Decimal(100)
    db.session.commit()


def timed_pull(sim, section_id, label):
    """Run one pull as the worker would and print its requests and time."""
    sim.clear_requests()
    started = time.perf_counter()
    result = pull_grades(section_id)
    elapsed = time.perf_counter() - started
    db.session.remove()
    if "error" in result:
        raise SystemExit(f"pull failed: {result['error']}")
    print(
        f"{label}: {result['requests']} requests "
        f"(simulator saw {sim.requests_log()['total']}), {elapsed:.2f} s wall, "
        f"{result['changed']} scores changed, "
        f"{'everything' if result['full'] else 'changes only'}"
    )
    return result


def time_page(app, section, user, renders):
    """Render the Grades tab `renders` times; return timings (ms) and size."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    url = f"/sections/{section.id}/gradebook/grades/"
    client.get(url)  # warm the template cache
    with count_queries() as statements:
        client.get(url)
    print(f"Grades tab: {len(statements)} SQL queries a render")
    times, cpu, size = [], [], 0
    for _ in range(renders):
        started, cpu_started = time.perf_counter(), time.thread_time()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - cpu_started) * 1000)
        assert response.status_code == 200, response.status_code
        size = len(response.data)
    return times, cpu, size


def main():
    """Seed, pull twice, render, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=35)
    parser.add_argument("--assignments", type=int, default=60)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--renders", type=int, default=30)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="homeroom-bench-"))
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
        "REDIS_URL": "redis://unused", "SECRET_KEY": "bench", "LOG_LEVEL": "WARNING",
    })  # fmt: skip
    sim = start_simulator(token=TOKEN)
    try:
        with app.app_context():
            upgrade(revision="heads")
            section, user, kids = seed_homeroom(args.students)
            course_id = seed_canvas(sim, section, kids, args.assignments)
            configure(sim, section, course_id)
            section_id, user_id = section.id, user.id
            sim.set_latency(args.latency_ms)
            pages = math.ceil(args.students / 100)
            print(
                f"{args.students} students, {args.assignments} Canvas assignments, "
                f"{args.latency_ms:.0f} ms a request; target at most {pages + 3} "
                "requests a pull"
            )
            timed_pull(sim, section_id, "first pull")
            timed_pull(sim, section_id, "second pull")
            sim.set_latency(0)

            section = db.session.get(Section, section_id)
            user = db.session.get(User, user_id)
            times, cpu, size = time_page(app, section, user, args.renders)
            times.sort()
            p90 = times[int(len(times) * 0.9) - 1]
            print(
                f"Grades tab: p50 {statistics.median(times):.1f} ms, "
                f"p90 {p90:.1f} ms wall (CPU p50 {statistics.median(cpu):.1f} ms), "
                f"{size / 1024:.1f} KB HTML (targets 80 ms, 120 KB)"
            )
            print(f"load average while measuring: {os.getloadavg()[0]:.1f}")
    finally:
        sim.stop()


if __name__ == "__main__":
    main()
