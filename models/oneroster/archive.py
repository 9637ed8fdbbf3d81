"""Reading a OneRoster set from a folder or a zip into {file name: bytes}."""

import zipfile
from pathlib import Path

# A roster of a few thousand people is a few megabytes; far more is a mistake
# or a zip bomb, and is refused before it is unpacked.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


class RosterArchiveError(Exception):
    """The path is neither a folder nor a zip of CSV files Homeroom can read."""


def read_roster_files(path):
    """Return the CSV files of a folder or a zip, keyed by their base name."""
    path = Path(path)
    if path.is_dir():
        return {item.name: item.read_bytes() for item in sorted(path.glob("*.csv"))}
    if not path.is_file():
        raise RosterArchiveError(f"{path} is neither a folder nor a file")
    if not zipfile.is_zipfile(path):
        raise RosterArchiveError(f"{path.name} is not a zip file")
    return _read_zip(path)


def _read_zip(path):
    """Unpack the CSV members of a zip, wherever they sit inside it."""
    files = {}
    with zipfile.ZipFile(path) as archive:
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and info.filename.endswith(".csv")
            and not Path(info.filename).name.startswith("._")
            and not info.filename.startswith("__MACOSX/")
        ]
        if sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
            raise RosterArchiveError(f"{path.name} unpacks to more than 200 MB")
        for info in members:
            name = Path(info.filename).name
            if name in files:
                raise RosterArchiveError(f"{path.name} holds {name} twice")
            try:
                files[name] = archive.read(info)
            except (zipfile.BadZipFile, OSError) as error:
                message = f"{name} cannot be unpacked: {error}"
                raise RosterArchiveError(message) from None
    return files
