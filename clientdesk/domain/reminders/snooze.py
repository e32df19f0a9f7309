"""Snoozing an item: the choices of the snooze menu and the instant each one means.

"1 hour" is an hour of real time (across a daylight-saving change too). "Tomorrow" and "Next week" are the
morning (clock.morning) of tomorrow and of the same weekday next week: the business's opening time that day,
or 09:00 when it does not open — the moment date-based items fall due, so a snoozed birthday lines up
with the day's others. "A chosen time" is any instant after now, at most two years ahead.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from enum import StrEnum

from clientdesk.domain.boundaries import short_when
from clientdesk.domain.errors import FieldProblem, InvalidInput
from clientdesk.domain.hours import LOOKAHEAD, BusinessCalendar, require_aware
from clientdesk.domain.reminders.clock import local_day, morning

UTC = timezone.utc


class SnoozeChoice(StrEnum):
    HOUR = "hour"
    TOMORROW = "tomorrow"
    NEXT_WEEK = "next_week"
    CHOSEN = "chosen"


SNOOZE_LABELS = {SnoozeChoice.HOUR: "1 hour", SnoozeChoice.TOMORROW: "Tomorrow", SnoozeChoice.NEXT_WEEK: "Next week",
                 SnoozeChoice.CHOSEN: "Choose a time…"}


def snooze_until(choice: SnoozeChoice | str, now: datetime, calendar: BusinessCalendar,
                 chosen: datetime | None = None) -> datetime:
    """The instant (UTC) an item snoozed at `now` comes back. InvalidInput for an unknown choice, or a chosen
    time that is missing, not after now, or more than two years ahead."""
    now = require_aware(now, "now").astimezone(UTC)
    try:
        choice = SnoozeChoice(choice)
    except ValueError:
        names = ", ".join(member.value for member in SnoozeChoice)
        raise InvalidInput([FieldProblem("snooze", f"“{choice}” is not a snooze choice; use {names}.")]) from None
    if choice is SnoozeChoice.HOUR:
        return now + timedelta(hours=1)
    today = local_day(now, calendar)
    if choice is SnoozeChoice.TOMORROW:
        return morning(calendar, today + timedelta(days=1))
    if choice is SnoozeChoice.NEXT_WEEK:
        return morning(calendar, today + timedelta(days=7))
    if chosen is None:
        raise InvalidInput([FieldProblem("until", "Choose when the reminder should come back.")])
    chosen = require_aware(chosen, "chosen").astimezone(UTC)
    if chosen <= now:
        raise InvalidInput([FieldProblem("until", "Choose a time after now.")])
    if chosen - now > LOOKAHEAD:
        raise InvalidInput([FieldProblem("until", "Choose a time within two years.")])
    return chosen


def snooze_menu(now: datetime, calendar: BusinessCalendar) -> list[tuple[SnoozeChoice, datetime | None, str]]:
    """The menu as shown: (choice, instant, "Tomorrow — Tue 09:00"); the chosen-time entry has no instant."""
    entries: list[tuple[SnoozeChoice, datetime | None, str]] = []
    for choice in (SnoozeChoice.HOUR, SnoozeChoice.TOMORROW, SnoozeChoice.NEXT_WEEK):
        at = snooze_until(choice, now, calendar)
        entries.append((choice, at, f"{SNOOZE_LABELS[choice]} — {short_when(at, now, calendar, ending=False)}"))
    entries.append((SnoozeChoice.CHOSEN, None, SNOOZE_LABELS[SnoozeChoice.CHOSEN]))
    return entries


__all__ = ["SNOOZE_LABELS", "SnoozeChoice", "snooze_menu", "snooze_until"]
