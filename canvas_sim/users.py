"""Users and their logins (pseudonyms)."""

import logging

from flask import Blueprint, g

from . import lookup
from .auth import can_manage_sis
from .pagination import paginate
from .store import now_iso
from .web import (
    CanvasError,
    as_int,
    flag,
    has,
    includes,
    json_response,
    param,
    store,
    validation_body,
)

logger = logging.getLogger(__name__)

bp = Blueprint("users", __name__, url_prefix="/api/v1")

MIN_SEARCH_TERM = 2
TAKEN_LOGIN = "ID already in use for this account and authentication provider"
TOO_SHORT = ("too_short", "too_short")


def split_name(name):
    """Canvas's first and last name guesses: the last word is the surname."""
    words = (name or "").split()
    if len(words) < 2:
        return (name or ""), ""
    return " ".join(words[:-1]), words[-1]


def sortable(name):
    """`Last, First` from a full name."""
    first, last = split_name(name)
    return f"{last}, {first}" if last else first


def primary_login(user_id):
    """A user's first login that is not deleted."""
    for login in store().find("logins", user_id=user_id):
        if login["workflow_state"] != "deleted":
            return login
    return None


def user_json(user, with_email=True):
    """A User as Canvas renders it for an admin."""
    login = primary_login(user["id"]) or {}
    body = {
        "id": user["id"],
        "name": user["name"],
        "created_at": user["created_at"],
        "sortable_name": user["sortable_name"],
        "last_name": user["last_name"],
        "first_name": user["first_name"],
        "short_name": user["short_name"],
        "sis_user_id": login.get("sis_user_id"),
        "sis_import_id": login.get("sis_import_id"),
        "integration_id": login.get("integration_id"),
        "login_id": login.get("unique_id"),
        "avatar_url": user.get("avatar_url"),
        "locale": user.get("locale"),
        "last_login": user.get("last_login"),
        "time_zone": user.get("time_zone"),
        "bio": user.get("bio"),
        "pronouns": user.get("pronouns"),
    }
    if with_email:
        body["email"] = user.get("email")
    return body


def login_json(login):
    """A Login as Canvas renders it."""
    keys = (
        "id",
        "user_id",
        "account_id",
        "unique_id",
        "sis_user_id",
        "integration_id",
        "authentication_provider_id",
        "authentication_provider_type",
        "workflow_state",
        "declared_user_type",
        "created_at",
    )
    return {key: login.get(key) for key in keys}


def login_errors(unique_id, sis_user_id, integration_id, provider_id, login=None):
    """Pseudonym validation: blank or taken unique id, taken SIS/integration id."""
    errors = {}
    if not unique_id:
        errors["unique_id"] = TOO_SHORT
    for other in store().tables["logins"].values():
        if other is login or other["workflow_state"] == "deleted":
            continue
        if (
            unique_id
            and other["unique_id"].lower() == unique_id.lower()
            and other.get("authentication_provider_id") == provider_id
        ):
            errors["unique_id"] = ("taken", TAKEN_LOGIN)
        if sis_user_id and other.get("sis_user_id") == sis_user_id:
            errors["sis_user_id"] = (
                "taken",
                f'SIS ID "{sis_user_id}" is already in use',
            )
        if integration_id and other.get("integration_id") == integration_id:
            message = f'Integration ID "{integration_id}" is already in use'
            errors["integration_id"] = ("taken", message)
    return errors


def new_user(name, short_name=None, sortable_name=None, email=None, **extra):
    """Insert a user row with Canvas's name defaults and return it."""
    sortable_name = sortable_name or sortable(name)
    last, _, first = sortable_name.partition(", ")
    user = {
        "name": name,
        "short_name": short_name or name,
        "sortable_name": sortable_name,
        "first_name": first if first else last,
        "last_name": last if first else "",
        "email": email,
        "locale": None,
        "time_zone": None,
        "created_at": now_iso(),
        "avatar_url": None,
        "bio": None,
        "pronouns": None,
        "last_login": None,
        "workflow_state": "registered",
        "is_admin": False,
    }
    user.update(extra)
    return store().insert("users", user)


def new_login(user_id, unique_id, sis_user_id=None, integration_id=None, **extra):
    """Insert a login row for a user and return it."""
    login = {
        "user_id": user_id,
        "account_id": 1,
        "unique_id": unique_id,
        "sis_user_id": sis_user_id,
        "integration_id": integration_id,
        "authentication_provider_id": None,
        "authentication_provider_type": None,
        "workflow_state": "active",
        "declared_user_type": None,
        "created_at": now_iso(),
        "sis_import_id": None,
        "password_set": False,
    }
    login.update(extra)
    return store().insert("logins", login)


def _reactivate(sis_user_id):
    """A deleted login holding `sis_user_id`, for `enable_sis_reactivation`."""
    for login in store().tables["logins"].values():
        if login["workflow_state"] == "deleted" and login["sis_user_id"] == sis_user_id:
            return login
    return None


