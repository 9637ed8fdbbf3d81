"""SIS imports: accept a zip or CSV, process it in a background thread."""

import io
import logging
import threading
import time
import zipfile

from flask import Blueprint, current_app, request

from . import autofill, lookup
from .pagination import paginate
from .sis_csv import ORDER, Applier, kind_of, read_csv
from .store import now_iso
from .web import CanvasError, flag, json_response, not_found, param, param_list, store

logger = logging.getLogger(__name__)

bp = Blueprint("sis_imports", __name__, url_prefix="/api/v1")

COUNT_KEYS = (
    "accounts",
    "terms",
    "abstract_courses",
    "courses",
    "sections",
    "xlists",
    "users",
    "user_observers",
    "enrollments",
    "groups",
    "group_memberships",
    "grade_publishing_results",
    "batch_courses_deleted",
    "batch_sections_deleted",
    "batch_enrollments_deleted",
    "error_count",
    "warning_count",
)
FINISHED = (
    "imported",
    "imported_with_messages",
    "failed",
    "failed_with_messages",
    "aborted",
)
OPTIONS = (
    "override_sis_stickiness",
    "add_sis_stickiness",
    "clear_sis_stickiness",
    "skip_deletes",
    "diffing_remaster_data_set",
)


def import_json(row):
    """A SisImport as Canvas renders it."""
    body = dict(row)
    for key in ("processing_warnings", "processing_errors"):
        if not body.get(key):
            body.pop(key, None)
    return body


def _missing():
    """Canvas's answer when no file came with the request."""
    return CanvasError(400, {"error": True, "error_message": "Missing attachment"})


def _payload():
    """The uploaded bytes, whether they are a zip, and the file's name.

    A raw body is named `sis_import.<extension>` as Canvas names it; the
    name is what processing messages of a lone CSV refer to.
    """
    upload = request.files.get("attachment")
    if upload is not None:
        data = upload.read()
        name = (upload.filename or "").rsplit("/", 1)[-1] or "sis_import.csv"
        is_zip = name.lower().endswith(".zip") or data[:2] == b"PK"
    else:
        data = request.get_data(cache=True)
        kind = (request.mimetype or "").lower()
        if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
            data = b""
        extension = (param("extension") or "").lower()
        is_zip = extension == "zip" or kind == "application/zip" or data[:2] == b"PK"
        name = f"sis_import.{extension or ('zip' if is_zip else 'csv')}"
    if not data:
        raise _missing()
    return data, is_zip, name


@bp.post("/accounts/<account_id>/sis_imports")
def create_import(account_id):
    """Accept an import and start processing it in the background."""
    lookup.account(store(), account_id)
    import_type = param("import_type", "instructure_csv")
    if import_type != "instructure_csv":
        raise CanvasError(400, {"error": True, "error_message": "Invalid import_type"})
    data, is_zip, name = _payload()
    term = None
    if param("batch_mode_term_id"):
        term = lookup.term(store(), param("batch_mode_term_id"))
    row = {
        "created_at": now_iso(),
        "started_at": None,
        "ended_at": None,
        "updated_at": now_iso(),
        "workflow_state": "created",
        "progress": 0,
        "data": {
            "import_type": import_type,
            "supplied_batches": [],
            "counts": {key: 0 for key in COUNT_KEYS},
        },
        "statistics": {},
        "processing_warnings": [],
        "processing_errors": [],
        "errors_attachment": None,
        "batch_mode": flag("batch_mode"),
        "batch_mode_term_id": term["id"] if term else None,
        "multi_term_batch_mode": False,
        "diffing_data_set_identifier": param("diffing_data_set_identifier"),
        "diffed_against_import_id": None,
        "diffing_drop_status": param("diffing_drop_status"),
        "change_threshold": param("change_threshold"),
        "csv_attachments": [],
        "user": None,
    }
    row.update({key: flag(key) for key in OPTIONS})
    store().insert("sis_imports", row)
    app = current_app._get_current_object()
    worker = threading.Thread(
        target=run_import,
        args=(app, row["id"], data, is_zip, name),
        daemon=True,
        name=f"sis-import-{row['id']}",
    )
    worker.start()
    logger.info("sis import %d accepted (%d bytes)", row["id"], len(data))
    return json_response(import_json(row))


def _files(data, is_zip, name):
    """(name, bytes) of every CSV in the upload."""
    if not is_zip:
        return [(name, data)]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            (name.rsplit("/", 1)[-1], archive.read(name))
            for name in archive.namelist()
            if name.lower().endswith(".csv") and not name.startswith("__MACOSX")
        ]


