"""Occasions for a greeting: clients' birthdays and the public holidays the business chooses to mark.

Both are dates, due at the morning (clock.morning) of the greeting's day — the occasion itself, or a chosen
number of days before it. Neither is stored per item: they are worked out for the agenda's range, and ids
name the occasion ("birthday:345:2027", "holiday:2026-12-25:christmas-day").

Greetings go stale: a birthday wish a month late is no wish. So each rule has `keep_days`, how long after
its day an unhandled greeting stays on the agenda (None: until handled, like every other item), and `since`,
the day the rule was switched on, so switching it on does not raise a year of overdue greetings.

29 February: in a common year the birthday is kept on 28 February (birthday_in).

What storage must do for birthdays: read the contacts whose (birthday_month, birthday_day) is in
`birthday_keys(...)` — a few dozen pairs for a week, 29 February included when 28 February of a common year
is in the range — through an index on (birthday_month, birthday_day).
"""

from __future__ import annotations

import calendar as _calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from clientdesk.domain.boundaries import Channel, long_date
from clientdesk.domain.contacts import Birthday
from clientdesk.domain.errors import FieldProblem, InvalidInput
from clientdesk.domain.hours import BusinessCalendar, PublicHolidays
from clientdesk.domain.reminders.clock import Mornings, last_day_before, local_day
from clientdesk.domain.reminders.kinds import Due, ReminderKind, item_id, new_due

DEFAULT_KEEP_DAYS = 7
_BIRTHDAY_ID = item_id(ReminderKind.BIRTHDAY, "")  # "birthday:", spelled once for the thousands of ids
MAX_DAYS_BEFORE = 60
_ALL_KEYS = frozenset((month, day) for month in range(1, 13)
                      for day in range(1, _calendar.monthrange(2000, month)[1] + 1))  # 2000: 29 February too


def _check_rule(days_before: int, keep_days: int | None, problems: list[FieldProblem]) -> None:
    if not isinstance(days_before, int) or not 0 <= days_before <= MAX_DAYS_BEFORE:
        problems.append(FieldProblem("days_before", f"Remind 0 to {MAX_DAYS_BEFORE} days before, "
                                                    f"not “{days_before}”."))
    if keep_days is not None and (not isinstance(keep_days, int) or not 0 <= keep_days <= 366):
        problems.append(FieldProblem("keep_days", f"Keep a missed greeting 0 to 366 days, not “{keep_days}”."))


def _due_days(since: date, keep_days: int | None, now: datetime, end: datetime,
              calendar: BusinessCalendar) -> tuple[date, date] | None:
    """The greeting days (first, last) the agenda can show: from `keep_days` before today (and not before
    `since`) to the end's last date; None when that is empty."""
    first = since
    if keep_days is not None:
        first = max(first, local_day(now, calendar) - timedelta(days=keep_days))
    last = last_day_before(end, calendar)
    return (first, last) if first <= last else None


# --- birthdays ---------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class BirthdayRule:
    since: date
    days_before: int = 0
    keep_days: int | None = DEFAULT_KEEP_DAYS
    channel: Channel | None = Channel.EMAIL

    def __post_init__(self) -> None:
        problems: list[FieldProblem] = []
        _check_rule(self.days_before, self.keep_days, problems)
        if problems:
            raise InvalidInput(problems)


class BirthdayContact(NamedTuple):
    contact_id: int
    contact_name: str
    birthday: Birthday


def birthday_in(birthday: Birthday, year: int) -> date:
    """The day the birthday is marked in `year`: 29 February falls on 28 February in a common year."""
    if (birthday.month, birthday.day) == (2, 29) and not _calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, birthday.month, birthday.day)


def birthday_days(first: date, last: date) -> frozenset[tuple[int, int]]:
    """The (month, day) pairs of the birthdays marked from `first` to `last` inclusive: each date's own, and
    (2, 29) with 28 February of a common year. A range of a year or more is every pair."""
    if last < first:
        return frozenset()
    if (last - first).days >= 365:
        return _ALL_KEYS
    keys: set[tuple[int, int]] = set()
    day = first
    while day <= last:
        keys.add((day.month, day.day))
        if (day.month, day.day) == (2, 28) and not _calendar.isleap(day.year):
            keys.add((2, 29))
        day += timedelta(days=1)
    return frozenset(keys)


def birthday_keys(rule: BirthdayRule, now: datetime, end: datetime,
                  calendar: BusinessCalendar) -> frozenset[tuple[int, int]]:
    """What storage queries: the (birthday_month, birthday_day) pairs whose greeting can be on the agenda."""
    span = _due_days(rule.since, rule.keep_days, now, end, calendar)
    if span is None:
        return frozenset()
    shift = timedelta(days=rule.days_before)
    return birthday_days(span[0] + shift, span[1] + shift)


def birthday_dues(contacts: Iterable[BirthdayContact], rule: BirthdayRule, now: datetime, end: datetime,
                  calendar: BusinessCalendar) -> list[Due]:
    """The birthday greetings due before `end` (and not gone stale) for the contacts given — any contacts:
    those whose birthday is outside the range simply give nothing."""
    span = _due_days(rule.since, rule.keep_days, now, end, calendar)
    if span is None:
        return []
    shift = timedelta(days=rule.days_before)
    first, last = span[0] + shift, span[1] + shift  # the birthdays themselves
    mornings = Mornings(calendar)
    found: list[Due] = []
    channel = None if rule.channel is None else Channel(rule.channel)
    kind = ReminderKind.BIRTHDAY
    years = range(first.year, last.year + 1)
    # By (month, day, year): the greeting's day and due instant, or None when it is not in the range. The
    # thousand birthdays of a week share a dozen.
    marked: dict[tuple[int, int, int], tuple[date, datetime] | None] = {}
    for contact_id, name, birthday in contacts:
        for year in years:
            if birthday.year is not None and year <= birthday.year:
                continue
            key = (birthday.month, birthday.day, year)
            known = marked.get(key, False)
            if known is False:
                day = birthday_in(birthday, year)
                known = None
                if first <= day <= last:
                    due = mornings(day - shift)
                    if due < end:
                        known = (day, due)
                marked[key] = known
            if known is None:
                continue
            found.append(new_due(f"{_BIRTHDAY_ID}{contact_id}:{year}", kind, contact_id, name,
                                 _birthday_title(name, birthday, known[0], rule.days_before), known[1], channel))
    return found


