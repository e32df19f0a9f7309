"""The reply-by queue read straight from SQLite: the same urgency order as the domain's by_urgency, in
blocks, with the clients' names and only the open inquiries."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from clientdesk.domain.interactions import InquiryStatus, answered, by_urgency, closed
from clientdesk.domain.reply import ReplyBy, ReplyClock
from tests.storage.conftest import add_contacts

AS_OF = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def open_inquiry(ws, contact_id: int, received: datetime, target: datetime | None, limit: datetime | None):
    with ws.database.writing() as uow:
        return uow.inquiries.open_for(contact_id, ReplyBy(received, target, limit, ReplyClock.CALENDAR), None)


def queue_ids(ws, as_of: datetime, offset: int = 0, limit: int = 1000) -> list[int]:
    with ws.database.inquiry_queue() as queue:
        return [inquiry.id for inquiry, _name in queue.block(as_of, offset, limit)]


def test_the_order_is_by_urgency_for_every_kind_of_deadline(ws):
    """Past the limit, past the target, due, no deadline; exact deadlines, missing ones and ties."""
    contacts = add_contacts(ws, ["Ana", "Ben", "Cleo"])
    rng = random.Random(7)
    hour = timedelta(hours=1)
    moments = [AS_OF + k * hour for k in range(-6, 7)]  # AS_OF itself among them: a deadline reached exactly
    made = []
    for _ in range(120):
        received = AS_OF - rng.randrange(0, 4) * hour * 24
        target = rng.choice(moments + [None])
        limit = rng.choice([None, target] + moments) if target is not None else rng.choice([None] + moments)
        if target is not None and limit is not None and limit < target:
            target, limit = limit, target
        made.append(open_inquiry(ws, rng.choice(contacts), received, target, limit))
    assert queue_ids(ws, AS_OF) == [inquiry.id for inquiry in by_urgency(made, AS_OF)]
    later = AS_OF + 5 * hour  # the same inquiries later: more of them overdue, so a different order
    assert queue_ids(ws, later) == [inquiry.id for inquiry in by_urgency(made, later)]
    assert queue_ids(ws, later) != queue_ids(ws, AS_OF)


def test_blocks_follow_one_another_and_the_count_is_of_open_inquiries_only(ws):
    (ana, ben) = add_contacts(ws, ["Ana", "Ben"])
    made = [open_inquiry(ws, ana if n % 2 else ben, AS_OF - timedelta(hours=n), AS_OF + timedelta(hours=10 - n),
                         AS_OF + timedelta(hours=30 - n)) for n in range(10)]
    with ws.database.writing() as uow:
        uow.inquiries.save(answered(made[0], AS_OF))
        uow.inquiries.save(closed(made[1], "Spam", AS_OF))
    with ws.database.inquiry_queue() as queue:
        assert queue.count() == 8
        whole = queue.block(AS_OF, 0, 100)
        assert [inquiry.id for inquiry, _ in queue.block(AS_OF, 3, 3)] == [inquiry.id for inquiry, _ in whole[3:6]]
        assert queue.block(AS_OF, 8, 5) == []
    assert {inquiry.status for inquiry, _ in whole} == {InquiryStatus.OPEN}
    assert {name for _, name in whole} == {"Ana", "Ben"}
    assert [inquiry.id for inquiry, _ in whole] == [q.id for q in by_urgency(made[2:], AS_OF)]
    assert whole[0][0] == made[9]  # read back whole: deadlines, received and the contact as written
