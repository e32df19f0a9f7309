"""Consistent copies of a live database through SQLite's backup API, never a file copy."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from clientdesk.storage import file_checks, schema
from clientdesk.storage.problems import DamagedDatabase, DatabaseProblem


def backup_folder(database: Path) -> Path:
    folder = database.parent / "backups"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def new_backup_path(database: Path, reason: str) -> Path:
    """A fresh name in the backups folder: never the name of a backup already kept."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    suffix = database.suffix or ".sqlite3"
    folder = backup_folder(database)
    candidate = folder / f"{database.stem}-{stamp}-{reason}{suffix}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{database.stem}-{stamp}-{reason}-{number}{suffix}"
        number += 1
    return candidate


def copy_database(source: Path, destination: Path) -> None:
    """Copy a (possibly live) database; the destination is written whole or not at all."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    file_checks.create_private_file(partial)
    try:
        with sqlite3.connect(source) as origin, sqlite3.connect(partial) as target:
            origin.backup(target)
        origin.close()
        target.close()
        os.replace(partial, destination)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def verify_backup(path: Path) -> str:
    """A file fit to restore: an intact ClientDesk database this version can read. Returns its revision."""
    file_checks.check_header(path)
    with file_checks.read_only_connection(path) as connection:
        try:
            result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise DamagedDatabase(path, str(error)) from None
        except UnicodeDecodeError:  # SQLite quoted a garbled name from the damaged file in its message
            raise DamagedDatabase(path, "its table of contents is garbled") from None
        if result != "ok":
            raise DamagedDatabase(path, f"the integrity check found: {result}")
        revision = schema.stored_revision(connection, path)
    connection.close()
    if revision is None:
        raise DatabaseProblem(path, f"{path} is an empty database; there is nothing in it to restore.")
    return revision


def restore_into(live: Path, backup: Path) -> Path:
    """Replace the live database's content with the backup's, keeping the replaced content as a backup."""
    verify_backup(backup)
    file_checks.check_writable(live)
    file_checks.check_not_locked(live)
    kept = new_backup_path(live, "before-restore")
    copy_database(live, kept)
    # Copying page by page into the live file keeps its WAL and any other reader consistent.
    with sqlite3.connect(backup) as origin, sqlite3.connect(live) as target:
        origin.backup(target)
    origin.close()
    target.close()
    return kept
