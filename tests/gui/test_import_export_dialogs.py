"""Importing through the mapping dialog to its summary, checking duplicates first, undoing, exporting."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from clientdesk.gui.import_dialog import ImportDialog
from clientdesk.services.imports import DuplicateAction, Field, SourceFormat
from tests.gui.conftest import settle
from tests.helpers import person

SHEET = ("Who;Reach;Town;Mail\n"
         "Ana Silva;07911 123456;Leeds;ana@example.com\n"
         "Ben Jones;020 7946 0958;York;\n"
         ";;;\n"
         ";;Nowhere;\n")


def sheet(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(SHEET, encoding="utf-8")
    return path


def wait_for_page(qtbot, dialog: ImportDialog, page: int) -> None:
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == page, timeout=10000)


def test_a_csv_is_imported_through_the_column_mapping_to_a_summary(qtbot, workspace, open_window, tmp_path):
    window = open_window()
    window.import_contacts(sheet(tmp_path))
    dialog = window.import_dialog
    assert dialog.format.currentData() == SourceFormat.CSV and dialog.delimiter.currentData() == ";"
    # A row of choices above the first rows (the blank one left out): the headers say nothing, so the user does.
    assert dialog.preview.rowCount() == 1 + 3 and dialog.preview.item(1, 0).text() == "Ana Silva"
    for column, field in enumerate((Field.DISPLAY_NAME, Field.MOBILE, Field.CITY, Field.EMAIL)):
        dialog.set_mapping(column, field)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_for_page(qtbot, dialog, ImportDialog.DONE)
    settle(qtbot, window)
    assert "2 added" in dialog.done_summary.text() and "1 rejected" in dialog.done_summary.text()
    assert dialog.problems.rowCount() == 1 and dialog.problems.item(0, 0).text() == "5"
    assert dialog.save_report_button.isEnabled()
    report = tmp_path / "report.txt"
    dialog.write_report(report)
    assert "line 5:" in report.read_text(encoding="utf-8")
    qtbot.waitUntil(lambda: window.model.total == 2)
    ana = workspace.contacts.get(workspace.contacts.find("Ana")[0].id).fields
    assert ana.phones[0].e164 == "+447911123456" and ana.addresses[0].city == "Leeds"
    assert window.undo_import_action.isEnabled() and "people.csv" in window.undo_import_action.text()
    dialog.accept()

    window.undo_import_action.trigger()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.model.total == 0)
    assert not window.undo_import_action.isEnabled()


def test_checking_first_lists_the_duplicates_and_each_can_be_decided(qtbot, workspace, open_window, tmp_path):
    existing = workspace.contacts.create(person("Ana", "Silva", emails=(("work", "ana@example.com"),))).contact_id
    window = open_window()
    window.import_contacts(sheet(tmp_path))
    dialog = window.import_dialog
    for column, field in enumerate((Field.DISPLAY_NAME, Field.MOBILE, Field.CITY, Field.EMAIL)):
        dialog.set_mapping(column, field)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    wait_for_page(qtbot, dialog, ImportDialog.REVIEW)
    assert workspace.contacts.count() == 1  # the check wrote nothing
    assert dialog.duplicates.rowCount() == 1 and dialog.duplicates.item(0, 0).text() == "2"
    assert "1 merged" in dialog.review_summary.text() and "email" in dialog.duplicates.item(0, 3).text()
    dialog.set_decision(2, DuplicateAction.KEEP)
    qtbot.mouseClick(dialog.review_import, Qt.MouseButton.LeftButton)
    wait_for_page(qtbot, dialog, ImportDialog.DONE)
    settle(qtbot, window)
    assert "2 added" in dialog.done_summary.text() and "0 merged" in dialog.done_summary.text()
    assert [c.display_name for c in workspace.contacts.find("Ana Silva")] == ["Ana Silva", "Ana Silva"]
    assert workspace.contacts.get(existing).fields.phones == ()


def test_a_file_that_cannot_be_read_says_why_and_cannot_be_imported(qtbot, open_window, tmp_path):
    window = open_window()
    empty = tmp_path / "empty.vcf"
    empty.write_bytes(b"")
    window.import_contacts(empty)
    dialog = window.import_dialog
    assert "empty" in dialog.setup_error.text() and dialog.setup_error.isVisibleTo(dialog)
    assert not dialog.import_button.isEnabled() and not dialog.check_button.isEnabled()


def test_dropping_a_file_on_the_window_opens_the_import(qtbot, open_window, tmp_path):
    window = open_window()
    picture = QMimeData()
    picture.setUrls([QUrl.fromLocalFile(str(tmp_path / "holiday.jpg"))])
    refused = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, picture, Qt.MouseButton.NoButton,
                              Qt.KeyboardModifier.NoModifier)
    refused.ignore()
    QApplication.sendEvent(window, refused)
    assert not refused.isAccepted()
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(sheet(tmp_path)))])
    where = QPoint(10, 10)
    enter = QDragEnterEvent(where, Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)  # as a drag does first: the window says it takes the file
    assert enter.isAccepted()
    drop = QDropEvent(where, Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    assert window.import_dialog is not None and window.import_dialog.file_label.text().endswith("people.csv")


def test_export_of_the_selection_writes_a_vcard(qtbot, workspace, open_window, tmp_path):
    for given in ("Ana", "Ben", "Cara"):
        workspace.contacts.create(person(given, "Silva"))
    window = open_window()
    window.contacts_page.table.selectRow(0)
    window.contacts_page.table.selectionModel().select(
        window.model.index(1, 0), window.contacts_page.table.selectionModel().SelectionFlag.Select
        | window.contacts_page.table.selectionModel().SelectionFlag.Rows)
    window.export_contacts()
    dialog = window.export_dialog
    assert dialog.scope.checkedId() == dialog.SELECTION
    target = tmp_path / "two.vcf"
    dialog.export_to(target)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: target.exists())
    assert target.read_text(encoding="utf-8").count("BEGIN:VCARD") == 2
    assert "Exported 2 contacts" in window.statusBar().currentMessage()


def test_export_offers_the_current_search_with_its_count(qtbot, workspace, open_window):
    for given in ("Ana", "Ben", "Cara"):
        workspace.contacts.create(person(given, "Silva"))
    window = open_window()
    window.contacts_page.search.setText("Ben")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    window.contacts_page.table.clearSelection()
    window.export_contacts()
    dialog = window.export_dialog
    assert dialog.scope.checkedId() == dialog.SEARCH
    assert dialog.scope.button(dialog.SEARCH).text() == "The contacts the search “Ben” finds (1)"
    assert dialog.scope.button(dialog.ALL).text() == "&All contacts (3)"


def test_a_long_import_shows_progress_and_cancel_leaves_nothing(qtbot, workspace, open_window, tmp_path):
    big = tmp_path / "many.csv"
    big.write_text("Name,Email\n" + "".join(f"Person {n},person{n}@example.com\n" for n in range(30_000)),
                   encoding="utf-8")
    window = open_window()
    window.import_contacts(big)
    dialog = window.import_dialog
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == ImportDialog.WORKING
    # The window keeps answering while the import runs: the bar moves, and the Cancel button works.
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=10000)
    assert dialog.cancel_button.isEnabled()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    wait_for_page(qtbot, dialog, ImportDialog.SETUP)
    assert "cancelled" in dialog.setup_error.text() and "nothing was imported" in dialog.setup_error.text()
    settle(qtbot, window)
    assert workspace.contacts.count() == 0 and window.model.total == 0


def test_a_clean_import_ends_on_its_summary_without_an_empty_problems_table(qtbot, workspace, open_window, tmp_path):
    path = tmp_path / "clean.csv"
    path.write_text("Name,Email\nAna Silva,ana@example.com\nBen Jones,ben@example.com\n", encoding="utf-8")
    window = open_window()
    window.import_contacts(path)
    dialog = window.import_dialog
    dialog.set_mapping(0, Field.DISPLAY_NAME)
    dialog.set_mapping(1, Field.EMAIL)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_for_page(qtbot, dialog, ImportDialog.DONE)
    settle(qtbot, window)
    assert "2 added" in dialog.done_summary.text() and "Every record was read" in dialog.done_hint.text()
    assert not dialog.problems.isVisibleTo(dialog) and not dialog.save_report_button.isVisibleTo(dialog)
    dialog.accept()
