"""In-memory state of the simulated Canvas, optionally written through to SQLite."""

import json
import logging
import sqlite3
import threading
from datetime import UTC, datetime

logger = logging.getLogger(__name__)

TABLES = (
    "accounts",
    "users",
    "logins",
    "terms",
    "courses",
    "sections",
    "enrollments",
    "assignment_groups",
    "assignments",
    "quizzes",
    "submissions",
    "sis_imports",
    "session_tokens",
)


# Fields looked up often enough to keep an index of: value -> ids.
INDEXED = {
    "logins": ("user_id", "sis_user_id"),
    "sections": ("course_id",),
    "enrollments": ("course_id", "user_id", "course_section_id"),
    "assignment_groups": ("course_id",),
    "assignments": ("course_id",),
    "quizzes": ("course_id",),
    "submissions": ("course_id", "assignment_id", "user_id"),
}


def now_iso():
    """Return the current UTC time in Canvas's ISO 8601 form."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Store:
    """Tables of rows keyed by integer id, guarded by one re-entrant lock.

    Rows are plain dicts. With a database path every change is kept in SQLite
    as one JSON document per row, written when `flush` is called (after each
    request and after each step of a background SIS import).
    """

    def __init__(self, db_path=None):
        self.lock = threading.RLock()
        self.db_path = db_path
        self._db = None
        self._dirty = set()
        self._deleted = set()
        self.clear()
        if db_path:
            self._open(db_path)

    def clear(self):
        """Forget every row and restart the id counters, then add the root data."""
        with self.lock:
            self.tables = {name: {} for name in TABLES}
            self.next_ids = {name: 1 for name in TABLES}
            self._reindex()
            if self._db is not None:
                self._db.execute("DELETE FROM rows")
                self._db.execute("DELETE FROM counters")
                self._db.commit()
            self._dirty.clear()
            self._deleted.clear()
            self._bootstrap()

    def _bootstrap(self):
        """Create what a fresh Canvas has: the root account, its default term."""
        created = now_iso()
        self.insert(
            "accounts",
            {
                "name": "Simulated School",
                "uuid": "sim-root-account",
                "parent_account_id": None,
                "root_account_id": None,
                "default_time_zone": "America/New_York",
                "sis_account_id": None,
                "integration_id": None,
                "sis_import_id": None,
                "workflow_state": "active",
            },
        )
        self.insert(
            "terms",
            {
                "name": "Default Term",
                "start_at": None,
                "end_at": None,
                "created_at": created,
                "workflow_state": "active",
                "sis_term_id": None,
                "sis_import_id": None,
                "integration_id": None,
                "account_id": 1,
            },
        )
        admin = self.insert(
            "users",
            {
                "name": "Sim Admin",
                "sortable_name": "Admin, Sim",
                "last_name": "Admin",
                "first_name": "Sim",
                "short_name": "Sim Admin",
                "email": "admin@sim.example",
                "locale": None,
                "time_zone": "America/New_York",
                "created_at": created,
                "avatar_url": None,
                "bio": None,
                "pronouns": None,
                "last_login": None,
                "workflow_state": "registered",
                "is_admin": True,
            },
        )
        self.insert(
            "logins",
            {
                "user_id": admin["id"],
                "account_id": 1,
                "unique_id": "admin@sim.example",
                "sis_user_id": None,
                "integration_id": None,
                "authentication_provider_id": None,
                "authentication_provider_type": None,
                "workflow_state": "active",
                "declared_user_type": None,
                "created_at": created,
                "sis_import_id": None,
            },
        )

    # Rows ---------------------------------------------------------------

    def insert(self, table, row):
        """Give `row` the next id of `table`, keep it and return it."""
        with self.lock:
            row["id"] = self.next_ids[table]
            self.next_ids[table] += 1
            self.tables[table][row["id"]] = row
            self.touch(table, row)
            return row

    def get(self, table, row_id):
        """Return the row of `table` with integer id `row_id`, or None."""
        return self.tables[table].get(row_id)

    def rows(self, table):
        """Return the rows of `table` in id order."""
        return list(self.tables[table].values())

    def _candidates(self, table, where):
        """Rows that may match `where`: from an index when one applies."""
        for field in INDEXED.get(table, ()):
            if field in where:
                ids = self._index[(table, field)].get(where[field], ())
                rows = self.tables[table]
                return [rows[row_id] for row_id in sorted(ids)]
        return self.tables[table].values()

    def find(self, table, **where):
        """Return the rows of `table` whose fields equal every `where` value."""
        return [
            row
            for row in self._candidates(table, where)
            if all(row.get(key) == value for key, value in where.items())
        ]

    def first(self, table, **where):
        """Return the first row `find` would return, or None."""
        for row in self._candidates(table, where):
            if all(row.get(key) == value for key, value in where.items()):
                return row
        return None

    def touch(self, table, row):
        """Mark a changed row so the next flush writes it, and re-index it.

        Every change to a row must be followed by a touch.
        """
        if "updated_at" in row:
            row["updated_at"] = now_iso()
        self._dirty.add((table, row["id"]))
        for field in INDEXED.get(table, ()):
            self._place(table, field, row["id"], row.get(field))

    def _place(self, table, field, row_id, value):
        """Move a row to the index entry of its current field value."""
        seen = self._indexed[(table, field)]
        if row_id in seen and seen[row_id] != value:
            self._index[(table, field)][seen[row_id]].discard(row_id)
        seen[row_id] = value
        self._index[(table, field)].setdefault(value, set()).add(row_id)

    def _reindex(self):
        """Rebuild every index from the tables."""
        self._index = {(t, f): {} for t, fields in INDEXED.items() for f in fields}
        self._indexed = {key: {} for key in self._index}
        for table, fields in INDEXED.items():
            for row in self.tables[table].values():
                for field in fields:
                    self._place(table, field, row["id"], row.get(field))

    def delete(self, table, row_id):
        """Remove a row for good (Canvas mostly soft-deletes; this is for tokens)."""
        with self.lock:
            self.tables[table].pop(row_id, None)
            for field in INDEXED.get(table, ()):
                value = self._indexed[(table, field)].pop(row_id, None)
                self._index[(table, field)].get(value, set()).discard(row_id)
            self._dirty.discard((table, row_id))
            self._deleted.add((table, row_id))

    # Persistence --------------------------------------------------------

    def _open(self, path):
        """Open or create the SQLite file and load what it holds."""
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS rows (tbl TEXT, id INTEGER, data TEXT,"
            " PRIMARY KEY (tbl, id))"
        )
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS counters"
            " (tbl TEXT PRIMARY KEY, next_id INTEGER)"
        )
        self._db.commit()
        stored = self._db.execute("SELECT tbl, id, data FROM rows").fetchall()
        if not stored:
            self.flush()
            return
        self.tables = {name: {} for name in TABLES}
        for table, row_id, data in stored:
            self.tables.setdefault(table, {})[row_id] = json.loads(data)
        for table in self.tables:
            self.tables[table] = dict(sorted(self.tables[table].items()))
        self._reindex()
        for table, next_id in self._db.execute("SELECT tbl, next_id FROM counters"):
            self.next_ids[table] = next_id
        logger.info("store loaded %d rows from %s", len(stored), path)

    def flush(self):
        """Write changed rows to SQLite; a no-op for an in-memory store."""
        with self.lock:
            if self._db is None or not (self._dirty or self._deleted):
                self._dirty.clear()
                return
            self._db.executemany(
                "INSERT OR REPLACE INTO rows (tbl, id, data) VALUES (?, ?, ?)",
                [
                    (table, row_id, json.dumps(self.tables[table][row_id]))
                    for table, row_id in self._dirty
                    if row_id in self.tables[table]
                ],
            )
            self._db.executemany(
                "DELETE FROM rows WHERE tbl = ? AND id = ?", list(self._deleted)
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO counters (tbl, next_id) VALUES (?, ?)",
                list(self.next_ids.items()),
            )
            self._db.commit()
            self._dirty.clear()
            self._deleted.clear()

    def close(self):
        """Flush and close the database, if there is one."""
        with self.lock:
            if self._db is not None:
                self.flush()
                self._db.close()
                self._db = None
