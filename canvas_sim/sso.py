"""`GET /login/session_token` and the page its one-time session URL opens."""

import re
import secrets
import time
from urllib.parse import urlsplit, urlunsplit

from flask import Blueprint, Response, g, request
from markupsafe import escape

from .auth import unauthorized
from .web import CanvasError, json_response, not_found, param, sim, store

bp = Blueprint("sso", __name__)

COOKIE = "canvas_sim_session"


# What Ruby's URI.parse (RFC 3986) accepts; anything else is "Invalid redirect URL".
_URI_TEXT = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")


@bp.get("/login/session_token")
def session_token():
    """Make a one-time login URL for the acting user (see `as_user_id`).

    As LoginController#session_token: `return_to` (else the Referer, else the
    root) must be absolute with the request's scheme and host (any port,
    host compared case-insensitively); the token is appended to its query.
    """
    target = param("return_to") or request.referrer or request.host_url
    try:
        if not _URI_TEXT.match(target):
            raise ValueError(target)
        parsed = urlsplit(target)
        host = parsed.hostname
    except ValueError:
        raise CanvasError(400, {"error": "Invalid redirect URL"}) from None
    own = urlsplit(request.host_url).hostname
    if parsed.scheme != request.scheme or not host or host != own:
        raise unauthorized()
    token = secrets.token_urlsafe(24)
    store().insert(
        "session_tokens",
        {
            "token": token,
            "user_id": g.acting_user_id,
            "real_user_id": g.real_user_id,
            "created": time.time(),
            "used": False,
        },
    )
    query = f"{parsed.query}&" if parsed.query else ""
    url = urlunsplit(parsed._replace(query=f"{query}session_token={token}"))
    return json_response({"session_url": url, "requires_terms_acceptance": False})


def _redeem(token):
    """Use a session token once; the row, or None if unknown, used or stale."""
    ttl = sim().config["session_token_ttl_s"]
    row = store().first("session_tokens", token=token)
    if row is None or row["used"] or time.time() - row["created"] > ttl:
        return None
    row["used"] = True
    store().touch("session_tokens", row)
    return row


def _page(title, lines, status=200):
    """A minimal HTML page."""
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    html = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{escape(title)} | Canvas simulator</title></head><body>"
        f"<h1>{escape(title)}</h1><ul>{items}</ul></body></html>"
    )
    return Response(html, status, mimetype="text/html")


def _who(user_id):
    """Lines describing a user: name, login and SIS id."""
    from .users import primary_login

    user = store().get("users", user_id)
    login = primary_login(user_id) or {}
    return [
        f"Name: {user['name']}",
        f"Login: {login.get('unique_id')}",
        f"SIS ID: {login.get('sis_user_id') or '-'}",
        f"Canvas user id: {user_id}",
    ]


@bp.get("/", defaults={"path": ""})
@bp.get("/<path:path>")
def web_page(path):
    """Any Canvas web page: signs in with `session_token`, shows who is in."""
    if path.startswith(("api/", "sim/")):
        raise not_found()
    sessions = sim().sessions
    where = [f"Page: /{path}"]
    token = request.args.get("session_token")
    if token:
        row = _redeem(token)
        if row is None:
            return _page(
                "Not signed in",
                ["The session token is invalid, expired or already used.", *where],
                401,
            )
        cookie = secrets.token_urlsafe(16)
        sessions[cookie] = (row["user_id"], row["real_user_id"])
        lines = _who(row["user_id"])
        if row["user_id"] != row["real_user_id"]:
            real = store().get("users", row["real_user_id"])
            lines.append(
                f"Masquerading: signed in by {real['name']} "
                f"(Canvas user id {row['real_user_id']})"
            )
        response = _page(
            f"Signed in as {store().get('users', row['user_id'])['name']}",
            lines + where,
        )
        response.set_cookie(COOKIE, cookie, httponly=True, samesite="Lax")
        return response
    signed = sessions.get(request.cookies.get(COOKIE, ""))
    if signed:
        user = store().get("users", signed[0])
        return _page(f"Signed in as {user['name']}", _who(signed[0]) + where)
    return _page("Not signed in", ["Log in to Canvas.", *where])
