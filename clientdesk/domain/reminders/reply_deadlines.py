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
from clientdesk.domain.reminders.kinds import Due, ReminderKind, item_id


@dataclass(frozen=True, slots=True)
class InquiryFacts:
    inquiry: Inquiry
    contact_name: str
    channel: Channel | None = None


def reply_by_dues(inquiries: Iterable[InquiryFacts], end: datetime) -> list[Due]:
    end = require_aware(end, "end")
    found: list[Due] = []
    for facts in inquiries:
        inquiry = facts.inquiry
        deadline = inquiry.target if inquiry.target is not None else inquiry.limit
        if inquiry.status is not InquiryStatus.OPEN or deadline is None or deadline >= end:
            continue
        found.append(Due(item_id(ReminderKind.REPLY_BY, inquiry.id), ReminderKind.REPLY_BY, inquiry.contact_id,
                         facts.contact_name, f"Reply to {facts.contact_name}", deadline, facts.channel))
    return found


__all__ = ["InquiryFacts", "reply_by_dues"]
