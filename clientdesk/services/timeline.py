"""Reading a contact's timeline: how many interactions, and blocks of them newest first, as a lazy view
asks for them. Reads only; writes go through InteractionService.log."""

from __future__ import annotations

from dataclasses import dataclass

from clientdesk.domain.timeline import TimelineEntry
from clientdesk.storage import Database


@dataclass(frozen=True, slots=True)
class TimelineStart:
    """What a timeline needs to show at once: how many interactions, and the newest of them."""

    count: int
    entries: list[TimelineEntry]


class TimelineService:
    def __init__(self, database: Database):
        self._db = database

    def count(self, contact_id: int) -> int:
        with self._db.timeline() as timeline:
            return timeline.count(contact_id)

    def start(self, contact_id: int, limit: int) -> TimelineStart:
        """The count and the first `limit` entries, from one snapshot so they agree."""
        with self._db.timeline() as timeline:
            return TimelineStart(timeline.count(contact_id), timeline.block(contact_id, 0, limit))

    def block(self, contact_id: int, offset: int, limit: int) -> list[TimelineEntry]:
        """Entries at positions offset … offset + limit - 1, newest first (ties: the later logged first)."""
        with self._db.timeline() as timeline:
            return timeline.block(contact_id, offset, limit)