def _step(app, import_id, **changes):
    """Update the import row under the store lock, flush, then pause a step."""
    state = app.extensions["canvas_sim"]
    with state.store.lock:
        row = state.store.get("sis_imports", import_id)
        row.update(changes, updated_at=now_iso())
        state.store.touch("sis_imports", row)
        state.store.flush()
        aborted = row["workflow_state"] == "aborted"
    time.sleep(state.config["sis_import_step_s"])
    return row, aborted


def run_import(app, import_id, data, is_zip, name):
    """Process an import through created, importing and a final state."""
    state = app.extensions["canvas_sim"]
    with app.app_context():
        try:
            _process(app, state, import_id, data, is_zip, name)
        except Exception:
            logger.exception("sis import %d failed", import_id)
            _step(app, import_id, workflow_state="failed", ended_at=now_iso())


def _process(app, state, import_id, data, is_zip, name):
    """The body of run_import, with the app context in place."""
    row, aborted = _step(app, import_id, started_at=now_iso())
    errors = []
    try:
        files = _files(data, is_zip, name)
    except (zipfile.BadZipFile, UnicodeDecodeError):
        files, errors = [], [[name, "Invalid zip file"]]
    parsed = []
    for name, content in files:
        try:
            headers, rows = read_csv(content)
        except (UnicodeDecodeError, ValueError):
            errors.append([name, "Invalid UTF-8"])
            continue
        kind = kind_of(headers)
        if kind is None:
            errors.append([name, "Couldn't find Canvas CSV import headers"])
            continue
        parsed.append((ORDER.index(kind), kind, name, rows))
    if not files and not errors:
        errors.append([name, "No CSV files found"])
    parsed.sort(key=lambda item: item[0])
    kinds = [kind for _order, kind, _name, _rows in parsed]

    row, aborted = _step(
        app,
        import_id,
        workflow_state="importing",
        progress=0,
        data=dict(row["data"], supplied_batches=sorted(set(kinds))),
    )
    fill = autofill.fill_course if state.config["autofill"] else None
    applier = Applier(state.store, row, fill)
    total = sum(len(rows) for *_head, rows in parsed) or 1
    done = 0
    for _order, kind, name, rows in parsed:
        for csv_row in rows:
            if aborted:
                return
            with state.store.lock:
                applier.apply(kind, name, csv_row)
            done += 1
            if done % 50 == 0:
                row, aborted = _step(
                    app, import_id, progress=min(99, done * 100 // total)
                )
    if row["batch_mode"] and row["batch_mode_term_id"] and not row["skip_deletes"]:
        row, aborted = _step(app, import_id, workflow_state="cleanup_batch")
        with state.store.lock:
            applier.batch_delete(row["batch_mode_term_id"], set(kinds))
    counts = applier.counts
    counts["error_count"], counts["warning_count"] = len(errors), len(applier.warnings)
    if errors and not parsed:
        final = "failed_with_messages"
    elif errors or applier.warnings:
        final = "imported_with_messages"
    else:
        final = "imported"
    _step(
        app,
        import_id,
        workflow_state=final,
        progress=100,
        ended_at=now_iso(),
        processing_warnings=applier.warnings,
        processing_errors=errors,
        statistics={"total_state_changes": done},
    )
    logger.info("sis import %d finished as %s", import_id, final)


@bp.get("/accounts/<account_id>/sis_imports/<int:import_id>")
def get_import(account_id, import_id):
    """Show an import's state, progress, counts and messages."""
    lookup.account(store(), account_id)
    row = store().get("sis_imports", import_id)
    if row is None:
        raise not_found()
    return json_response(import_json(row))


@bp.get("/accounts/<account_id>/sis_imports")
def list_imports(account_id):
    """List imports, newest first: `{"sis_imports": [...]}`."""
    lookup.account(store(), account_id)
    states = set(param_list("workflow_state"))
    rows = [
        r
        for r in reversed(store().rows("sis_imports"))
        if not states or r["workflow_state"] in states
    ]
    return paginate(rows, import_json, with_last=False, wrap="sis_imports")


@bp.put("/accounts/<account_id>/sis_imports/<int:import_id>/abort")
def abort_import(account_id, import_id):
    """Abort an import that has not finished."""
    lookup.account(store(), account_id)
    row = store().get("sis_imports", import_id)
    if row is None:
        raise not_found()
    if row["workflow_state"] not in FINISHED:
        row["workflow_state"] = "aborted"
        row["ended_at"] = now_iso()
        store().touch("sis_imports", row)
    return json_response(import_json(row))
