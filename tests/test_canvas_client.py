"""The Canvas client against the simulator on a real port."""

import json

import pytest
import requests

from jobs.canvas import (
    CanvasAuthError,
    CanvasClient,
    CanvasError,
    CanvasNotFound,
    CanvasThrottled,
    CanvasUnavailable,
    CanvasValidationError,
    sis,
)
from jobs.canvas.client import _network_message, error_message, redact


@pytest.fixture()
def sim(simulator):
    """The shared simulator, emptied."""
    simulator.reset()
    return simulator


def _client(sim, **options):
    pauses = []
    options.setdefault("backoff", 0.01)
    client = CanvasClient(sim.url, sim.token, sleep=pauses.append, **options)
    return client, pauses


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("CS/101.11é", "sis_course_id:CS%2F101%2E11%C3%A9"),
        ("hr-section-1a2b", "sis_course_id:hr-section-1a2b"),
        ("a b&c", "sis_course_id:a%20b%26c"),
    ],
)
def test_sis_ids_are_percent_escaped(value, escaped):
    assert sis.course_id(value) == escaped


def test_paginate_follows_link_next(sim):
    sim.seed(
        users=[
            {"name": f"User {n}", "login_id": f"u{n}@x.org", "sis_user_id": f"U{n}"}
            for n in range(25)
        ]
    )
    client, _ = _client(sim)
    users = list(client.paginate(client.account_path("users"), {"per_page": 10}))
    assert len({u["id"] for u in users}) == len(users) >= 25
    assert client.request_count == 3 or client.request_count == 4


def test_sis_id_lookup_with_escaped_slash(sim):
    client, _ = _client(sim)
    client.post(
        client.account_path("courses"),
        {"course[name]": "CS", "course[sis_course_id]": "CS/101.11"},
    )
    course = client.get(f"courses/{sis.course_id('CS/101.11')}")
    assert course["sis_course_id"] == "CS/101.11"


def test_bad_token_is_an_auth_error(sim):
    client = CanvasClient(sim.url, "not-the-token")
    with pytest.raises(CanvasAuthError) as caught:
        client.get("accounts/1")
    assert caught.value.bad_token
    assert (
        caught.value.message == "Canvas refused the access token: Invalid access token."
    )


def test_unknown_id_is_not_found(sim):
    client, _ = _client(sim)
    with pytest.raises(CanvasNotFound):
        client.get(f"users/{sis.user_id('nobody')}")


def test_validation_error_keeps_field_messages(sim):
    client, _ = _client(sim)
    params = {"user[name]": "A B", "pseudonym[unique_id]": "a@x.org"}
    client.post(client.account_path("users"), params)
    with pytest.raises(CanvasValidationError) as caught:
        client.post(client.account_path("users"), params)
    assert caught.value.has("pseudonym.unique_id", "taken")
    assert "ID already in use" in caught.value.message


@pytest.mark.parametrize("action", ["error", "throttle"])
def test_transient_failures_are_retried(sim, action):
    sim.set_fault("/api/v1/accounts/1", action=action, times=2)
    client, pauses = _client(sim)
    account = client.get("accounts/1")
    assert account["id"] == 1
    assert client.request_count == 3
    assert len(pauses) == 2 and pauses[1] >= pauses[0] * 0.5


def test_429_is_retried(sim):
    sim.set_throttle(status=429)
    sim.set_fault("/api/v1/accounts/1", action="throttle", times=1)
    client, pauses = _client(sim)
    assert client.get("accounts/1")["id"] == 1
    assert len(pauses) == 1


def test_retries_give_up_with_a_typed_error(sim):
    sim.set_fault("/api/v1/accounts/1", action="throttle")
    client, pauses = _client(sim, retries=2)
    with pytest.raises(CanvasThrottled):
        client.get("accounts/1")
    assert len(pauses) == 2
    sim.clear_faults()
    sim.set_fault("/api/v1/accounts/1", action="error")
    with pytest.raises(CanvasUnavailable):
        client.get("accounts/1")


def test_timeouts_are_retried(sim):
    sim.set_fault("/api/v1/accounts/1", action="timeout", timeout_s=1, times=1)
    client, pauses = _client(sim, timeout=(2.0, 0.3))
    assert client.get("accounts/1")["id"] == 1
    assert client.trace[0]["status"] is None and len(pauses) == 1


def test_low_rate_limit_remaining_slows_down(sim):
    sim.set_throttle(extra_cost=500)
    client, pauses = _client(sim)
    client.get("accounts/1")
    assert pauses and pauses[0] > 0


def test_trace_has_no_secrets(sim):
    client, _ = _client(sim)
    client.post(
        client.account_path("users"),
        {
            "user[name]": "A B",
            "pseudonym[unique_id]": "ab@x.org",
            "pseudonym[password]": "hunter2-secret",
            "pseudonym[sis_user_id]": "AB1",
        },
    )
    client.get(
        "/login/session_token",
        {"as_user_id": "sis_user_id:AB1", "return_to": f"{sim.url}/"},
    )
    text = json.dumps(client.trace)
    assert sim.token not in text
    assert "hunter2-secret" not in text
    assert "session_token=" not in text.replace("session_token=[redacted]", "")


def test_error_message_reads_every_shape():
    assert error_message({"errors": [{"message": "Invalid access token."}]}) == (
        "Invalid access token."
    )
    assert error_message({"message": "No parameters given"}) == "No parameters given"
    assert error_message({"error": "too many students"}) == "too many students"
    assert error_message("403 Forbidden (Rate Limit Exceeded)").startswith("403")
    nested = {
        "errors": {"pseudonym": {"unique_id": [{"type": "taken", "message": "in use"}]}}
    }
    assert error_message(nested) == "pseudonym.unique_id: in use"
    assert redact({"login[password]": "x", "a": [{"token": "y"}]}) == {
        "login[password]": "[redacted]",
        "a": [{"token": "[redacted]"}],
    }


def test_a_pasted_page_address_still_reaches_the_api(sim):
    client = CanvasClient(f"{sim.url}/accounts/1/users?x=1", sim.token)
    assert client.base_url == sim.url
    assert client.get("accounts/1")["id"] == 1


def test_a_web_page_instead_of_json_says_the_url_is_wrong(sim):
    client, _ = _client(sim, retries=0)
    with pytest.raises(CanvasError) as caught:
        client.get("/courses/1")  # a Canvas web page, not the API
    assert "answered with a web page, not Canvas API data" in str(caught.value)


def test_https_to_a_plain_http_server_fails_at_once_saying_why(sim):
    client = CanvasClient(sim.url.replace("http://", "https://"), sim.token)
    with pytest.raises(CanvasError) as caught:
        client.get("accounts/1")
    assert not caught.value.transient and client.request_count == 1
    assert "refused a secure connection: check http or https" in str(caught.value)


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (
            "HTTPConnectionPool(host='canvas.nope', port=443): Max retries "
            'exceeded (Caused by NameResolutionError("Failed to resolve"))',
            "no server is known by the name canvas.nope; check the address",
        ),
        (
            "HTTPConnectionPool: [Errno 111] Connection refused",
            "canvas.nope refused the connection; check the address and port",
        ),
        ("something else", "could not be reached"),
    ],
)
def test_network_failures_say_why(error, says):
    message = _network_message(requests.ConnectionError(error), "https://canvas.nope")
    assert message.startswith("Canvas at https://canvas.nope ")
    assert message.endswith(says)
