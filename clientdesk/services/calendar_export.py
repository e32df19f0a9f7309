"""The reminders as an iCalendar file: `File → Export calendar`, `export ics --out FILE.ics`, and a file kept up
to date on every change for calendar programs that subscribe to one.

Every reminder still open or still repeating is written (interchange/icalendar_writer.py: VEVENTs with VALARMs,
RRULEs with UNTIL in UTC, VTIMEZONEs); optionally the next days' other agenda items too (birthdays, plan
reviews…, each at its suggested time). The file is written to a temporary file beside it and renamed over it,
so a calendar reading it never sees half a file. The subscription (the file and the alarm) is kept in the
database (reminder_settings.calendar_json); `refresh_subscribed_file` is what the reminder service calls after
each change, and what the window calls when other changes (Changes.reminders) arrive.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from clientdesk.domain.errors import ClientDeskError, FieldProblem, InvalidInput
from clientdesk.domain.reminders.kinds import ReminderKind
from clientdesk.interchange.icalendar_writer import MAX_ALARM_MINUTES, write_calendar
from clientdesk.services.business import BusinessService
from clientdesk.services.changes import Changes
from clientdesk.storage import Database
from clientdesk.storage.reminders_repository import ReminderRepository

log = logging.getLogger(__name__)
NEW_FILE_MODE = 0o644
_REMINDER_KINDS = (ReminderKind.FOLLOW_UP, ReminderKind.RECURRING)


class CalendarNotWritten(ClientDeskError):
    """The .ics file could not be written; any earlier file is untouched."""


@dataclass(frozen=True, slots=True)
class CalendarExported:
    path: Path
    reminders: int  # reminders written (a repeating one is one event with its rule)
    items: int = 0  # other agenda items written


@dataclass(frozen=True, slots=True)
class CalendarSubscription:
    path: Path
    alarm_minutes_before: int = 0
    agenda_days: int = 0  # the next days' other agenda items written too (0: reminders only)


class CalendarExportService:
    def __init__(self, database: Database, business: BusinessService, clock: Callable[[], datetime],
                 agenda: Callable[[datetime, int], object] | None = None):
        self._db = database
        self._business = business
        self._clock = clock
        self._agenda = agenda  # ReminderService.agenda, for the other items (set by the workspace when asked)
        self.last_error: str | None = None  # why the subscribed file could not be written last time

    def calendar_bytes(self, *, alarm_minutes_before: int = 0, agenda_days: int = 0,
                       now: datetime | None = None) -> tuple[bytes, int, int]:
        """(the .ics bytes, reminders written, other items written)."""
        _check_alarm(alarm_minutes_before)
        now = now or self._clock()
        with self._db.reading() as uow:
            reminders = [stored.reminder for stored in ReminderRepository(uow.session).every_open()]
        items = []
        if agenda_days:
            agenda = self._agenda_of(now, agenda_days)
            items = [item for item in agenda.items if item.kind not in _REMINDER_KINDS]
        data = write_calendar(reminders, items, time_zone=self._business.profile().time_zone, stamp=now,
                              alarm_minutes_before=alarm_minutes_before)
        return data, len(reminders), len(items)

    def export(self, path: Path | str, *, alarm_minutes_before: int = 0, agenda_days: int = 0,
               now: datetime | None = None) -> CalendarExported:
        """Writes the file (atomically). `agenda_days` > 0 adds the other agenda items of that many days."""
        data, reminders, items = self.calendar_bytes(alarm_minutes_before=alarm_minutes_before,
                                                     agenda_days=agenda_days, now=now)
        target = _write_atomically(Path(path), data)
        return CalendarExported(target, reminders, items)

    # -- the file kept up to date -------------------------------------------------------------------------

    def subscription(self) -> CalendarSubscription | None:
        with self._db.reading() as uow:
            stored = ReminderRepository(uow.session).settings()[1]
        if not stored.get("path"):
            return None
        return CalendarSubscription(Path(stored["path"]), int(stored.get("alarm_minutes_before", 0)),
                                    int(stored.get("agenda_days", 0)))

    def subscribe(self, path: Path | str, *, alarm_minutes_before: int = 0, agenda_days: int = 0) -> CalendarExported:
        """Keeps `path` up to date from now on, and writes it now (so a bad folder is reported at once)."""
        _check_alarm(alarm_minutes_before)
        if not 0 <= agenda_days <= 31:
            raise InvalidInput([FieldProblem("agenda_days", "Add the agenda's items of 0 to 31 days.")])
        target = Path(path).expanduser().absolute()
        exported = self.export(target, alarm_minutes_before=alarm_minutes_before, agenda_days=agenda_days)
        with self._db.writing() as uow:
            ReminderRepository(uow.session).save_calendar(
                {"path": str(target), "alarm_minutes_before": alarm_minutes_before, "agenda_days": agenda_days})
        self.last_error = None
        return exported

    def unsubscribe(self) -> Changes:
        with self._db.writing() as uow:
            ReminderRepository(uow.session).save_calendar({})
        return Changes(reminders=True)

    def refresh_subscribed_file(self) -> Path | None:
        """Writes the subscribed file again, if there is one. A failure (a folder gone, a full disk) is kept in
        `last_error` and logged rather than raised: it must not undo the change that caused the refresh."""
        subscription = self.subscription()
        if subscription is None:
            return None
        try:
            exported = self.export(subscription.path, alarm_minutes_before=subscription.alarm_minutes_before,
                                   agenda_days=subscription.agenda_days)
        except (ClientDeskError, OSError) as error:
            self.last_error = str(error)
            log.warning("The calendar file %s was not updated: %s", subscription.path, error)
            return None
        self.last_error = None
        return exported.path

    def _agenda_of(self, now: datetime, days: int):
        if self._agenda is None:
            raise RuntimeError("the calendar export was built without the agenda")
        return self._agenda(now, days)


def _check_alarm(minutes: int) -> None:
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 <= minutes <= MAX_ALARM_MINUTES:
        raise InvalidInput([FieldProblem("alarm_minutes_before",
                                         f"Sound the alarm 0 to {MAX_ALARM_MINUTES:,} minutes before, not “{minutes}”.")])


def _write_atomically(target: Path, data: bytes) -> Path:
    """`target` holds its old content or all of `data`, never part of it."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        mode = NEW_FILE_MODE
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
    except OSError as error:
        raise CalendarNotWritten(f"{target} could not be written: {error.strerror or error}.") from error
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise CalendarNotWritten(f"{target} could not be written: {error.strerror or error}.") from error
    return target


__all__ = ["CalendarExportService", "CalendarExported", "CalendarNotWritten", "CalendarSubscription"]
