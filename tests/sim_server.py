"""Run the Canvas simulator on a real port for tests (and benchmarks).

    from tests.sim_server import start_simulator

    sim = start_simulator(token="test-token")
    try:
        canvas_url, canvas_token = sim.url, sim.token
        sim.set_fault("/api/v1/accounts/*/users", action="commit_then_500", times=1)
        ...  # drive Homeroom, its RQ worker, or canvasapi against sim.url
        assert sim.request_counts()["POST /api/v1/accounts/:id/users"] == 2
        assert len(sim.users(sis_user_id="S1")) == 1   # raw login rows
    finally:
        sim.stop()

The simulator runs as a subprocess (`python -m canvas_sim`) on a free
127.0.0.1 port, so other processes such as an RQ worker reach it over HTTP.
`SimServer` is also a context manager.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SimServer:
    """A running simulator: its address, token and control-API helpers.

    Attributes: `url` (no trailing slash; give it to a Canvas client as the
    base URL), `token` (the Canvas access token), `control_token`, `port`,
    `db` (the SQLite file, if any) and `process`.
    """

    def __init__(self, process, port, token, control_token, db, log_path):
        self.process = process
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.token = token
        self.control_token = control_token
        self.db = db
        self.log_path = log_path
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {control_token}"

    # Life cycle ------------------------------------------------------------

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        """Stop the simulator process (state in --db survives; memory does not)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.http.close()
        Path(self.log_path).unlink(missing_ok=True)

    def log_text(self):
        """What the simulator wrote to stderr so far (its log; gone after stop)."""
        return Path(self.log_path).read_text(errors="replace")

    def _control(self, method, path, **kwargs):
        """Call the control API and return its decoded JSON answer."""
        response = self.http.request(
            method, f"{self.url}/sim/{path}", timeout=30, **kwargs
        )
        response.raise_for_status()
        return response.json()

    # Control ------------------------------------------------------------------

    def reset(self):
        """Forget all data, faults, extra tokens, throttle state and the log."""
        return self._control("POST", "reset")

    def seed(self, spec=None, **kwargs):
        """Create data from a spec (see canvas_sim/seed.py); returns new ids.

        e.g. seed(users=[{"name": "Ann Lee", "login_id": "ann@x.org",
        "sis_user_id": "S1"}]) or seed(preset="demo").
        """
        return self._control("POST", "seed", json=dict(spec or {}, **kwargs))

    def autofill(self, course_id):
        """Give an existing course generated groups, assignments and grades."""
        return self._control("POST", f"courses/{course_id}/autofill")

    def set_fault(self, path, action="error", method="*", **options):
        """Add a fault rule and return it (with its `id`).

        path: a glob on the request path (`/api/v1/courses/*/enrollments`) or
        a regex prefixed `re:`. action: `error` (500 with Canvas's body),
        `timeout` (sleep `timeout_s`, default 30, before answering),
        `throttle` (the throttled answer), `commit_then_500` (do the write,
        then answer 500: a lost response) or `latency` (`latency_ms` only).
        How often: `every=N` (every Nth match), `rate=0.3` with `seed` (a
        reproducible share), `times=N` (at most N firings); none means always.
        """
        spec = dict(options, path=path, action=action, method=method)
        return self._control("POST", "faults", json=spec)

    def faults(self):
        """The rules in force with their `seen` and `fired` counters."""
        return self._control("GET", "faults")["faults"]

    def clear_faults(self):
        """Remove every fault rule and the fixed latency."""
        return self._control("DELETE", "faults")

    def set_latency(self, ms):
        """Add a fixed latency, in milliseconds, to every Canvas request."""
        return self._control("PUT", "latency", json={"ms": ms})

    def set_throttle(self, **settings):
        """Change the throttle: high_water_mark, maximum, outflow (units/s),
        up_front_cost, extra_cost (added to each request's cost), status
        (403 or 429), enabled; reset=True empties the buckets."""
        return self._control("PUT", "throttle", json=settings)

    def add_token(self, token, **spec):
        """Accept another token: user_id, state (active, expired, revoked,
        no_scope), admin, manage_sis."""
        return self._control("POST", "tokens", json=dict(spec, token=token))

    def configure(self, **settings):
        """Change settings: autofill, permission_status, sis_import_step_s,
        session_token_ttl_s."""
        return self._control("PUT", "config", json=settings)

    # Observation -----------------------------------------------------------------

    def requests_log(self):
        """{"total", "counts": {"GET /api/v1/users/:id": n}, "requests": [...]}."""
        return self._control("GET", "requests")

    def request_counts(self):
        """Requests seen per `METHOD pattern`, ids replaced by `:id`."""
        return self._control("GET", "requests", params={"entries": "0"})["counts"]

    def clear_requests(self):
        """Forget the requests seen so far."""
        return self._control("DELETE", "requests")

    def state(self, table, **filters):
        """Raw rows of a table (users, logins, courses, sections, enrollments,
        terms, assignments, submissions, ...) whose fields equal `filters`."""
        return self._control("GET", f"state/{table}", params=filters)

    def users(self, **filters):
        """Login rows (they hold unique_id, sis_user_id, user_id)."""
        return self.state("logins", **filters)

    def courses(self, **filters):
        """Course rows."""
        return self.state("courses", **filters)

    def sections(self, **filters):
        """Section rows."""
        return self.state("sections", **filters)

    def enrollments(self, **filters):
        """Enrollment rows (workflow_state is the enrollment state)."""
        return self.state("enrollments", **filters)


def start_simulator(
    token="test-token",
    control_token="test-control",
    autofill=False,
    db=None,
    throttle_status=403,
    port=None,
    wait=15.0,
):
    """Start `python -m canvas_sim` on a free port and wait until it answers."""
    port = port or free_port()
    log_fd, log_path = tempfile.mkstemp(prefix="canvas-sim-", suffix=".log")
    command = [
        sys.executable,
        "-m",
        "canvas_sim",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--token",
        token,
        "--control-token",
        control_token,
        "--throttle-status",
        str(throttle_status),
        "--log-level",
        "INFO",
    ]
    if autofill:
        command.append("--autofill")
    if db:
        command += ["--db", str(db)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log_fd
    )
    os.close(log_fd)
    server = SimServer(process, port, token, control_token, db, log_path)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = server.log_text()
            server.stop()
            raise RuntimeError(f"simulator exited early:\n{log}")
        try:
            if requests.get(f"{server.url}/sim/health", timeout=1).ok:
                return server
        except requests.ConnectionError:
            time.sleep(0.05)
    log = server.log_text()
    server.stop()
    raise RuntimeError(f"simulator did not answer within {wait}s:\n{log}")
