"""Opening a database file: look first, back up before upgrading, then hand out units of work."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from clientdesk.storage import file_checks, schema
from clientdesk.storage.backup import copy_database, new_backup_path
from clientdesk.storage.connection import ListReader
from clientdesk.storage.problems import LockedDatabase
from clientdesk.storage.search.contact_list import SqliteContactList

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import sessionmaker

    from clientdesk.storage.inquiry_queue import SqliteInquiryQueue
    from clientdesk.storage.timeline import SqliteTimeline
    from clientdesk.storage.unit_of_work import UnitOfWork


class Database:
    def __init__(self, path: Path):
        self.path = path
        self._reader = ListReader(path)
        self._engine: Engine | None = None
        self._session_factories: tuple[sessionmaker, sessionmaker] | None = None  # (reading, writing)
        self._engine_lock = threading.Lock()
        self._before_commit: list[Callable[[UnitOfWork], None]] = []

    def before_commit(self, step: Callable[[UnitOfWork], None]) -> None:
        """`step` runs at the end of every write transaction, inside it, before the commit: what a layer
        above must keep in step with every write (the stage histories) without each writer knowing."""
        self._before_commit.append(step)

    @property
    def engine(self) -> Engine:
        """Created on first use, so opening the window never waits for SQLAlchemy."""
        self._factories()
        return self._engine

    def _factories(self) -> tuple[sessionmaker, sessionmaker]:
        with self._engine_lock:
            if self._session_factories is None:
                from sqlalchemy.orm import sessionmaker

                from clientdesk.storage.engine import make_engine

                self._engine = make_engine(self.path)
                self._session_factories = (
                    sessionmaker(bind=self._engine, expire_on_commit=False),
                    sessionmaker(bind=self._engine.execution_options(clientdesk_write=True), expire_on_commit=False),
                )
            return self._session_factories

    @contextmanager
    def listing(self) -> Iterator[SqliteContactList]:
        """The contact list's counts, pages and positions, read in one snapshot without the ORM."""
        with self._reader.snapshot() as connection:
            yield SqliteContactList(connection)

    @contextmanager
    def timeline(self) -> Iterator[SqliteTimeline]:
        """A contact's interactions, counted and read in blocks in one snapshot, the list's way."""
        # Imported here: the timeline's domain types bring the rules engine, which waits for the first paint.
        from clientdesk.storage.timeline import SqliteTimeline

        with self._reader.snapshot() as connection:
            yield SqliteTimeline(connection)

    @contextmanager
    def inquiry_queue(self) -> Iterator[SqliteInquiryQueue]:
        """The open inquiries, counted and read in blocks by urgency in one snapshot, the list's way."""
        from clientdesk.storage.inquiry_queue import SqliteInquiryQueue

        with self._reader.snapshot() as connection:
            yield SqliteInquiryQueue(connection)

    @contextmanager
    def reading(self) -> Iterator[UnitOfWork]:
        from clientdesk.storage.unit_of_work import UnitOfWork

        with self._factories()[0]() as session:
            yield UnitOfWork(session)
            session.rollback()

    @contextmanager
    def writing(self) -> Iterator[UnitOfWork]:
        """One transaction: committed when the block ends, rolled back entirely when it raises."""
        from sqlalchemy.exc import OperationalError

        from clientdesk.storage.unit_of_work import UnitOfWork

        session = self._factories()[1]()
        try:
            uow = UnitOfWork(session)
            yield uow
            for step in self._before_commit:
                step(uow)
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

    def close(self) -> None:
        self._reader.close()
        if self._engine is not None:
            self._engine.dispose()


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
    database = Database(path)
    if revision != schema.HEAD_REVISION:
        schema.upgrade_to_head(database.engine)
    return database
