"""Checks made before SQLite touches a file, so a file that cannot be opened is left byte for byte as it was."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from clientdesk.storage.problems import DamagedDatabase, LockedDatabase, NotADatabase, ReadOnlyDatabase

SQLITE_MAGIC = b"SQLite format 3\x00"
LOCK_PROBE_SECONDS = 1.5


def create_private_file(path: Path) -> None:
    """A new database readable by its owner only: it holds other people's personal data."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        check_folder_writable(path)
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except PermissionError:
        raise ReadOnlyDatabase(path, f"its folder {path.parent}") from None
    os.close(descriptor)


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def has_pending_wal(path: Path) -> bool:
    """Committed changes may still sit in the write-ahead log, which SQLite replays when it opens the file."""
    wal = wal_path(path)
    return wal.is_file() and wal.stat().st_size > 0


def check_header(path: Path) -> None:
    if not path.is_file():
        raise NotADatabase(path, "it is a folder or a special file, not a database file")
    size = path.stat().st_size
    if size == 0:
        return  # SQLite's own form of an empty database
    with path.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise NotADatabase(path)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise DamagedDatabase(path, "its header is corrupt")
    page_count = int.from_bytes(header[28:32], "big")
    counter_valid = header[24:28] == header[92:96]
    # A crash during a checkpoint leaves the main file short, but the log beside it still holds every page.
    if counter_valid and page_count and size < page_count * page_size and not has_pending_wal(path):
        raise DamagedDatabase(path, f"it is cut short ({size:,} of {page_count * page_size:,} bytes)")
    if size % page_size:
        raise DamagedDatabase(path, "its size is not a whole number of pages; it may have been cut short")


def check_writable(path: Path) -> None:
    # Checked on the mode bits as well, because the superuser is never refused by os.access.
    mode = path.stat().st_mode
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        raise ReadOnlyDatabase(path, "the file")
    check_folder_writable(path)


def check_folder_writable(path: Path) -> None:
    """SQLite writes its log and shared-memory files beside the database."""
    folder = path.parent
    if not folder.stat().st_mode & stat.S_IWUSR or not os.access(folder, os.W_OK | os.X_OK):
        raise ReadOnlyDatabase(path, f"its folder {folder}")


def read_only_connection(path: Path) -> sqlite3.Connection:
    """For looking before changing anything. `immutable=1` reads without locks or side files; a file with a
    pending log is read through it instead, since the log may hold pages the main file lacks."""
    options = "mode=ro" if has_pending_wal(path) else "mode=ro&immutable=1"
    return sqlite3.connect(f"{path.resolve().as_uri()}?{options}", uri=True)


def check_not_locked(path: Path) -> None:
    connection = sqlite3.connect(path, timeout=LOCK_PROBE_SECONDS, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise LockedDatabase(path) from None
        raise DamagedDatabase(path, str(error)) from None
    except sqlite3.DatabaseError as error:
        raise DamagedDatabase(path, str(error)) from None
    finally:
        connection.close()
