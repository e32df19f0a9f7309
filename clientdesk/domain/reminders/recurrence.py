"""Repeating reminders: RFC 5545 repeat rules, checked, kept in one canonical spelling, and expanded at a wall time.

A repeating reminder happens at a wall time in the business's zone ("every Tuesday at 09:00"), so the rule is
expanded on naive local datetimes by dateutil and only then made instants (fold=0, see clock.py). That keeps
09:00 at 09:00 across daylight-saving changes, which is what people mean; expanding on instants would drift
by an hour twice a year.

The rule's text is what storage keeps and what the plain-words editor reads and writes. It is canonical: parts
in one order, values sorted, INTERVAL=1 left out, and UNTIL as a *floating local* date-time (e.g.
UNTIL=20271231T235959), because the end of a rule is a wall-clock moment too. The iCalendar writer turns
UNTIL into UTC, as RFC 5545 requires beside a DTSTART with a TZID; a rule read back with a UTC UNTIL is
turned back into local time here, so the two spellings meet.

Limits, each refused with a sentence for the user: at most one occurrence a day (no HOURLY and shorter, no
BYHOUR/BYMINUTE/BYSECOND: the time of day is the reminder's own), INTERVAL up to 999, COUNT up to 1,000, no
COUNT and UNTIL together, and a rule must happen within ten of its periods (at least ten years) of its
start. That last check also protects the agenda: dateutil would otherwise search for "30 February" until
the year 9999.

Unlike RFC 5545, and like dateutil, the start date is not an occurrence unless it fits the rule: a reminder
"every month on the 1st" set up on the 5th first falls due on the next 1st.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from clientdesk.domain.errors import FieldProblem, InvalidInput
from clientdesk.domain.hours import require_aware, zone_named

UTC = timezone.utc
FIELD = "repeat"
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_INTERVAL = 999
MAX_COUNT = 1000
# The canonical order of a rule's parts: what it repeats on first, how it ends last.
PART_ORDER = ("FREQ", "INTERVAL", "BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY", "BYSETPOS", "WKST",
              "COUNT", "UNTIL")
_SUB_DAILY = ("SECONDLY", "MINUTELY", "HOURLY")
# Rules made only of these parts happen in every period from their start (BYDAY: plain weekdays, as only
# MONTHLY and YEARLY take numbered ones, and DAILY with BYDAY is left out below).
_ALWAYS_FITS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "WKST"}
_TIME_OF_DAY = ("BYHOUR", "BYMINUTE", "BYSECOND")
_END_OF_DAY = time(23, 59, 59)
_UNTIL = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?")
_BYDAY = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_INTEGER = re.compile(r"[+-]?\d{1,4}")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # 29 for February: a leap year can have it
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
# Numeric parts: (lowest, highest, zero allowed) — negatives count from the end of the month, year or set.
_RANGES = {"BYMONTH": (1, 12, False), "BYMONTHDAY": (-31, 31, False), "BYYEARDAY": (-366, 366, False),
           "BYWEEKNO": (-53, 53, False), "BYSETPOS": (-366, 366, False)}


# --- the rule's text ----------------------------------------------------------------------------------

def normalise_rule(text: object, zone: ZoneInfo | None = None, field_name: str = FIELD) -> str:
    """The canonical spelling of an RRULE, or InvalidInput listing every problem in it.

    Accepts "RRULE:" in front, any case, and parts in any order. A UTC UNTIL (…Z) needs `zone` to become
    local wall time; a date-only UNTIL means the end of that day.
    """
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput([FieldProblem(field_name, "Give a repeat rule such as FREQ=WEEKLY;BYDAY=MO.")])
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    problems: list[str] = []
    parts: dict[str, str] = {}
    for piece in (p.strip() for p in body.split(";")):
        if not piece:
            continue
        key, equals, value = piece.partition("=")
        key, value = key.strip().upper(), value.strip().upper()
        if not equals or not key or not value:
            problems.append(f"“{piece}” is not a part of a repeat rule; parts look like FREQ=WEEKLY.")
        elif key in parts:
            problems.append(f"{key} is given twice.")
        else:
            parts[key] = value

    canonical: dict[str, str] = {}
    frequency = parts.pop("FREQ", None)
    if frequency is None:
        problems.append("Say how often it repeats: FREQ=DAILY, WEEKLY, MONTHLY or YEARLY.")
    elif frequency in _SUB_DAILY:
        problems.append("A reminder repeats at most once a day; use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY.")
    elif frequency not in FREQUENCIES:
        problems.append(f"“{frequency}” is not a frequency; use DAILY, WEEKLY, MONTHLY or YEARLY.")
    else:
        canonical["FREQ"] = frequency

    for key, value in parts.items():
        if key == "INTERVAL":
            number = _whole(value)
            if number is None or not 1 <= number <= MAX_INTERVAL:
                problems.append(f"INTERVAL is a whole number from 1 to {MAX_INTERVAL}, not “{value}”.")
            elif number > 1:
                canonical[key] = str(number)
        elif key == "COUNT":
            number = _whole(value)
            if number is None or not 1 <= number <= MAX_COUNT:
                problems.append(f"COUNT is a whole number from 1 to {MAX_COUNT:,}, not “{value}”.")
            else:
                canonical[key] = str(number)
        elif key == "UNTIL":
            until = _until(value, zone)
            if isinstance(until, str):
                problems.append(until)
            else:
                canonical[key] = until.strftime("%Y%m%dT%H%M%S")
        elif key in _RANGES:
            listed = _numbers(key, value)
            if isinstance(listed, str):
                problems.append(listed)
            else:
                canonical[key] = ",".join(str(n) for n in listed)
        elif key == "BYDAY":
            days = _weekdays(value, canonical.get("FREQ") or frequency)
            if isinstance(days, list):
                canonical[key] = ",".join(days)
            else:
                problems.append(days)
        elif key == "WKST":
            if value in WEEKDAY_CODES:
                if value != "MO":  # Monday is the default: saying so changes nothing
                    canonical[key] = value
            else:
                problems.append(f"WKST is a day such as MO, not “{value}”.")
        elif key in _TIME_OF_DAY:
            problems.append(f"{key} is not used: a reminder repeats at its own time of day.")
        else:
            problems.append(f"“{key}” is not a part of a repeat rule the reminders use.")

    if "COUNT" in canonical and "UNTIL" in canonical:
        problems.append("Give either COUNT (how many times) or UNTIL (until when), not both.")
    if not problems:
        impossible = _impossible_dates(canonical)
        if impossible:
            problems.append(impossible)
    if problems:
        raise InvalidInput([FieldProblem(field_name, " ".join(problems))])
    return ";".join(f"{key}={canonical[key]}" for key in PART_ORDER if key in canonical)


def rule_parts(rule: str) -> dict[str, str]:
    """A canonical rule's parts, in order: {"FREQ": "MONTHLY", "BYMONTHDAY": "1"}."""
    return dict(piece.split("=", 1) for piece in rule.split(";") if piece)


