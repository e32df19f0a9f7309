"""Where a day's reminders fall: local dates, wall times made instants, and the morning of a day.

Many reminders are about a date rather than an instant (a birthday, a thank-you the day after a sale, a
stay-in-touch round). They all fall due at the same moment of their day, the day's *morning*: the business's
opening time that day, or 09:00 when it does not open (a weekend, a closure, a public holiday). One rule for
all of them keeps the agenda tidy and makes "tomorrow" in the snooze menu mean what the list shows.

A wall time becomes an instant with fold=0, as everywhere in the domain (see hours.py): a time inside a
spring-forward gap is read with the offset from before the change (02:30 in a 02:00→03:00 gap is 03:30 new
time), and a repeated time means its first occurrence. RFC 5545 reads both cases the same way.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from clientdesk.domain.hours import BusinessCalendar, require_aware

UTC = timezone.utc
DEFAULT_MORNING = time(9, 0)
DEFAULT_DAYS = 7


def wall_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The instant (UTC) at which the wall clock in `zone` shows `at` on `day`; fold=0 for gaps and repeats."""
    return datetime(day.year, day.month, day.day, at.hour, at.minute, at.second, tzinfo=zone).astimezone(UTC)


def local_day(moment: datetime, calendar: BusinessCalendar) -> date:
    """The business's date at an instant."""
    return require_aware(moment).astimezone(calendar.zone).date()


def opening_time(calendar: BusinessCalendar, day: date) -> time | None:
    """When the business opens on `day` by its weekly hours, or None when it does not open that day.

    A range starting at midnight is not an opening time: it is a day that carries on from the one before
    (or a business open round the clock), and "tomorrow at 00:00" is nobody's idea of tomorrow morning, so
    the first range starting after midnight is taken instead."""
    if calendar.is_closed_day(day):
        return None
    for stretch in calendar.hours.days[day.weekday()]:
        if stretch.start > 0:
            return time(stretch.start // 60, stretch.start % 60)
    return None


def morning(calendar: BusinessCalendar, day: date) -> datetime:
    """The instant (UTC) at which a day's date-based reminders fall due: opening time, else 09:00 local.
    Always within the day: start_of_day(day) <= morning(day) < start_of_day(day + 1), which the storage
    cut-offs rely on."""
    return wall_instant(day, opening_time(calendar, day) or DEFAULT_MORNING, calendar.zone)


class Mornings:
    """morning() remembered per day for one computation: thousands of birthdays share a handful of days."""

    __slots__ = ("_calendar", "_found")

    def __init__(self, calendar: BusinessCalendar):
        self._calendar = calendar
        self._found: dict[date, datetime] = {}

    def __call__(self, day: date) -> datetime:
        found = self._found.get(day)
        if found is None:
            found = self._found[day] = morning(self._calendar, day)
        return found


def agenda_end(now: datetime, calendar: BusinessCalendar, days: int = DEFAULT_DAYS) -> datetime:
    """Where the agenda stops: the start of the local day `days` days after today, so "today and the next
    7 days" is today plus seven whole dates. Every source is asked for what falls due before this instant."""
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 366:
        raise ValueError(f"days must be a whole number from 0 to 366, not {days!r}")
    return calendar.start_of_day(local_day(now, calendar) + timedelta(days=days + 1))


def last_day_before(end: datetime, calendar: BusinessCalendar) -> date:
    """The last local date with any instant before `end`: the last day a date-based item can fall on and
    still be due before `end` (its morning may be later than `end` on that day; the item is then dropped)."""
    return local_day(require_aware(end) - timedelta(microseconds=1), calendar)


__all__ = [
    "DEFAULT_DAYS", "DEFAULT_MORNING", "Mornings", "agenda_end", "last_day_before", "local_day", "morning",
    "opening_time", "wall_instant",
]
