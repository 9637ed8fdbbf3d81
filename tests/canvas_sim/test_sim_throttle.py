"""Raw HTTP: the leaky-bucket throttle and its headers."""


def test_throttle_headers_on_every_token_request(api):
    response = api.get("/api/v1/accounts/1")
    assert float(response.headers["X-Request-Cost"]) >= 0
    assert float(response.headers["X-Rate-Limit-Remaining"]) <= 600


def test_throttle_refuses_when_bucket_full(api):
    api.control("PUT", "throttle", json={"extra_cost": 300, "outflow": 0})
    statuses = [api.get("/api/v1/accounts/1").status_code for _ in range(4)]
    assert statuses == [200, 200, 403, 403]
    response = api.get("/api/v1/accounts/1")
    assert response.content_type == "text/plain; charset=utf-8"
    # RequestThrottle#rate_limit_exceeded ends the body with a newline.
    assert response.get_data(as_text=True) == "403 Forbidden (Rate Limit Exceeded)\n"
    # hwm - level: the CPU cost of the two admitted requests puts it just below 0.
    assert -1 < float(response.headers["X-Rate-Limit-Remaining"]) <= 0
    assert "X-Request-Cost" not in response.headers


def test_throttle_remaining_goes_below_zero_as_in_canvas(api):
    # One request overfills the bucket past the high-water mark; Canvas then
    # reports hwm - level, a negative number, on the refusals.
    api.control("PUT", "throttle", json={"extra_cost": 700, "outflow": 0})
    assert float(api.get("/api/v1/accounts/1").headers["X-Rate-Limit-Remaining"]) < 0
    refused = api.get("/api/v1/accounts/1")
    assert refused.status_code == 403
    assert -101 < float(refused.headers["X-Rate-Limit-Remaining"]) <= -100


def test_throttle_remaining_falls_with_cost(api):
    api.control("PUT", "throttle", json={"extra_cost": 100, "outflow": 0})
    first = float(api.get("/api/v1/accounts/1").headers["X-Rate-Limit-Remaining"])
    second = float(api.get("/api/v1/accounts/1").headers["X-Rate-Limit-Remaining"])
    assert 499 < first <= 500
    assert 399 < second <= 400


def test_throttle_429_selectable(api):
    api.control(
        "PUT", "throttle", json={"extra_cost": 700, "outflow": 0, "status": 429}
    )
    api.get("/api/v1/accounts/1")
    refused = api.get("/api/v1/accounts/1")
    assert refused.status_code == 429
    assert refused.get_data(as_text=True) == (
        "429 Too Many Requests (Rate Limit Exceeded)\n"
    )


def test_throttle_bucket_leaks(api):
    api.control("PUT", "throttle", json={"extra_cost": 700, "outflow": 1e9})
    assert [api.get("/api/v1/accounts/1").status_code for _ in range(3)] == [200] * 3


def test_throttle_is_per_token(api):
    api.control("POST", "tokens", json={"token": "other"})
    api.control("PUT", "throttle", json={"extra_cost": 700, "outflow": 0})
    api.get("/api/v1/accounts/1")
    assert api.get("/api/v1/accounts/1").status_code == 403
    assert api.get("/api/v1/accounts/1", token="other").status_code == 200
