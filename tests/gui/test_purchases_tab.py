"""The contact form's Purchases tab: a receptionist records a sale or an out-of-scope request by keyboard,
copies the polite reply, and sees at a glance what a client's agreement covers."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from clientdesk.domain.services_catalogue import AgreementDraft, PurchaseDraft, ServiceDraft
from tests.gui.conftest import settle
from tests.helpers import person

ALT = Qt.KeyboardModifier.AltModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def show_purchases(qtbot, window, contact_id: int):
    qtbot.waitUntil(lambda: window.editor.contact_id == contact_id)
    editor = window.editor
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    editor.given.setFocus()
    qtbot.keyClick(editor.given, Qt.Key.Key_C, ALT)  # Pur&chases
    assert editor.tabs.currentIndex() == editor._purchases_tab_index
    qtbot.waitUntil(lambda: editor.purchases_tab is not None and editor.purchases_tab.isVisible())
    return editor.purchases_tab


def test_a_purchase_is_recorded_by_keyboard_and_the_prospect_becomes_a_customer(qtbot, workspace, open_window):
    ana = workspace.contacts.create(person("Ana", "Silva")).contact_id
    workspace.purchases.add_service(ServiceDraft("Boiler service"))
    window = open_window()
    tab = show_purchases(qtbot, window, ana)
    assert tab.summary.text() == "Prospect · lifetime value GBP 0.00"
    assert tab.purchase_listing.currentWidget() is not tab.purchases  # the guidance instead
    assert "Ctrl+Shift+P" in tab.purchase_listing.empty.text()
    assert not window.editor.in_scope.isVisible()

    qtbot.keyClick(window.editor.tabs, Qt.Key.Key_P, CTRL_SHIFT)
    qtbot.waitUntil(lambda: tab.purchase_dialog is not None and tab.purchase_dialog.isVisible())
    dialog = tab.purchase_dialog
    assert dialog.on.date().toPython() == workspace.metrics.today()
    qtbot.waitUntil(dialog.amount.hasFocus)
    qtbot.keyClicks(dialog.amount, "twelve")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)  # refused inline; nothing written
    assert dialog.isVisible() and "not an amount" in dialog.error.text()
    assert workspace.purchases.purchases_for(ana) == []

    dialog.amount.clear()
    qtbot.keyClicks(dialog.amount, "1,250.50")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Tab)
    assert dialog.service.hasFocus()
    qtbot.keyClick(dialog.service, Qt.Key.Key_Down)  # Boiler service
    qtbot.keyClick(dialog.service, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.description, "Annual service and new valve")
    qtbot.keyClick(dialog.description, Qt.Key.Key_Return)
    settle(qtbot, window)

    qtbot.waitUntil(lambda: tab.purchase_dialog is None)
    [saved] = workspace.purchases.purchases_for(ana)
    assert (saved.amount, saved.description, saved.on) == (Decimal("1250.50"), "Annual service and new valve",
                                                           workspace.metrics.today())
    assert tab.purchase_listing.currentWidget() is tab.purchases
    row = tab.purchases.topLevelItem(0)
    assert [row.text(column) for column in range(3)] == [
        saved.on.isoformat(), "Boiler service — Annual service and new valve", "GBP 1,250.50"]
    assert tab.summary.text() == "Customer · lifetime value GBP 1,250.50"


def test_refunds_are_listed_negative_and_newest_first(qtbot, workspace, open_window):
    ana = workspace.contacts.create(person("Ana", "Silva")).contact_id
    workspace.purchases.add_purchase(PurchaseDraft(ana, date(2026, 1, 5), Decimal("100"), "Tap"))
    workspace.purchases.add_purchase(PurchaseDraft(ana, date(2026, 2, 5), Decimal("-20"), "Goodwill"))
    window = open_window()
    tab = show_purchases(qtbot, window, ana)
    assert [(tab.purchases.topLevelItem(i).text(0), tab.purchases.topLevelItem(i).text(2)) for i in range(2)] == [
        ("2026-02-05", "GBP -20.00"), ("2026-01-05", "GBP 100.00")]


def test_an_out_of_scope_request_is_recorded_and_the_polite_reply_copied(qtbot, workspace, open_window):
    ana = workspace.contacts.create(person("Ana", "Silva")).contact_id
    window = open_window()
    tab = show_purchases(qtbot, window, ana)
    assert not tab.copy_reply_button.isEnabled() and "Ctrl+Shift+O" in tab.request_listing.empty.text()

    qtbot.keyClick(window.editor.tabs, Qt.Key.Key_O, CTRL_SHIFT)
    qtbot.waitUntil(lambda: tab.out_of_scope_dialog is not None and tab.out_of_scope_dialog.isVisible())
    dialog = tab.out_of_scope_dialog
    qtbot.waitUntil(dialog.fields.asked.hasFocus)
    qtbot.keyClicks(dialog.fields.asked, "fitting a new kitchen tap")
    qtbot.keyClick(dialog.fields.asked, Qt.Key.Key_Tab)
    qtbot.keyClick(dialog.fields.decision, Qt.Key.Key_Down)  # Quoted
    qtbot.keyClick(dialog.fields.decision, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.fields.charge, "85")
    assert dialog.fields.reply.text().endswith("extra work for GBP 85.00.")
    qtbot.keyClick(dialog.fields.charge, Qt.Key.Key_Return)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: tab.out_of_scope_dialog is None)

    row = tab.requests.topLevelItem(0)
    assert [row.text(column) for column in (1, 2, 3)] == ["fitting a new kitchen tap", "Quoted", "GBP 85.00"]
    assert tab.copy_reply_button.isEnabled()
    QApplication.clipboard().clear()
    tab.copy_reply_button.setFocus()
    qtbot.keyClick(tab.copy_reply_button, Qt.Key.Key_Space)
    assert QApplication.clipboard().text() == (
        "Thank you for asking about fitting a new kitchen tap. It is outside our agreement with you; "
        "we can do it as extra work for GBP 85.00.")


def test_in_scope_is_shown_under_the_title_for_a_client_with_an_agreement(qtbot, workspace, open_window):
    ana = workspace.contacts.create(person("Ana", "Silva")).contact_id
    workspace.contacts.create(person("Ben", "Zephyr"))  # listed second: no agreement
    for name in ("Boiler service", "Annual check"):
        workspace.purchases.add_service(ServiceDraft(name))
    today = workspace.metrics.today()
    workspace.purchases.add_agreement(AgreementDraft(ana, today - timedelta(days=30), renews_on=today + timedelta(days=335),
                                                     fee=Decimal("30"),
                                                     service_names=("Boiler service", "Annual check")))
    window = open_window()
    qtbot.waitUntil(lambda: window.editor.contact_id == ana)
    editor = window.editor
    assert editor.in_scope.isVisible() and editor.in_scope.text() == "In scope: Annual check, Boiler service"
    tab = show_purchases(qtbot, window, ana)
    assert tab.summary.text().startswith("Client · ")
    assert "GBP 30.00 a month" in tab.agreements.text() and "renews" in tab.agreements.text()

    window.contacts_page.table.setFocus()
    qtbot.keyClick(window.contacts_page.table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: editor.contact_id != ana)
    assert not editor.in_scope.isVisible()


def test_an_agreement_is_added_by_keyboard_and_makes_a_client_with_its_scope(qtbot, workspace, open_window):
    ana = workspace.contacts.create(person("Ana", "Silva")).contact_id
    workspace.purchases.add_service(ServiceDraft("Bookkeeping"))
    window = open_window()
    tab = show_purchases(qtbot, window, ana)
    qtbot.keyClick(window.editor.tabs, Qt.Key.Key_G, CTRL_SHIFT)
    qtbot.waitUntil(lambda: tab.agreement_dialog is not None and tab.agreement_dialog.isVisible())
    dialog = tab.agreement_dialog
    dialog.services.item(0).setCheckState(Qt.CheckState.Checked)
    qtbot.keyClicks(dialog.new_services, "Payroll")
    qtbot.keyClicks(dialog.fee, "-5")
    qtbot.keyClick(dialog.fee, Qt.Key.Key_Return)  # refused inline: nothing written
    assert dialog.isVisible() and dialog.error.text()
    assert workspace.purchases.agreements_for(ana) == []

    dialog.fee.clear()
    qtbot.keyClicks(dialog.fee, "450")
    qtbot.keyClick(dialog.fee, Qt.Key.Key_Return)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: tab.agreement_dialog is None)
    [agreement] = workspace.purchases.agreements_for(ana)
    assert (agreement.fee, agreement.review_every_months) == (Decimal("450"), 12)
    assert {service.name for service in workspace.purchases.services()} == {"Bookkeeping", "Payroll"}
    assert tab.summary.text().startswith("Client")
    qtbot.waitUntil(lambda: "Bookkeeping" in window.editor.in_scope.text() and "Payroll" in window.editor.in_scope.text())
