"""The SQLAlchemy engine, imported only when the first unit of work needs it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from clientdesk.storage.connection import configure


# The services' reads (the Today agenda every minute, the dashboard, the reviews) walk several indexes and
# tables of a large file at once; SQLite's default cache of 2 MiB a connection cannot hold one agenda's pages,
# so each read would copy them in from the operating system again. The cache fills only as pages are read.
SERVICE_CACHE_KIB = 16 * 1024


def _configure(dbapi_connection, _record) -> None:
    configure(dbapi_connection)
    dbapi_connection.execute(f"PRAGMA cache_size = -{SERVICE_CACHE_KIB}")


def _begin(connection) -> None:
    # A writer takes the write lock up front; a deferred one could fail half-way when another writer won.
    mode = "BEGIN IMMEDIATE" if connection.get_execution_options().get("clientdesk_write") else "BEGIN"
    connection.exec_driver_sql(mode)


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _configure)
    event.listen(engine, "begin", _begin)
    return engine
