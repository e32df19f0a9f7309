"""Reminders coming due while ClientDesk runs: a desktop notification through the tray icon where the system
has one, and always a banner in the window. At start, the reminders that came due while it was closed.

The clock is an attribute, so a test can move time on and call `tick()`; the window's timer calls it every
30 seconds. Reads run off the UI thread; the "last seen" instant is written once a minute, and at close."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon

from clientdesk.gui.operations import Operations

if TYPE_CHECKING:
    from clientdesk.domain.reminders.agenda import AgendaItem
    from clientdesk.services.reminders import CameDue, ReminderService

TICK_MS = 30_000
SEEN_EVERY = timedelta(minutes=1)


def due_text(items: list[AgendaItem]) -> str:
    """ "Call back Ana Silva is due" for one item; "3 reminders are due: …" for more."""
    if len(items) == 1:
        item = items[0]
        return f"Due now: {item.title}" + (f" — {item.contact_name}" if item.contact_name and
                                           item.contact_name not in item.title else "")
    first = ", ".join(item.title for item in items[:2])
    more = f" and {len(items) - 2:,} more" if len(items) > 2 else ""
    return f"{len(items):,} reminders are due: {first}{more}"


class ReminderAlerts(QObject):
    """`announced` carries each message shown (for the banner, and tests); `due_changed` asks the Today page
    to read itself again, because something fell due."""

    announced = Signal(str)
    due_changed = Signal()

    def __init__(self, reminders: ReminderService, operations: Operations, parent: QObject | None = None, *,
                 icon: QIcon | None = None, clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        super().__init__(parent)
        self._reminders = reminders
        self._operations = operations
        self.clock = clock
        self._checked_until: datetime | None = None
        self._seen_at: datetime | None = None
        self._announced: set[str] = set()  # each occurrence is announced once
        self._checking = False
        self.tray: QSystemTrayIcon | None = None
        if icon is not None and QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip("ClientDesk")
            self.tray.show()
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.tick)

    def start(self) -> None:
        """Lists what came due while ClientDesk was closed, then watches the clock."""
        now = self.clock()
        self._checked_until = now
        reminders = self._reminders
        self._operations.read(lambda: reminders.came_due_while_closed(now), on_done=self._while_closed,
                              on_error=lambda _error: None)
        self._timer.start()

    def stop(self) -> None:
        """At close: the next start counts from here."""
        self._timer.stop()
        try:
            self._reminders.mark_seen(self.clock())
        except Exception:  # noqa: BLE001 - closing must not fail over a bookkeeping write
            pass

    def _while_closed(self, came: CameDue) -> None:
        for item in came.items:
            self._announced.add(item.id)
        if came.message:
            self._announce(came.message, came.message)
        self._mark_seen(self.clock())

    def tick(self) -> None:
        """What fell due since the last tick is announced; nothing is announced twice."""
        if self._checking:
            return
        now = self.clock()
        since = self._checked_until or now
        if now <= since:
            return
        self._checking = True
        reminders = self._reminders
        self._operations.read(lambda: reminders.due_between(since, now),
                              on_done=lambda items: self._came_due(items, now),
                              on_error=lambda _error: setattr(self, "_checking", False))

    def _came_due(self, items: list[AgendaItem], checked_until: datetime) -> None:
        self._checking = False
        self._checked_until = checked_until
        fresh = [item for item in items if item.id not in self._announced]
        self._announced.update(item.id for item in fresh)
        if fresh:
            self._announce(due_text(fresh), "\n".join(f"{item.title}" for item in fresh[:5]))
            self.due_changed.emit()
        if self._seen_at is None or checked_until - self._seen_at >= SEEN_EVERY:
            self._mark_seen(checked_until)

    def _announce(self, message: str, detail: str) -> None:
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage("ClientDesk", detail if detail != message else message,
                                  QSystemTrayIcon.MessageIcon.Information, 10_000)
        self.announced.emit(message)

    def _mark_seen(self, moment: datetime) -> None:
        self._seen_at = moment
        reminders = self._reminders
        self._operations.run(lambda: reminders.mark_seen(moment), quiet=True, on_error=lambda _error: None)


__all__ = ["ReminderAlerts", "due_text"]
