"""Reading the reply-by queue: how many inquiries are open, and blocks of them most urgent first, each with
its client's name and whether that client may be contacted now. A lazy view asks for the rows it shows, so
a queue of ten thousand opens as fast as one of ten. Reads only; answering and closing go through
InteractionService."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clientdesk.domain.interactions import Inquiry
from clientdesk.services.boundaries import BoundariesService
from clientdesk.storage import Database


@dataclass(frozen=True, slots=True)
class QueuedInquiry:
    inquiry: Inquiry
    client: str  # the contact's display name
    contact_now: str  # e.g. "Yes: email, phone" — the client's boundaries at the queue's moment


@dataclass(frozen=True, slots=True)
class QueueStart:
    """What the queue shows at once: how many are open, and the most urgent of them."""

    count: int
    entries: list[QueuedInquiry]


class InquiryQueueService:
    def __init__(self, database: Database, boundaries: BoundariesService):
        self._db = database
        self._boundaries = boundaries

    def count(self) -> int:
        with self._db.inquiry_queue() as queue:
            return queue.count()

    def start(self, as_of: datetime, limit: int) -> QueueStart:
        """The count and the `limit` most urgent as of `as_of`, from one snapshot so they agree."""
        with self._db.inquiry_queue() as queue:
            count, found = queue.count(), queue.block(as_of, 0, limit)
        return QueueStart(count, self._entries(found, as_of))

    def block(self, as_of: datetime, offset: int, limit: int) -> list[QueuedInquiry]:
        """The open inquiries at positions offset … offset + limit - 1 by urgency as of `as_of` (the same
        moment for every block of one view, so that its order holds still); fewer at the end."""
        with self._db.inquiry_queue() as queue:
            found = queue.block(as_of, offset, limit)
        return self._entries(found, as_of)

    def _entries(self, found: list[tuple[Inquiry, str]], as_of: datetime) -> list[QueuedInquiry]:
        if not found:
            return []
        now_texts = self._boundaries.summaries(sorted({inquiry.contact_id for inquiry, _ in found}), as_of)
        return [QueuedInquiry(inquiry, name, now_texts.get(inquiry.contact_id, "")) for inquiry, name in found]
