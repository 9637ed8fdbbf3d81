"""Access tokens, their 401 answers, permissions and masquerading."""

import threading

from flask import g, request

from . import lookup
from .web import CanvasError, param, sim

REALM = {"WWW-Authenticate": 'Bearer realm="canvas-lms"'}

_TOKEN_ERRORS = {
    "invalid": "Invalid access token.",
    "expired": "Expired access token.",
    "revoked": "Revoked access token.",
    "no_scope": "Insufficient scopes on access token.",
}


class Tokens:
    """The access tokens the simulator accepts and what each may do.

    A token's `state` is `active`, `expired`, `revoked` or `no_scope`; an
    `admin` token may do everything, a non-admin one only read its own user;
    `manage_sis: false` makes SIS ids be dropped as Canvas does.
    """

    def __init__(self, main_token):
        self.lock = threading.Lock()
        self.main = main_token
        self.tokens = {}
        self.reset()

    def reset(self):
        """Keep only the main token, an admin acting as user 1."""
        with self.lock:
            self.tokens = {self.main: self._spec({})}

    @staticmethod
    def _spec(spec):
        """Fill in a token description's defaults."""
        return {
            "user_id": int(spec.get("user_id", 1)),
            "state": spec.get("state", "active"),
            "admin": bool(spec.get("admin", True)),
            "manage_sis": bool(spec.get("manage_sis", True)),
            "expired_at": spec.get("expired_at", "2020-01-01T00:00:00Z"),
        }

    def add(self, token, spec):
        """Accept another token (or redefine one)."""
        if spec.get("state", "active") not in ("active", *_TOKEN_ERRORS):
            raise ValueError("state must be active, expired, revoked or no_scope")
        with self.lock:
            self.tokens[token] = self._spec(spec)
            return dict(self.tokens[token], token=token)

    def get(self, token):
        """The description of `token`, or None."""
        return self.tokens.get(token)


def bearer_token():
    """The token of the request, from the header or the access_token parameter."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return param("access_token")


def authenticate():
    """Find the request's token and acting user or raise Canvas's 401."""
    token = bearer_token()
    if not token:
        raise CanvasError(
            401,
            {
                "status": "unauthenticated",
                "errors": [{"message": "user authorization required"}],
            },
            REALM,
        )
    spec = sim().tokens.get(token)
    state = spec["state"] if spec else "invalid"
    if state != "active":
        error = {"message": _TOKEN_ERRORS[state]}
        if state == "expired":
            error["expired_at"] = spec["expired_at"]
        raise CanvasError(401, {"errors": [error]}, REALM)
    g.token = token
    g.token_spec = spec
    g.real_user_id = spec["user_id"]
    g.acting_user_id = spec["user_id"]


def unauthorized():
    """The answer to a request the token's user may not make."""
    status = sim().config["permission_status"]
    return CanvasError(
        status,
        {
            "status": "unauthorized",
            "errors": [{"message": "user not authorized to perform that action"}],
        },
    )


def authorize():
    """Let admins through; others may only read their own user record."""
    if g.token_spec["admin"]:
        return
    own = {f"/api/v1/users/{part}" for part in ("self", g.real_user_id)}
    if request.method == "GET" and request.path.rstrip("/") in own:
        return
    if request.path == "/login/session_token" and not param("as_user_id"):
        return
    raise unauthorized()


def masquerade():
    """Act as the user named by `as_user_id`, as Canvas does for admins."""
    ident = param("as_user_id")
    if not ident:
        return
    invalid = CanvasError(401, {"errors": "Invalid as_user_id"})
    if not g.token_spec["admin"]:
        raise invalid
    try:
        user = lookup.user(sim().store, ident)
    except CanvasError:
        raise invalid from None
    g.acting_user_id = user["id"]


def can_manage_sis():
    """Whether the token's user has the manage_sis permission."""
    return g.token_spec["admin"] and g.token_spec["manage_sis"]
