"""Accounts and enrollment terms."""

from flask import Blueprint

from . import lookup
from .auth import can_manage_sis
from .pagination import paginate
from .store import now_iso
from .web import (
    CanvasError,
    field_errors,
    has,
    iso,
    json_response,
    param,
    param_list,
    store,
)

bp = Blueprint("accounts", __name__, url_prefix="/api/v1")

ACCOUNT_FIELDS = (
    "id",
    "name",
    "uuid",
    "parent_account_id",
    "root_account_id",
    "default_time_zone",
    "sis_account_id",
    "integration_id",
    "sis_import_id",
    "workflow_state",
)


def account_json(row):
    """An Account as Canvas renders it."""
    return {key: row.get(key) for key in ACCOUNT_FIELDS}


def term_json(row):
    """An EnrollmentTerm as Canvas renders it."""
    return {
        "id": row["id"],
        "name": row["name"],
        "start_at": row["start_at"],
        "end_at": row["end_at"],
        "created_at": row["created_at"],
        "workflow_state": row["workflow_state"],
        "grading_period_group_id": None,
        "sis_term_id": row["sis_term_id"],
        "sis_import_id": row["sis_import_id"],
        "integration_id": row.get("integration_id"),
    }


@bp.get("/accounts")
def list_accounts():
    """List the accounts the caller administers: the root account."""
    return paginate(store().rows("accounts"), account_json)


@bp.get("/accounts/<account_id>")
def get_account(account_id):
    """Show one account."""
    return json_response(account_json(lookup.account(store(), account_id)))


@bp.get("/accounts/<account_id>/terms")
def list_terms(account_id):
    """List terms, filtered by `workflow_state[]` (default active)."""
    lookup.account(store(), account_id)
    states = set(param_list("workflow_state")) or {"active"}
    rows = [
        row
        for row in store().rows("terms")
        if "all" in states or row["workflow_state"] in states
    ]
    return paginate(rows, term_json, wrap="enrollment_terms")


@bp.get("/accounts/<account_id>/terms/<term_id>")
def get_term(account_id, term_id):
    """Show one term."""
    lookup.account(store(), account_id)
    return json_response(term_json(lookup.term(store(), term_id)))


def save_term(row, sis_import_id=None):
    """Apply `enrollment_term[...]` parameters to a term row, validating them."""
    data = store()
    if has("enrollment_term[name]"):
        row["name"] = param("enrollment_term[name]")
    try:
        for key in ("start_at", "end_at"):
            if has(f"enrollment_term[{key}]"):
                row[key] = iso(param(f"enrollment_term[{key}]"))
    except ValueError:
        raise field_errors({"start_at": ("invalid", "invalid date")}) from None
    sis_id = param("enrollment_term[sis_term_id]")
    if sis_id is not None and can_manage_sis():
        taken = data.first("terms", sis_term_id=sis_id)
        if taken and taken is not row:
            message = f'SIS ID "{sis_id}" is already in use'
            raise field_errors({"sis_source_id": (message, message)})
        row["sis_term_id"] = sis_id or None
    if row["start_at"] and row["end_at"] and row["end_at"] < row["start_at"]:
        message = "End dates cannot be before start dates"
        raise field_errors({"end_at": (message, message)})
    return row


@bp.post("/accounts/<account_id>/terms")
def create_term(account_id):
    """Create a term in the root account."""
    lookup.account(store(), account_id)
    row = {
        "name": None,
        "start_at": None,
        "end_at": None,
        "created_at": now_iso(),
        "workflow_state": "active",
        "sis_term_id": None,
        "sis_import_id": None,
        "integration_id": None,
        "account_id": 1,
    }
    save_term(row)
    if not row["name"]:
        raise field_errors({"name": ("blank", "blank")})
    store().insert("terms", row)
    return json_response(term_json(row))


@bp.put("/accounts/<account_id>/terms/<term_id>")
def update_term(account_id, term_id):
    """Update a term's name, dates or SIS id."""
    lookup.account(store(), account_id)
    row = lookup.term(store(), term_id)
    before = dict(row)
    try:
        save_term(row)
    except CanvasError:
        row.update(before)
        raise
    store().touch("terms", row)
    return json_response(term_json(row))


@bp.delete("/accounts/<account_id>/terms/<term_id>")
def delete_term(account_id, term_id):
    """Delete a term (not the default term)."""
    lookup.account(store(), account_id)
    row = lookup.term(store(), term_id)
    if row["id"] == 1:
        raise CanvasError(400, {"message": "Cannot delete the default term"})
    row["workflow_state"] = "deleted"
    store().touch("terms", row)
    return json_response(term_json(row))
