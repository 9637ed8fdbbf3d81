"""The /sim/ control API: faults, latency, the request log, reset, seed, state."""

import time

import pytest


def test_control_needs_its_own_token(api):
    assert api.client.post("/sim/reset").status_code == 401
    canvas = api.client.post(
        "/sim/reset", headers={"Authorization": "Bearer test-token"}
    )
    assert canvas.status_code == 401
    assert api.client.get("/sim/health").status_code == 200


def test_fault_every_nth_and_times(api):
    api.control(
        "POST", "faults", json={"path": "/api/v1/accounts/*", "every": 2, "times": 2}
    )
    statuses = [api.get("/api/v1/accounts/1").status_code for _ in range(6)]
    assert statuses == [200, 500, 200, 500, 200, 200]
    rule = api.control("GET", "faults").json["faults"][0]
    assert (rule["seen"], rule["fired"]) == (6, 2)


def test_fault_rate_is_reproducible(api):
    def run():
        api.control("DELETE", "faults")
        api.control("POST", "faults", json={"path": "*", "rate": 0.5, "seed": 7})
        return [api.get("/api/v1/accounts/1").status_code for _ in range(20)]

    first = run()
    assert first == run()
    assert 3 < first.count(500) < 17


def test_fault_method_and_regex(api, make_user):
    api.control(
        "POST",
        "faults",
        json={"method": "POST", "path": r"re:/users$", "action": "error"},
    )
    assert api.get("/api/v1/accounts/1/users").status_code == 200
    response = api.post(
        "/api/v1/accounts/1/users", data={"pseudonym[unique_id]": "a@b.c"}
    )
    assert response.status_code == 500


def test_fault_commit_then_500_keeps_the_write(api):
    api.control(
        "POST",
        "faults",
        json={
            "path": "/api/v1/accounts/1/users",
            "method": "POST",
            "action": "commit_then_500",
            "times": 1,
        },
    )
    data = {"pseudonym[unique_id]": "lost@x.org", "pseudonym[sis_user_id]": "L1"}
    lost = api.post("/api/v1/accounts/1/users", data=data)
    assert lost.status_code == 500
    assert lost.json["errors"][0]["error_code"] == "internal_server_error"
    assert api.get("/api/v1/users/sis_user_id:L1").status_code == 200
    retry = api.post("/api/v1/accounts/1/users", data=data)
    assert retry.status_code == 400
    assert len(api.control("GET", "state/logins?sis_user_id=L1").json) == 1


def test_fault_throttle_and_latency(api):
    api.control(
        "POST", "faults", json={"path": "/api/v1/courses*", "action": "throttle"}
    )
    response = api.get("/api/v1/courses/1")
    assert response.status_code == 403
    assert response.get_data(as_text=True) == "403 Forbidden (Rate Limit Exceeded)\n"
    assert response.headers["X-Rate-Limit-Remaining"] == "0.0"
    api.control("DELETE", "faults")
    api.control(
        "POST", "faults", json={"path": "*", "action": "latency", "latency_ms": 120}
    )
    started = time.perf_counter()
    api.get("/api/v1/accounts/1")
    assert time.perf_counter() - started >= 0.12


def test_fault_timeout_sleeps(api):
    api.control(
        "POST", "faults", json={"path": "*", "action": "timeout", "timeout_s": 0.2}
    )
    started = time.perf_counter()
    api.get("/api/v1/accounts/1")
    assert time.perf_counter() - started >= 0.2


def test_fault_bad_action_rejected(api):
    assert api.control("POST", "faults", json={"action": "explode"}).status_code == 400


def test_fixed_latency(api):
    api.control("PUT", "latency", json={"ms": 100})
    started = time.perf_counter()
    api.get("/api/v1/accounts/1")
    assert time.perf_counter() - started >= 0.1


def test_request_log_counts_patterns(api, make_user):
    make_user("Ann Lee", sis="S1")
    api.get("/api/v1/users/sis_user_id:S1")
    api.get("/api/v1/users/2")
    api.get("/api/v1/users/2/logins")
    log = api.control("GET", "requests").json
    assert log["counts"] == {
        "POST /api/v1/accounts/:id/users": 1,
        "GET /api/v1/users/:id": 2,
        "GET /api/v1/users/:id/logins": 1,
    }
    assert log["total"] == 4
    assert log["requests"][1]["path"] == "/api/v1/users/sis_user_id:S1"
    api.control("DELETE", "requests")
    assert api.control("GET", "requests").json["total"] == 0


def test_reset_forgets_everything(api, make_user):
    make_user()
    api.control("POST", "faults", json={"path": "*"})
    api.control("POST", "reset")
    assert api.get("/api/v1/accounts/1/users").json[0]["name"] == "Sim Admin"
    assert len(api.get("/api/v1/accounts/1/users").json) == 1


def test_seed_and_state(api):
    created = api.control(
        "POST",
        "seed",
        json={
            "terms": [{"name": "Fall", "sis_term_id": "T1"}],
            "users": [
                {"name": "Ann Lee", "login_id": "ann@x.org", "sis_user_id": "S1"}
            ],
            "courses": [
                {
                    "name": "Bio",
                    "sis_course_id": "C1",
                    "term": "T1",
                    "published": True,
                    "sections": [{"name": "P1", "sis_section_id": "SEC1"}],
                    "enrollments": [{"user": "S1"}],
                }
            ],
        },
    ).json
    assert len(created["enrollments"]) == 1
    rows = api.control(
        "GET", f"state/enrollments?course_id={created['courses'][0]}"
    ).json
    assert rows[0]["workflow_state"] == "active"
    assert api.get("/api/v1/sections/sis_section_id:SEC1").status_code == 200
    assert api.control("GET", "state/nothing").status_code == 404


def test_seed_demo_preset(api):
    created = api.control("POST", "seed", json={"preset": "demo"}).json
    assert len(created["users"]) == 13
    course_id = created["courses"][0]
    rows = api.get(
        f"/api/v1/courses/{course_id}/enrollments?type[]=StudentEnrollment&per_page=100"
    ).json
    assert len(rows) == 12
    assert all(r["grades"]["current_score"] is not None for r in rows)


@pytest.mark.parametrize("setting", [{"bogus": 1}])
def test_config_rejects_unknown(api, setting):
    assert api.control("PUT", "config", json=setting).status_code == 400
