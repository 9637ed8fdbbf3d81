"""--db keeps the simulator's state in SQLite across restarts."""

import requests

from canvas_sim import create_app
from tests.sim_server import start_simulator


def _session(sim):
    """A requests session sending the simulator's Canvas token."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {sim.token}"
    return session


def test_db_survives_restart(tmp_path):
    db = tmp_path / "canvas.db"
    with start_simulator(db=db) as sim:
        http = _session(sim)
        user = http.post(
            f"{sim.url}/api/v1/accounts/1/users",
            data={
                "user[name]": "Ann Lee",
                "pseudonym[unique_id]": "ann@x.org",
                "pseudonym[sis_user_id]": "S1",
            },
        ).json()
        course = http.post(
            f"{sim.url}/api/v1/accounts/1/courses",
            data={
                "course[name]": "Bio",
                "course[sis_course_id]": "C1",
                "offer": "true",
            },
        ).json()
        http.post(
            f"{sim.url}/api/v1/courses/{course['id']}/enrollments",
            data={"enrollment[user_id]": user["id"]},
        )
        http.close()

    with start_simulator(db=db) as sim:
        http = _session(sim)
        again = http.get(f"{sim.url}/api/v1/users/sis_user_id:S1").json()
        assert again["id"] == user["id"]
        rows = http.get(f"{sim.url}/api/v1/courses/sis_course_id:C1/enrollments").json()
        assert [r["user_id"] for r in rows] == [user["id"]]
        other = http.post(
            f"{sim.url}/api/v1/accounts/1/users",
            data={"pseudonym[unique_id]": "bob@x.org"},
        ).json()
        assert other["id"] == user["id"] + 1
        http.close()


def test_db_reset_clears_the_file(tmp_path):
    db = tmp_path / "canvas.db"
    app = create_app(token="t", db=str(db))
    client = app.test_client()
    client.post(
        "/api/v1/accounts/1/users",
        headers={"Authorization": "Bearer t"},
        data={"pseudonym[unique_id]": "a@x.org"},
    )
    client.post("/sim/reset", headers={"Authorization": "Bearer sim-control"})
    app.extensions["canvas_sim"].store.close()

    reopened = create_app(token="t", db=str(db))
    assert len(reopened.extensions["canvas_sim"].store.rows("users")) == 1
    reopened.extensions["canvas_sim"].store.close()
