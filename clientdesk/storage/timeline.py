"""A contact's timeline on a plain sqlite3 connection (see storage/connection.py): how many entries, and a
block of them by position, newest first. The entries are the contact's interactions and the client reviews
produced for them (kind "review").

Both walk indexes alone: ix_interaction_contact_id_at holds (contact_id, at, rowid), so one contact's
interactions sit together in time order with ties by id, and ix_client_review_contact_id_produced_at does the
same for reviews. A block merges the two walks (SQLite's MERGE of a UNION ALL, each side already in order),
so counting or skipping never reads a table nor sorts; only the block's own rows are then read, each
interaction with the inquiry it opened or answered through that column's index."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.interactions import Direction
from clientdesk.domain.timeline import EntryKind, TimelineEntry

# ?1 is the contact: each statement names it once however many times it is used.
COUNT_SQL = ("SELECT (SELECT count(*) FROM interaction AS i WHERE i.contact_id = ?1) "
             "+ (SELECT count(*) FROM client_review AS r WHERE r.contact_id = ?1)")
# The block's keys come from the two covering indexes, merged in order; selecting the columns directly would
# read every row OFFSET skips. An interaction opens at most one inquiry and answers at most one; min() keeps
# it one row regardless. Parameters: contact, limit, offset.
_KEYS = ("SELECT 0 AS kind, i.id AS id, i.at AS at FROM interaction AS i WHERE i.contact_id = ?1 "
         "UNION ALL SELECT 1, r.id, r.produced_at FROM client_review AS r WHERE r.contact_id = ?1 "
         "ORDER BY 3 DESC, 2 DESC LIMIT ?2 OFFSET ?3")
BLOCK_SQL = (
    "SELECT p.kind, p.id, p.at, i.channel, i.direction, i.duration_minutes, i.summary, i.outcome, i.urgent, "
    "i.logged_by, i.override_reason, "
    "(SELECT min(q.id) FROM inquiry AS q WHERE q.opened_by_interaction_id = i.id), "
    "(SELECT min(q.id) FROM inquiry AS q WHERE q.answered_by_interaction_id = i.id), "
    "r.period_from, r.period_to, r.file_name, r.sha256, r.notes "
    f"FROM ({_KEYS}) AS p "
    "LEFT JOIN interaction AS i ON p.kind = 0 AND i.id = p.id "
    "LEFT JOIN client_review AS r ON p.kind = 1 AND r.id = p.id "
    "ORDER BY p.at DESC, p.id DESC"
)


class SqliteTimeline:
    def __init__(self, connection: sqlite3.Connection):
        self._connection = connection

    def count(self, contact_id: int) -> int:
        return self._connection.execute(COUNT_SQL, (contact_id,)).fetchone()[0]

    def block(self, contact_id: int, offset: int, limit: int) -> list[TimelineEntry]:
        """The entries at positions offset … offset + limit - 1, newest first; fewer at the end."""
        entries = []
        for row in self._connection.execute(BLOCK_SQL, (contact_id, limit, offset)):
            if row[0] == 1:
                entries.append(_review(contact_id, row))
            elif row[3] is not None:  # None: deleted between the keys and the join
                entries.append(_entry(row))
        return entries


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _entry(row: tuple) -> TimelineEntry:
    return TimelineEntry(
        id=row[1], at=_instant(row[2]), channel=Channel(row[3]), direction=Direction(row[4]),
        duration_minutes=row[5], summary=row[6], outcome=row[7], urgent=bool(row[8]), logged_by=row[9],
        override_reason=row[10], opened_inquiry_id=row[11], answered_inquiry_id=row[12])


def _review(contact_id: int, row: tuple) -> TimelineEntry:
    from clientdesk.domain.review import RecordedReview, ReviewPeriod

    at = _instant(row[2])
    review = RecordedReview(row[1], contact_id, ReviewPeriod(date.fromisoformat(row[13]), date.fromisoformat(row[14])),
                            at, row[15], row[16], row[17] or "")
    return TimelineEntry(id=row[1], at=at, channel=None, direction=None, duration_minutes=None,
                         summary=f"Client review, {review.period.text()}", outcome=review.base_name, urgent=False,
                         logged_by="", kind=EntryKind.REVIEW, review=review)
