"""Request parameters, error answers and Canvas's JSON conventions."""

import json
import re
from datetime import UTC, datetime

from flask import Response, current_app, g, request

NOT_FOUND = "The specified resource does not exist."
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class CanvasError(Exception):
    """An answer Canvas gives instead of the resource: a status and a body."""

    def __init__(self, status, body, headers=None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}

    def response(self):
        """Render the error as Canvas would."""
        if isinstance(self.body, str):
            return Response(self.body, self.status, self.headers, mimetype="text/plain")
        return json_response(self.body, self.status, self.headers)


def not_found():
    """The 404 every unknown id gets."""
    return CanvasError(404, {"errors": [{"message": NOT_FOUND}]})


def bad_request(message, key="message"):
    """An ad-hoc 400 such as `{"message": "..."}` or `{"error": "..."}`."""
    return CanvasError(400, {key: message})


def field_errors(errors, status=400):
    """A validation 400: `{"errors": {field: [{attribute, type, message}]}}`."""
    return CanvasError(status, {"errors": validation_body(errors)})


def validation_body(errors):
    """Expand `{field: (type, message)}` into Canvas's per-field error lists."""
    return {
        field: [{"attribute": field, "type": kind, "message": message}]
        for field, (kind, message) in errors.items()
    }


def json_response(payload, status=200, headers=None):
    """Serialise `payload` compactly with Canvas's JSON content type."""
    body = json.dumps(payload, separators=(",", ":"))
    return Response(
        body, status, headers, content_type="application/json; charset=utf-8"
    )


def _flatten(prefix, value, out):
    """Turn a nested JSON body into the `a[b][]` keys form posts use."""
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(f"{prefix}[{key}]" if prefix else str(key), item, out)
    elif isinstance(value, list):
        for item in value:
            _flatten(f"{prefix}[]", item, out)
    else:
        if isinstance(value, bool):
            value = "true" if value else "false"
        out.setdefault(prefix, []).append("" if value is None else str(value))


def params():
    """Every parameter of the request as `{key: [values]}`, cached per request."""
    cached = g.get("sim_params")
    if cached is not None:
        return cached
    merged = {}
    sources = [request.args]
    if request.mimetype in FORM_TYPES:
        sources.append(request.form)
    for source in sources:
        for key in source:
            merged.setdefault(key, []).extend(source.getlist(key))
    if request.is_json:
        body = request.get_json(silent=True)
        if isinstance(body, dict):
            flat = {}
            _flatten("", body, flat)
            for key, values in flat.items():
                merged.setdefault(key, []).extend(values)
    g.sim_params = merged
    return merged


def param(key, default=None):
    """One parameter's last value, or `default` when absent."""
    values = params().get(key)
    return values[-1] if values else default


def param_list(key):
    """A list parameter (`key[]`), also accepting the bare key.

    Rails keeps each value whole: a SIS id may hold a comma.
    """
    values = params().get(f"{key}[]") or params().get(key) or []
    return [value for value in values if value != ""]


def has(key):
    """Whether the request carries `key` at all."""
    return key in params()


def flag(key, default=False):
    """A boolean parameter read the way Rails reads it."""
    value = param(key)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "t", "on", "yes")


def number(key, default=None):
    """A float parameter, or `default` when absent or blank."""
    value = param(key)
    if value in (None, ""):
        return default
    try:
        return float(value)
    except ValueError:
        return default


def includes():
    """The set of `include[]` values."""
    return set(param_list("include"))


_ID_SEGMENT = re.compile(r"^\d+$")


def as_int(value):
    """The integer in `value` when it is all digits, else None."""
    if isinstance(value, int):
        return value
    if value is not None and _ID_SEGMENT.match(str(value)):
        return int(value)
    return None


def iso(value):
    """Normalise an ISO 8601 timestamp to UTC `...Z`; blank gives None.

    Raises ValueError for text that is not a timestamp.
    """
    if value in (None, ""):
        return None
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sim():
    """The running simulator: store, throttle, faults, log, tokens, settings."""
    return current_app.extensions["canvas_sim"]


def store():
    """The simulator's store."""
    return current_app.extensions["canvas_sim"].store
