"""A small Canvas REST client over `requests`, used only inside jobs.

It adds what every caller needs and nothing more: the bearer token, paths
relative to `/api/v1/`, `Link` pagination, retries with backoff on timeouts,
5xx and throttling, a pause when `X-Rate-Limit-Remaining` runs low, typed
errors, a count of the requests made and a redacted trace of each one. A
create that no SIS id guards goes through `create_once`, which looks the
record up instead of resending a POST whose answer was lost.

    client = CanvasClient.from_settings()
    course = client.get(f"courses/{sis.course_id('hr-section-1')}")
    for group in client.paginate(f"courses/{course['id']}/assignment_groups",
                                 {"include[]": "assignments"}):
        ...
    client.post(f"courses/{course['id']}/assignments",
                {"assignment[name]": "Essay", "assignment[points_possible]": 10})

Parameters go as Canvas expects them: form fields named `user[name]`, a list
value repeats its key (`{"include[]": ["term", "teachers"]}`).
"""

import json
import logging
import random
import re
import time
import urllib.request
from collections import Counter
from urllib.parse import urlsplit, urlunsplit

import requests

from jobs.canvas.errors import (
    CanvasAuthError,
    CanvasConfigError,
    CanvasError,
    CanvasNotFound,
    CanvasThrottled,
    CanvasUnavailable,
    CanvasValidationError,
)

logger = logging.getLogger(__name__)

API_PREFIX = "/api/v1/"
REDACTED = "[redacted]"
_SECRET_KEY = re.compile(r"password|token|secret|session_url", re.IGNORECASE)
_SESSION_TOKEN = re.compile(r"(session_token=)[^&\"\s]+")
_TRACE_BODY_LIMIT = 4000


