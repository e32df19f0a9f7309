"""The main window: side bar of pages, the contact list, and the contact form beside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clientdesk import __version__
from clientdesk.domain.contacts import ContactKind
from clientdesk.domain.errors import InvalidInput
from clientdesk.gui.contact_table_model import ContactTableModel
from clientdesk.gui.contacts_page import ContactsPage
from clientdesk.gui.operations import Operations
from clientdesk.services.changes import Changes
from clientdesk.services.workspace import Workspace

if TYPE_CHECKING:
    from clientdesk.gui.contact_editor import ContactEditor
    from clientdesk.gui.reminder_banner import ReminderBanner

DEMO_CONTACTS = 2000
TODAY_PAGE = 3  # its row in the side bar and the pages: after Contacts, Inquiries and the Dashboard
DEMO_HISTORY_LABEL = "Writing ten years of their calls, messages and inquiries…"
DEMO_SALES_LABEL = "Writing their purchases, agreements and out-of-scope requests…"
DEMO_STAGES_LABEL = "Working out each contact's stage over the years…"


@dataclass(frozen=True, slots=True)
class _Imported:
    result: object
    changes: Changes | None


class MainWindow(QMainWindow):
    first_painted = Signal()  # the first screen is up: work that may wait for it can start

    def __init__(self, workspace: Workspace, operations: Operations | None = None, *, demo_mode: bool = False):
        super().__init__()
        self.workspace = workspace
        self.operations = operations or Operations(self)
        self.setWindowTitle(f"ClientDesk — {workspace.path.name}" + (" (demo)" if demo_mode else ""))

        self._list_painted = False
        self._imported = False  # an import ran in this window: "Undo last import" may apply
        self.import_dialog = None  # the open one, for tests
        self.export_dialog = None
        self.setAcceptDrops(True)
        self.inquiries_page = None  # built after the first paint
        self.dashboard_page = None  # built when first shown, and works its figures out then
        self.quick_log_dialog = None  # the last one opened, for tests and the benchmark
        self.services_dialog = None  # File → Services catalogue, while open
        self.today_page = None  # built after the first paint
        self.reminder_alerts = None  # likewise: a reminder coming due, in the tray and the banner
        self.reminder_dialog = None  # Remind me… / Keep in touch…, while open
        self.calendar_dialog = None  # File → Export calendar, while open
        self._stage_day_timer: QTimer | None = None
        self.model = ContactTableModel(workspace.contacts, self)
        self.contacts_page = ContactsPage(self.model, self)
        self._editor: ContactEditor | None = None  # built after the first paint: see `editor`

        self.sidebar = QListWidget(self)
        self.sidebar.setAccessibleName("Pages")
        self.sidebar.setMaximumWidth(180)
        self._contacts_item = QListWidgetItem("Contacts")
        self.sidebar.addItem(self._contacts_item)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.contacts_page)
        self.sidebar.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.sidebar.currentRowChanged.connect(self._page_changed)
        self.sidebar.setCurrentRow(0)

        splitter = QSplitter(self)
        splitter.addWidget(self.sidebar)
        splitter.addWidget(self.pages)
        splitter.addWidget(QWidget(self))  # the contact form's place until it is built
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([140, 840, 420])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        self.reminder_banner: ReminderBanner | None = None  # above the splitter, built with the Today page
        central = QWidget(self)
        self._central_layout = QVBoxLayout(central)
        self._central_layout.setContentsMargins(0, 0, 0, 0)
        self._central_layout.setSpacing(2)
        self._central_layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self.count_label = QLabel(self)
        self.busy_label = QLabel(self)
        self.statusBar().addWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.busy_label)

        self._build_actions()
        self._connect()
        self.resize(1400, 820)
        self._restore_layout()
        if not self.model.loaded:
            self.model.reload()
        self.contacts_page.table.setFocus()
        # The first contact fills the form once the list is on screen: the form needs the ORM and the
        # phone and email libraries, whose loading would otherwise delay the first paint.
        for view in self._first_views():
            view.installEventFilter(self)

    @property
    def editor(self) -> ContactEditor:
        """The contact form, built on first use: its many widgets need not delay the list's first paint."""
        if self._editor is None:
            from clientdesk.gui.contact_editor import ContactEditor

            from clientdesk.gui.purchases_tab import PurchaseServices

            workspace = self.workspace
            purchases = PurchaseServices(workspace.purchases, workspace.metrics, workspace.business)
            editor = ContactEditor(workspace.contacts, self.operations, self, boundaries=workspace.boundaries,
                                   timeline=workspace.timeline, purchases=purchases)
            editor.saved.connect(self._after_save)
            editor.log_requested.connect(self.quick_log)
            editor.review_requested.connect(self.open_review)
            editor.finished.connect(self.contacts_page.table.setFocus)
            sizes = self.splitter.sizes()
            self.splitter.replaceWidget(2, editor).deleteLater()
            self.splitter.setSizes(sizes)
            self._editor = editor
        return self._editor

    def _first_views(self) -> tuple[QWidget, ...]:
        page = self.contacts_page
        return page.table.viewport(), page.empty, page.no_match

    def _build_inquiries_page(self) -> None:
        from clientdesk.gui.inquiries_page import InquiriesPage

        self.inquiries_page = InquiriesPage(self.workspace, self.operations, self)
        self._inquiries_item = QListWidgetItem("Inquiries")
        self.sidebar.addItem(self._inquiries_item)
        self.pages.addWidget(self.inquiries_page)
        self.inquiries_page.count_changed.connect(lambda count: self._inquiries_item.setText(f"Inquiries  ({count:,})"))
        self.inquiries_page.answer_requested.connect(
            lambda inquiry: self.quick_log(inquiry.contact_id, answering=inquiry))
        self.inquiries_page.contact_chosen.connect(self._show_contact)
        self.inquiries_page.start()

    def _add_dashboard_entry(self) -> None:
        """The side bar's Dashboard, with a stand-in page: the page itself, and the charts library it needs,
        are loaded the first time it is shown, so a receptionist who never opens it never pays for them."""
        self._dashboard_item = QListWidgetItem("Dashboard")
        self.sidebar.addItem(self._dashboard_item)
        self.pages.addWidget(QWidget(self))

    def _build_dashboard_page(self) -> None:
        from clientdesk.gui.dashboard_page import DashboardPage

        page = DashboardPage(self.workspace, self.operations, self)
        page.contact_requested.connect(self.open_contact)
        stand_in = self.pages.widget(2)
        self.pages.insertWidget(2, page)
        self.pages.removeWidget(stand_in)
        stand_in.deleteLater()
        self.dashboard_page = page

    def _build_today_page(self) -> None:
        """The agenda, and the alerts that watch the clock for what falls due while the window is open."""
        from clientdesk.gui.reminder_alerts import ReminderAlerts
        from clientdesk.gui.reminder_banner import ReminderBanner
        from clientdesk.gui.today_page import TodayPage

        page = TodayPage(self.workspace, self.operations, self)
        self._today_item = QListWidgetItem("Today")
        self.sidebar.addItem(self._today_item)
        self.pages.addWidget(page)
        page.count_changed.connect(lambda count: self._today_item.setText(f"Today  ({count:,})" if count else "Today"))
        page.done_requested.connect(lambda item: self.quick_log(completing=item))
        page.contact_requested.connect(self.open_contact)
        page.contact_chosen.connect(self._show_contact)
        self.today_page = page
        self.reminder_banner = ReminderBanner(self)
        self.reminder_banner.show_requested.connect(lambda: self.show_page(TODAY_PAGE))
        self._central_layout.insertWidget(0, self.reminder_banner)
        alerts = ReminderAlerts(self.workspace.reminders, self.operations, self, icon=self.windowIcon())
        alerts.announced.connect(self.reminder_banner.announce)
        alerts.due_changed.connect(page.reload)
        self.reminder_alerts = alerts
        page.start()
        alerts.start()

    def _contact_for_reminder(self):
        """The contact in the form, or None with a word in the status bar."""
        contact_id = self.editor.contact_id if self._editor is not None else None
        if contact_id is None:
            self.statusBar().showMessage("Choose a contact first: reminders are about a contact.", 6000)
            return None
        return self.workspace.contacts.get(contact_id)

    def remind_me(self) -> None:
        from clientdesk.gui.reminder_dialog import RemindDialog, next_morning

        contact = self._contact_for_reminder()
        if contact is None:
            return
        dialog = RemindDialog(self.workspace.reminders, self.operations, contact.id, contact.display_name,
                              next_morning(datetime.now(UTC)), self)
        self._open_reminder_dialog(dialog, f"Reminder added for {contact.display_name}.")

    def keep_in_touch(self) -> None:
        from clientdesk.gui.reminder_dialog import KeepInTouchDialog

        contact = self._contact_for_reminder()
        if contact is None:
            return
        dialog = KeepInTouchDialog(self.workspace.reminders, self.operations, contact.id, contact.display_name,
                                   contact.fields.tags, self.workspace.reminders.cadences(), self)
        self._open_reminder_dialog(dialog, "Keep in touch saved.")

    def _open_reminder_dialog(self, dialog, saved_text: str) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.statusBar().showMessage(saved_text, 6000))
        dialog.finished.connect(lambda _result: setattr(self, "reminder_dialog", None))
        self.reminder_dialog = dialog
        dialog.open()

    def open_reminder_rules(self) -> None:
        """Birthdays, holiday greetings, thank-yous and plan reviews: what the Today page brings by itself."""
        from clientdesk.gui.reminder_rules_dialog import ReminderRulesDialog

        profile = self.workspace.business.profile()
        dialog = ReminderRulesDialog(self.workspace.reminders, self.operations, profile.country,
                                     profile.subdivision or None, profile.currency, date.today(), self)
        self._open_reminder_dialog(dialog, "Reminder rules saved.")

    def export_calendar(self) -> None:
        """The reminders as an .ics file, written once or kept up to date on every change."""
        from clientdesk.gui.calendar_export_dialog import CalendarExportDialog

        dialog = CalendarExportDialog(self.workspace.calendar_export, self.operations, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.statusBar().showMessage(dialog.result_text, 10000))
        dialog.finished.connect(lambda _result: setattr(self, "calendar_dialog", None))
        self.calendar_dialog = dialog
        dialog.open()

    def _completed(self, item) -> None:
        if self.today_page is not None:
            self.today_page.completed_elsewhere()
        self.statusBar().showMessage(f"Done: {item.title}. Logged for {item.contact_name}.", 8000)

    def open_contact(self, contact_id: int) -> None:
        """The Contacts page with that contact current (its form beside it)."""
        self.show_page(0)
        if not self.contacts_page.select_contact(contact_id):
            self._show_contact(contact_id)  # not in the list as searched: the form shows it all the same

    def _page_changed(self, row: int) -> None:
        """The form beside the pages follows the current row of the page in front."""
        if row == 0:
            self._show_contact(self.contacts_page.current_id())
        elif row == 2 and self.dashboard_page is None:
            self._build_dashboard_page()
            self.pages.setCurrentIndex(2)
        elif row == TODAY_PAGE and self.today_page is not None:
            item = self.today_page.selected()
            if item is not None and item.contact_id is not None:
                self._show_contact(item.contact_id)
        elif row == 1 and self.inquiries_page is not None:
            inquiry = self.inquiries_page.model.inquiry(self.inquiries_page.table.currentIndex().row())
            if inquiry is not None:
                self._show_contact(inquiry.contact_id)

    def show_page(self, row: int) -> None:
        if row < self.sidebar.count():
            self.sidebar.setCurrentRow(row)
            pages = (self.contacts_page, self.inquiries_page, self.dashboard_page, self.today_page)
            pages[row].table.setFocus()

    @property
    def ready(self) -> bool:
        """The first screen has been painted and the contact form is built."""
        return self._list_painted

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and watched in self._first_views():
            for view in self._first_views():
                view.removeEventFilter(self)
            QTimer.singleShot(0, self._after_first_paint)
        return False

    def _after_first_paint(self) -> None:
        from clientdesk.gui.application import add_fallback_font

        self._list_painted = True
        add_fallback_font()
        self.editor  # noqa: B018 - builds it now that the list is on screen
        self.model.show_availability(self.workspace.boundaries.summaries)
        self._build_inquiries_page()
        self._add_dashboard_entry()
        self._build_today_page()
        self.keep_stages_current()
        self._stage_day_timer = QTimer(self)
        # A day's stages differ from the last one's (a lapse falls due): checked every ten minutes, which
        # costs one small read while nothing has changed.
        self._stage_day_timer.setInterval(10 * 60 * 1000)
        self._stage_day_timer.timeout.connect(self.keep_stages_current)
        self._stage_day_timer.start()
        self.first_painted.emit()
        current = self.contacts_page.current_id()
        if current is not None:
            self._show_contact(current)
        elif self.model.rowCount():
            self.contacts_page.select_row(0)

    def keep_stages_current(self) -> None:
        """Brings the list's Stage column to today, off the UI thread: after an upgrade or a new lapse in
        days this works out every contact's stage history once."""
        lifecycle = self.workspace.lifecycle
        self.operations.run(lambda: Changes(stages=True, purchases=True) if lifecycle.keep_current() else None)

    # -- actions -------------------------------------------------------------------------------

    def _action(self, text: str, shortcut, slot, menu) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_actions(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_action = self._action("&New contact", QKeySequence.StandardKey.New, self.new_contact, file_menu)
        self._action("New &organisation", "Ctrl+Shift+N", lambda: self.new_contact(ContactKind.ORGANISATION), file_menu)
        self.log_action = self._action("&Log a call or message…", "Ctrl+L", lambda: self.quick_log(), file_menu)
        self._action("&Remind me…", "Ctrl+Shift+R", self.remind_me, file_menu)
        self._action("Keep in &touch…", None, self.keep_in_touch, file_menu)
        file_menu.addSeparator()
        self._action("&Import contacts…", "Ctrl+I", lambda: self.import_contacts(), file_menu)
        self._action("E&xport contacts…", "Ctrl+E", self.export_contacts, file_menu)
        self._action("Import &purchases…", None, lambda: self.import_purchases(), file_menu)
        self._action("Export &calendar…", None, self.export_calendar, file_menu)
        file_menu.addSeparator()
        self._action("&Back up database…", None, self.back_up, file_menu)
        self._action("Load &demo data…", None, self.load_demo_data, file_menu)
        file_menu.addSeparator()
        self._action("&Settings…", "Ctrl+,", self.open_settings, file_menu)
        self._action("Ser&vices catalogue…", None, self.open_services, file_menu)
        self._action("Reminder r&ules…", None, self.open_reminder_rules, file_menu)
        file_menu.addSeparator()
        self._action("&Quit", QKeySequence.StandardKey.Quit, self.close, file_menu)

        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = self._action("&Undo", QKeySequence.StandardKey.Undo, self.undo, edit_menu)
        self.undo_import_action = self._action("Undo last &import", None, self.undo_last_import, edit_menu)
        edit_menu.addSeparator()
        self.edit_action = self._action("&Edit contact", "F2", self.edit_current, edit_menu)
        self.delete_action = self._action("&Delete", None, self.delete_selected, edit_menu)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        # Delete is handled by the list itself, so it never deletes a contact while typing in the form.
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        edit_menu.addSeparator()
        self._action("&Find", QKeySequence.StandardKey.Find, self.contacts_page.focus_search, edit_menu)

        go_menu = self.menuBar().addMenu("&Go")
        self._action("&Contacts", "Ctrl+1", lambda: self.show_page(0), go_menu)
        self._action("&Inquiries", "Ctrl+2", lambda: self.show_page(1), go_menu)
        self._action("&Dashboard", "Ctrl+3", lambda: self.show_page(2), go_menu)
        self._action("&Today", "Ctrl+4", lambda: self.show_page(TODAY_PAGE), go_menu)

        reviews_menu = self.menuBar().addMenu("Re&views")  # Alt+R stays with the form's "Referred by"
        self.review_action = self._action("Client &review…", "Ctrl+R", lambda: self.open_review(), reviews_menu)
        self._action("Reviews &due…", None, self.open_reviews_due, reviews_menu)

        help_menu = self.menuBar().addMenu("&Help")
        self._action("&About ClientDesk", None, self.about, help_menu)
        self._update_undo()

    def _connect(self) -> None:
        self.operations.changes_applied.connect(self.apply_changes)
        self.operations.failed.connect(self.show_error)
        self.operations.busy_changed.connect(lambda busy: self.busy_label.setText("Saving…" if busy else ""))
        page = self.contacts_page
        page.status_changed.connect(self.count_label.setText)
        page.status_changed.connect(lambda _text: self._update_sidebar())
        page.current_contact_changed.connect(self._show_contact)
        page.new_requested.connect(self.new_contact)
        page.demo_requested.connect(self.load_demo_data)
        page.import_requested.connect(self.import_contacts)
        page.settings_requested.connect(self.open_settings)
        page.edit_requested.connect(self.edit_current)
        page.delete_requested.connect(self.delete_selected)
        page.announce()  # the list loaded before these connections were made

    # -- reacting to changes -------------------------------------------------------------------

    def apply_changes(self, changes: Changes) -> None:
        self.model.apply(changes)
        if self.inquiries_page is not None:
            self.inquiries_page.apply(changes)
        if self.dashboard_page is not None:
            self.dashboard_page.apply(changes)
        if self.today_page is not None:
            self.today_page.apply(changes)
        self._update_undo()
        if self._editor is None:
            return
        if changes.profile:
            self.editor.refresh_availability()
        editing = self.editor.contact_id
        if editing is not None and (changes.everything or editing in changes.contact_ids) and not self.editor.is_dirty():
            if self.model.row_of(editing) is not None:
                self.editor.load(editing)
            else:
                self.editor.start_new(focus=False)

    def _update_undo(self) -> None:
        label = self.workspace.contacts.undo_label()
        self.undo_action.setText(f"&Undo {label}" if label else "&Undo")
        self.undo_action.setEnabled(label is not None)
        # Asked only once an import has run: the import service loads the file readers.
        last_import = self.workspace.imports.last_import_label() if self._imported else None
        self.undo_import_action.setText(f"Undo last &import ({last_import})" if last_import else "Undo last &import")
        self.undo_import_action.setEnabled(last_import is not None)

    def _update_sidebar(self) -> None:
        self._contacts_item.setText(f"Contacts  ({self.model.total:,})")

    def _show_contact(self, contact_id: int | None) -> None:
        if not self._list_painted:
            return  # _after_first_paint shows it
        # No current row (a search, a reload) leaves the form alone: only choosing another contact replaces it.
        if contact_id is None or contact_id == self.editor.contact_id or self.editor.is_saving():
            return
        if self.editor.is_dirty() and not self._settle_unsaved_changes():
            if self.editor.contact_id is not None:
                self.contacts_page.select_contact(self.editor.contact_id)
            return
        self.editor.load(contact_id)

    def _settle_unsaved_changes(self) -> bool:
        """True when the form may be left: its changes were saved or discarded."""
        answer = QMessageBox.question(
            self, "Unsaved changes", f"Save the changes to “{self.editor.title.text()}”?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            self.editor.save()
            return True
        return answer == QMessageBox.StandardButton.Discard

    def _after_save(self, contact_id: int) -> None:
        self.statusBar().showMessage("Saved.", 3000)
        self.contacts_page.select_contact(contact_id)

    # -- commands ------------------------------------------------------------------------------

    def new_contact(self, kind: ContactKind = ContactKind.PERSON) -> None:
        if self.editor.is_dirty() and not self._settle_unsaved_changes():
            return
        self.contacts_page.table.clearSelection()
        self.editor.start_new(kind if isinstance(kind, ContactKind) else ContactKind.PERSON)

    def open_review(self, contact_id: int | None = None) -> None:
        """The Review dialog for a contact (the one on the form, else the list's current one)."""
        from clientdesk.gui.review_dialog import ReviewDialog

        if contact_id is None:
            contact_id = (self._editor.contact_id if self._editor is not None else None) or self.contacts_page.current_id()
        if contact_id is None:
            self.statusBar().showMessage("Choose a client first: a review is about one client.", 6000)
            return
        name = self.workspace.contacts.get(contact_id).display_name
        dialog = ReviewDialog(self.workspace.reviews, self.operations, contact_id, name, self)
        dialog.saved.connect(lambda produced: self.statusBar().showMessage(
            f"Saved the review of {name} to {produced.path}.", 8000))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.review_dialog = dialog
        dialog.finished.connect(lambda _result: setattr(self, "review_dialog", None))
        dialog.open()

    def open_reviews_due(self) -> None:
        """Reviews → Reviews due: the month's plan reviews, produced in one go."""
        from clientdesk.gui.reviews_due_dialog import ReviewsDueDialog

        dialog = ReviewsDueDialog(self.workspace.reviews, self.operations, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.reviews_due_dialog = dialog
        dialog.finished.connect(lambda _result: setattr(self, "reviews_due_dialog", None))
        dialog.open()

    def quick_log(self, contact_id: int | None = None, *, answering=None, completing=None) -> None:
        """The quick-log dialog; `answering` (an open inquiry) links the reply to it; `completing` (an agenda
        item) fills it in from the item, and saving the log marks the item done."""
        from clientdesk.gui.quick_log_dialog import QuickLogDialog

        dialog = QuickLogDialog(self.workspace, self.operations, self, contact_id=contact_id, answering=answering,
                                completing=completing)
        if completing is not None:
            dialog.logged.connect(lambda _handled: self._completed(completing))
        else:
            dialog.logged.connect(lambda logged: self._after_log(logged, dialog.caller.text()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: setattr(self, "quick_log_dialog", None))
        self.quick_log_dialog = dialog
        dialog.open()

    def _after_log(self, logged, name: str) -> None:
        message = f"Logged for {name}."
        if logged.opened is not None:
            target = logged.opened.target.astimezone() if logged.opened.target else None
            message += (f" Inquiry opened: reply by {target:%a %d %b %H:%M}." if target else " Inquiry opened.")
        if logged.answered is not None:
            message += " Its inquiry is answered."
        self.statusBar().showMessage(message, 8000)

    def edit_current(self) -> None:
        if self.contacts_page.current_id() is not None:
            (self.editor.given if self.editor.given.isEnabled() else self.editor.display).setFocus()

    def delete_selected(self) -> None:
        ids = self.contacts_page.selected_ids()
        if not ids:
            return
        contacts = self.workspace.contacts
        row = self.contacts_page.table.currentIndex().row()

        def deleted(_changes) -> None:
            # The contact that moved into the deleted one's place becomes current; the list keeps the focus.
            if self.model.rowCount():
                self.contacts_page.select_row(min(max(row, 0), self.model.rowCount() - 1))
            self.statusBar().showMessage(f"Deleted {self._count_text(len(ids))}. Press Ctrl+Z to undo.", 8000)

        self.operations.run(lambda: contacts.delete(ids), on_done=deleted)

    def undo(self) -> None:
        label = self.workspace.contacts.undo_label()
        if label is None:
            return
        self.operations.run(self.workspace.contacts.undo,
                            on_done=lambda _changes: self.statusBar().showMessage(f"Undone: {label}.", 5000))

    def import_contacts(self, path: Path | None = None) -> None:
        """The import dialog, on `path` when a file was dropped, else it asks for one."""
        from clientdesk.gui.import_dialog import ImportDialog

        if self.import_dialog is not None:
            self.import_dialog.raise_()
            return
        dialog = ImportDialog(self.workspace, self.operations, path, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(self._after_import)
        dialog.finished.connect(lambda _result: setattr(self, "import_dialog", None))
        self.import_dialog = dialog
        dialog.open()
        if path is None:
            dialog.choose_file()

    def _after_import(self, summary) -> None:
        self._imported = True
        self._update_undo()
        self.statusBar().showMessage(
            f"Imported {summary.imported:,} and merged {summary.merged:,} from {summary.file}"
            + (f"; {summary.rejected:,} rejected." if summary.rejected else "."), 10000)

    def undo_last_import(self) -> None:
        imports = self.workspace.imports
        label = imports.last_import_label()
        if label is None:
            return
        self.operations.run(imports.undo_last,
                            on_done=lambda _changes: self.statusBar().showMessage(f"Undone: {label}.", 5000))

    def export_contacts(self) -> None:
        from clientdesk.gui.export_dialog import ExportDialog

        page = self.contacts_page
        query = page.search.text().strip()
        dialog = ExportDialog(self.workspace, self.operations, total=self.workspace.contacts.count(), query=query,
                              found=self.model.rowCount() if query else 0, selected=page.selected_ids(), parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exported.connect(lambda exported: self.statusBar().showMessage(
            f"Exported {self._count_text(exported.count)} to {exported.path}.", 10000))
        self.export_dialog = dialog
        dialog.open()

    def dragEnterEvent(self, event) -> None:
        if _dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        path = _dropped_file(event)
        if path is not None:
            event.acceptProposedAction()
            self.import_contacts(path)

    def import_purchases(self, path: Path | None = None) -> None:
        """A CSV of sales (date, contact email or name, amount, description[, service]): the good rows are
        kept, each bad one listed with its line."""
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(self, "Import purchases", str(Path.home()),
                                                          "CSV files (*.csv);;All files (*)")
            if not chosen:
                return
            path = Path(chosen)
        purchases = self.workspace.purchases

        def work() -> _Imported:
            result = purchases.import_csv(path)
            return _Imported(result, Changes(contacts=True, purchases=True) if result.imported else None)

        self.operations.run(work, on_done=lambda done: self._purchases_imported(path, done.result))

    def _purchases_imported(self, path: Path, result) -> None:
        box = QMessageBox(QMessageBox.Icon.Information if not result.rejects else QMessageBox.Icon.Warning,
                          "Purchases imported", "", QMessageBox.StandardButton.Ok, self)
        kept = f"{result.imported:,} purchase{'' if result.imported == 1 else 's'} imported from {path.name}"
        if result.rejects:
            rejected = len(result.rejects)
            rows = "row was" if rejected == 1 else "rows were"
            box.setText(f"{kept}; {rejected:,} {rows} left out (Show Details… lists them).")
            box.setDetailedText("\n".join(f"Line {reject.line}: {reject.reason}" for reject in result.rejects))
        else:
            box.setText(kept + ".")
        self.purchase_import_box = box  # kept for tests, and so the box outlives this call
        box.open()

    def back_up(self) -> None:
        suggested = str(self.workspace.path.with_name(self.workspace.path.stem + "-backup.sqlite3"))
        target, _filter = QFileDialog.getSaveFileName(self, "Back up database", suggested,
                                                      "ClientDesk database (*.sqlite3)")
        if not target:
            return
        from clientdesk.services import database_admin

        source = self.workspace.path
        destination = Path(target)
        if destination.exists():
            destination.unlink()  # the save dialog has already asked whether to replace it
        self.operations.run(lambda: database_admin.backup(source, destination),
                            on_done=lambda _result: self.statusBar().showMessage(f"Backed up to {destination}.", 8000))

    def load_demo_data(self) -> None:
        from clientdesk.services import demo

        progress = QProgressDialog("Creating demo contacts…", "Cancel", 0, DEMO_CONTACTS, self)
        progress.setWindowTitle("Demo data")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        database, region = self.workspace.database, self.workspace.business.region()
        operation = self.operations.run(
            lambda report, cancelled: demo.generate(database, DEMO_CONTACTS, seed=1, home_region=region,
                                                    progress=report, cancelled=cancelled),
            with_progress=True,
            on_done=lambda _changes: progress.close(),
            on_error=lambda error: (progress.close(), self.show_error(str(error))
                                    if not isinstance(error, demo.Cancelled) else None),
        )
        # Where the bar's contacts part ends, and where the interactions' and the sales' parts do.
        history_starts = round(DEMO_CONTACTS * demo.CONTACTS_PROGRESS)
        sales_start = round(DEMO_CONTACTS * demo.HISTORY_PROGRESS)
        stages_start = round(DEMO_CONTACTS * demo.SALES_PROGRESS)

        def advance(done: int, _total: int) -> None:
            label = (DEMO_STAGES_LABEL if done >= stages_start else DEMO_SALES_LABEL if done >= sales_start
                     else DEMO_HISTORY_LABEL if done >= history_starts else None)
            if label is not None and progress.labelText() != label:
                progress.setLabelText(label)
            progress.setValue(done)

        operation.progressed.connect(advance)
        progress.canceled.connect(operation.cancel)

    def open_settings(self) -> None:
        from clientdesk.domain.business import check_profile
        from clientdesk.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.workspace.business.profile(), self)
        while dialog.exec():
            profile = dialog.profile()
            problems = check_profile(profile)
            if problems:
                dialog.show_problems(InvalidInput(problems))
                continue
            business = self.workspace.business
            self.operations.run(lambda: business.save(profile),
                                on_done=lambda _changes: self.statusBar().showMessage("Settings saved.", 4000))
            return

    def open_services(self) -> None:
        """What the business sells: names, descriptions, usual prices and units, for agreements and sales."""
        from clientdesk.gui.services_dialog import ServicesDialog

        dialog = ServicesDialog(self.workspace.purchases, self.workspace.business.profile().currency,
                                self.operations, self)
        self.services_dialog = dialog
        dialog.finished.connect(lambda _result: setattr(self, "services_dialog", None))
        dialog.open()

    def about(self) -> None:
        QMessageBox.about(self, "About ClientDesk",
                          f"<b>ClientDesk {__version__}</b><p>A client manager for small businesses.</p>"
                          f"<p>Database: {self.workspace.path}</p>")

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, "ClientDesk", message)

    def bring_forward(self) -> None:
        self.setWindowState((self.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive)
        self.show()
        self.raise_()
        self.activateWindow()

    @staticmethod
    def _count_text(count: int) -> str:
        return "1 contact" if count == 1 else f"{count:,} contacts"

    # -- window state --------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.value("main_window/splitter")
        if state is not None:
            self.splitter.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._editor is not None and self._editor.is_dirty() and not self._settle_unsaved_changes():
            event.ignore()
            return
        # The pages' clocks stop before the database they read is closed.
        for page in (self.inquiries_page, self.today_page):
            if page is not None:
                page.stop()
        if self._stage_day_timer is not None:
            self._stage_day_timer.stop()
        if self.reminder_alerts is not None:
            self.reminder_alerts.stop()
        self.operations.wait()
        settings = QSettings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/splitter", self.splitter.saveState())
        event.accept()


def _dropped_file(event) -> Path | None:
    """The one contacts file being dragged in (vCard or CSV), if that is what it is."""
    from clientdesk.gui.import_dialog import IMPORTABLE_SUFFIXES

    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.suffix.lower() in IMPORTABLE_SUFFIXES else None