def _birthday_title(name: str, birthday: Birthday, day: date, days_before: int) -> str:
    title = f"{name}'s birthday"
    if days_before:
        title += f" on {day.day} {_calendar.month_name[day.month]}"
    if birthday.year is not None:
        title += f" ({day.year - birthday.year})"
    return title


# --- public holidays ----------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class HolidayGreetingRule:
    """Greet clients before the chosen holidays, named as the `holidays` package names them ("Christmas Day")."""

    holidays: tuple[str, ...]
    since: date
    days_before: int = 3
    keep_days: int | None = DEFAULT_KEEP_DAYS
    channel: Channel | None = Channel.EMAIL

    def __post_init__(self) -> None:
        problems: list[FieldProblem] = []
        _check_rule(self.days_before, self.keep_days, problems)
        names = tuple(dict.fromkeys(" ".join(name.split()) for name in self.holidays if name.strip()))
        if not names:
            problems.append(FieldProblem("holidays", "Choose at least one holiday to send greetings for."))
        if problems:
            raise InvalidInput(problems)
        object.__setattr__(self, "holidays", names)


@lru_cache(maxsize=64)
def _holidays_of(country: str, subdivision: str | None, year: int) -> tuple[tuple[date, str], ...]:
    import holidays

    # observed=False: a greeting is for the holiday itself, not the weekday it is moved to.
    table = holidays.country_holidays(country, subdiv=subdivision, years=year, observed=False)
    return tuple(sorted((day, name.strip()) for day, names in table.items() if day.year == year
                        for name in names.split(";") if name.strip()))


def available_holidays(country: str, subdivision: str | None, year: int) -> list[tuple[date, str]]:
    """The country's (and region's) holidays in `year`, in order: what a settings form offers to choose from.
    An unknown country or region is InvalidInput (from hours.PublicHolidays)."""
    known = PublicHolidays(country, subdivision)
    return list(_holidays_of(known.country, known.subdivision, year))


def validate_holiday_rule(rule: HolidayGreetingRule, country: str, subdivision: str | None, today: date) -> None:
    """InvalidInput when a chosen holiday is not one of the country's in this year or the next two (names
    are matched without regard to case)."""
    known = PublicHolidays(country, subdivision)
    names = {name.casefold() for year in range(today.year, today.year + 3)
             for _, name in _holidays_of(known.country, known.subdivision, year)}
    unknown = [name for name in rule.holidays if name.casefold() not in names]
    if unknown:
        offered = sorted({name for _, name in _holidays_of(known.country, known.subdivision, today.year)})
        place = known.country + (f"-{known.subdivision}" if known.subdivision else "")
        verb = "is" if len(unknown) == 1 else "are"
        raise InvalidInput([FieldProblem("holidays", f"{', '.join(f'“{name}”' for name in unknown)} {verb} not a "
                                                     f"holiday in {place}; choose from {', '.join(offered)}.")])


def holiday_dues(rule: HolidayGreetingRule, country: str, subdivision: str | None, now: datetime, end: datetime,
                 calendar: BusinessCalendar, recipients: Sequence[tuple[int, str]] = ()) -> list[Due]:
    """The greetings due before `end` (and not gone stale): one business-wide item per holiday (contact None:
    "send the Christmas greetings"), or, with `recipients` ((contact_id, name) — e.g. the contacts with a
    "greetings" tag), one item per recipient."""
    span = _due_days(rule.since, rule.keep_days, now, end, calendar)
    if span is None:
        return []
    known = PublicHolidays(country, subdivision)
    shift = timedelta(days=rule.days_before)
    first, last = span[0] + shift, span[1] + shift
    chosen = {name.casefold() for name in rule.holidays}
    mornings = Mornings(calendar)
    found: list[Due] = []
    for year in range(first.year, last.year + 1):
        for day, name in _holidays_of(known.country, known.subdivision, year):
            if not first <= day <= last or name.casefold() not in chosen:
                continue
            due = mornings(day - shift)
            if due >= end:
                continue
            title = f"{name} greetings ({long_date(day)})"
            stem = (day.isoformat(), _slug(name))
            if not recipients:
                found.append(Due(item_id(ReminderKind.HOLIDAY, *stem), ReminderKind.HOLIDAY, None, "", title, due,
                                 rule.channel))
            for contact_id, contact_name in recipients:
                found.append(Due(item_id(ReminderKind.HOLIDAY, *stem, contact_id), ReminderKind.HOLIDAY, contact_id,
                                 contact_name, f"{name} greetings to {contact_name} ({long_date(day)})", due,
                                 rule.channel))
    return found


def _slug(name: str) -> str:
    """ "New Year's Day" → "new-years-day": a holiday as part of an id."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold().replace("'", "")).strip("-")


__all__ = [
    "DEFAULT_KEEP_DAYS", "MAX_DAYS_BEFORE", "BirthdayContact", "BirthdayRule", "HolidayGreetingRule",
    "available_holidays", "birthday_days", "birthday_dues", "birthday_in", "birthday_keys", "holiday_dues",
    "validate_holiday_rule",
]
