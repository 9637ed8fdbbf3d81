"""OneRoster 1.1 CSV import: parse (pure), apply (database), generate (demo sets)."""

from models.oneroster.apply import (
    KINDS,
    OUTCOMES,
    ImportResult,
    import_path,
    run_import,
)
from models.oneroster.archive import RosterArchiveError, read_roster_files
from models.oneroster.parse import RosterError, parse_roster

__all__ = [
    "KINDS",
    "OUTCOMES",
    "ImportResult",
    "RosterArchiveError",
    "RosterError",
    "import_path",
    "parse_roster",
    "read_roster_files",
    "run_import",
]