def _whole(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) <= 6 else None


def _until(value: str, zone: ZoneInfo | None) -> datetime | str:
    match = _UNTIL.fullmatch(value)
    problem = f"UNTIL is a date such as 20271231 or a date-time such as 20271231T235959, not “{value}”."
    if not match:
        return problem
    try:
        if match[4] is None:
            return datetime.combine(date(int(match[1]), int(match[2]), int(match[3])), _END_OF_DAY)
        moment = datetime(*(int(match[i]) for i in range(1, 7)))
    except ValueError:
        return problem
    if match[7]:
        if zone is None:
            return "UNTIL in UTC (ending in Z) needs the reminder's time zone."
        return moment.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
    return moment


def _numbers(key: str, value: str) -> list[int] | str:
    low, high, _ = _RANGES[key]
    found: list[int] = []
    for text in value.split(","):
        text = text.strip()
        number = int(text) if _INTEGER.fullmatch(text) else None
        if number is None or number == 0 or not low <= number <= high:
            span = f"1 to {high}" if low > 0 else f"1 to {high}, or -1 to {low} counting from the end"
            return f"{key} takes numbers from {span}, not “{text}”."
        if number not in found:
            found.append(number)
    # Counting from the start first, then from the end (…, -2, -1): the order people read them in.
    return sorted(found, key=lambda n: n if n > 0 else 1000 + n)


