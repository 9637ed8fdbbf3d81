"""How many simple GETs a second the Canvas simulator answers.

    .venv/bin/python bench/sim_speed.py [--seconds 5] [--threads 4]

Starts the simulator as a subprocess, then fires GETs of a user, a course and
an account over keep-alive `requests` sessions (one per thread) for a fixed
time, and prints requests/second, p50/p95 latency and the server's CPU time
per request (its capacity per core, which other load on the machine does not
change).
"""

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import psutil
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.sim_server import start_simulator  # noqa: E402


def worker(url, token, paths, stop_at, latencies):
    """Fire GETs round-robin until `stop_at`, recording each latency."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    n = 0
    while time.perf_counter() < stop_at:
        started = time.perf_counter()
        response = session.get(url + paths[n % len(paths)])
        latencies.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"unexpected {response.status_code}: {response.text}")
        n += 1
    session.close()


def main():
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    sim = start_simulator(token="bench-token")
    try:
        sim.set_throttle(enabled=False)
        sim.seed(
            users=[
                {"name": "Bench User", "login_id": "bench@x.org", "sis_user_id": "B1"}
            ],
            courses=[{"name": "Bench Course", "sis_course_id": "BC1"}],
        )
        paths = [
            "/api/v1/users/sis_user_id:B1",
            "/api/v1/courses/sis_course_id:BC1",
            "/api/v1/accounts/1",
        ]
        latencies = []
        stop_at = time.perf_counter() + args.seconds
        threads = [
            threading.Thread(
                target=worker, args=(sim.url, sim.token, paths, stop_at, latencies)
            )
            for _ in range(args.threads)
        ]
        server = psutil.Process(sim.process.pid)
        cpu_before = sum(server.cpu_times()[:2])
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        server_cpu = sum(server.cpu_times()[:2]) - cpu_before
    finally:
        sim.stop()

    latencies.sort()
    # Other work on the machine shares its cores with server and client alike.
    print(f"load avg:  {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} CPUs")
    p95 = latencies[int(len(latencies) * 0.95)]
    print(f"requests:  {len(latencies)} in {elapsed:.1f}s over {args.threads} threads")
    print(f"rate:      {len(latencies) / elapsed:.0f} req/s")
    print(
        f"latency:   p50 {statistics.median(latencies) * 1000:.2f} ms, "
        f"p95 {p95 * 1000:.2f} ms"
    )
    # CPU seconds the server spent per request: its capacity on an idle core,
    # whatever else shares the machine while the benchmark runs.
    per_request = server_cpu / len(latencies)
    print(
        f"server:    {per_request * 1000:.2f} ms CPU per request, "
        f"about {1 / per_request:.0f} req/s per core"
    )


if __name__ == "__main__":
    main()
