"""Canvas settings, the sync state of each record, and the sync activity log."""

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from sqlalchemy import JSON, BigInteger, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Timestamps, db, utcnow

DROP_ACTIONS = ("conclude", "delete", "inactivate")
SYNC_KINDS = ("student", "staff", "section", "enrollment", "term")
SYNC_STATES = ("off", "pending", "synced", "error")


def _fernet():
    """A Fernet keyed from SECRET_KEY, so the token is useless without it."""
    secret = current_app.config["SECRET_KEY"].encode()
    digest = hashlib.sha256(b"homeroom canvas token\0" + secret).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


class CanvasSettings(Timestamps, db.Model):
    """The one row of Canvas connection settings and sync choices."""

    __tablename__ = "canvas_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(300), default="")
    token_encrypted: Mapped[str] = mapped_column(Text, default="")
    token_hint: Mapped[str] = mapped_column(String(8), default="")
    account_id: Mapped[int] = mapped_column(Integer, default=1)
    drop_action: Mapped[str] = mapped_column(String(20), default="conclude")
    send_invitations: Mapped[bool] = mapped_column(default=False)
    new_sections_virtual: Mapped[bool] = mapped_column(default=False)
    new_sections_sync: Mapped[bool] = mapped_column(default=False)

    @classmethod
    def load(cls):
        """Return the settings row, or None before Canvas is first configured."""
        return db.session.scalar(db.select(cls).order_by(cls.id).limit(1))

    @classmethod
    def get_or_create(cls):
        """Return the settings row, adding an empty one (not committed) if none."""
        settings = cls.load()
        if settings is None:
            settings = cls()
            db.session.add(settings)
        return settings

    @property
    def token(self):
        """The access token in clear; None when unset or SECRET_KEY changed."""
        if not self.token_encrypted:
            return None
        try:
            return _fernet().decrypt(self.token_encrypted.encode()).decode()
        except InvalidToken:
            return None

    @token.setter
    def token(self, value):
        """Encrypt and store a new token; keep only its last four characters."""
        value = (value or "").strip()
        self.token_encrypted = _fernet().encrypt(value.encode()).decode()
        self.token_hint = value[-4:] if len(value) >= 12 else ""

    @property
    def masked_token(self):
        """What pages show of the token: bullets and at most its last four."""
        if not self.token_encrypted:
            return ""
        return "•" * 12 + self.token_hint

    @property
    def is_configured(self):
        """True when a URL and a readable token are saved."""
        return bool(self.url) and self.token is not None


def new_sections_defaults():
    """(virtual_class, canvas_sync) for sections the roster import creates."""
    settings = CanvasSettings.load()
    if settings is None:
        return False, False
    sync = settings.new_sections_virtual and settings.new_sections_sync
    return settings.new_sections_virtual, sync


def payload_hash(payload):
    """A stable hash of what would be sent to Canvas."""
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class SyncState(db.Model):
    """Where one Homeroom record stands with Canvas.

    `canvas_id` is the Canvas user, term, course or enrollment id; a section
    also keeps its Canvas section id and, in `details`, its teachers'
    enrollment ids. Only jobs move a state, except to `pending`, which the
    request that enqueues sets.
    """

    __tablename__ = "canvas_sync_states"
    __table_args__ = (UniqueConstraint("kind", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    canvas_id: Mapped[int | None] = mapped_column(BigInteger)
    canvas_section_id: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_synced_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
    payload_hash: Mapped[str] = mapped_column(String(64), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(
        db.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    def __repr__(self):
        return f"<SyncState {self.kind} {self.record_id} {self.state}>"

    @classmethod
    def lookup(cls, kind, record_id):
        """Return the state of one record, or None if it was never synced."""
        return db.session.scalar(
            db.select(cls).where(cls.kind == kind, cls.record_id == record_id)
        )

    @classmethod
    def states_for(cls, kind, ids):
        """Map record id to state for many records of one kind, in one query."""
        ids = list(ids)
        if not ids:
            return {}
        rows = db.session.scalars(
            db.select(cls).where(cls.kind == kind, cls.record_id.in_(ids))
        )
        return {row.record_id: row for row in rows}

    @classmethod
    def ensure(cls, kind, record_id, state="pending"):
        """Return the record's state row, adding one (not committed) if none."""
        row = cls.lookup(kind, record_id)
        if row is None:
            row = cls(kind=kind, record_id=record_id, state=state, details={})
            db.session.add(row)
        return row

    @classmethod
    def course_id_for(cls, section_id):
        """The Canvas course id of a synced section, or None."""
        row = cls.lookup("section", section_id)
        return row.canvas_id if row is not None else None

    @property
    def is_enabled(self):
        """True unless someone turned sync off for this record."""
        return self.state != "off"

    def mark_synced(self, digest=None):
        """Record a successful sync now."""
        self.state = "synced"
        self.last_error = ""
        self.last_synced_at = utcnow()
        if digest is not None:
            self.payload_hash = digest

    def mark_error(self, message):
        """Record a failure an admin must act on."""
        self.state = "error"
        self.last_error = message[:2000]


@dataclass
class ActivityPage:
    """One page of the sync activity log and the `before` ids around it."""

    rows: list
    total: int
    skipped: int  # attempts newer than this page
    newer: int | None  # `before` for the newer page; None for the newest
    has_newer: bool
    older: int | None  # `before` for the older page; None on the last


class SyncActivity(db.Model):
    """One record's sync attempt in a job: what was done and what Canvas said."""

    __tablename__ = "canvas_sync_activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(120), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int | None] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(300), default="")
    action: Mapped[str] = mapped_column(String(200), default="")
    result: Mapped[str] = mapped_column(String(20), default="", index=True)
    request_count: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    trace: Mapped[list] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime] = mapped_column(
        db.DateTime(timezone=True), default=utcnow, index=True
    )
    ms: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self):
        return f"<SyncActivity {self.kind} {self.record_id} {self.result}>"

    @classmethod
    def page_before(cls, before=None, errors_only=False, size=100):
        """A page of attempts with ids below `before`, newest first.

        Paging by id, not by offset, keeps a page where it is while new
        attempts arrive. See ActivityPage for what comes back.
        """
        query = db.select(cls)
        if errors_only:
            query = query.where(cls.result == "error")
        shown = query if before is None else query.where(cls.id < before)
        rows = db.session.scalars(shown.order_by(cls.id.desc()).limit(size + 1)).all()
        total = db.session.scalar(query.with_only_columns(db.func.count(cls.id)))
        if not rows:
            return ActivityPage([], total, 0, None, False, None)

        above = query.where(cls.id > rows[0].id)
        skipped = db.session.scalar(above.with_only_columns(db.func.count(cls.id)))
        # The newer page ends `size` rows above this one; None opens the newest.
        top = db.session.scalar(
            above.with_only_columns(cls.id).order_by(cls.id).offset(size).limit(1)
        )
        older = rows[size - 1].id if len(rows) > size else None
        return ActivityPage(rows[:size], total, skipped, top, bool(skipped), older)

    @classmethod
    def for_record(cls, kind, record_id, limit=20):
        """A record's latest attempts, newest first."""
        return db.session.scalars(
            db.select(cls)
            .where(cls.kind == kind, cls.record_id == record_id)
            .order_by(cls.id.desc())
            .limit(limit)
        ).all()
