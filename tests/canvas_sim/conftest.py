"""Fixtures for the Canvas simulator: an in-process app and a real server."""

import pytest

from canvas_sim import create_app
from tests.sim_server import start_simulator

TOKEN = "test-token"
CONTROL = "test-control"


class Api:
    """A Flask test client that sends the Canvas token and decodes JSON."""

    def __init__(self, client, token=TOKEN):
        self.client = client
        self.token = token

    def call(self, method, path, token=None, **kwargs):
        """Make a request with the bearer token (None token: no header)."""
        headers = kwargs.pop("headers", {})
        token = self.token if token is None else token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        """GET."""
        return self.call("GET", path, **kwargs)

    def post(self, path, **kwargs):
        """POST."""
        return self.call("POST", path, **kwargs)

    def put(self, path, **kwargs):
        """PUT."""
        return self.call("PUT", path, **kwargs)

    def delete(self, path, **kwargs):
        """DELETE."""
        return self.call("DELETE", path, **kwargs)

    def control(self, method, path, **kwargs):
        """Call the /sim/ control API with its token."""
        return self.client.open(
            f"/sim/{path}",
            method=method,
            headers={"Authorization": f"Bearer {CONTROL}"},
            **kwargs,
        )


@pytest.fixture
def sim_app():
    """A fresh in-memory simulator app; SIS imports step without pausing."""
    return create_app(token=TOKEN, control_token=CONTROL, sis_import_step_s=0.0)


@pytest.fixture
def api(sim_app):
    """A client of the simulator app that sends the Canvas token."""
    return Api(sim_app.test_client())


@pytest.fixture
def make_user(api):
    """Create a user through the API; returns its JSON."""

    def make(name="Ann Lee", login=None, sis=None, **extra):
        data = {
            "user[name]": name,
            "pseudonym[unique_id]": login or f"{name.split()[0].lower()}@school.org",
        }
        if sis:
            data["pseudonym[sis_user_id]"] = sis
        data.update(extra)
        response = api.post("/api/v1/accounts/1/users", data=data)
        assert response.status_code == 200, response.json
        return response.json

    return make


@pytest.fixture
def make_course(api):
    """Create a course (and optionally publish it); returns its JSON."""

    def make(name="Biology", sis=None, **extra):
        data = {"course[name]": name}
        if sis:
            data["course[sis_course_id]"] = sis
        data.update(extra)
        response = api.post("/api/v1/accounts/1/courses", data=data)
        assert response.status_code == 200, response.json
        return response.json

    return make


@pytest.fixture(scope="session")
def live_sim():
    """One simulator subprocess for the session's network tests."""
    server = start_simulator(token=TOKEN, control_token=CONTROL)
    yield server
    server.stop()


@pytest.fixture
def live(live_sim):
    """The shared simulator subprocess, reset before each test."""
    live_sim.reset()
    return live_sim
