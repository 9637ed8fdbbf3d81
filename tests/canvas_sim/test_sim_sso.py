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
    # Ruby's URI.parse refuses a space or a stray bracket; Canvas answers 400.
    for bad in ("http://localhost/a b", "http://[localhost/"):
        response = api.get("/login/session_token", query_string={"return_to": bad})
        assert response.status_code == 400
        assert response.json == {"error": "Invalid redirect URL"}


def test_session_token_relative_or_other_scheme_refused(api):
    for target in ("/courses/1", "https://localhost/courses/1"):
        response = api.get("/login/session_token", query_string={"return_to": target})
        assert response.status_code == 401, target


def test_session_token_any_port_and_query_kept_as_sent(api):
    # Canvas compares the host only (case-insensitively) and appends the token.
    target = "http://LOCALHOST:5000/sso?next=%2Fhome&x=a+b"
    response = api.get("/login/session_token", query_string={"return_to": target})
    assert response.status_code == 200
    url = response.json["session_url"]
    assert url.startswith("http://LOCALHOST:5000/sso?next=%2Fhome&x=a+b&session_token=")


def test_session_token_defaults_to_referer(api):
    response = api.get(
        "/login/session_token", headers={"Referer": "http://localhost/courses/9"}
    )
    assert response.json["session_url"].startswith(
        "http://localhost/courses/9?session_token="
    )


def test_session_token_masquerade_page_names_both_users(api, make_user):
    make_user("Ann Lee", login="ann@school.org", sis="S1")
    url = api.get("/login/session_token?as_user_id=sis_user_id:S1").json["session_url"]
    text = _open(api, url).get_data(as_text=True)
    assert "Signed in as Ann Lee" in text
    assert "Masquerading: signed in by Sim Admin (Canvas user id 1)" in text


def test_session_token_as_user_id_needs_an_admin(api, make_user):
    user = make_user("Ann Lee", login="ann@school.org", sis="S1")
    api.control(
        "POST", "tokens", json={"token": "ann2", "user_id": user["id"], "admin": False}
    )
    own = api.get("/login/session_token", token="ann2")
    assert own.status_code == 200
    other = api.get("/login/session_token?as_user_id=1", token="ann2")
    assert other.status_code == 401
    assert other.json == {"errors": "Invalid as_user_id"}


def test_session_token_needs_a_token(api):
    assert api.get("/login/session_token", token="").status_code == 401
