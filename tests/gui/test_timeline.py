"""The contact form's Timeline tab: calls and messages newest first, read lazily, refreshed by the broadcast."""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.interactions import Direction, InteractionDraft
from clientdesk.gui.contact_editor import ContactEditor
from clientdesk.gui.operations import Operations
from clientdesk.gui.timeline_model import BLOCK, TimelineColumn
from clientdesk.gui.timeline_view import NOT_SAVED, NOTHING_LOGGED
from tests.helpers import person

STORED = "%Y-%m-%d %H:%M:%S.%f"  # how UtcDateTime keeps an instant: naive UTC text


@pytest.fixture
def operations(qtbot):
    runner = Operations()
    yield runner
    runner.wait()


@pytest.fixture
def open_editor(qtbot, workspace, operations):
    """The contact form with every tab, on screen, showing the given contact."""
    editors = []  # a form without a parent lives only as long as someone holds it

    def opener(contact_id: int | None) -> ContactEditor:
        editor = ContactEditor(workspace.contacts, operations, boundaries=workspace.boundaries,
                               timeline=workspace.timeline)
        qtbot.addWidget(editor)
        editor.resize(1000, 700)
        with qtbot.waitActive(editor):
            editor.show()
            editor.activateWindow()
        if contact_id is not None:
            editor.load(contact_id)
        editors.append(editor)
        return editor

    return opener


@pytest.fixture
def in_new_york():
    """This computer's clock set to New York, so local time and UTC differ."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    yield ZoneInfo("America/New_York")
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def show_timeline(qtbot, editor: ContactEditor):
    qtbot.keyClick(editor, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # T&imeline
    assert editor.tabs.currentIndex() == 2
    qtbot.waitUntil(lambda: editor.timeline_view is not None
                    and editor.timeline_view.model.contact_id == editor.contact_id)
    return editor.timeline_view


def minutes_ago(minutes: float) -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=minutes)


def call(contact_id: int, minutes: float, summary: str, **fields) -> InteractionDraft:
    return InteractionDraft(contact_id=contact_id, channel=fields.pop("channel", Channel.PHONE),
                            direction=fields.pop("direction", Direction.IN), at=minutes_ago(minutes),
                            summary=summary, **fields)


def cells(view, row: int) -> list[str]:
    model = view.model
    return [model.data(model.index(row, column)) for column in TimelineColumn]


def test_the_tab_is_built_when_first_shown_and_lists_a_logged_call(qtbot, workspace, open_editor, in_new_york):
    ana = workspace.contacts.create(person("Ana", "Silva")).contact_id
    logged = workspace.interactions.log(call(ana, 90, "Asked about the invoice\nand the next visit",
                                             duration_minutes=75, outcome="Sent a copy", logged_by="Sam",
                                             needs_reply=True))
    editor = open_editor(ana)
    assert editor.timeline_view is None  # nothing of it is built until someone looks

    view = show_timeline(qtbot, editor)
    assert view.count_label.text() == "1 interaction"
    assert view.table.isVisible() and not view.empty.isVisible()
    when, *others = cells(view, 0)
    logged_at = view.model.entry(0).at
    assert when.endswith(logged_at.astimezone(in_new_york).strftime(" %H:%M"))  # in this computer's time
    shown = dict(zip(list(TimelineColumn)[1:], others))
    assert shown == {TimelineColumn.CHANNEL: "Phone  ↓ in", TimelineColumn.SUMMARY: "Asked about the invoice…",
                     TimelineColumn.OUTCOME: "Sent a copy", TimelineColumn.DURATION: "1 h 15 min",
                     TimelineColumn.LOGGED_BY: "Sam"}
    tooltip = view.model.data(view.model.index(0, TimelineColumn.SUMMARY), Qt.ItemDataRole.ToolTipRole)
    assert "Asked about the invoice<br>and the next visit" in tooltip
    assert f"Opened inquiry #{logged.opened.id}" in tooltip


def test_an_urgent_outgoing_message_is_marked_and_says_why_it_broke_the_rules(qtbot, workspace, open_editor):
    ana = workspace.contacts.create(person("Ana")).contact_id
    workspace.interactions.log(call(ana, 5, "Pipe burst <again>", channel=Channel.SMS, direction=Direction.OUT,
                                    urgent=True, override_reason="Flooding & no answer by phone"))
    editor = open_editor(ana)
    view = show_timeline(qtbot, editor)
    model = view.model
    assert cells(view, 0)[TimelineColumn.CHANNEL] == "Text  ↑ out"
    assert cells(view, 0)[TimelineColumn.SUMMARY] == "Urgent: Pipe burst <again>"
    assert model.data(model.index(0, TimelineColumn.WHEN), Qt.ItemDataRole.BackgroundRole) is not None
    tooltip = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert "Pipe burst &lt;again&gt;" in tooltip  # user text is escaped, never read as markup
    assert "Flooding &amp; no answer by phone" in tooltip


def test_an_empty_timeline_says_how_to_log_one_and_the_button_asks_for_this_contact(qtbot, workspace, open_editor):
    ana = workspace.contacts.create(person("Ana")).contact_id
    editor = open_editor(ana)
    view = show_timeline(qtbot, editor)
    assert view.empty.isVisible() and not view.table.isVisible() and view.empty.text() == NOTHING_LOGGED
    assert view.count_label.text() == ""
    with qtbot.waitSignal(editor.log_requested) as requested:
        qtbot.mouseClick(view.log_button, Qt.MouseButton.LeftButton)
    assert requested.args == [ana]

    editor.start_new()
    qtbot.waitUntil(lambda: view.model.contact_id is None)
    assert view.empty.text() == NOT_SAVED and not view.log_button.isEnabled()


def insert_interactions(workspace, contact_id: int, count: int) -> None:
    """As a long-standing client's history would be imported: with SQL, one minute apart, oldest first."""
    start = datetime(2020, 1, 1, tzinfo=UTC)
    rows = [(contact_id, (start + timedelta(minutes=n)).strftime(STORED), f"Message {n}") for n in range(count)]
    connection = sqlite3.connect(workspace.path)
    try:
        with connection:
            connection.executemany(
                "INSERT INTO interaction (contact_id, channel, direction, at, summary, outcome, urgent, logged_by, "
                "override_reason, created_at) VALUES (?, 'email', 'in', ?, ?, '', 0, '', '', ?)",
                [(*row, row[1]) for row in rows])
    finally:
        connection.close()


