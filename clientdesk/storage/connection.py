"""Connection settings shared by every SQLite connection ClientDesk opens, with or without SQLAlchemy."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BUSY_TIMEOUT_MS = 5000


def configure(connection: sqlite3.Connection) -> None:
    # The driver's implicit transactions are turned off: each caller says how its transaction begins.
    connection.isolation_level = None
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")


class ListReader:
    """Plain sqlite3 connections, one per thread, for the reads the contact list makes on every keystroke
    and scroll (and a contact's timeline, read the same way): they skip the ORM's per-query cost, and the
    window can paint before SQLAlchemy is loaded."""

    def __init__(self, path: Path):
        self._path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every statement inside sees the same state of the database."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self._path, check_same_thread=False)
            configure(connection)
            self._local.connection = connection
            with self._lock:
                self._all.append(connection)
        connection.execute("BEGIN")
        try:
            yield connection
        finally:
            connection.execute("ROLLBACK")

    def close(self) -> None:
        with self._lock:
            for connection in self._all:
                connection.close()
            self._all.clear()
