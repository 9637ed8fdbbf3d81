"""Page or fragment: one rule for every htmx-aware view."""

import pytest


@pytest.mark.parametrize(
    ("headers", "whole_page"),
    [
        ({}, True),
        ({"HX-Request": "true"}, False),
        ({"HX-Request": "true", "HX-Boosted": "true"}, True),
        ({"HX-Request": "true", "HX-History-Restore-Request": "true"}, True),
    ],
)
def test_students_grid_page_or_fragment(client, login, headers, whole_page):
    login("admin")
    response = client.get("/students", headers=headers)
    assert response.status_code == 200
    assert (b"<html" in response.data) is whole_page
    assert "HX-Request" in response.headers["Vary"]
