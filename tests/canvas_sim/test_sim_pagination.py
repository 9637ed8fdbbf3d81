"""Raw HTTP: Link pagination as Canvas answers it."""

import pytest


@pytest.fixture
def many_courses(make_course):
    """Twenty-five courses, Course 00 to Course 24."""
    for n in range(25):
        make_course(f"Course {n:02d}")


def _rels(response):
    """The rel names of a Link header, in order."""
    return [
        part.split('rel="')[1].rstrip('"')
        for part in response.headers["Link"].split(",")
    ]


def test_pagination_default_page_size(api, many_courses):
    response = api.get("/api/v1/accounts/1/courses")
    assert len(response.json) == 10
    assert _rels(response) == ["current", "next", "first", "last"]


def test_pagination_middle_page_order(api, many_courses):
    response = api.get("/api/v1/accounts/1/courses?page=2")
    assert _rels(response) == ["current", "next", "prev", "first", "last"]


def test_pagination_follow_next(api, many_courses):
    url, names = "/api/v1/accounts/1/courses?per_page=7", []
    while url:
        response = api.get(url)
        names += [c["name"] for c in response.json]
        nxt = [p for p in response.headers["Link"].split(",") if 'rel="next"' in p]
        url = (
            nxt[0].split(";")[0].strip("<> ").replace("http://localhost", "")
            if nxt
            else None
        )
    assert names == [f"Course {n:02d}" for n in range(25)]


def test_pagination_per_page_clamped(api, many_courses):
    assert len(api.get("/api/v1/accounts/1/courses?per_page=500").json) == 25
    response = api.get("/api/v1/accounts/1/courses?per_page=0")
    assert len(response.json) == 1
    assert (
        "per_page=100"
        in api.get("/api/v1/accounts/1/courses?per_page=500").headers["Link"]
    )


def test_pagination_per_page_read_like_ruby_to_i(api, many_courses):
    # Api.per_page_for: per_page.to_i.clamp(1, max); a word or blank is 0 -> 1.
    for value, size in (("abc", 1), ("", 1), ("12abc", 12), ("-5", 1), (" 3", 3)):
        response = api.get(
            "/api/v1/accounts/1/courses", query_string={"per_page": value}
        )
        assert len(response.json) == size, value
        assert f"per_page={size}" in response.headers["Link"]


def test_pagination_past_the_end(api, many_courses):
    response = api.get("/api/v1/accounts/1/courses?page=9")
    assert response.status_code == 200
    assert response.json == []


def test_pagination_users_have_no_last(api, make_user):
    for n in range(3):
        make_user(f"User{n} Test", login=f"u{n}@x.org")
    response = api.get("/api/v1/accounts/1/users?per_page=2")
    assert "last" not in _rels(response)
    assert "next" in _rels(response)


def test_pagination_keeps_other_parameters(api, many_courses):
    response = api.get("/api/v1/accounts/1/courses?search_term=Course&per_page=5")
    assert "search_term=Course" in response.headers["Link"]
