"""Logins (pseudonyms): list, add, edit, delete."""

from flask import Blueprint

from . import lookup
from .auth import can_manage_sis
from .pagination import paginate
from .users import login_errors, login_json, new_login
from .web import as_int, field_errors, has, json_response, not_found, param, store

bp = Blueprint("logins", __name__, url_prefix="/api/v1")


@bp.get("/users/<user_id>/logins")
def list_user_logins(user_id):
    """List a user's logins."""
    user = lookup.user(store(), user_id)
    rows = [
        login
        for login in store().find("logins", user_id=user["id"])
        if login["workflow_state"] != "deleted"
    ]
    return paginate(rows, login_json)


@bp.get("/accounts/<account_id>/logins")
def list_account_logins(account_id):
    """List the logins of an account."""
    lookup.account(store(), account_id)
    rows = [r for r in store().rows("logins") if r["workflow_state"] != "deleted"]
    return paginate(rows, login_json)


@bp.post("/accounts/<account_id>/logins")
def create_login(account_id):
    """Add a login to an existing user."""
    lookup.account(store(), account_id)
    user_ident = param("user[id]")
    if not user_ident:
        raise not_found()
    user = lookup.user(store(), user_ident)
    unique_id = (param("login[unique_id]") or "").strip()
    sis_user_id = (param("login[sis_user_id]") if can_manage_sis() else None) or None
    integration_id = param("login[integration_id]") or None
    provider = as_int(param("login[authentication_provider_id]"))
    errors = login_errors(unique_id, sis_user_id, integration_id, provider)
    if errors:
        raise field_errors(errors)
    login = new_login(
        user["id"],
        unique_id,
        sis_user_id,
        integration_id,
        authentication_provider_id=provider,
        password_set=bool(param("login[password]")),
    )
    return json_response(login_json(login))


@bp.put("/accounts/<account_id>/logins/<int:login_id>")
def update_login(account_id, login_id):
    """Edit a login's unique id, SIS id, integration id or state."""
    lookup.account(store(), account_id)
    login = store().get("logins", login_id)
    if login is None or login["workflow_state"] == "deleted":
        raise not_found()
    unique_id = param("login[unique_id]", login["unique_id"]).strip()
    sis_user_id = login["sis_user_id"]
    if has("login[sis_user_id]") and can_manage_sis():
        sis_user_id = param("login[sis_user_id]") or None
    integration_id = param("login[integration_id]", login["integration_id"]) or None
    errors = login_errors(
        unique_id,
        sis_user_id,
        integration_id,
        login["authentication_provider_id"],
        login,
    )
    if errors:
        raise field_errors(errors)
    login.update(
        unique_id=unique_id, sis_user_id=sis_user_id, integration_id=integration_id
    )
    if param("login[workflow_state]") in ("active", "suspended"):
        login["workflow_state"] = param("login[workflow_state]")
    store().touch("logins", login)
    return json_response(login_json(login))


@bp.delete("/users/<user_id>/logins/<int:login_id>")
def delete_login(user_id, login_id):
    """Delete a login, refusing to remove a user's last one."""
    user = lookup.user(store(), user_id)
    login = store().get("logins", login_id)
    if login is None or login["user_id"] != user["id"]:
        raise not_found()
    live = [
        row
        for row in store().find("logins", user_id=user["id"])
        if row["workflow_state"] != "deleted"
    ]
    if len(live) < 2:
        message = "Users must have at least one login"
        raise field_errors({"base": (message, message)})
    login["workflow_state"] = "deleted"
    store().touch("logins", login)
    return json_response(login_json(login))
