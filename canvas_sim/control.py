"""The simulator's own control API under /sim/ (not Canvas's; its own token)."""

import hmac
import logging

from flask import Blueprint, jsonify, request

from . import autofill, seed
from .auth import bearer_token
from .store import TABLES
from .web import as_int, sim

logger = logging.getLogger(__name__)

bp = Blueprint("control", __name__, url_prefix="/sim")


def _fail(status, message):
    """A control-API error answer."""
    response = jsonify({"error": message})
    response.status_code = status
    return response


@bp.before_request
def _check_token():
    """Every control endpoint but /sim/health needs the control token."""
    if request.path == "/sim/health":
        return None
    token = bearer_token() or ""
    if not hmac.compare_digest(token.encode(), sim().control_token.encode()):
        return _fail(401, "control token required")
    return None


def _body():
    """The JSON body, or an empty dict."""
    return request.get_json(silent=True) or {}


@bp.get("/health")
def health():
    """Answer as soon as the server is up."""
    return jsonify({"ok": True})


@bp.post("/reset")
def reset():
    """Forget all data, faults, tokens, throttle state and the request log."""
    sim().reset()
    logger.info("simulator reset")
    return jsonify({"ok": True})


@bp.post("/seed")
def seed_data():
    """Create users, terms, courses, sections, enrollments from a JSON spec."""
    state = sim()
    with state.store.lock:
        try:
            created = seed.apply(_body())
        except (KeyError, ValueError, TypeError) as error:
            return _fail(400, f"bad seed: {error}")
        finally:
            state.store.flush()
    return jsonify(created)


@bp.post("/courses/<int:course_id>/autofill")
def autofill_course(course_id):
    """Give an existing course the generated coursework of --autofill."""
    state = sim()
    with state.store.lock:
        course = state.store.get("courses", course_id)
        if course is None:
            return _fail(404, "no such course")
        autofill.fill_course(course)
        for row in state.store.find("enrollments", course_id=course_id):
            if row["type"] == "StudentEnrollment":
                autofill.materialise_submissions(state.store, course, row["user_id"])
        state.store.flush()
    return jsonify({"ok": True})


@bp.get("/faults")
def list_faults():
    """The fault rules in force, with how often each matched and fired."""
    faults = sim().faults
    return jsonify(
        {"latency_ms": faults.latency_ms, "faults": [r.as_json() for r in faults.rules]}
    )


@bp.post("/faults")
def add_fault():
    """Add a fault rule: method, path (glob or `re:`), action, how often."""
    try:
        rule = sim().faults.add(_body())
    except (ValueError, TypeError) as error:
        return _fail(400, str(error))
    return jsonify(rule.as_json()), 201


@bp.delete("/faults")
def clear_faults():
    """Remove every fault rule and the fixed latency."""
    sim().faults.clear()
    return jsonify({"ok": True})


@bp.delete("/faults/<int:rule_id>")
def delete_fault(rule_id):
    """Remove one fault rule."""
    faults = sim().faults
    with faults.lock:
        faults.rules = [r for r in faults.rules if r.id != rule_id]
    return jsonify({"ok": True})


@bp.put("/latency")
def set_latency():
    """Add a fixed latency, in milliseconds, to every Canvas request."""
    sim().faults.latency_ms = float(_body().get("ms", 0))
    return jsonify({"latency_ms": sim().faults.latency_ms})


@bp.get("/throttle")
def get_throttle():
    """The throttle settings and, with ?token=, that token's bucket level."""
    throttle = sim().throttle
    return jsonify(throttle.status(request.args.get("token", sim().tokens.main)))


@bp.put("/throttle")
def set_throttle():
    """Change throttle settings (high_water_mark, outflow, extra_cost, status...)."""
    body = _body()
    try:
        sim().throttle.configure(**{k: v for k, v in body.items() if k != "reset"})
    except (KeyError, ValueError) as error:
        return _fail(400, f"bad setting: {error}")
    if body.get("reset"):
        with sim().throttle.lock:
            sim().throttle.buckets.clear()
    return get_throttle()


@bp.get("/requests")
def requests_log():
    """Counts per `METHOD /path/:id` pattern, the total and the requests seen."""
    body = sim().log.as_json()
    if request.args.get("entries") == "0":
        body.pop("requests")
    return jsonify(body)


@bp.delete("/requests")
def clear_requests():
    """Forget the requests seen so far."""
    sim().log.clear()
    return jsonify({"ok": True})


@bp.post("/tokens")
def add_token():
    """Accept another access token: user_id, state, admin, manage_sis."""
    body = _body()
    if not body.get("token"):
        return _fail(400, "token required")
    try:
        return jsonify(sim().tokens.add(body["token"], body)), 201
    except ValueError as error:
        return _fail(400, str(error))


@bp.put("/config")
def set_config():
    """Change simulator settings such as permission_status or autofill."""
    config = sim().config
    unknown = set(_body()) - set(config)
    if unknown:
        return _fail(400, f"unknown settings: {', '.join(sorted(unknown))}")
    config.update(_body())
    return jsonify(config)


@bp.get("/state/<table>")
def state_rows(table):
    """Raw rows of a table, filtered by ?field=value, for tests to assert on."""
    if table not in TABLES:
        return _fail(404, f"tables: {', '.join(TABLES)}")
    state = sim()
    with state.store.lock:
        rows = state.store.rows(table)
        for key, value in request.args.items():
            wanted = as_int(value) if as_int(value) is not None else value
            rows = [r for r in rows if r.get(key) in (wanted, value)]
        return jsonify(rows)
