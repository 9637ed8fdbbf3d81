"""Every route but sign-in and static files turns anonymous visitors away."""

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from app import create_app
from tests.conftest import _config

PUBLIC = {"auth.login", "static"}


def _sample_url(rule):
    """Fill a rule's arguments with plausible values."""
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = 1
        elif isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = "x"
    return rule.build(values, append_unknown=False)[1]


def _guarded_rules():
    app = create_app(_config("sqlite://", "redis://unused"))
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            rules.append((method, _sample_url(rule), rule.endpoint))
    return rules


@pytest.mark.parametrize(("method", "url", "endpoint"), _guarded_rules())
def test_anonymous_is_sent_to_sign_in(client, method, url, endpoint):
    if method == "GET":
        response = client.get(url)
    else:
        response = client.open(
            url, method=method, data={"csrf_token": client.csrf_token()}
        )
    assert response.status_code == 302, endpoint
    assert response.headers["Location"].startswith("/login"), endpoint
