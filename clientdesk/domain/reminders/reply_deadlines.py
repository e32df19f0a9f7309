"""Reply-by deadlines of open inquiries on the agenda: "reply_by:<inquiry id>", due at the inquiry's target
(or at its limit when it has no target). Answering or closing the inquiry is what "done" means: storage only
hands over open inquiries, so an answered one disappears by itself.

What storage must do: the open inquiries with `COALESCE(target_at, limit_at) < end` (an index on
(status, target_at) serves it; the existing one is on (status, limit_at)), each with the contact's name and
the channel it came in on (the opening interaction's), which is the channel to reply on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.hours import require_aware
from clientdesk.domain.interactions import Inquiry, InquiryStatus
from clientdesk.domain.reminders.kinds import UTC, Due, ReminderKind, new_due


@dataclass(frozen=True, slots=True)
class InquiryFacts:
    inquiry: Inquiry
    contact_name: str
    channel: Channel | None = None


def reply_by_dues(inquiries: Iterable[InquiryFacts], end: datetime) -> list[Due]:
    end = require_aware(end, "end")
    return deadline_dues(((inquiry.id, inquiry.contact_id, facts.contact_name,
                           inquiry.target if inquiry.target is not None else inquiry.limit, facts.channel)
                          for facts in inquiries if (inquiry := facts.inquiry).status is InquiryStatus.OPEN), end)


def deadline_dues(deadlines: Iterable[tuple[int, int, str, datetime | None, Channel | None]],
                  end: datetime) -> list[Due]:
    """reply_by_dues from open inquiries as storage reads them: (inquiry id, contact id, contact name, deadline
    — the target, else the limit — as a UTC instant, the channel it came in on)."""
    kind = ReminderKind.REPLY_BY
    return [new_due(f"reply_by:{inquiry_id}", kind, contact_id, name, f"Reply to {name}",
                    deadline if deadline.tzinfo is UTC else deadline.astimezone(UTC), channel)
            for inquiry_id, contact_id, name, deadline, channel in deadlines
            if deadline is not None and deadline < end]


__all__ = ["InquiryFacts", "deadline_dues", "reply_by_dues"]