def _weekdays(value: str, frequency: str | None) -> list[str] | str:
    """The days in order (Monday first), or the sentence saying what is wrong."""
    found: list[tuple[int, int]] = []
    for text in value.split(","):
        match = _BYDAY.fullmatch(text.strip())
        if not match:
            return (f"BYDAY takes days such as MO or TU,TH (or 1MO, -1FR for the first Monday, last Friday), "
                    f"not “{text}”.")
        position = int(match[1]) if match[1] else 0
        if match[1] and not (position and -53 <= position <= 53):
            return f"“{text}”: the position before a day is 1 to 53 or -1 to -53."
        if position and frequency not in ("MONTHLY", "YEARLY"):
            return f"“{text}”: a numbered day (such as 1MO) only goes with FREQ=MONTHLY or YEARLY."
        pair = (WEEKDAY_CODES.index(match[2]), position)
        if pair not in found:
            found.append(pair)
    found.sort()
    return [f"{position or ''}{WEEKDAY_CODES[day]}" for day, position in found]


def _impossible_dates(parts: dict[str, str]) -> str | None:
    """A sentence when every month/day pair the rule names is a date that never exists (30 February)."""
    if "BYMONTH" not in parts or "BYMONTHDAY" not in parts:
        return None
    months = [int(n) for n in parts["BYMONTH"].split(",")]
    days = [int(n) for n in parts["BYMONTHDAY"].split(",")]
    if any(abs(day) <= _DAYS_IN_MONTH[month - 1] for month in months for day in days):
        return None
    named = " or ".join(f"{abs(day)}{' from the end of' if day < 0 else ''} {_MONTHS[month - 1]}"
                        for month in months for day in days)
    return f"{named} never happens."


