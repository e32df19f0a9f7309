"""The open inquiries on a plain sqlite3 connection (see storage/connection.py), most urgent first: how
many, and a block of them by position with their clients' names.

SQL does the ordering so that a page of ten thousand open inquiries reads only the rows on screen. The
ORDER BY is domain.interactions.by_urgency written for SQLite (a test holds the two to the same order):
past the limit, then past the target, each longest overdue first, then by earliest deadline, a missing
one last; ties by received, then id. Instants are UtcDateTime's naive UTC text, whose text order is their
time order, so `as_of` is bound in the same form."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from clientdesk.domain.interactions import Inquiry, InquiryStatus
from clientdesk.storage.types import from_utc_text, utc_text

_NO_DEADLINE = "9999-12-31"  # after every stored instant, as by_urgency puts a missing deadline last
URGENCY_ORDER = (
    "ORDER BY CASE WHEN q.limit_at < :as_of THEN 0 WHEN q.target_at < :as_of THEN 1 ELSE 2 END, "
    "CASE WHEN q.limit_at < :as_of THEN q.limit_at WHEN q.target_at < :as_of THEN q.target_at "
    f"ELSE min(coalesce(q.target_at, '{_NO_DEADLINE}'), coalesce(q.limit_at, '{_NO_DEADLINE}')) END, "
    "q.received, q.id"
)
COUNT_SQL = "SELECT count(*) FROM inquiry AS q WHERE q.status = 'open'"
BLOCK_SQL = (
    "SELECT q.id, q.contact_id, q.received, q.target_at, q.limit_at, q.opened_by_interaction_id, c.display_name "
    "FROM inquiry AS q JOIN contact AS c ON c.id = q.contact_id "
    f"WHERE q.status = 'open' {URGENCY_ORDER} LIMIT :limit OFFSET :offset"
)


class SqliteInquiryQueue:
    def __init__(self, connection: sqlite3.Connection):
        self._connection = connection

    def count(self) -> int:
        return self._connection.execute(COUNT_SQL).fetchone()[0]

    def block(self, as_of: datetime, offset: int, limit: int) -> list[tuple[Inquiry, str]]:
        """The open inquiries at positions offset … offset + limit - 1 by urgency as of `as_of`, each with
        its client's name; fewer at the end."""
        parameters = {"as_of": utc_text(as_of), "limit": limit, "offset": offset}
        return [(_inquiry(row), row[6]) for row in self._connection.execute(BLOCK_SQL, parameters)]


def _inquiry(row: tuple) -> Inquiry:
    inquiry_id, contact_id, received, target, limit, opened_by, _name = row
    return Inquiry(id=inquiry_id, contact_id=contact_id, received=from_utc_text(received), target=from_utc_text(target),
                   limit=from_utc_text(limit), status=InquiryStatus.OPEN, opened_by_interaction_id=opened_by)
