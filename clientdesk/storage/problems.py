"""Why a database file cannot be opened, each worded with what to do about it."""

from __future__ import annotations

from pathlib import Path

from clientdesk.domain.errors import ClientDeskError


class DatabaseProblem(ClientDeskError):
    def __init__(self, path: Path, message: str):
        self.path = path
        super().__init__(message)


class NotADatabase(DatabaseProblem):
    def __init__(self, path: Path, detail: str = "it is not an SQLite database"):
        super().__init__(path, f"{path} cannot be opened: {detail}. "
                               "Choose a ClientDesk database, or give a new file name to start an empty one.")


class DamagedDatabase(DatabaseProblem):
    def __init__(self, path: Path, detail: str):
        super().__init__(path, f"{path} is damaged: {detail}. It was left as it is; "
                               "restore a backup with “clientdesk --db FILE restore BACKUP”.")


class NewerDatabase(DatabaseProblem):
    def __init__(self, path: Path, revision: str):
        super().__init__(path, f"{path} was saved by a newer version of ClientDesk (schema {revision}). "
                               "It was left untouched; update ClientDesk to open it.")


class ReadOnlyDatabase(DatabaseProblem):
    def __init__(self, path: Path, what: str):
        super().__init__(path, f"{path} cannot be changed: {what} is read-only. "
                               "Make it writable (for example “chmod u+w”) or copy the file to a writable folder.")


class LockedDatabase(DatabaseProblem):
    def __init__(self, path: Path):
        super().__init__(path, f"{path} is locked by another program that is writing to it. "
                               "Close that program (or wait for it to finish) and try again.")