# --- a rule with its start --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Recurrence:
    """A repeat rule from a local date at a wall time, in a zone: "FREQ=WEEKLY;BYDAY=TU" from 2026-06-02 09:00
    Europe/London. `rule` comes back canonical (see normalise_rule); building one checks everything, so a
    Recurrence that exists can always be expanded."""

    rule: str
    starts_on: date
    at: time
    time_zone: str
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)
    _rrule: rrule = field(init=False, repr=False, compare=False)
    _moved: dict[datetime, rrule] = field(default_factory=dict, init=False, repr=False, compare=False)
    _gap: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        zone = zone_named(self.time_zone, "timezone")
        if not isinstance(self.starts_on, date) or isinstance(self.starts_on, datetime):
            raise ValueError(f"starts_on must be a date, not {self.starts_on!r}")
        if not isinstance(self.at, time) or self.at.tzinfo is not None:
            raise ValueError(f"at must be a wall time without a zone, not {self.at!r}")
        at = self.at.replace(microsecond=0)
        rule = normalise_rule(self.rule, zone)
        start = datetime.combine(self.starts_on, at)
        try:
            built = rrulestr(rule, dtstart=start)
        except (ValueError, TypeError) as error:  # what our own checks let through, dateutil still refuses
            raise InvalidInput([FieldProblem(FIELD, f"The repeat rule {rule} is not valid: {error}.")]) from None
        assert isinstance(built, rrule)
        setter = object.__setattr__
        setter(self, "rule", rule)
        setter(self, "at", at)
        setter(self, "_zone", zone)
        setter(self, "_rrule", built)
        self._check_it_happens(start)

    def _check_it_happens(self, start: datetime) -> None:
        until = self._rrule._until  # noqa: SLF001 - dateutil keeps the parsed UNTIL only here
        if until is not None and until < start:
            raise InvalidInput([FieldProblem(FIELD, f"The repeat ends ({until:%Y-%m-%d %H:%M}) before it starts "
                                                    f"({start:%Y-%m-%d %H:%M}).")])
        parts = rule_parts(self.rule)
        if set(parts) <= _ALWAYS_FITS and not (parts["FREQ"] == "DAILY" and "BYDAY" in parts):
            # Every period from the start has an occurrence (the start's own weekday, day or date, or one of
            # the weekdays of the week), so dateutil finds the first within a period, or passes UNTIL: no
            # guard needed, which keeps loading thousands of stored reminders cheap.
            if next(iter(self._rrule), None) is not None:
                return
        horizon = _horizon(start, self._rrule._freq, self._rrule._interval)  # noqa: SLF001
        if _first_before(self._rrule, min(until, horizon) if until else horizon) is None:
            if until is not None and until < horizon:
                message = f"The repeat rule {self.rule} ends ({until:%Y-%m-%d}) before its first time."
            else:
                message = (f"The repeat rule {self.rule} never happens in the {horizon.year - start.year} years "
                           f"after {self.starts_on.isoformat()}.")
            raise InvalidInput([FieldProblem(FIELD, message)])

    # --- what the rule says ---

    @property
    def zone(self) -> ZoneInfo:
        return self._zone

    @property
    def parts(self) -> dict[str, str]:
        return rule_parts(self.rule)

    @property
    def min_gap_days(self) -> int:
        """The fewest days between two occurrences, as the rule's parts guarantee it (1 when they allow
        consecutive days, or when that is not plain from them): every 2 weeks 14, monthly on one day 28 (31 January
        to 28 February), yearly 365. Occurrences keep their wall time, so their instants are at least this many
        days, less an hour of clock change, apart. Lets the agenda list a monthly reminder without expanding it."""
        if not self._gap:
            object.__setattr__(self, "_gap", _min_gap_days(self.parts))
        return self._gap

    @property
    def count(self) -> int | None:
        return self._rrule._count  # noqa: SLF001

    @property
    def until_wall(self) -> datetime | None:
        """The last wall-clock moment the rule may fall on (naive, local), or None."""
        return self._rrule._until  # noqa: SLF001

    @property
    def until_instant(self) -> datetime | None:
        """UNTIL as an instant (UTC): what RFC 5545 asks for beside a DTSTART with a TZID."""
        until = self.until_wall
        return None if until is None else until.replace(tzinfo=self._zone).astimezone(UTC)

    def instant_of(self, wall: datetime) -> datetime:
        """A naive local wall time of this rule as an instant (UTC), fold=0."""
        return wall.replace(tzinfo=self._zone).astimezone(UTC)

    # --- occurrences ---

    def occurrences(self, start: datetime, end: datetime, *, limit: int | None = None) -> list[datetime]:
        """The occurrences in [start, end), in order, as UTC instants; at most `limit` of them (the first)."""
        start, end = require_aware(start, "start"), require_aware(end, "end")
        found: list[datetime] = []
        if end <= start or (limit is not None and limit <= 0):
            return found
        for instant in self._from(start):
            if instant >= end:
                break
            if instant >= start:
                found.append(instant)
                if limit is not None and len(found) >= limit:
                    break
        return found

    def next_after(self, after: datetime, *, count: int = 1, inclusive: bool = False,
                   skip: Iterable[datetime] = ()) -> list[datetime]:
        """The next `count` occurrences after `after` (at or after it when `inclusive`), leaving out those in
        `skip`: the occurrences already done or skipped, each named by its due instant. Fewer when the rule
        ends first."""
        after = require_aware(after, "after")
        skipped = {require_aware(moment, "skip").astimezone(UTC) for moment in skip}
        found: list[datetime] = []
        if count <= 0:
            return found
        for instant in self._from(after):
            if instant < after or (instant == after and not inclusive) or instant in skipped:
                continue
            found.append(instant)
            if len(found) >= count:
                break
        return found

    def first(self) -> datetime | None:
        """The first occurrence, or None (only when a COUNT or UNTIL has already been used up, which the
        checks at construction rule out, so in practice never)."""
        wall = next(iter(self._rrule), None)
        return None if wall is None else self.instant_of(wall)

    def _from(self, moment: datetime) -> Iterator[datetime]:
        """Occurrences as instants, in order, from a little before `moment` (a day earlier in wall time, which
        covers any zone's offset change) — started near it rather than at the rule's start, so a daily
        reminder set up five years ago costs the same as one set up today."""
        lower = moment.astimezone(self._zone).replace(tzinfo=None) - timedelta(days=1)
        # At most one occurrence a local day and at the same wall time, so the instants come out in order:
        # two occurrences are at least 23 hours apart whatever the offsets do.
        for wall in self._rule_near(lower).xafter(lower, inc=True):
            yield self.instant_of(wall)

    def _rule_near(self, lower: datetime) -> rrule:
        """The same rule with its start moved forward by whole periods to just before `lower`.

        dateutil always walks from the start, so the start is moved instead: by a multiple of the interval that
        keeps every occurrence where it was (whole weeks keep the weekday; for months and years, whole years that
        keep 29 February on a leap year). A COUNT counts from the true start, so a rule with one is walked in
        full; COUNT is at most 1,000, which keeps that cheap."""
        built = self._rrule
        start: datetime = built._dtstart  # noqa: SLF001
        if built._count is not None or lower <= start:  # noqa: SLF001
            return built
        frequency, interval = built._freq, built._interval  # noqa: SLF001
        if frequency in (3, 2):  # DAILY, WEEKLY
            period = interval * (7 if frequency == 2 else 1)
            steps = (lower.date() - start.date()).days // period
            moved = start + timedelta(days=steps * period) if steps > 0 else start
        else:  # MONTHLY (1) or YEARLY (0): whole years
            years = interval if frequency == 0 else math.lcm(interval, 12) // 12
            if (start.month, start.day) == (2, 29):
                years = math.lcm(years, 4)
            steps = (lower.year - start.year) // years - 1
            moved = start
            while steps > 0:
                try:
                    moved = start.replace(year=start.year + steps * years)
                    break
                except ValueError:  # 29 February in a century year that is not a leap year
                    steps -= 1
        if moved == start:
            return built
        found = self._moved.get(moved)
        if found is None:
            if len(self._moved) > 16:
                self._moved.clear()
            found = self._moved[moved] = built.replace(dtstart=moved)
        return found


