"""Fast inserts of generated or imported interactions and inquiries: multi-row INSERTs, ids chosen up front
so an inquiry can point at the interactions that opened and answered it. Never commits: the caller's
transaction makes the whole load all-or-nothing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from itertools import chain
from typing import NamedTuple

from sqlalchemy.orm import Session

from clientdesk.domain.interactions import Inquiry
from clientdesk.storage.models import InteractionRow
from clientdesk.storage.types import utc_text, utc_text_or_none


class InteractionRecord(NamedTuple):
    """One interaction as it is stored. A tuple rather than a dataclass, and instants as UTC microseconds
    since 1970 (as domain.hours.to_micros gives them) rather than datetimes: a load writes a million."""

    id: int
    contact_id: int
    channel: str  # a Channel value
    direction: str  # a Direction value
    at_micros: int
    duration_minutes: int | None
    summary: str
    outcome: str
    urgent: bool
    logged_by: str
    created_micros: int


# One statement inserts this many rows: the work SQLite and the driver do per statement (binding, the
# AUTOINCREMENT counter) is then done once per hundred rows, which halves the cost of a load.
ROWS_PER_STATEMENT = 100
_COLUMNS = 11  # of InteractionRecord


@cache
def _interaction_sql(rows: int) -> str:
    """INSERT of `rows` records, each bound as InteractionRecord's eleven values in order. SQLite turns the
    microseconds into the naive UTC text SQLAlchemy writes for UtcDateTime ("2026-03-01 09:30:00.000000"),
    at half the cost of doing it in Python. Microseconds are whole, and after 1970."""

    def value(number: int) -> str:
        mark = f"?{number}"
        if (number - 1) % _COLUMNS + 1 in (5, 11):  # at_micros, created_micros
            return f"strftime('%Y-%m-%d %H:%M:%S', {mark} / 1000000, 'unixepoch') || printf('.%06d', {mark} % 1000000)"
        return mark

    rows_sql = []
    for row in range(rows):
        values = [value(row * _COLUMNS + column) for column in range(1, _COLUMNS + 1)]
        rows_sql.append("(" + ", ".join(values[:10] + ["''", "NULL"] + values[10:]) + ")")  # no override, no key
    return ("INSERT INTO interaction (id, contact_id, channel, direction, at, duration_minutes, summary, outcome, "
            "urgent, logged_by, override_reason, request_key, created_at) VALUES " + ", ".join(rows_sql))


_INQUIRY_SQL = (
    "INSERT INTO inquiry (id, contact_id, received, target_at, limit_at, status, answered_at, closed_at, "
    "close_reason, opened_by_interaction_id, answered_by_interaction_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
# The index on `at` alone: a load written client by client reaches it in random order, which for a million
# rows costs about ten seconds more than building it again from the finished table (about one second).
_TIME_INDEX = next(index for index in InteractionRow.__table__.indexes if list(index.columns.keys()) == ["at"])


class BulkInteractionWriter:
    def __init__(self, session: Session):
        self._session = session

    def next_interaction_id(self) -> int:
        return self._next_id("interaction")

    def next_inquiry_id(self) -> int:
        return self._next_id("inquiry")

    @contextmanager
    def time_index_rebuilt_after(self) -> Iterator[None]:
        """Writes inside the block skip the index on `at`, which is built again, whole, when the block ends.
        Both happen in the caller's transaction: a rollback puts the index back as it was, and readers
        outside the transaction keep using it meanwhile."""
        connection = self._session.connection()
        _TIME_INDEX.drop(connection)
        yield
        _TIME_INDEX.create(connection)

    def add_interactions(self, batch: Sequence[InteractionRecord]) -> None:
        connection = self._session.connection()
        whole = len(batch) - len(batch) % ROWS_PER_STATEMENT
        if whole:
            connection.exec_driver_sql(_interaction_sql(ROWS_PER_STATEMENT), [
                tuple(chain.from_iterable(batch[start:start + ROWS_PER_STATEMENT]))
                for start in range(0, whole, ROWS_PER_STATEMENT)])
        if whole < len(batch):
            connection.exec_driver_sql(_interaction_sql(len(batch) - whole), tuple(chain.from_iterable(batch[whole:])))

    def add_inquiries(self, batch: Sequence[Inquiry]) -> None:
        """Inquiries with their ids set; the interactions they name must be written first."""
        if batch:
            self._session.connection().exec_driver_sql(_INQUIRY_SQL, [
                (q.id, q.contact_id, utc_text(q.received), utc_text_or_none(q.target), utc_text_or_none(q.limit),
                 q.status.value, utc_text_or_none(q.answered_at), utc_text_or_none(q.closed_at), q.close_reason,
                 q.opened_by_interaction_id, q.answered_by_interaction_id)
                for q in batch])

    def _next_id(self, table: str) -> int:
        # Above every id ever handed out (AUTOINCREMENT keeps it in sqlite_sequence), so none is reused.
        connection = self._session.connection()
        used = connection.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).scalar()
        highest = connection.exec_driver_sql(f"SELECT max(id) FROM {table}").scalar()
        return max(used or 0, highest or 0) + 1


__all__ = ["BulkInteractionWriter", "InteractionRecord"]
