"""Opening a database file: look first, back up before upgrading, then hand out units of work."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from clientdesk.storage import file_checks, schema
from clientdesk.storage.backup import copy_database, new_backup_path
from clientdesk.storage.problems import LockedDatabase
from clientdesk.storage.unit_of_work import UnitOfWork

BUSY_TIMEOUT_MS = 5000


def _configure_connection(dbapi_connection: sqlite3.Connection, _record) -> None:
    # The driver's own implicit transactions are turned off so `_begin` decides how each one starts.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _begin(connection) -> None:
    # A writer takes the write lock up front; a deferred one could fail half-way when another writer won.
    mode = "BEGIN IMMEDIATE" if connection.get_execution_options().get("clientdesk_write") else "BEGIN"
    connection.exec_driver_sql(mode)


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin)
    return engine


class Database:
    def __init__(self, path: Path, engine: Engine):
        self.path = path
        self.engine = engine
        self._read_sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(bind=engine.execution_options(clientdesk_write=True),
                                            expire_on_commit=False)

    @contextmanager
    def reading(self) -> Iterator[UnitOfWork]:
        with self._read_sessions() as session:
            yield UnitOfWork(session)
            session.rollback()

    @contextmanager
    def writing(self) -> Iterator[UnitOfWork]:
        """One transaction: committed when the block ends, rolled back entirely when it raises."""
        session: Session = self._write_sessions()
        try:
            yield UnitOfWork(session)
            session.commit()
        except OperationalError as error:
            session.rollback()
            if "locked" in str(error.orig):
                raise LockedDatabase(self.path) from None
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def backup_to(self, destination: Path) -> None:
        copy_database(self.path, destination)

    def close(self) -> None:
        self.engine.dispose()


def open_database(path: Path) -> Database:
    """Open (creating if needed) and upgrade; any problem is raised before the file is changed."""
    path = path.expanduser().absolute()
    is_new = not path.exists()
    if is_new:
        file_checks.create_private_file(path)
    else:
        file_checks.check_header(path)
        file_checks.check_writable(path)
    with file_checks.read_only_connection(path) as probe:
        revision = schema.stored_revision(probe, path)
    probe.close()
    if not is_new:
        file_checks.check_not_locked(path)
    if revision is not None and revision != schema.HEAD_REVISION:
        copy_database(path, new_backup_path(path, "before-upgrade"))
    engine = make_engine(path)
    if revision != schema.HEAD_REVISION:
        schema.upgrade_to_head(engine)
    return Database(path, engine)