_NUMBERED_DAY = re.compile(r"[+-]?\d{1,2}(MO|TU|WE|TH|FR|SA|SU)")


def _min_gap_days(parts: dict[str, str]) -> int:
    interval = int(parts.get("INTERVAL", "1"))
    extra = set(parts) - {"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST"}
    single = all("," not in parts[key] for key in extra)
    frequency = parts["FREQ"]
    if not single:
        return 1
    if frequency == "DAILY" and not extra:
        return interval
    if frequency == "WEEKLY" and extra <= {"BYDAY"}:
        return 7 * interval
    if frequency == "MONTHLY" and (extra <= {"BYMONTHDAY"} or (
            extra == {"BYDAY"} and _NUMBERED_DAY.fullmatch(parts["BYDAY"]))):
        return 28 * interval
    if frequency == "YEARLY" and extra <= {"BYMONTH", "BYMONTHDAY"}:
        return 365 * interval
    return 1


def _horizon(start: datetime, frequency: int, interval: int) -> datetime:
    """Ten of the rule's periods after its start, and never less than ten years; at most the year 9998."""
    days_per_period = {3: 1, 2: 7, 1: 31, 0: 366}.get(frequency, 366)
    years = max(10, math.ceil(10 * interval * days_per_period / 365))
    return start.replace(year=min(start.year + years, 9998), month=1, day=1)


class _GaveUp(Exception):
    pass


class _Budget(tuple):
    """A rule's BYMONTH that counts how many candidate days dateutil has looked at, and stops it after `budget`.

    dateutil checks UNTIL only against occurrences it has found, so for a rule that never produces one
    ("every day on the 366th day of January") it walks day by day to the year 9999: seconds. It asks every
    candidate day whether its month is in BYMONTH, so a BYMONTH that counts the questions is a clock. This
    leans on how dateutil works inside; tests/domain/reminders/test_recurrence.py holds it to it."""

    budget: int

    def __contains__(self, month: object) -> bool:
        self.budget -= 1
        if self.budget < 0:
            raise _GaveUp
        return tuple.__contains__(self, month)


def _first_before(built: rrule, limit: datetime) -> datetime | None:
    """The rule's first occurrence at or before `limit` (naive local), looking at no more candidate days than
    lie between its start and `limit` (plus a margin), or None."""
    probe = built.replace(count=None, until=limit)
    start: datetime = probe._dtstart  # noqa: SLF001
    guard = _Budget(probe._bymonth or range(1, 13))  # noqa: SLF001
    guard.budget = (limit - start).days // probe._interval + 800  # noqa: SLF001
    probe._bymonth = guard  # noqa: SLF001
    try:
        return next(iter(probe), None)
    except _GaveUp:
        return None


@lru_cache(maxsize=8192)
def recurrence_of(rule: str, starts_on: date, at: time, time_zone: str) -> Recurrence:
    """A Recurrence, built once per distinct stored rule and start: building one checks and parses it (some tens
    of microseconds), which adds up when the agenda is refreshed every minute over hundreds of repeating
    reminders. Recurrences are immutable and their expansion keeps no state, so sharing them is safe, across
    threads too. Storage should build them through this."""
    return Recurrence(rule, starts_on, at, time_zone)


def validate_rule(text: str, time_zone: str) -> str:
    """The canonical rule for `text` in a zone, or InvalidInput: for a form that checks a raw RRULE as typed."""
    return normalise_rule(text, zone_named(time_zone, "timezone"))


__all__ = [
    "FREQUENCIES", "MAX_COUNT", "MAX_INTERVAL", "PART_ORDER", "WEEKDAY_CODES", "Recurrence", "normalise_rule",
    "recurrence_of", "rule_parts", "validate_rule",
]
