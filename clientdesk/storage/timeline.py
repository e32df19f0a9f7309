"""A contact's timeline on a plain sqlite3 connection (see storage/connection.py): how many interactions,
and a block of them by position, newest first.

Both walk ix_interaction_contact_id_at alone: its entries are (contact_id, at, rowid), so one contact's
interactions sit together in time order with ties by id, and counting or skipping them never reads the
table. Only the block's own rows are then read, each with the inquiry it opened or answered through
that column's index."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.interactions import Direction
from clientdesk.domain.timeline import TimelineEntry

NEWEST_FIRST = "ORDER BY i.at DESC, i.id DESC"
COUNT_SQL = "SELECT count(*) FROM interaction AS i WHERE i.contact_id = ?"
# The block's ids come from the covering index; selecting the columns directly would read every row OFFSET
# skips. An interaction opens at most one inquiry and answers at most one; min() keeps it one row regardless.
BLOCK_SQL = (
    "SELECT i.id, i.at, i.channel, i.direction, i.duration_minutes, i.summary, i.outcome, i.urgent, i.logged_by, "
    "i.override_reason, "
    "(SELECT min(q.id) FROM inquiry AS q WHERE q.opened_by_interaction_id = i.id), "
    "(SELECT min(q.id) FROM inquiry AS q WHERE q.answered_by_interaction_id = i.id) "
    f"FROM (SELECT i.id AS id FROM interaction AS i WHERE i.contact_id = ? {NEWEST_FIRST} LIMIT ? OFFSET ?) AS p "
    f"JOIN interaction AS i ON i.id = p.id {NEWEST_FIRST}"
)


class SqliteTimeline:
    def __init__(self, connection: sqlite3.Connection):
        self._connection = connection

    def count(self, contact_id: int) -> int:
        return self._connection.execute(COUNT_SQL, (contact_id,)).fetchone()[0]

    def block(self, contact_id: int, offset: int, limit: int) -> list[TimelineEntry]:
        """The entries at positions offset … offset + limit - 1, newest first; fewer at the end."""
        return [_entry(row) for row in self._connection.execute(BLOCK_SQL, (contact_id, limit, offset))]


def _entry(row: tuple) -> TimelineEntry:
    return TimelineEntry(
        id=row[0], at=datetime.fromisoformat(row[1]).replace(tzinfo=UTC), channel=Channel(row[2]),
        direction=Direction(row[3]), duration_minutes=row[4], summary=row[5], outcome=row[6], urgent=bool(row[7]),
        logged_by=row[8], override_reason=row[9], opened_inquiry_id=row[10], answered_inquiry_id=row[11])