def test_ten_thousand_interactions_open_at_once_reading_only_the_rows_on_screen(qtbot, workspace, open_editor):
    ana = workspace.contacts.create(person("Ana")).contact_id
    insert_interactions(workspace, ana, 10_000)
    editor = open_editor(ana)
    view = show_timeline(qtbot, editor)
    view.table.viewport().repaint()  # paint now: the view asks for every row it shows
    assert view.model.rowCount() == 10_000
    assert view.count_label.text() == "10,000 interactions"
    assert cells(view, 0)[TimelineColumn.SUMMARY] == "Message 9999"
    assert view.model.rows_read == BLOCK  # the count and the newest block; nothing else

    view.table.scrollToBottom()
    view.table.viewport().repaint()
    assert view.table.rowAt(view.table.viewport().height() - 1) == 9_999
    assert cells(view, 9_999)[TimelineColumn.SUMMARY] == "Message 0"
    assert view.model.rows_read <= 3 * BLOCK  # the newest block and the oldest ones, far from all 10,000


def test_a_call_logged_for_the_contact_appears_after_the_broadcast(qtbot, workspace, operations, open_editor):
    ana = workspace.contacts.create(person("Ana")).contact_id
    ben = workspace.contacts.create(person("Ben")).contact_id
    workspace.interactions.log(call(ana, 60, "First call"))
    editor = open_editor(ana)
    view = show_timeline(qtbot, editor)
    assert view.model.rowCount() == 1

    interactions = workspace.interactions
    operations.run(lambda: interactions.log(call(ana, 1, "Called back")))
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    assert [cells(view, row)[TimelineColumn.SUMMARY] for row in range(2)] == ["Called back", "First call"]
    assert view.count_label.text() == "2 interactions"

    # Another contact's call leaves this timeline alone.
    reloads = []
    view.model.reloaded.connect(lambda: reloads.append(True))
    with qtbot.waitSignal(operations.changes_applied):
        operations.run(lambda: interactions.log(call(ben, 1, "Ben's call")))
    assert reloads == []

    # While another tab is in front nothing is read; the timeline catches up when it is shown again.
    editor.tabs.setCurrentIndex(0)
    with qtbot.waitSignal(operations.changes_applied):
        operations.run(lambda: interactions.log(call(ana, 0, "Left a message")))
    assert view.model.rowCount() == 2
    show_timeline(qtbot, editor)
    qtbot.waitUntil(lambda: view.model.rowCount() == 3)
    assert cells(view, 0)[TimelineColumn.SUMMARY] == "Left a message"
