"""File → Services catalogue: services added, edited and removed from the window, by keyboard."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt

from clientdesk.domain.services_catalogue import PurchaseDraft, ServiceDraft
from tests.gui.conftest import settle
from tests.helpers import person

CTRL = Qt.KeyboardModifier.ControlModifier


def open_catalogue(qtbot, window):
    window.open_services()
    qtbot.waitUntil(lambda: window.services_dialog is not None and window.services_dialog.isVisible())
    return window.services_dialog


def test_an_empty_catalogue_says_how_to_start_and_a_service_is_added_by_keyboard(qtbot, workspace, open_window):
    window = open_window()
    dialog = open_catalogue(qtbot, window)
    assert dialog.listing.currentWidget() is dialog.empty and "Save (Ctrl+S)" in dialog.empty.text()
    qtbot.waitUntil(dialog.name.hasFocus)

    qtbot.keyClicks(dialog.name, "Boiler service")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.description, "Yearly check & clean")
    qtbot.keyClick(dialog.description, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.price, "80")
    qtbot.keyClick(dialog.price, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.unit, "visit")
    qtbot.keyClick(dialog.unit, Qt.Key.Key_S, CTRL)
    settle(qtbot, window)

    assert [(s.name, s.description, s.price, s.unit) for s in workspace.purchases.services()] == [
        ("Boiler service", "Yearly check & clean", Decimal("80"), "visit")]
    assert dialog.listing.currentWidget() is dialog.table
    assert [dialog.table.item(0, c).text() for c in range(3)] == ["Boiler service", "GBP 80.00 per visit", "0"]
    assert dialog.done_note.text() == "Saved."


def test_a_service_is_renamed_and_repriced_and_a_used_one_stays(qtbot, workspace, open_window):
    ana = workspace.contacts.create(person("Ana", "Silva")).contact_id
    workspace.purchases.add_service(ServiceDraft("Advice", price=Decimal("40"), unit="hour"))
    workspace.purchases.add_service(ServiceDraft("Boiler service"))
    workspace.purchases.add_purchase(PurchaseDraft(ana, date(2026, 3, 1), Decimal("40"), "", "Advice"))
    window = open_window()
    dialog = open_catalogue(qtbot, window)
    assert dialog.table.rowCount() == 2 and dialog.name.text() == "Advice"  # the first is chosen

    dialog.name.selectAll()
    qtbot.keyClicks(dialog.name, "Advice by phone")
    dialog.price.selectAll()
    qtbot.keyClicks(dialog.price, "45.50")
    qtbot.keyClick(dialog.price, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert [(s.name, s.price) for s in workspace.purchases.services()] == [
        ("Advice by phone", Decimal("45.50")), ("Boiler service", None)]
    assert dialog.table.item(0, 1).text() == "GBP 45.50 per hour" and dialog.table.item(1, 1).text() == "quoted"

    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)  # the chosen one: named by a purchase
    settle(qtbot, window)
    assert "stays in the catalogue: 1 purchase names it" in dialog.error.text()
    assert len(workspace.purchases.services()) == 2

    dialog.table.selectRow(1)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    settle(qtbot, window)
    assert [s.name for s in workspace.purchases.services()] == ["Advice by phone"]
    assert dialog.table.rowCount() == 1 and dialog.done_note.text() == "Removed."


def test_bad_fields_are_all_named_and_nothing_is_written(qtbot, workspace, open_window):
    window = open_window()
    dialog = open_catalogue(qtbot, window)
    qtbot.waitUntil(dialog.name.hasFocus)
    dialog.price.setText("a lot")
    qtbot.keyClick(dialog.name, Qt.Key.Key_S, CTRL)
    settle(qtbot, window)
    assert "A service needs a name." in dialog.error.text() and "“a lot” is not an amount" in dialog.error.text()
    assert workspace.purchases.services() == []
