"""Quick log (Ctrl+L): a receptionist finds the caller, says what was said and saves, by keyboard alone."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.interactions import Direction, InteractionDraft
from tests.gui.conftest import settle
from tests.helpers import person

CTRL = Qt.KeyboardModifier.ControlModifier


def logged_rows(database_path) -> list[tuple]:
    with sqlite3.connect(database_path) as connection:
        rows = connection.execute("SELECT contact_id, channel, direction, summary, logged_by, override_reason "
                                  "FROM interaction ORDER BY id").fetchall()
    connection.close()
    return rows


def open_quick_log(qtbot, window):
    window.activateWindow()  # back from the last dialog, as on a desktop
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.contacts_page.table, Qt.Key.Key_L, CTRL)
    qtbot.waitUntil(lambda: window.quick_log_dialog is not None and window.quick_log_dialog.isVisible())
    dialog = window.quick_log_dialog
    qtbot.waitUntil(dialog.search.hasFocus)
    return dialog


def test_a_call_is_logged_by_keyboard_alone_from_ctrl_l_to_saved(qtbot, workspace, database_path, open_window):
    john = workspace.contacts.create(person("John", "Smith", phones=(("mobile", "020 7946 0958"),))).contact_id
    workspace.contacts.create(person("Joan", "Smithers"))
    window = open_window()
    dialog = open_quick_log(qtbot, window)

    qtbot.keyClicks(dialog.search, "Jonh Smtih")  # typos, as typed in a hurry
    assert dialog.results.count() >= 1 and dialog.results.item(0).text().startswith("John Smith")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.contact_id == john and dialog.summary.hasFocus()
    qtbot.keyClicks(dialog.summary, "Asked about the March invoice")
    qtbot.keyClick(dialog.summary, Qt.Key.Key_Return, CTRL)
    settle(qtbot, window)

    assert window.quick_log_dialog is None  # closed once saved
    rows = logged_rows(database_path)
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [(john, "phone", "in", "Asked about the March invoice")]
    assert rows[0][4]  # who logged it
    assert window.statusBar().currentMessage().startswith("Logged for John Smith.")


def test_a_number_said_any_way_finds_the_caller(qtbot, workspace, open_window):
    john = workspace.contacts.create(person("John", "Smith", phones=(("mobile", "020 7946 0958"),))).contact_id
    window = open_window()
    for said in ("0207 946", "+44 20 7946 0958", "7946-0958"):
        dialog = open_quick_log(qtbot, window)
        qtbot.keyClicks(dialog.search, said)
        assert dialog.results.item(0).data(Qt.ItemDataRole.UserRole) == john, said
        qtbot.keyClick(dialog.search, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: window.quick_log_dialog is None)


def test_an_unknown_number_becomes_a_new_contact_in_place(qtbot, workspace, database_path, open_window):
    window = open_window()
    dialog = open_quick_log(qtbot, window)
    qtbot.keyClicks(dialog.search, "0113 496 0000")
    assert "New contact with 0113 496 0000" in dialog.results.item(0).text()
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.new_name.hasFocus()
    qtbot.keyClicks(dialog.new_name, "Priya Patel")
    qtbot.keyClick(dialog.new_name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.contact_id is not None)
    assert dialog.summary.hasFocus()
    created = dialog.contact_id
    contact = workspace.contacts.get(created)
    assert contact.display_name == "Priya Patel" and contact.fields.phones[0].e164 == "+441134960000"
    qtbot.keyClicks(dialog.summary, "New enquiry about a kitchen")
    qtbot.keyClick(dialog.summary, Qt.Key.Key_Return, CTRL)
    settle(qtbot, window)
    assert [row[0] for row in logged_rows(database_path)] == [created]


def test_an_outgoing_call_the_client_forbids_needs_an_override_reason(qtbot, workspace, database_path, open_window):
    ana = workspace.contacts.create(person("Ana", "Silva")).contact_id
    workspace.boundaries.save_json(ana, {"channels": {"phone": "never", "email": "any_time"},
                                         "notes": "Prefers email; no calls."})
    window = open_window()
    dialog = open_quick_log(qtbot, window)
    qtbot.keyClicks(dialog.search, "ana sil")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.notes.isVisibleTo(dialog) and "Prefers email; no calls." in dialog.notes.text()  # incoming

    dialog.direction.setFocus()
    qtbot.keyClick(dialog.direction, Qt.Key.Key_Down)  # Outgoing
    assert dialog.direction.currentData() == Direction.OUT
    assert dialog.warning.isVisibleTo(dialog)
    assert dialog.warning_text.text().startswith("Phone is not allowed")
    assert not dialog.save_button.isEnabled()
    dialog.summary.setFocus()
    qtbot.keyClicks(dialog.summary, "Called about the leak")
    qtbot.keyClick(dialog.summary, Qt.Key.Key_Return, CTRL)  # refused: the reason comes first
    assert dialog.override.hasFocus() and window.quick_log_dialog is dialog
    assert logged_rows(database_path) == []
    qtbot.keyClicks(dialog.override, "Water leak reported by the neighbour")
    qtbot.keyClick(dialog.override, Qt.Key.Key_Return, CTRL)
    settle(qtbot, window)
    assert logged_rows(database_path)[0][5] == "Water leak reported by the neighbour"

    dialog = open_quick_log(qtbot, window)  # email is fine at any time: no warning
    qtbot.keyClicks(dialog.search, "ana")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    dialog.direction.setCurrentIndex(1)
    dialog.channel.setCurrentIndex(dialog.channel.findData(Channel.EMAIL))
    assert not dialog.warning.isVisibleTo(dialog)


def test_replying_from_the_queue_links_the_inquiry(qtbot, workspace, open_window):
    ben = workspace.contacts.create(person("Ben", "Fresh", emails=(("work", "ben@example.com"),))).contact_id
    workspace.boundaries.save_json(ben, {"channels": {"email": "any_time"}})  # whatever the hour of the test
    workspace.interactions.log(InteractionDraft(ben, Channel.EMAIL, Direction.IN,
                                                datetime.now(UTC) - timedelta(hours=2), summary="Question",
                                                needs_reply=True))
    window = open_window()
    qtbot.waitUntil(lambda: window.inquiries_page is not None and window.inquiries_page.model.rowCount() == 1)
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    page = window.inquiries_page
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.quick_log_dialog is not None and window.quick_log_dialog.isVisible())
    dialog = window.quick_log_dialog
    assert dialog.contact_id == ben and dialog.direction.currentData() == Direction.OUT
    assert dialog.answers.currentData() == page.model.inquiry(0).id
    assert dialog.channel.currentData() == Channel.EMAIL  # the channel the client allows now
    qtbot.waitUntil(dialog.summary.hasFocus)  # the reply is typed at once
    qtbot.keyClicks(dialog.summary, "Sent the quote")
    qtbot.keyClick(dialog.summary, Qt.Key.Key_Return, CTRL)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert [inquiry.status.value for inquiry in workspace.interactions.inquiries()] == ["answered"]


def test_an_inquiry_is_acknowledged_with_the_promised_time(qtbot, workspace, open_window):
    ben = workspace.contacts.create(person("Ben", "Fresh", emails=(("work", "ben@example.com"),))).contact_id
    workspace.interactions.log(InteractionDraft(ben, Channel.EMAIL, Direction.IN, datetime.now(UTC),
                                                summary="Question", needs_reply=True))
    window = open_window()
    qtbot.waitUntil(lambda: window.inquiries_page is not None and window.inquiries_page.model.rowCount() == 1)
    page = window.inquiries_page
    window.show_page(1)
    qtbot.keyClick(page.table, Qt.Key.Key_K, CTRL)
    qtbot.waitUntil(lambda: page.acknowledgement_dialog is not None and page.acknowledgement_dialog.isVisible())
    dialog = page.acknowledgement_dialog
    assert dialog.text.toPlainText().startswith("Dear Ben,")
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == dialog.text.toPlainText()
    url = urlsplit(dialog.mail_draft_url())
    assert url.path == "ben@example.com"
    assert parse_qs(url.query)["body"][0].startswith("Dear Ben,")
    dialog.reject()
    qtbot.waitUntil(lambda: page.acknowledgement_dialog is None)


def test_a_request_beyond_the_agreement_is_recorded_with_the_call_by_keyboard(qtbot, workspace, database_path,
                                                                              open_window):
    from datetime import timedelta as days
    from decimal import Decimal

    from clientdesk.domain.services_catalogue import AgreementDraft, ServiceDraft

    ana = workspace.contacts.create(person("Ana", "Silva")).contact_id
    workspace.purchases.add_service(ServiceDraft("Boiler service"))
    today = workspace.metrics.today()
    workspace.purchases.add_agreement(AgreementDraft(ana, today - days(days=30), renews_on=today + days(days=300),
                                                     fee=Decimal("30"), service_names=("Boiler service",)))
    window = open_window()
    dialog = open_quick_log(qtbot, window)
    qtbot.keyClicks(dialog.search, "Ana Silva")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.in_scope.text() == "In scope: Boiler service" and not dialog.in_scope.isHidden()
    assert dialog.request.asked.isHidden()  # folded away until asked for

    qtbot.keyClicks(dialog.summary, "Could we also fit a new kitchen tap?")
    qtbot.keyClick(dialog.summary, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)  # Out of sco&pe
    qtbot.waitUntil(dialog.out_of_scope.isChecked)  # a mnemonic clicks with a short animation
    assert dialog.request.asked.hasFocus()
    assert dialog.request.asked.text() == "Could we also fit a new kitchen tap?"  # taken from the summary
    qtbot.keyClicks(dialog.request.asked, "fitting a new kitchen tap")  # typed over the selection
    qtbot.keyClick(dialog.request.asked, Qt.Key.Key_Tab)
    qtbot.keyClick(dialog.request.decision, Qt.Key.Key_Down)  # Quoted
    qtbot.keyClick(dialog.request.decision, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.request.charge, "85")
    assert dialog.request.reply.text() == ("Thank you for asking about fitting a new kitchen tap. It is outside our "
                                           "agreement with you; we can do it as extra work for GBP 85.00.")
    qtbot.keyClick(dialog.request.charge, Qt.Key.Key_Return, CTRL)
    settle(qtbot, window)

    assert window.quick_log_dialog is None
    assert [r[3] for r in logged_rows(database_path)] == ["Could we also fit a new kitchen tap?"]
    requests = workspace.purchases.out_of_scope_for(ana)
    assert [(asked, decision, charge) for _id, _at, asked, decision, charge in requests] == [
        ("fitting a new kitchen tap", "quoted", Decimal("85"))]


def test_an_unfinished_out_of_scope_request_keeps_the_call_unsaved_with_a_message(qtbot, workspace, database_path,
                                                                                 open_window):
    workspace.contacts.create(person("Ana", "Silva"))
    window = open_window()
    dialog = open_quick_log(qtbot, window)
    qtbot.keyClicks(dialog.search, "Ana Silva")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.in_scope.isHidden()  # no agreement, nothing to show
    qtbot.keyClick(dialog.summary, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.out_of_scope.isChecked)
    qtbot.keyClicks(dialog.summary, "Asked for extras")
    dialog.request.asked.clear()
    dialog.request.charge.setText("lots")
    qtbot.keyClick(dialog.summary, Qt.Key.Key_Return, CTRL)
    settle(qtbot, window)
    assert window.quick_log_dialog is dialog and dialog.isVisible()
    assert "Say what was asked for." in dialog.error.text() and "“lots” is not an amount" in dialog.error.text()
    assert logged_rows(database_path) == []
