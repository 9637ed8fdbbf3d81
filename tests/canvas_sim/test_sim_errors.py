"""Raw HTTP: authentication answers, error shapes and unknown ids."""

import pytest

REALM = 'Bearer realm="canvas-lms"'


def test_auth_no_credentials(api):
    response = api.get("/api/v1/accounts/1", token="")
    assert response.status_code == 401
    assert response.json == {
        "status": "unauthenticated",
        "errors": [{"message": "user authorization required"}],
    }
    assert response.headers["WWW-Authenticate"] == REALM


def test_auth_invalid_token(api):
    response = api.get("/api/v1/accounts/1", token="nope")
    assert response.status_code == 401
    assert response.json == {"errors": [{"message": "Invalid access token."}]}
    assert response.headers["WWW-Authenticate"] == REALM


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("expired", "Expired access token."),
        ("revoked", "Revoked access token."),
        ("no_scope", "Insufficient scopes on access token."),
    ],
)
def test_auth_token_states(api, state, message):
    api.control("POST", "tokens", json={"token": "t2", "state": state})
    response = api.get("/api/v1/accounts/1", token="t2")
    assert response.status_code == 401
    assert response.json["errors"][0]["message"] == message
    assert response.headers["WWW-Authenticate"] == REALM
    if state == "expired":
        assert response.json["errors"][0]["expired_at"]


def test_auth_access_token_parameter(api):
    assert (
        api.get("/api/v1/accounts/1?access_token=test-token", token="").status_code
        == 200
    )


@pytest.mark.parametrize("status", [401, 403])
def test_auth_not_permitted(api, status):
    api.control("PUT", "config", json={"permission_status": status})
    api.control("POST", "tokens", json={"token": "student", "admin": False})
    response = api.get("/api/v1/accounts/1/users", token="student")
    assert response.status_code == status
    assert response.json == {
        "status": "unauthorized",
        "errors": [{"message": "user not authorized to perform that action"}],
    }
    assert "WWW-Authenticate" not in response.headers
    assert api.get("/api/v1/users/self", token="student").status_code == 200


def test_unknown_id_is_404(api):
    response = api.get("/api/v1/users/999")
    assert response.status_code == 404
    assert response.json == {
        "errors": [{"message": "The specified resource does not exist."}]
    }


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/users/sis_user_id:nobody",
        "/api/v1/courses/sis_course_id:none",
        "/api/v1/sections/sis_section_id:none",
        "/api/v1/accounts/1/terms/sis_term_id:none",
        "/api/v1/no/such/route",
    ],
)
def test_unknown_sis_ids_and_routes_are_404(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response.json["errors"][0]["message"].startswith("The specified resource")


def test_internal_error_shape(api):
    api.control("POST", "faults", json={"path": "/api/v1/accounts/1"})
    response = api.get("/api/v1/accounts/1")
    assert response.status_code == 500
    body = response.json
    assert body["errors"] == [
        {"message": "An error occurred.", "error_code": "internal_server_error"}
    ]
    assert isinstance(body["error_report_id"], int)


def test_masquerade_invalid_user(api):
    response = api.get("/api/v1/users/self?as_user_id=4242")
    assert response.status_code == 401
    assert response.json == {"errors": "Invalid as_user_id"}


def test_masquerade_by_sis_id(api, make_user):
    user = make_user("Bo Diaz", sis="S9")
    response = api.get("/api/v1/users/self?as_user_id=sis_user_id:S9")
    assert response.json["id"] == user["id"]
