"""The "contact now?" indicator follows the business's hours and the client's rules as they are edited."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from clientdesk.domain.boundaries import Channel, ChannelPolicy
from clientdesk.domain.hours import WeeklyHours
from clientdesk.gui import settings_dialog
from clientdesk.gui.contact_table_model import AVAILABILITY_COLUMN
from tests.gui.conftest import settle
from tests.helpers import person

ALWAYS_OPEN = WeeklyHours.from_json({day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})


def indicator(window, row: int = 0) -> str:
    return window.model.data(window.model.index(row, AVAILABILITY_COLUMN))


def test_editing_hours_and_a_clients_rules_changes_the_indicator(qtbot, workspace, open_window, monkeypatch):
    workspace.business.save(replace(workspace.business.profile(), hours=ALWAYS_OPEN))
    workspace.contacts.create(person("Ana", "Silva"))
    window = open_window()
    qtbot.waitUntil(lambda: indicator(window).startswith("Phone OK"))
    assert window.editor.availability.text().startswith("Phone OK")

    # Settings → Hours: the business is never open any more, so no channel is allowed, ever.
    def close_every_day(dialog: settings_dialog.SettingsDialog) -> int:
        dialog.hours.set_hours(WeeklyHours.always_closed())
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(settings_dialog.SettingsDialog, "exec", close_every_day)
    window.open_settings()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: indicator(window) == "Don't contact")
    assert window.editor.availability.text() == "Don't contact"

    # The client's Boundaries tab: email at any time.
    editor = window.editor
    editor.tabs.setCurrentIndex(1)
    email = editor.rules.policies[Channel.EMAIL]
    email.setFocus()
    email.setCurrentIndex(email.findData(ChannelPolicy.ANY_TIME))
    qtbot.waitUntil(editor.save_button.isEnabled)
    qtbot.keyClick(email, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: indicator(window) == "Email only")
    assert editor.availability.text() == "Email only"
    assert workspace.boundaries.get(editor.contact_id).policy(Channel.EMAIL) is ChannelPolicy.ANY_TIME


def test_the_indicator_column_does_not_sort(qtbot, workspace, open_window):
    for given in ("Cy", "Ana", "Ben"):
        workspace.contacts.create(person(given))
    window = open_window()
    header = window.contacts_page.table.horizontalHeader()
    header.sectionClicked.emit(AVAILABILITY_COLUMN)
    window.contacts_page.table.sortByColumn(AVAILABILITY_COLUMN, Qt.SortOrder.AscendingOrder)
    qtbot.wait(20)
    assert [window.model.data(window.model.index(row, 0)) for row in range(3)] == ["Ana", "Ben", "Cy"]
    assert header.sortIndicatorSection() == 0
