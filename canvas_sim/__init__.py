"""A small Flask application that answers like the Canvas LMS REST API.

It stands in for Canvas in demos, tests and benchmarks and imports nothing
from Homeroom. `create_app` builds it; `python -m canvas_sim` serves it.
"""

import itertools
import logging
import time
from urllib.parse import unquote_to_bytes

from flask import Flask, g, request
from werkzeug.exceptions import HTTPException

from .auth import Tokens, authenticate, authorize, masquerade
from .faults import Faults, RequestLog
from .store import Store
from .throttle import Throttle, throttled_body
from .web import NOT_FOUND, CanvasError, json_response, sim

logger = logging.getLogger(__name__)

_SENTINEL_ESCAPED = "%EE%80%80"  # UTF-8 of lookup.SLASH, percent-escaped


class Simulator:
    """Everything one simulator instance holds besides the Flask app."""

    def __init__(self, token, control_token, autofill, db, **config):
        self.store = Store(db)
        self.tokens = Tokens(token)
        self.control_token = control_token
        self.throttle = Throttle()
        self.faults = Faults()
        self.log = RequestLog()
        self.error_reports = itertools.count(1)
        self.sessions = {}
        self.config = {
            "autofill": autofill,
            "permission_status": 401,
            "sis_import_step_s": 0.05,
            "session_token_ttl_s": 30.0,
        }
        self.config.update(config)

    def reset(self):
        """Return to a fresh Canvas: no data but the root account, no faults."""
        with self.store.lock:
            self.store.clear()
            self.store.flush()
        self.tokens.reset()
        self.throttle.reset()
        self.faults.clear()
        self.log.clear()


class RawPath:
    """WSGI middleware that keeps an escaped "/" (`%2F`) inside one path segment.

    Servers decode PATH_INFO, so `sis_course_id:CS%2F101` would otherwise
    route as two segments; Canvas resolves it as one SIS id.
    """

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""
        path = raw.split("?", 1)[0]
        if "%2f" in path.lower():
            if "://" in path:
                path = "/" + path.split("://", 1)[1].partition("/")[2]
            escaped = path.replace("%2F", _SENTINEL_ESCAPED).replace(
                "%2f", _SENTINEL_ESCAPED
            )
            script = environ.get("SCRIPT_NAME", "")
            decoded = unquote_to_bytes(escaped).decode("latin-1")
            environ["PATH_INFO"] = decoded[len(script) :]
        return self.app(environ, start_response)


def internal_error():
    """Canvas's 500 answer, with a fresh error report id."""
    return CanvasError(
        500,
        {
            "errors": [
                {"message": "An error occurred.", "error_code": "internal_server_error"}
            ],
            "error_report_id": next(sim().error_reports),
        },
    )


def throttled(remaining=0.0):
    """The answer to a request refused by the throttle (403 or 429).

    Like Canvas it carries X-Rate-Limit-Remaining but no X-Request-Cost.
    """
    status = sim().throttle.settings["status"]
    headers = {"X-Rate-Limit-Remaining": str(float(remaining))}
    return CanvasError(status, throttled_body(status), headers)


def install_hooks(app, state):
    """Wrap every request: faults, latency, auth, throttle, the store lock, log.

    The hooks are closures over `state` and read the request and `g` once,
    because proxy look-ups are a large share of a simple GET's cost.
    """

    @app.before_request
    def gate():
        """Before a request: faults, latency, authentication, throttle, lock."""
        ctx, req = g._get_current_object(), request._get_current_object()
        ctx.started, ctx.cpu = time.perf_counter(), time.thread_time()
        path = req.path
        if path.startswith("/sim/"):
            return
        ctx.logged = True

        fired = state.faults.strike(req.method, path)
        delay = state.faults.latency_ms + sum(r.spec["latency_ms"] for r in fired)
        if delay:
            time.sleep(delay / 1000)
        for rule in fired:
            action = rule.spec["action"]
            if action == "timeout":
                time.sleep(rule.spec["timeout_s"])
            elif action == "error":
                raise internal_error()
            elif action == "throttle":
                raise throttled()
            elif action == "commit_then_500":
                ctx.commit_then_500 = True

        if path.startswith("/api/") or path == "/login/session_token":
            authenticate()
            admitted, remaining = state.throttle.start(ctx.token)
            if not admitted:
                raise throttled(remaining)
            ctx.throttling = True
            # Canvas checks as_user_id while loading the user, before any
            # permission: a non-admin gets "Invalid as_user_id".
            masquerade()
            authorize()

        state.store.lock.acquire()
        ctx.locked = True

    @app.after_request
    def finish(response):
        """After a request: lost-response faults, cost headers, flush, log."""
        ctx = g._get_current_object()
        if not getattr(ctx, "logged", False):
            return response
        req = request._get_current_object()
        if getattr(ctx, "commit_then_500", False) and response.status_code < 500:
            response = internal_error().response()
        if getattr(ctx, "throttling", False):
            ctx.throttling = False
            cost = max(time.thread_time() - ctx.cpu, 0.0)
            remaining = state.throttle.finish(ctx.token, cost)
            # Ruby's Float#to_s, as Canvas sends them: "0.000412", "549.9996".
            response.headers["X-Request-Cost"] = repr(cost)
            response.headers["X-Rate-Limit-Remaining"] = repr(remaining)
        if getattr(ctx, "locked", False):
            state.store.flush()
        state.log.record(
            req.method,
            req.path,
            response.status_code,
            req.query_string.decode("latin-1"),
            ctx.started,
        )
        return response

    @app.teardown_request
    def release(_error):
        """Release the store lock taken for the request, whatever happened."""
        ctx = g._get_current_object()
        if getattr(ctx, "locked", False):
            ctx.locked = False
            state.store.lock.release()


def _canvas_error(error):
    """Render a CanvasError."""
    return error.response()


def _http_error(error):
    """Unknown routes answer Canvas's 404; other HTTP errors pass through."""
    if error.code in (404, 405):
        return json_response({"errors": [{"message": NOT_FOUND}]}, 404)
    return error


def _crash(error):
    """Log an unexpected failure and answer with Canvas's 500."""
    logger.exception("request %s %s failed", request.method, request.path)
    return internal_error().response()


def create_app(
    token="test-token", control_token="sim-control", autofill=False, db=None, **config
):
    """Build the simulator app; `config` overrides Simulator.config entries."""
    from . import (
        accounts,
        assignments,
        control,
        courses,
        enrollments,
        grading,
        groups,
        logins,
        quizzes,
        sections,
        sis_imports,
        sso,
        submissions,
        users,
    )

    app = Flask(__name__)
    state = Simulator(token, control_token, autofill, db, **config)
    app.extensions["canvas_sim"] = state
    app.wsgi_app = RawPath(app.wsgi_app)
    for module in (
        accounts,
        users,
        logins,
        courses,
        sections,
        enrollments,
        assignments,
        groups,
        quizzes,
        submissions,
        grading,
        sis_imports,
        sso,
        control,
    ):
        app.register_blueprint(module.bp)
    install_hooks(app, state)
    app.register_error_handler(CanvasError, _canvas_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _crash)
    return app


__all__ = ["create_app", "Simulator"]
