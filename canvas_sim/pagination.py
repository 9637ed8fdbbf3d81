"""Canvas's `Link` header pagination with numbered pages."""

import re
from urllib.parse import quote, urlencode

from flask import request

from .web import json_response, param

DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 100


def _page_url(page, per_page):
    """The current URL with its page and per_page replaced."""
    query = [
        (key, value)
        for key, values in request.args.lists()
        for value in values
        if key not in ("page", "per_page")
    ]
    query += [("page", page), ("per_page", per_page)]
    return f"{request.host_url.rstrip('/')}{_path_as_sent()}?{urlencode(query)}"


def _path_as_sent():
    """The request's path still percent-escaped, as the client sent it.

    Rebuilding it from the decoded path would put a raw `é` in the header and
    turn an escaped `/` inside a SIS id into a real one.
    """
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if raw:
        path = raw.split("?", 1)[0]
        if "://" in path:
            path = "/" + path.split("://", 1)[1].partition("/")[2]
        return path
    return quote(request.path, safe="/:@!$&'()*+,;=~")


def _int(value, default):
    """`value` as an int, or `default` when it is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


_LEADING_INT = re.compile(r"\s*([+-]?\d+)")


def ruby_to_i(text):
    """Ruby's String#to_i: the leading integer, 0 when there is none."""
    found = _LEADING_INT.match(text)
    return int(found.group(1)) if found else 0


def per_page():
    """Api.per_page_for: `per_page.to_i.clamp(1, 100)`; absent means 10.

    Any value given counts, even a blank or a word (both become 1).
    """
    asked = param("per_page")
    if asked is None:
        return DEFAULT_PER_PAGE
    return min(max(ruby_to_i(asked), 1), MAX_PER_PAGE)


def paginate(items, serialise, with_last=True, wrap=None):
    """Answer one page of `items` with a Link header, as Canvas does.

    `serialise` turns one item into JSON; `with_last=False` leaves out
    `rel="last"` (Canvas does for bookmarked lists); `wrap` names a key to
    wrap the list in (`{"enrollment_terms": [...]}`).
    """
    size = per_page()
    page = max(_int(param("page"), 1), 1)
    last = max((len(items) + size - 1) // size, 1)
    chunk = items[(page - 1) * size : page * size]

    links = [("current", page)]
    if page < last:
        links.append(("next", page + 1))
    if page > 1:
        links.append(("prev", page - 1))
    links.append(("first", 1))
    if with_last:
        links.append(("last", last))
    header = ",".join(f'<{_page_url(p, size)}>; rel="{rel}"' for rel, p in links)

    body = [serialise(item) for item in chunk]
    if wrap:
        body = {wrap: body}
    return json_response(body, headers={"Link": header})
