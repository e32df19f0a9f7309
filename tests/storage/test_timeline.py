"""A contact's timeline read straight from SQLite: newest first, ties by id, in blocks, through the index."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.interactions import Direction, InteractionDraft
from clientdesk.domain.timeline import TimelineEntry
from clientdesk.storage.timeline import BLOCK_SQL, COUNT_SQL
from tests.storage.conftest import add_contacts

STORED = "%Y-%m-%d %H:%M:%S.%f"  # how UtcDateTime keeps an instant: naive UTC text
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def insert(ws, contact_id: int, moments: list[datetime]) -> list[int]:
    """Interactions written with SQL, as a bulk import would: fast, and with exactly the times given."""
    connection = sqlite3.connect(ws.path)
    try:
        with connection:
            ids = []
            for number, at in enumerate(moments):
                stamp = at.astimezone(UTC).strftime(STORED)
                cursor = connection.execute(
                    "INSERT INTO interaction (contact_id, channel, direction, at, summary, outcome, urgent, logged_by, "
                    "override_reason, created_at) VALUES (?, 'email', 'out', ?, ?, '', 0, '', '', ?)",
                    (contact_id, stamp, f"Message {number}", stamp))
                ids.append(cursor.lastrowid)
    finally:
        connection.close()
    return ids


def log(ws, contact_id: int, at: datetime, **fields):
    return ws.interactions.log(InteractionDraft(contact_id=contact_id, at=at, **{
        "channel": Channel.PHONE, "direction": Direction.IN, "summary": "A call", **fields}))


def ids_of(entries: list[TimelineEntry]) -> list[int]:
    return [entry.id for entry in entries]


def test_the_newest_comes_first_and_interactions_at_the_same_moment_by_the_later_logged(ws):
    (ana,) = add_contacts(ws, ["Ana"])
    middle, oldest, tie_first, tie_second = insert(
        ws, ana, [START + timedelta(days=1), START, START + timedelta(days=2), START + timedelta(days=2)])
    with ws.database.timeline() as timeline:
        assert ids_of(timeline.block(ana, 0, 10)) == [tie_second, tie_first, middle, oldest]


def test_each_contact_counts_and_sees_only_their_own(ws):
    ana, ben = add_contacts(ws, ["Ana", "Ben"])
    insert(ws, ana, [START + timedelta(hours=hour) for hour in range(3)])
    bens = insert(ws, ben, [START + timedelta(minutes=minute) for minute in range(5)])
    with ws.database.timeline() as timeline:
        assert (timeline.count(ana), timeline.count(ben)) == (3, 5)
        assert ids_of(timeline.block(ben, 0, 10)) == bens[::-1]
    assert ws.timeline.count(ben) == 5


def test_blocks_follow_one_another_without_gaps_and_the_last_is_short(ws):
    (ana,) = add_contacts(ws, ["Ana"])
    ids = insert(ws, ana, [START + timedelta(minutes=minute) for minute in range(300)])
    newest_first = ids[::-1]
    blocks = [ws.timeline.block(ana, offset, 128) for offset in (0, 128, 256)]
    assert [len(block) for block in blocks] == [128, 128, 44]
    assert ids_of(blocks[0] + blocks[1] + blocks[2]) == newest_first
    assert ws.timeline.block(ana, 300, 128) == []
    start = ws.timeline.start(ana, 128)
    assert start.count == 300 and ids_of(start.entries) == newest_first[:128]


def test_a_contact_with_no_interactions_has_an_empty_timeline(ws):
    (ana,) = add_contacts(ws, ["Ana"])
    start = ws.timeline.start(ana, 128)
    assert (start.count, start.entries) == (0, [])
    assert ws.timeline.block(ana, 0, 128) == []


def test_an_entry_carries_everything_logged_and_the_inquiries_it_opened_and_answered(ws):
    (ana,) = add_contacts(ws, ["Ana"])
    now = datetime.now(UTC).replace(microsecond=0)
    question = log(ws, ana, now - timedelta(hours=3), summary="Can you move Friday?\nAfter 3 please",
                   duration_minutes=12, needs_reply=True, logged_by="Sam")
    answer = log(ws, ana, now - timedelta(hours=1), channel=Channel.SMS, direction=Direction.OUT, summary="",
                 outcome="Moved to Monday", urgent=True, answers_inquiry_id=question.opened.id,
                 override_reason="The client asked for a text")
    newest, oldest = ws.timeline.block(ana, 0, 10)
    assert newest == TimelineEntry(
        id=answer.interaction_id, at=now - timedelta(hours=1), channel=Channel.SMS, direction=Direction.OUT,
        duration_minutes=None, summary="", outcome="Moved to Monday", urgent=True, logged_by="",
        override_reason="The client asked for a text", opened_inquiry_id=None, answered_inquiry_id=question.opened.id)
    assert oldest == TimelineEntry(
        id=question.interaction_id, at=now - timedelta(hours=3), channel=Channel.PHONE, direction=Direction.IN,
        duration_minutes=12, summary="Can you move Friday?\nAfter 3 please", outcome="", urgent=False,
        logged_by="Sam", opened_inquiry_id=question.opened.id, answered_inquiry_id=None)
    assert newest.at.tzinfo is UTC


def plan(ws, sql: str, parameters: tuple) -> list[tuple[int, int, str]]:
    connection = sqlite3.connect(ws.path)
    try:
        return [(node, parent, detail) for node, parent, _unused, detail
                in connection.execute(f"EXPLAIN QUERY PLAN {sql}", parameters)]
    finally:
        connection.close()


def test_counting_and_paging_walk_the_contact_and_time_index_without_sorting(ws):
    (ana,) = add_contacts(ws, ["Ana"])
    insert(ws, ana, [START + timedelta(minutes=minute) for minute in range(50)])
    walk = "SEARCH i USING COVERING INDEX ix_interaction_contact_id_at (contact_id=?)"
    reviews = "SEARCH r USING COVERING INDEX ix_client_review_contact_id_produced_at (contact_id=?)"
    counting = [detail for _node, _parent, detail in plan(ws, COUNT_SQL, (ana,))]
    assert walk in counting and reviews in counting
    assert not [detail for detail in counting if "SCAN i" in detail or "SCAN r" in detail or "B-TREE" in detail]

    steps = plan(ws, BLOCK_SQL, (ana, 128, 0))
    # Each index already holds one contact's rows in time order with ties by id, and the two are merged:
    # picking a block sorts nothing (only the block's own 128 rows are put back in order after the join).
    merge = [node for node, _parent, detail in steps if detail == "MERGE (UNION ALL)"]
    assert merge, steps
    under_merge = {node for node, parent, _detail in steps if parent == merge[0]}
    sides = [detail for _node, parent, detail in steps if parent in under_merge]
    assert walk in sides and reviews in sides
    assert not [detail for detail in sides if "TEMP B-TREE" in detail]
    details = " | ".join(detail for _node, _parent, detail in steps)
    assert "SCAN i" not in details and "SCAN interaction" not in details
    assert "ix_inquiry_opened_by_interaction_id" in details and "ix_inquiry_answered_by_interaction_id" in details
