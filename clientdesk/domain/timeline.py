"""A contact's timeline: every interaction with them, newest first, as the timeline shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.interactions import Direction


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One interaction on the timeline, with the inquiries it opened or answered (their ids, None when
    it did neither). `at` is an aware UTC instant."""

    id: int
    at: datetime
    channel: Channel
    direction: Direction
    duration_minutes: int | None
    summary: str
    outcome: str
    urgent: bool
    logged_by: str
    override_reason: str = ""  # why it was made although the client's boundaries did not allow it
    opened_inquiry_id: int | None = None
    answered_inquiry_id: int | None = None


__all__ = ["TimelineEntry"]
