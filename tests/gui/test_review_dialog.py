"""The Review dialog (Ctrl+R, Review… on the form): the preview shows the real PDF, typing notes renders it
again, Print draws its pages, Save as writes the file and records it on the timeline; and Reviews → Reviews
due: the month's list, an empty month said in words, and a batch that can be cancelled."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog

from clientdesk.domain.review import add_months
from clientdesk.domain.services_catalogue import AgreementDraft, PurchaseDraft
from clientdesk.domain.timeline import EntryKind
from clientdesk.gui.review_dialog import ReviewDialog
from clientdesk.gui.reviews_due_dialog import ReviewsDueDialog
from clientdesk.gui.timeline_model import REVIEW_LABEL, TimelineColumn
from clientdesk.reports.files import PART_SUFFIX
from tests.gui.conftest import settle
from tests.helpers import person
from tests.reports.pdfs import Pdf


def add_client(workspace, given: str, family: str = "Example", *, due_in_months: int | None = None) -> int:
    client = workspace.contacts.create(person(given, family)).contact_id
    today = workspace.reviews.today()
    workspace.purchases.add_purchase(PurchaseDraft(client, today - timedelta(days=20), Decimal("250")))
    if due_in_months is not None:  # an agreement whose first plan review falls that many months ahead
        workspace.purchases.add_agreement(AgreementDraft(
            contact_id=client, starts_on=add_months(today.replace(day=1), due_in_months - 6), review_every_months=6,
            service_names=("Advice",)), add_missing_services=True)
    return client


def open_review(qtbot, window) -> ReviewDialog:
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: getattr(window, "review_dialog", None) is not None)
    dialog = window.review_dialog
    qtbot.waitUntil(lambda: dialog.pdf_bytes is not None, timeout=15000)
    return dialog


def test_ctrl_r_opens_the_review_whose_preview_shows_the_pdf(qtbot, workspace, open_window):
    add_client(workspace, "Zoë", "Łukasz")
    window = open_window()
    dialog = open_review(qtbot, window)
    assert dialog.windowTitle() == "Client review — Zoë Łukasz"
    assert dialog.document.status() == QPdfDocument.Status.Ready
    pages = Pdf(dialog.pdf_bytes).pages
    assert dialog.document.pageCount() == len(pages) >= 3
    assert "Zoë Łukasz" in pages[0] and "GBP 250.00" in pages[0]
    assert dialog.status.text() == f"{len(pages)} pages · as it will print"
    assert dialog.save_button.isEnabled() and dialog.print_button.isEnabled()
    dialog.reject()


def test_typing_notes_renders_the_preview_again_with_the_notes(qtbot, workspace, open_window):
    add_client(workspace, "Ana")
    dialog = open_review(qtbot, open_window())
    first = dialog.pdf_bytes
    qtbot.keyClicks(dialog.notes, "See you in <May> & thanks")
    qtbot.waitUntil(lambda: dialog.pdf_bytes is not first and "See you in <May> & thanks" in Pdf(dialog.pdf_bytes).text,
                    timeout=15000)
    assert dialog.document.pageCount() == len(Pdf(dialog.pdf_bytes).pages)
    dialog.reject()


def test_a_period_that_ends_before_it_starts_is_refused(qtbot, workspace, open_window):
    add_client(workspace, "Ana")
    dialog = open_review(qtbot, open_window())
    dialog.last.setDate(dialog.first.date().addDays(-1))
    assert dialog.period() is None
    assert dialog.period_error.isVisibleTo(dialog) and "ends before it starts" in dialog.period_error.text()
    assert dialog.preset.currentText() == "Custom"
    dialog.preset.setCurrentText("Last calendar year")
    year = dialog._today.year - 1
    assert (dialog.first.date().toPython(), dialog.last.date().toPython()) == (date(year, 1, 1), date(year, 12, 31))
    dialog.reject()


def test_print_draws_every_page_of_the_previewed_pdf(qtbot, workspace, open_window, tmp_path):
    add_client(workspace, "Ana")
    dialog = open_review(qtbot, open_window())
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dialog.print_to(printer) == dialog.document.pageCount()
    assert len(Pdf((tmp_path / "printed.pdf").read_bytes()).reader.pages) == dialog.document.pageCount()
    dialog.reject()


def test_save_as_writes_the_review_and_records_it_on_the_timeline(qtbot, workspace, open_window, tmp_path,
                                                                   monkeypatch):
    client = add_client(workspace, "Ana")
    window = open_window()
    dialog = open_review(qtbot, window)
    target = tmp_path / "Ana review"  # no suffix typed: .pdf is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), "PDF (*.pdf)"))
    qtbot.keyClicks(dialog.notes, "Kept on file")
    with qtbot.waitSignal(dialog.saved, timeout=15000) as saved:
        dialog.save_button.click()
    produced = saved.args[0]
    assert produced.path == tmp_path / "Ana review.pdf" and produced.path.exists()
    assert [review.notes for review in workspace.reviews.recorded(client)] == ["Kept on file"]
    assert "Saved Ana review.pdf" in dialog.status.text()
    dialog.reject()
    settle(qtbot, window)
    # The form's Timeline tab lists it, newest first.
    editor = window.editor
    editor.tabs.setCurrentIndex(editor._timeline_tab)
    model = editor.timeline_view.model
    qtbot.waitUntil(lambda: model.rowCount() >= 1)
    assert model.entry(0).kind is EntryKind.REVIEW
    assert model.index(0, TimelineColumn.CHANNEL).data() == REVIEW_LABEL
    assert model.index(0, TimelineColumn.OUTCOME).data().startswith("Ana review.pdf · SHA-256 ")


def test_the_form_offers_review_for_a_saved_contact_only(qtbot, workspace, open_window):
    add_client(workspace, "Ana")
    window = open_window()
    qtbot.waitUntil(lambda: window.editor.contact_id is not None)
    assert window.editor.review_button.isEnabled()
    window.editor.review_button.click()
    qtbot.waitUntil(lambda: getattr(window, "review_dialog", None) is not None)
    window.review_dialog.reject()
    window.editor.start_new()
    assert not window.editor.review_button.isEnabled()


# --- Reviews due ------------------------------------------------------------------------------------------

def open_due(qtbot, window) -> ReviewsDueDialog:
    window.open_reviews_due()
    dialog = window.reviews_due_dialog
    with qtbot.waitSignal(dialog.due_loaded, timeout=10000):
        pass
    return dialog


def test_a_month_without_reviews_due_says_so(qtbot, workspace, open_window):
    add_client(workspace, "Ana")  # no agreement
    dialog = open_due(qtbot, open_window())
    assert dialog.due == [] and dialog.listing.currentWidget() is dialog.empty
    assert "No plan reviews fall in" in dialog.empty.text() and not dialog.produce_button.isEnabled()
    dialog.reject()


def test_the_reviews_due_are_listed_and_a_batch_can_be_cancelled(qtbot, workspace, open_window, tmp_path):
    names = [f"Client{number:02d}" for number in range(40)]
    for name in names:
        add_client(workspace, name, due_in_months=0)  # due this month
    window = open_window()
    dialog = open_due(qtbot, window)
    assert [item.contact_name for item in dialog.due] == [f"{name} Example" for name in names]
    assert dialog.table.rowCount() == 40 and dialog.table.item(0, 0).text() == "Client00 Example"
    folder = tmp_path / "reviews"
    dialog.folder.setText(str(folder))
    assert dialog.produce_button.text() == "&Produce 40 reviews"
    dialog.produce_button.click()
    qtbot.waitUntil(lambda: dialog.progress.value() >= 1, timeout=15000)
    assert window.isEnabled()  # the window is not blocked while the batch runs
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == dialog.DONE, timeout=15000)
    result = dialog.result
    assert result.cancelled and 1 <= result.produced < 40
    assert "Cancelled." in dialog.done_label.text()
    written = sorted(folder.iterdir())
    assert written == sorted(result.files)
    assert not [path for path in written if path.name.endswith(PART_SUFFIX)]
    for path in written:
        assert Pdf(path.read_bytes()).pages[-1].endswith("Page 4 of 4") or len(Pdf(path.read_bytes()).pages) >= 3
    dialog.reject()


def test_a_combined_batch_writes_one_pdf(qtbot, workspace, open_window, tmp_path):
    for name in ("Ana", "Ben"):
        add_client(workspace, name, due_in_months=0)
    dialog = open_due(qtbot, open_window())
    dialog.folder.setText(str(tmp_path))
    dialog.combined.setChecked(True)
    with qtbot.waitSignal(dialog.produced, timeout=20000):
        dialog.produce_button.click()
    (path,) = dialog.result.files
    assert [entry for entry in Pdf(path.read_bytes()).outline_titles() if isinstance(entry, str)] == [
        "Ana Example", "Ben Example"]
    dialog.reject()


@pytest.fixture(autouse=True)
def _own_settings(tmp_path, monkeypatch):
    """The dialogs remember a folder and a logo in QSettings: each test starts without them."""
    from PySide6.QtCore import QSettings

    for key in ("reviews/logo", "reviews/prepared_by", "reviews/folder", "reviews/batch_folder"):
        QSettings().remove(key)