class CanvasClient:
    """One Canvas account reached with one token; not shared between threads."""

    def __init__(
        self,
        url,
        token,
        account_id=1,
        *,
        timeout=(5.0, 30.0),
        retries=5,
        backoff=0.5,
        backoff_cap=8.0,
        low_water=150.0,
        session=None,
        sleep=time.sleep,
    ):
        if not url or not token:
            raise CanvasConfigError("Canvas URL and access token are required.")
        self.base_url = normalise_url(url)
        self.account_id = account_id or 1
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.backoff_cap = backoff_cap
        self.low_water = low_water
        self._token = token
        self._sleep = sleep
        self.session = session or requests.Session()
        if not urllib.request.getproxies():
            # Reading proxy settings from the environment costs more than a
            # local request; skip it where no proxy is configured.
            self.session.trust_env = False
        self.session.headers.update(
            {"Authorization": f"Bearer {token}", "User-Agent": "Homeroom"}
        )
        self.request_count = 0
        self.counts = Counter()
        self.trace = []

    def __repr__(self):
        return f"<CanvasClient {self.base_url} account {self.account_id}>"

    @classmethod
    def from_settings(cls, **options):
        """Build a client from the saved LMS settings and the app's config."""
        from flask import current_app

        from models.lms import CanvasSettings

        settings = CanvasSettings.load()
        if settings is None or not settings.is_configured:
            raise CanvasConfigError(
                "Canvas is not set up: enter its URL and access token on the "
                "LMS settings page."
            )
        config = current_app.config
        options.setdefault("timeout", config.get("CANVAS_TIMEOUT", (5.0, 30.0)))
        options.setdefault("retries", config.get("CANVAS_RETRIES", 5))
        options.setdefault("backoff", config.get("CANVAS_BACKOFF", 0.5))
        return cls(settings.url, settings.token, settings.account_id, **options)

    def close(self):
        """Release the HTTP connections."""
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def account_path(self, suffix=""):
        """The API path of something under the configured account."""
        base = f"accounts/{self.account_id}"
        return f"{base}/{suffix}" if suffix else base

    def get(self, path, params=None):
        """GET a path and return its JSON."""
        return self.request("GET", path, params=params).json()

    def post(
        self, path, data=None, *, params=None, files=None, json_body=None, retry=True
    ):
        """POST form fields (or `json_body`, or `files`) and return the JSON."""
        response = self.request(
            "POST",
            path,
            params=params,
            data=data,
            files=files,
            json_body=json_body,
            retry=retry,
        )
        return _json_or_none(response)

    def create_once(self, path, data, find):
        """POST a create that must not happen twice, even when an answer is lost.

        `find()` looks the record up and returns it, or None. It runs before
        the first try and before each retry, because a try that timed out or
        got a 5xx may have been done all the same; the POST itself is never
        resent blindly.
        """
        attempt = 0
        while True:
            attempt += 1
            found = find()
            if found is not None:
                return found
            try:
                return self.post(path, data, retry=False)
            except CanvasError as failure:
                if not failure.transient:
                    raise
                self._retry_or_raise(failure, attempt, None)

    def put(self, path, data=None, *, params=None, json_body=None):
        """PUT form fields (or `json_body`) and return the JSON."""
        response = self.request(
            "PUT", path, params=params, data=data, json_body=json_body
        )
        return _json_or_none(response)

    def delete(self, path, params=None):
        """DELETE a path and return the JSON Canvas answers with."""
        return _json_or_none(self.request("DELETE", path, params=params))

    def paginate(self, path, params=None, key=None):
        """Yield every item of a list, following `Link: rel="next"` to the end.

        `key` names the wrapper of lists Canvas wraps, such as
        `enrollment_terms`. Pages are asked for 100 at a time unless
        `params` says otherwise.
        """
        params = dict(params or {})
        params.setdefault("per_page", 100)
        url = path
        while url:
            response = self.request("GET", url, params=params)
            body = response.json()
            items = body.get(key, []) if key else body
            yield from items
            url = response.links.get("next", {}).get("url")
            params = None

    def request(self, method, path, *, params=None, data=None, files=None,
                json_body=None, retry=True):  # fmt: skip
        """Send one call, retrying transient failures; return the Response.

        Raises a CanvasError subclass for any answer but 2xx; with `retry`
        false, the first failure is raised as it comes.
        """
        url = self.url_for(path)
        attempt = 0
        while True:
            attempt += 1
            started = time.perf_counter()
            try:
                response = self.session.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    files=files,
                    json=json_body,
                    timeout=self.timeout,
                )
            except requests.exceptions.SSLError as exc:
                # A wrong scheme or a bad certificate: trying again cannot help.
                self._record(method, url, params, data, None, started, attempt, exc)
                raise CanvasError(_network_message(exc, self.base_url)) from exc
            except (requests.Timeout, requests.ConnectionError) as exc:
                self._record(method, url, params, data, None, started, attempt, exc)
                failure = CanvasUnavailable(_network_message(exc, self.base_url))
                if not retry:
                    raise failure from exc
                self._retry_or_raise(failure, attempt, None)
                continue
            self._record(method, url, params, data, response, started, attempt)
            if response.ok and "html" in response.headers.get("Content-Type", ""):
                # The API answers JSON only; a page means the URL is not Canvas's.
                raise CanvasError(
                    f"{self.base_url} answered with a web page, not Canvas API "
                    "data: check that the Canvas URL is your Canvas address, "
                    "such as https://school.instructure.com.",
                    response.status_code,
                )
            if response.ok:
                self._pace(response)
                return response
            failure = error_for(response)
            if not failure.transient or not retry:
                raise failure
            self._retry_or_raise(failure, attempt, response)

    def url_for(self, path):
        """An absolute URL from an API path, a root path or a full URL."""
        if path.startswith(("http://", "https://")):
            return path
        if path.startswith("/"):
            return self.base_url + path
        return self.base_url + API_PREFIX + path

    def _retry_or_raise(self, failure, attempt, response):
        """Sleep before the next attempt, or raise when attempts are used up."""
        if attempt > self.retries:
            raise failure
        delay = min(self.backoff_cap, self.backoff * 2 ** (attempt - 1))
        delay *= 0.5 + random.random() / 2
        retry_after = response is not None and response.headers.get("Retry-After")
        if retry_after and retry_after.isdigit():
            delay = max(delay, min(float(retry_after), self.backoff_cap * 4))
        logger.warning(
            "canvas %s, retry %d of %d in %.2fs",
            failure.message,
            attempt,
            self.retries,
            delay,
        )
        self._sleep(delay)

    def _pace(self, response):
        """Slow down while the throttle bucket is near its high-water mark.

        Canvas leaks about 10 units a second; waiting out the shortfall
        keeps later requests from being refused.
        """
        remaining = response.headers.get("X-Rate-Limit-Remaining")
        try:
            remaining = float(remaining)
        except (TypeError, ValueError):
            return
        if remaining < self.low_water:
            pause = min(5.0, (self.low_water - remaining) / 10.0)
            logger.debug(
                "canvas rate limit remaining %.1f, pausing %.2fs", remaining, pause
            )
            self._sleep(pause)

    def _record(self, method, url, params, data, response, started, attempt,
                exc=None):  # fmt: skip
        """Count the request and keep a trace entry with secrets removed."""
        elapsed = (time.perf_counter() - started) * 1000
        self.request_count += 1
        self.counts[method] += 1
        entry = {
            "method": method,
            "path": _path_only(url),
            "params": redact(params),
            "data": redact(data),
            "status": response.status_code if response is not None else None,
            "response": self._body_for_trace(response, exc),
            "ms": round(elapsed, 1),
            "attempt": attempt,
        }
        self.trace.append(entry)
        logger.debug(
            "canvas %s %s -> %s in %.0f ms",
            method,
            entry["path"],
            entry["status"] or type(exc).__name__,
            elapsed,
        )

    def _body_for_trace(self, response, exc):
        """The answer as text, secrets replaced, cut to a readable length."""
        if response is None:
            return f"no answer: {type(exc).__name__}"
        try:
            text = json.dumps(redact(response.json()))
        except ValueError:
            text = response.text
        text = _SESSION_TOKEN.sub(r"\1" + REDACTED, text)
        text = text.replace(self._token, REDACTED)
        return text[:_TRACE_BODY_LIMIT]


