"""Backing up and restoring the database file."""

from __future__ import annotations

from pathlib import Path

from clientdesk.domain.errors import ClientDeskError
from clientdesk.storage.backup import copy_database, restore_into, verify_backup
from clientdesk.storage.file_checks import check_header


def backup(database: Path, destination: Path) -> None:
    if destination.exists():
        raise ClientDeskError(f"{destination} already exists; choose a new file name for the backup.")
    if not database.exists():
        raise ClientDeskError(f"{database} does not exist; there is nothing to back up.")
    check_header(database)
    copy_database(database, destination)


def restore(database: Path, backup_file: Path) -> Path | None:
    """Returns where the replaced database was kept (None when there was none to keep)."""
    if not backup_file.is_file():
        raise ClientDeskError(f"{backup_file} does not exist.")
    if not database.exists():
        verify_backup(backup_file)
        copy_database(backup_file, database)
        return None
    return restore_into(database, backup_file)