@bp.post("/accounts/<account_id>/users")
def create_user(account_id):
    """Create a user with one login; the duplicate-login answer is Canvas's."""
    lookup.account(store(), account_id)
    unique_id = (param("pseudonym[unique_id]") or "").strip()
    sis_user_id = param("pseudonym[sis_user_id]") if can_manage_sis() else None
    integration_id = param("pseudonym[integration_id]") or None
    provider = as_int(param("pseudonym[authentication_provider_id]"))
    sis_user_id = sis_user_id or None

    revived = (
        sis_user_id and flag("enable_sis_reactivation") and _reactivate(sis_user_id)
    )
    if revived:
        revived["workflow_state"] = "active"
        store().touch("logins", revived)
        user = store().get("users", revived["user_id"])
        user["workflow_state"] = "registered"
        store().touch("users", user)
        return json_response(user_json(user))

    errors = login_errors(unique_id, sis_user_id, integration_id, provider)
    if errors:
        raise CanvasError(
            400,
            {
                "errors": {
                    "user": {},
                    "pseudonym": validation_body(errors),
                    "observee": {},
                    "pairing_code": {},
                    "recaptcha": None,
                }
            },
        )

    email = None
    if param("communication_channel[type]", "email") == "email":
        email = param("communication_channel[address]")
    if not email and "@" in unique_id:
        email = unique_id
    user = new_user(
        param("user[name]") or unique_id,
        short_name=param("user[short_name]"),
        sortable_name=param("user[sortable_name]"),
        email=email,
        time_zone=param("user[time_zone]"),
        locale=param("user[locale]"),
    )
    new_login(
        user["id"],
        unique_id,
        sis_user_id,
        integration_id,
        authentication_provider_id=provider,
        password_set=bool(param("pseudonym[password]")),
    )
    logger.info("user %d created by user %d", user["id"], g.real_user_id)
    return json_response(user_json(user))


@bp.get("/users/<user_id>")
def get_user(user_id):
    """Show a user by id, `sis_user_id:`, `sis_login_id:` or `self`."""
    return json_response(user_json(lookup.user(store(), user_id)))


@bp.put("/users/<user_id>")
def update_user(user_id):
    """Edit a user's names, email, time zone, locale; suspend or unsuspend."""
    user = lookup.user(store(), user_id)
    for key in ("name", "short_name", "sortable_name", "email", "time_zone", "locale"):
        if has(f"user[{key}]"):
            user[key] = param(f"user[{key}]")
    if has("user[name]") and not has("user[sortable_name]"):
        user["sortable_name"] = sortable(user["name"])
    last, _, first = user["sortable_name"].partition(", ")
    user["first_name"], user["last_name"] = (first, last) if first else (last, "")
    event = param("user[event]")
    if event in ("suspend", "unsuspend"):
        state = "suspended" if event == "suspend" else "active"
        for login in store().find("logins", user_id=user["id"]):
            if login["workflow_state"] != "deleted":
                login["workflow_state"] = state
                store().touch("logins", login)
    store().touch("users", user)
    return json_response(user_json(user))


def _matches(user, term):
    """Canvas's user search: name, login, email, SIS or integration id."""
    term = term.lower()
    if term in user["name"].lower() or term in (user.get("email") or "").lower():
        return True
    for login in store().find("logins", user_id=user["id"]):
        if login["workflow_state"] == "deleted":
            continue
        if term in login["unique_id"].lower():
            return True
        if term in (login.get("sis_user_id") or "").lower():
            return True
        if term == (login.get("integration_id") or "").lower():
            return True
    return term == str(user["id"])


def _enrolled_as(user_id, kind):
    """Whether the user holds a live enrollment of the short type `kind`."""
    wanted = f"{kind.capitalize()}Enrollment"
    return any(
        row["type"] == wanted and row["workflow_state"] != "deleted"
        for row in store().find("enrollments", user_id=user_id)
    )


_SORT_KEYS = {
    "username": lambda u, login: u["sortable_name"].lower(),
    "email": lambda u, login: (u.get("email") or "").lower(),
    "sis_id": lambda u, login: login.get("sis_user_id") or "",
    "integration_id": lambda u, login: login.get("integration_id") or "",
    "last_login": lambda u, login: u.get("last_login") or "",
    "id": lambda u, login: u["id"],
}


@bp.get("/accounts/<account_id>/users")
def list_users(account_id):
    """List or search the users of an account."""
    lookup.account(store(), account_id)
    term = param("search_term")
    if term is not None and len(term.strip()) < MIN_SEARCH_TERM:
        message = f"{MIN_SEARCH_TERM} or more characters is required"
        raise CanvasError(
            400,
            {
                "errors": [
                    {"field": "search_term", "code": "invalid", "message": message}
                ]
            },
        )
    users = [u for u in store().rows("users") if u["workflow_state"] != "deleted"]
    if term:
        users = [u for u in users if _matches(u, term.strip())]
    if param("enrollment_type"):
        users = [u for u in users if _enrolled_as(u["id"], param("enrollment_type"))]
    key = _SORT_KEYS.get(param("sort", "username"), _SORT_KEYS["username"])
    users.sort(
        key=lambda u: (key(u, primary_login(u["id"]) or {}), u["id"]),
        reverse=param("order") == "desc",
    )
    with_email = "email" in includes()
    return paginate(users, lambda u: user_json(u, with_email), with_last=False)