def normalise_url(url):
    """The Canvas base URL without path, query or trailing slash.

    Canvas serves its API from the root of its host, so a pasted page address
    (https://school.instructure.com/accounts/1) still finds it.
    """
    url = (url or "").strip()
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if not parts.netloc:
        raise CanvasConfigError(f"{url!r} is not a Canvas address.")
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def redact(value):
    """A copy of params, form data or JSON with secret-looking values replaced."""
    if isinstance(value, dict):
        return {
            key: REDACTED if _SECRET_KEY.search(str(key)) else redact(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    return value


def error_for(response):
    """The typed error for a non-2xx answer."""
    status = response.status_code
    body = _parsed(response)
    message = error_message(body) or f"HTTP {status}"
    if status == 429 or (status == 403 and "Rate Limit Exceeded" in response.text):
        return CanvasThrottled(
            "Canvas is limiting the request rate", status=status, body=body
        )
    if status >= 500:
        return CanvasUnavailable(
            f"Canvas had an internal error (HTTP {status})", status=status, body=body
        )
    if status == 401:
        bad_token = "WWW-Authenticate" in response.headers
        prefix = (
            "Canvas refused the access token"
            if bad_token
            else "The access token's Canvas user lacks a permission"
        )
        return CanvasAuthError(
            f"{prefix}: {message}", status=status, body=body, bad_token=bad_token
        )
    if status == 403:
        return CanvasAuthError(
            f"Canvas does not allow this: {message}", status=status, body=body
        )
    if status == 404:
        return CanvasNotFound(message, status=status, body=body)
    if status in (400, 409, 422):
        return CanvasValidationError(
            message, status=status, body=body, fields=field_errors(body)
        )
    return CanvasError(f"Canvas answered HTTP {status}: {message}", status, body)


def _parsed(response):
    """The answer's JSON, or its text when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return response.text


def field_errors(body):
    """Canvas's per-field errors, flattened to `{"group.field": [entry, ...]}`."""
    errors = body.get("errors") if isinstance(body, dict) else None
    found = {}

    def walk(node, prefix):
        for name, value in node.items():
            key = f"{prefix}{name}"
            if isinstance(value, list):
                entries = [v if isinstance(v, dict) else {"message": v} for v in value]
                if entries:
                    found[key] = entries
            elif isinstance(value, dict):
                walk(value, f"{key}.")

    if isinstance(errors, dict):
        walk(errors, "")
    return found


def error_message(body):
    """One readable sentence from any of Canvas's error shapes."""
    if isinstance(body, str):
        return body.strip()[:300]
    if not isinstance(body, dict):
        return ""
    errors = body.get("errors")
    if isinstance(errors, list):
        return "; ".join(
            str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors
        )
    if isinstance(errors, dict):
        parts = []
        for field, entries in field_errors(body).items():
            for entry in entries:
                parts.append(f"{field}: {entry.get('message', entry.get('type'))}")
        return "; ".join(parts)
    if isinstance(errors, str):
        return errors
    for key in ("message", "error", "error_message"):
        if isinstance(body.get(key), str):
            return body[key]
    return ""


def _json_or_none(response):
    """The JSON of an answer, or None for an empty one."""
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None


def _path_only(url):
    """A URL's path and query, without scheme and host."""
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, ""))


# How urllib3 and the resolver word a name that does not resolve.
_NAME_NOT_FOUND = ("NameResolutionError", "Name or service not known",
                   "Failed to resolve", "nodename nor servname")  # fmt: skip


def _network_message(exc, base_url):
    """Plain words for a request that got no answer, saying why where known."""
    if isinstance(exc, requests.Timeout):
        return f"Canvas at {base_url} did not answer in time"
    if isinstance(exc, requests.exceptions.SSLError):
        return (
            f"Canvas at {base_url} refused a secure connection: check http or "
            "https in the address, and that the server's certificate is valid"
        )
    text = str(exc)
    host = urlsplit(base_url).hostname
    if any(sign in text for sign in _NAME_NOT_FOUND):
        return (
            f"Canvas at {base_url} could not be reached: no server is known "
            f"by the name {host}; check the address"
        )
    if "Connection refused" in text:
        return (
            f"Canvas at {base_url} could not be reached: {host} refused the "
            "connection; check the address and port"
        )
    return f"Canvas at {base_url} could not be reached"
