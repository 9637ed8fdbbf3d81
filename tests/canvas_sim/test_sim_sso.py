"""Raw HTTP: session tokens and the page a session URL opens."""

from urllib.parse import urlparse


def _open(api, url):
    """Open a session URL in the test client, as a browser would."""
    parsed = urlparse(url)
    return api.client.get(f"{parsed.path}?{parsed.query}")


def test_session_token_signs_in_target_user(api, make_user):
    user = make_user("Ann Lee", login="ann@school.org", sis="S1")
    answer = api.get(
        "/login/session_token?as_user_id=sis_user_id:S1"
        "&return_to=http://localhost/courses/3"
    )
    assert answer.status_code == 200
    assert answer.json["requires_terms_acceptance"] is False
    url = answer.json["session_url"]
    assert url.startswith("http://localhost/courses/3?session_token=")

    page = _open(api, url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Signed in as Ann Lee" in text
    assert "ann@school.org" in text and "S1" in text
    assert f"Canvas user id: {user['id']}" in text
    assert "Signed in as Ann Lee" in api.client.get("/courses/3").get_data(as_text=True)


def test_session_token_reuse_refused(api):
    url = api.get("/login/session_token").json["session_url"]
    assert _open(api, url).status_code == 200
    again = _open(api, url)
    assert again.status_code == 401
    assert "Not signed in" in again.get_data(as_text=True)


def test_session_token_defaults_to_token_user(api):
    url = api.get("/login/session_token").json["session_url"]
    assert "Signed in as Sim Admin" in _open(api, url).get_data(as_text=True)


def test_session_token_other_host_refused(api):
    response = api.get("/login/session_token?return_to=http://evil.example/x")
    assert response.status_code == 401
    assert response.json["status"] == "unauthorized"


def test_session_token_unparseable_return_to(api):
    response = api.get("/login/session_token?return_to=http://localhost:99999999/")
    assert response.status_code == 400
    assert response.json == {"error": "Invalid redirect URL"}


def test_session_token_needs_a_token(api):
    assert api.get("/login/session_token", token="").status_code == 401
