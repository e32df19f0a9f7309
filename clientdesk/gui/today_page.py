"""The Today page: what is overdue, due today and due in the next seven days, grouped and counted.

Every item can be handled from the keyboard: Enter does it (the log dialog opens filled in, and saving the
log marks it done), Ctrl+Enter marks it done without a log, S snoozes (1 hour, tomorrow, next week, a chosen
time), K skips this occurrence and O opens the contact. Nothing leaves unhandled: an overdue item stays until
it is done, skipped or snoozed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clientdesk.domain.boundaries import CHANNEL_LABELS, short_when
from clientdesk.domain.reminders.agenda import Agenda, AgendaItem
from clientdesk.domain.reminders.kinds import KIND_LABELS
from clientdesk.domain.reminders.snooze import SnoozeChoice
from clientdesk.gui.operations import Operations
from clientdesk.gui.style import ERROR_COLOR, HINT_STYLE
from clientdesk.services.changes import Changes
from clientdesk.services.workspace import Workspace

HEADERS = ("Due", "What", "Client", "When they can be reached", "Kind")
ITEM_ROLE = Qt.ItemDataRole.UserRole
EMPTY = ("Nothing is due in the next 7 days.\n\nA contact's Remind me… (Ctrl+Shift+R) adds a follow-up or a "
         "repeating reminder; Keep in touch… sets how often a client should hear from you. Birthdays, holiday "
         "greetings, thank-yous, plan reviews and reply-by deadlines appear here by themselves.")
WORKING = "Reading the agenda…"
KEYS_HINT = "Enter: done (log it) · Ctrl+Enter: done · S: snooze · K: skip · O: open the contact"


class TodayPage(QWidget):
    """`count_changed` carries what needs doing now (overdue and today) for the side bar; `done_requested`
    asks the window to open the log dialog for an item about a contact; `contact_requested` to show one."""

    count_changed = Signal(int)
    done_requested = Signal(object)  # AgendaItem
    contact_requested = Signal(int)
    contact_chosen = Signal(int)  # the chosen item's client, for the contact form beside the page
    refreshed = Signal()  # a new agenda is on screen (for tests)

    def __init__(self, workspace: Workspace, operations: Operations, parent: QWidget | None = None, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        super().__init__(parent)
        self._workspace = workspace
        self._operations = operations
        self.clock = clock  # replaceable, so a test can move time on
        self.agenda: Agenda | None = None
        self._reading = False
        self._again = False
        self._keep: tuple[str | None, int] = (None, 0)  # the item chosen before a reload, and its row
        self._acted_on_row: int | None = None  # an item handled here leaves: its row's next item is chosen
        self.snooze_dialog: SnoozeDialog | None = None

        self.title = QLabel("<b>Today</b>", self)
        self.summary = QLabel(WORKING, self)
        self.summary.setStyleSheet(HINT_STYLE)
        self.done_button = QPushButton("Done…", self)
        self.done_button.setToolTip("Log the contact and mark it done (Enter); Ctrl+Enter marks it done without a log")
        self.snooze_button = QPushButton("Snooze", self)
        self.snooze_button.setToolTip("Bring it back later: in an hour, tomorrow, next week or a chosen time (S)")
        self.skip_button = QPushButton("Skip", self)
        self.skip_button.setToolTip("Skip this occurrence; a repeating one comes back next time (K)")
        self.open_button = QPushButton("Open contact", self)
        self.open_button.setToolTip("Show the client on the Contacts page (O)")
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addSpacing(12)
        header.addWidget(self.summary, 1)
        for button in (self.done_button, self.snooze_button, self.skip_button, self.open_button):
            button.setAutoDefault(False)
            header.addWidget(button)

        self.table = QTreeWidget(self)  # `table`, as on the other pages: the window focuses it
        self.table.setAccessibleName("Agenda")
        self.table.setColumnCount(len(HEADERS))
        self.table.setHeaderLabels(HEADERS)
        self.table.setRootIsDecorated(False)
        self.table.setItemsExpandable(False)
        self.table.setUniformRowHeights(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAllColumnsShowFocus(True)
        header_view = self.table.header()
        header_view.setStretchLastSection(False)
        for column, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.Interactive, QHeaderView.ResizeMode.Interactive,
                                       QHeaderView.ResizeMode.ResizeToContents)):
            header_view.setSectionResizeMode(column, mode)
        header_view.resizeSection(2, 180)
        header_view.resizeSection(3, 230)
        self.empty = QLabel(EMPTY, self)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(HINT_STYLE)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.keys = QLabel(KEYS_HINT, self)
        self.keys.setStyleSheet(HINT_STYLE)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(header)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.keys)

        self.done_button.clicked.connect(self.do_selected)
        self.snooze_button.clicked.connect(self.snooze_selected)
        self.skip_button.clicked.connect(self.skip_selected)
        self.open_button.clicked.connect(self.open_selected)
        self.table.itemActivated.connect(lambda *_: self.do_selected())
        self.table.currentItemChanged.connect(lambda *_: self._current_changed())
        for keys, slot in (("Ctrl+Return", self.mark_selected_done), ("Ctrl+Enter", self.mark_selected_done),
                           ("S", self.snooze_selected), ("K", self.skip_selected), ("O", self.open_selected)):
            shortcut = QShortcut(QKeySequence(keys), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)  # letters typed elsewhere stay letters
            shortcut.activated.connect(slot)
        # Items fall due as the minutes pass: the page reads itself again each minute.
        self._timer = QTimer(self)
        self._timer.setInterval(60_000)
        self._timer.timeout.connect(self.reload)
        self._update_buttons()

    # -- reading -------------------------------------------------------------------------------

    def start(self) -> None:
        self.reload()
        self._timer.start()

    def stop(self) -> None:
        """The window is closing: no more minute's refreshes (the database closes after it)."""
        self._timer.stop()

    def reload(self) -> None:
        """Reads the agenda off the UI thread; a reload asked for meanwhile runs once the first is in."""
        if self._reading:
            self._again = True
            return
        self._reading = True
        item = self.selected()
        self._keep = (item.id if item is not None else None, max(self._row_of_current(), 0))
        if self._acted_on_row is not None:
            self._keep, self._acted_on_row = (None, self._acted_on_row), None
        reminders, now = self._workspace.reminders, self.clock()
        self._operations.read(lambda: reminders.agenda(now), on_done=self._arrived, on_error=self._failed)

    def apply(self, changes: Changes) -> None:
        if changes.everything or changes.reminders or changes.contacts or changes.purchases or changes.profile:
            self.reload()

    def _finished(self) -> bool:
        self._reading = False
        if self._again:
            self._again = False
            self.reload()
            return False
        return True

    def _failed(self, error: BaseException) -> None:
        if self._finished():
            self.summary.setText(f"The agenda could not be read: {error}")

    def _arrived(self, agenda: Agenda) -> None:
        if not self._finished():
            return
        self.agenda = agenda
        counts = agenda.counts
        self.summary.setText(f"{counts.overdue:,} overdue · {counts.today:,} today · {counts.upcoming:,} in the "
                             f"next {agenda.days} days")
        self._fill(agenda)
        self.table.setVisible(bool(agenda.items))
        self.keys.setVisible(bool(agenda.items))
        self.empty.setVisible(not agenda.items)
        self._choose_again()
        self._update_buttons()
        self.count_changed.emit(counts.overdue + counts.today)
        self.refreshed.emit()

    def _fill(self, agenda: Agenda) -> None:
        self.table.clear()
        calendar = self._workspace.business.calendar()
        bold = QFont(self.table.font())
        bold.setBold(True)
        groups: list[tuple[str, tuple[AgendaItem, ...], bool]] = [
            ("Overdue", agenda.overdue, True), ("Today", agenda.today, False)]
        groups += [(f"{day:%A} {day.day} {day:%B}", items, False) for day, items in agenda.upcoming_by_day()]
        red = QBrush(QColor(ERROR_COLOR))
        for heading, items, overdue in groups:
            if not items:
                continue
            group = QTreeWidgetItem(self.table, [f"{heading} ({len(items):,})"])
            group.setFirstColumnSpanned(True)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: not chosen, nothing to act on
            group.setFont(0, bold)
            if overdue:
                group.setForeground(0, red)
            for item in items:
                row = QTreeWidgetItem(self.table, self._cells(item, agenda.now, calendar))
                row.setData(0, ITEM_ROLE, item)
                if item.overdue:
                    row.setForeground(0, red)
                if item.reason:
                    row.setToolTip(3, item.reason)
                if item.snoozed:
                    row.setToolTip(0, "Snoozed until then")

    @staticmethod
    def _cells(item: AgendaItem, now: datetime, calendar) -> list[str]:
        due = short_when(item.due, now, calendar, ending=False)
        if item.overdue and item.due < now - timedelta(days=6):
            due = f"{item.due.astimezone(calendar.zone):%d %b}"
        if item.snoozed:
            due += " (snoozed)"
        reach = ""
        if item.channel is not None and item.contact_id is not None:
            channel = CHANNEL_LABELS[item.channel]
            if item.reason:  # later than asked, or never: the engine says when and why ("Call — Tue 10:00, …")
                reach = item.reason
            elif item.suggested is None:
                reach = f"{channel}: not allowed"
            else:
                reach = f"{channel} — now" if item.due <= now else channel
        return [due, item.title, item.contact_name, reach, KIND_LABELS[item.kind]]

    def _choose_again(self) -> None:
        """The item chosen before the reload, else the row where it was, else the first item."""
        rows = [self.table.topLevelItem(i) for i in range(self.table.topLevelItemCount())]
        actionable = [(index, row) for index, row in enumerate(rows) if row.data(0, ITEM_ROLE) is not None]
        if not actionable:
            return
        wanted, position = self._keep
        chosen = next((row for _index, row in actionable if row.data(0, ITEM_ROLE).id == wanted), None)
        if chosen is None:
            chosen = next((row for index, row in actionable if index >= position), actionable[-1][1])
        self.table.setCurrentItem(chosen)

    def _row_of_current(self) -> int:
        current = self.table.currentItem()
        return self.table.indexOfTopLevelItem(current) if current is not None else -1

    # -- acting --------------------------------------------------------------------------------

    def selected(self) -> AgendaItem | None:
        current = self.table.currentItem()
        return current.data(0, ITEM_ROLE) if current is not None else None

    def _update_buttons(self) -> None:
        item = self.selected()
        for button in (self.done_button, self.snooze_button, self.skip_button):
            button.setEnabled(item is not None)
        self.open_button.setEnabled(item is not None and item.contact_id is not None)

    def _current_changed(self) -> None:
        self._update_buttons()
        item = self.selected()
        # The page reads itself again each minute: only a choice made on screen moves the form.
        if item is not None and item.contact_id is not None and self.isVisible() and self.table.hasFocus():
            self.contact_chosen.emit(item.contact_id)

    def do_selected(self) -> None:
        """About a contact: the log dialog opens filled in, and saving it marks the item done."""
        item = self.selected()
        if item is None:
            return
        if item.contact_id is None:
            self.mark_selected_done()
        else:
            self.done_requested.emit(item)

    def mark_selected_done(self) -> None:
        item = self.selected()
        if item is not None:
            reminders = self._workspace.reminders
            self._act(lambda: reminders.done(item.id, item=item))

    def skip_selected(self) -> None:
        item = self.selected()
        if item is not None:
            reminders = self._workspace.reminders
            self._act(lambda: reminders.skip(item.id, item=item))

    def _act(self, work) -> None:
        self._acted_on_row = self._row_of_current()
        self._operations.run(work)

    def completed_elsewhere(self) -> None:
        """The window's log dialog marked the chosen item done: the next one is chosen when the page reloads."""
        self._acted_on_row = self._row_of_current()

    def open_selected(self) -> None:
        item = self.selected()
        if item is not None and item.contact_id is not None:
            self.contact_requested.emit(item.contact_id)

    def snooze_selected(self) -> None:
        """The snooze menu under the Snooze button: each entry says when the item comes back."""
        item = self.selected()
        if item is None:
            return
        menu = QMenu(self)
        menu.setAccessibleName("Snooze until")
        for number, (choice, _at, label) in enumerate(self._workspace.reminders.snooze_menu(self.clock()), start=1):
            action = menu.addAction(f"&{number}  {label}")
            action.setData(choice.value)
        self.snooze_menu = menu
        menu.triggered.connect(lambda action: self._snooze_chosen(item, SnoozeChoice(action.data())))
        menu.aboutToHide.connect(menu.deleteLater)
        anchor = self.snooze_button if self.snooze_button.isVisible() else self.table
        menu.popup(anchor.mapToGlobal(anchor.rect().bottomLeft()))

    def _snooze_chosen(self, item: AgendaItem, choice: SnoozeChoice) -> None:
        if choice is SnoozeChoice.CHOSEN:
            self._ask_snooze_time(item)
        else:
            self.snooze(item, choice)

    def snooze(self, item: AgendaItem, until: SnoozeChoice | datetime) -> None:
        reminders, now = self._workspace.reminders, self.clock()
        self._act(lambda: reminders.snooze(item.id, until, item=item, now=now))

    def _ask_snooze_time(self, item: AgendaItem) -> None:
        dialog = SnoozeDialog(self.clock() + timedelta(hours=2), self)
        dialog.accepted.connect(lambda: self.snooze(item, dialog.chosen()))
        dialog.finished.connect(lambda _result: setattr(self, "snooze_dialog", None))
        self.snooze_dialog = dialog
        dialog.open()


class SnoozeDialog(QDialog):
    """A chosen date and time, in the computer's zone, for the item to come back."""

    def __init__(self, proposed: datetime, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Snooze until")
        self.when = QDateTimeEdit(QDateTime(proposed.astimezone().replace(second=0, microsecond=0, tzinfo=None)), self)
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("ddd d MMM yyyy HH:mm")
        self.when.setAccessibleName("Snooze until")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Until", self.when)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.when.setFocus()

    def chosen(self) -> datetime:
        return self.when.dateTime().toPython().astimezone().astimezone(UTC)


__all__ = ["SnoozeDialog", "TodayPage"]
