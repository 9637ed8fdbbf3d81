"""Resolve the ids Canvas accepts in paths: numbers, SIS ids and special words."""

from datetime import UTC, datetime

from flask import g

from .web import as_int, not_found

# Set by the raw-path middleware in place of "%2F" so a SIS id may hold "/".
SLASH = "\ue000"


def _split(ident):
    """Split `sis_user_id:X` into its type and value; plain ids give no type."""
    ident = str(ident).replace(SLASH, "/")
    kind, sep, value = ident.partition(":")
    if sep and kind.startswith("sis_"):
        return kind, value
    return None, ident


def user(store, ident):
    """The user named by an id, `sis_user_id:`, `sis_login_id:` or `self`."""
    kind, value = _split(ident)
    row = None
    if kind is None and value == "self":
        row = store.get("users", g.acting_user_id)
    elif kind is None:
        row = store.get("users", as_int(value))
    elif kind in ("sis_user_id", "sis_login_id", "sis_integration_id"):
        login = login_by(store, kind, value)
        row = store.get("users", login["user_id"]) if login else None
    if row is None or row.get("workflow_state") == "deleted":
        raise not_found()
    return row


def login_by(store, kind, value):
    """The active login with the SIS user id, login id or integration id given."""
    field = {
        "sis_user_id": "sis_user_id",
        "sis_login_id": "unique_id",
        "sis_integration_id": "integration_id",
    }[kind]
    wanted = value.lower() if field == "unique_id" else value
    rows = store.tables["logins"].values()
    if field == "sis_user_id":
        rows = store.find("logins", sis_user_id=value)
    for login in rows:
        if login["workflow_state"] == "deleted":
            continue
        found = login.get(field)
        if found is not None and field == "unique_id":
            found = found.lower()
        if found == wanted:
            return login
    return None


def _by_sis(store, table, field, value):
    """The row of `table` whose `field` equals `value`."""
    for row in store.tables[table].values():
        if row.get(field) == value:
            return row
    return None


def course(store, ident, allow_deleted=False):
    """The course named by an id, `sis_course_id:` or `sis_integration_id:`."""
    kind, value = _split(ident)
    if kind is None:
        row = store.get("courses", as_int(value))
    elif kind == "sis_course_id":
        row = _by_sis(store, "courses", "sis_course_id", value)
    elif kind == "sis_integration_id":
        row = _by_sis(store, "courses", "integration_id", value)
    else:
        row = None
    if row is None or (row["workflow_state"] == "deleted" and not allow_deleted):
        raise not_found()
    return row


def section(store, ident):
    """The section named by an id, `sis_section_id:` or `sis_integration_id:`."""
    kind, value = _split(ident)
    if kind is None:
        row = store.get("sections", as_int(value))
    elif kind == "sis_section_id":
        row = _by_sis(store, "sections", "sis_section_id", value)
    elif kind == "sis_integration_id":
        row = _by_sis(store, "sections", "integration_id", value)
    else:
        row = None
    if row is None or row["workflow_state"] == "deleted":
        raise not_found()
    return row


def account(store, ident):
    """The account named by an id, `sis_account_id:`, `self` or `default`."""
    kind, value = _split(ident)
    if kind is None and value in ("self", "default", "site_admin"):
        row = store.get("accounts", 1)
    elif kind is None:
        row = store.get("accounts", as_int(value))
    elif kind == "sis_account_id":
        row = _by_sis(store, "accounts", "sis_account_id", value)
    else:
        row = None
    if row is None:
        raise not_found()
    return row


def term(store, ident):
    """The term named by an id, `sis_term_id:`, `default` or `current`."""
    kind, value = _split(ident)
    row = None
    if kind is None and value == "default":
        row = store.get("terms", 1)
    elif kind is None and value == "current":
        row = current_term(store)
    elif kind is None:
        row = store.get("terms", as_int(value))
    elif kind == "sis_term_id":
        row = _by_sis(store, "terms", "sis_term_id", value)
    if row is None or row["workflow_state"] == "deleted":
        raise not_found()
    return row


def current_term(store):
    """The active term whose dates hold today, else the default term."""
    today = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for row in store.tables["terms"].values():
        if row["workflow_state"] != "active" or row["id"] == 1:
            continue
        start, end = row.get("start_at"), row.get("end_at")
        if start and end and start <= today <= end:
            return row
    return store.get("terms", 1)
