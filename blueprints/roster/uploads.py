"""Uploaded roster zips, kept in the instance folder under their SHA-256."""

import hashlib
import re
import time
from pathlib import Path

from flask import abort, current_app

_DIGEST = re.compile(r"[0-9a-f]{64}")
# Uploads may carry passwords (users.csv has a column for them), so none is
# kept longer than a school needs to preview and apply it.
KEEP_SECONDS = 7 * 24 * 3600


def upload_folder():
    """Where uploads are kept: ROSTER_UPLOAD_FOLDER, or the instance folder."""
    configured = current_app.config.get("ROSTER_UPLOAD_FOLDER")
    folder = Path(configured or Path(current_app.instance_path) / "roster-imports")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_upload(storage):
    """Store an uploaded file once; return its digest, which names it from now on."""
    data = storage.read()
    digest = hashlib.sha256(data).hexdigest()
    folder = upload_folder()
    _prune(folder)
    path = folder / f"{digest}.zip"
    if not path.exists():
        path.write_bytes(data)
    return digest


def _prune(folder):
    """Delete uploads older than a week."""
    cutoff = time.time() - KEEP_SECONDS
    for old in folder.glob("*.zip"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def upload_path(digest):
    """The stored zip for a digest, or 404."""
    if not _DIGEST.fullmatch(digest):
        abort(404)
    path = upload_folder() / f"{digest}.zip"
    if not path.is_file():
        abort(404)
    return path


def job_id_for(digest):
    """The import job's id: the same file gives the same job."""
    return f"roster:import:{digest[:16]}"
