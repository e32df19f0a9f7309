"""A contact's timeline: every interaction with them and every client review produced for them, newest
first, as the timeline shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.interactions import Direction

if TYPE_CHECKING:
    from clientdesk.domain.review import RecordedReview


class EntryKind(StrEnum):
    INTERACTION = "interaction"
    REVIEW = "review"  # a client review produced (domain/review.py's RecordedReview)


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One entry on the timeline. An interaction carries the inquiries it opened or answered (their ids, None
    when it did neither). A review (kind REVIEW) has no channel nor direction; its summary names the period
    and its outcome the file, and `review` holds the whole record (file, hash, notes). `at` is an aware UTC
    instant; `id` is the interaction's or the review's own id (the kind tells which)."""

    id: int
    at: datetime
    channel: Channel | None
    direction: Direction | None
    duration_minutes: int | None
    summary: str
    outcome: str
    urgent: bool
    logged_by: str
    override_reason: str = ""  # why it was made although the client's boundaries did not allow it
    opened_inquiry_id: int | None = None
    answered_inquiry_id: int | None = None
    kind: EntryKind = EntryKind.INTERACTION
    review: RecordedReview | None = None


__all__ = ["EntryKind", "TimelineEntry"]
