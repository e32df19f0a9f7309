"""The reply-by queue: an inquiry appears in it, most urgent first, and leaves it when answered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.interactions import Direction, InteractionDraft
from tests.gui.conftest import settle
from tests.helpers import person


def ask(workspace, contact_id: int, hours_ago: float) -> None:
    workspace.interactions.log(InteractionDraft(
        contact_id=contact_id, channel=Channel.EMAIL, direction=Direction.IN,
        at=datetime.now(UTC) - timedelta(hours=hours_ago), summary="A question", needs_reply=True))


def test_an_inquiry_appears_in_the_queue_and_leaves_it_when_answered(qtbot, workspace, open_window):
    late = workspace.contacts.create(person("Ana", "Late")).contact_id
    fresh = workspace.contacts.create(person("Ben", "Fresh")).contact_id
    ask(workspace, fresh, hours_ago=1)
    ask(workspace, late, hours_ago=60)  # past the 48-hour limit
    window = open_window()
    qtbot.waitUntil(lambda: window.inquiries_page is not None)
    page = window.inquiries_page
    assert window.sidebar.item(1).text() == "Inquiries  (2)"
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is page and page.table.hasFocus()
    model = page.model
    assert [model.data(model.index(row, 2)) for row in range(2)] == ["Ana Late", "Ben Fresh"]
    assert model.data(model.index(0, 0)) == "Past the limit" and model.data(model.index(0, 1)).endswith("late")
    assert model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(1, 0), Qt.ItemDataRole.BackgroundRole) is None
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert model.data(model.index(0, 2)) == "Ben Fresh"
    assert window.sidebar.item(1).text() == "Inquiries  (1)"
    assert [inquiry.status.value for inquiry in workspace.interactions.inquiries()] == ["open", "answered"]


def test_an_empty_queue_says_so(qtbot, open_window):
    window = open_window()
    qtbot.waitUntil(lambda: window.inquiries_page is not None)
    assert window.inquiries_page.empty.isVisibleTo(window.inquiries_page)
    assert not window.inquiries_page.answer_button.isEnabled()


def test_the_contact_form_follows_the_chosen_inquiry(qtbot, workspace, open_window):
    late = workspace.contacts.create(person("Ana", "Late")).contact_id
    fresh = workspace.contacts.create(person("Ben", "Fresh")).contact_id
    ask(workspace, fresh, hours_ago=1)
    ask(workspace, late, hours_ago=60)
    window = open_window()
    qtbot.waitUntil(lambda: window.inquiries_page is not None and window.inquiries_page.model.rowCount() == 2)
    window.contacts_page.select_contact(fresh)
    qtbot.waitUntil(lambda: window.editor.contact_id == fresh)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.editor.contact_id == late)  # the most urgent inquiry's client
    qtbot.keyClick(window.inquiries_page.table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: window.editor.contact_id == fresh)
    window.inquiries_page.reload()  # the minute's refresh moves nothing while the queue is not in use
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.contact_id == fresh


def test_delete_closes_the_chosen_inquiry_with_the_reason_asked_for(qtbot, workspace, open_window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    ana = workspace.contacts.create(person("Ana", "Silva")).contact_id
    ask(workspace, ana, hours_ago=2)
    asked = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: (asked.append(args[1:3]),
                                                                          ("Spam", True))[1])
    window = open_window()
    qtbot.waitUntil(lambda: window.inquiries_page is not None and window.inquiries_page.model.rowCount() == 1)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = window.inquiries_page
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert asked == [("Close inquiry", "Why does it need no reply?")]
    [inquiry] = workspace.interactions.inquiries()
    assert inquiry.status.value == "closed"
