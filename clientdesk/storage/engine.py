"""The SQLAlchemy engine, imported only when the first unit of work needs it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from clientdesk.storage.connection import configure


def _configure(dbapi_connection, _record) -> None:
    configure(dbapi_connection)


def _begin(connection) -> None:
    # A writer takes the write lock up front; a deferred one could fail half-way when another writer won.
    mode = "BEGIN IMMEDIATE" if connection.get_execution_options().get("clientdesk_write") else "BEGIN"
    connection.exec_driver_sql(mode)


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _configure)
    event.listen(engine, "begin", _begin)
    return engine
