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
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(descriptor)


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
    if counter_valid and page_count and size < page_count * page_size:
        raise DamagedDatabase(path, f"it is cut short ({size:,} of {page_count * page_size:,} bytes)")
    if size % page_size:
        raise DamagedDatabase(path, "its size is not a whole number of pages; it may have been cut short")


def check_writable(path: Path) -> None:
    # Checked on the mode bits as well, because the superuser is never refused by os.access.
    mode = path.stat().st_mode
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        raise ReadOnlyDatabase(path, "the file")
    folder = path.parent
    if not folder.stat().st_mode & stat.S_IWUSR or not os.access(folder, os.W_OK | os.X_OK):
        raise ReadOnlyDatabase(path, f"its folder {folder}")


def read_only_connection(path: Path) -> sqlite3.Connection:
    """`immutable=1` reads without locks or side files; used only to look before changing anything."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


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
