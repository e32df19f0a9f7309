"""Opening hours, closures and public holidays, and the calendar that says when the business is open.

Hours are wall-clock ranges in the business's zone, kept as minutes after local midnight. They become
real instants one local date at a time (cached), and every question is answered on those instants, so
daylight saving is dealt with in exactly one place: where a wall-clock time becomes an instant. That
mapping uses fold=0, the zoneinfo default: a time in the spring-forward gap takes the offset from before
the change (02:30 in a 02:00→03:00 gap is 03:30 new time) and a repeated time means its first occurrence.

Internally instants are integer microseconds since the Unix epoch ("micros"), so comparisons and sums
are exact; the public methods take and return timezone-aware datetimes (results are in UTC).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from clientdesk.domain.errors import FieldProblem, InvalidInput

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MINUTES_PER_DAY = 1440

# How far ahead "never" looks: an answer further away than this is reported as None.
LOOKAHEAD = timedelta(days=731)
MICROS_PER_SECOND = 1_000_000
MICROS_PER_HOUR = 3_600 * MICROS_PER_SECOND
LOOKAHEAD_MICROS = LOOKAHEAD // timedelta(microseconds=1)

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_ONE_MICRO = timedelta(microseconds=1)
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Per-calendar caches are emptied when they grow past this many local dates (about 11 years' worth),
# which keeps memory bounded without the bookkeeping of a true LRU.
_CACHE_LIMIT = 4096


# --- instants ---------------------------------------------------------------------------------------

def require_aware(moment: datetime, name: str = "instant") -> datetime:
    """Refuse naive datetimes: without a zone an instant is ambiguous, and guessing one hides bugs."""
    if not isinstance(moment, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware; {moment.isoformat()} has no time zone")
    return moment


def to_micros(moment: datetime) -> int:
    return (require_aware(moment) - _EPOCH) // _ONE_MICRO


def from_micros(micros: int) -> datetime:
    return _EPOCH + timedelta(0, 0, micros)  # positional: several times faster than microseconds=


def zone_named(name: object, field_name: str = "timezone") -> ZoneInfo:
    """The zone called `name`, or InvalidInput naming `field_name`."""
    problem = FieldProblem(field_name, f"“{name}” is not a time zone such as Europe/London.")
    if not isinstance(name, str) or not name.strip() or name != name.strip():
        raise InvalidInput([problem])
    try:
        return ZoneInfo(name)
    except (ValueError, LookupError, OSError):  # ZoneInfoNotFoundError is a KeyError
        raise InvalidInput([problem]) from None


# --- wall-clock ranges ------------------------------------------------------------------------------

def format_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _parse_time(text: object, *, is_end: bool) -> int | str:
    """Minutes after midnight, or the message explaining why `text` is not a time."""
    if not isinstance(text, str):
        return f"{text!r} is not a time; write it as text such as \"09:00\"."
    match = _TIME.fullmatch(text.strip())
    hours, minutes = (int(match[1]), int(match[2])) if match else (99, 99)
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        return f"{text.strip() or '(blank)'} is not a time; use HH:MM from 00:00 to 24:00."
    if hours == 24 and not is_end:
        return "A range cannot start at 24:00; start at 00:00 instead."
    return hours * 60 + minutes


@dataclass(frozen=True, slots=True)
class DailyRange:
    """One stretch of a day. `end` < `start` runs past midnight into the next day; 1440 is "24:00"."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not (isinstance(self.start, int) and 0 <= self.start < MINUTES_PER_DAY):
            raise ValueError(f"A range starts at a minute from 0 to 1439, not {self.start!r}.")
        if not (isinstance(self.end, int) and 0 < self.end <= MINUTES_PER_DAY):
            raise ValueError(f"A range ends at a minute from 1 to 1440, not {self.end!r}.")
        if self.start == self.end:
            raise ValueError(f"{self} is empty.")

    @classmethod
    def parse(cls, start: str, end: str, field: str = "range") -> DailyRange:
        """From "HH:MM" texts. An end of "00:00" means midnight at the end of the day, the same as "24:00"."""
        first = _parse_time(start, is_end=False)
        last = _parse_time(end, is_end=True)
        problems = [FieldProblem(field, message) for message in (first, last) if isinstance(message, str)]
        if not problems and first == last:
            problems.append(FieldProblem(
                field, f"{start.strip()}–{end.strip()} is empty; the end must differ from the start "
                       "(use 00:00–24:00 for the whole day)."))
        if problems:
            raise InvalidInput(problems)
        assert isinstance(first, int) and isinstance(last, int)
        return cls(first, last or MINUTES_PER_DAY)

    @property
    def overnight(self) -> bool:
        return self.end < self.start

    @property
    def reach(self) -> int:
        """Where the range ends, in minutes after the midnight that starts its day (beyond 1440 if overnight)."""
        return self.end + MINUTES_PER_DAY if self.end < self.start else self.end

    def as_strings(self) -> tuple[str, str]:
        return format_minutes(self.start), format_minutes(self.end)

    def __str__(self) -> str:
        return "–".join(self.as_strings())


def _overlap_problems(days: list[list[tuple[int, DailyRange]]], field: str) -> list[FieldProblem]:
    """Ranges that overlap, each reported on the later one; `days` holds (index as given, range) by start."""
    problems = []
    for weekday, ranges in enumerate(days):
        for (_, earlier), (index, later) in zip(ranges, ranges[1:]):
            if earlier.reach > later.start:
                problems.append(FieldProblem(
                    f"{field}.{WEEKDAYS[weekday]}[{index}]",
                    f"{later} overlaps {earlier} on {DAY_NAMES[weekday]}."))
        # A range running past midnight also occupies the start of the next day (Sunday's runs into Monday).
        previous = days[weekday - 1]
        if ranges and previous and previous[-1][1].reach - MINUTES_PER_DAY > ranges[0][1].start:
            index, first = ranges[0]
            problems.append(FieldProblem(
                f"{field}.{WEEKDAYS[weekday]}[{index}]",
                f"{first} overlaps {DAY_NAMES[weekday - 1]}'s {previous[-1][1]}, which runs past midnight."))
    return problems


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """Seven days of ranges, Monday first, each day's sorted by start; no two ranges overlap."""

    days: tuple[tuple[DailyRange, ...], ...]

    def __post_init__(self) -> None:
        days = tuple(tuple(day) for day in self.days)
        if len(days) != 7 or not all(isinstance(r, DailyRange) for day in days for r in day):
            raise ValueError("WeeklyHours needs exactly 7 days (Monday first) of DailyRange values.")
        indexed = [sorted(enumerate(day), key=lambda pair: pair[1].start) for day in days]
        problems = _overlap_problems(indexed, "hours")
        if problems:
            raise InvalidInput(problems)
        object.__setattr__(self, "days", tuple(tuple(r for _, r in day) for day in indexed))

    @classmethod
    def from_json(cls, data: dict, field: str = "hours") -> WeeklyHours:
        """From {"mon": [["09:00", "12:30"], ["13:30", "17:00"]], …}; a day left out is closed."""
        if not isinstance(data, dict):
            raise InvalidInput([FieldProblem(field, 'Give the hours per day, e.g. {"mon": [["09:00", "17:00"]]}.')])
        problems: list[FieldProblem] = []
        days: list[list[tuple[int, DailyRange]]] = [[] for _ in WEEKDAYS]
        for key, entries in data.items():
            if key not in WEEKDAYS:
                problems.append(FieldProblem(
                    f"{field}.{key}", f"“{key}” is not a day; use mon, tue, wed, thu, fri, sat or sun."))
                continue
            if entries is None:
                continue
            if not isinstance(entries, list | tuple):
                problems.append(FieldProblem(f"{field}.{key}", 'Give a list of ranges, e.g. [["09:00", "17:00"]].'))
                continue
            for index, entry in enumerate(entries):
                place = f"{field}.{key}[{index}]"
                if not (isinstance(entry, list | tuple) and len(entry) == 2):
                    problems.append(FieldProblem(place, 'A range is a start and an end, e.g. ["09:00", "17:00"].'))
                    continue
                try:
                    days[WEEKDAYS.index(key)].append((index, DailyRange.parse(entry[0], entry[1], place)))
                except InvalidInput as error:
                    problems.extend(error.problems)
        for day in days:
            day.sort(key=lambda pair: pair[1].start)
        problems.extend(_overlap_problems(days, field))
        if problems:
            raise InvalidInput(problems)
        return cls(tuple(tuple(r for _, r in day) for day in days))

    def to_json(self) -> dict:
        return {key: [list(r.as_strings()) for r in ranges] for key, ranges in zip(WEEKDAYS, self.days)}

    @classmethod
    def always_closed(cls) -> WeeklyHours:
        return cls(((),) * 7)

    @classmethod
    def office_default(cls) -> WeeklyHours:
        working_day = (DailyRange(9 * 60, 17 * 60),)
        return cls((working_day,) * 5 + ((),) * 2)

    def describe(self, weekday: int) -> str:
        """A day's ranges for people: "10:00–12:00, 13:00–16:00", or "" when there are none."""
        return ", ".join(str(r) for r in self.days[weekday])

    def is_empty(self) -> bool:
        return not any(self.days)

    def is_round_the_clock(self) -> bool:
        """True when the ranges, run past midnight where they do, cover every minute of the week."""
        week = 7 * MINUTES_PER_DAY
        pieces = []
        for weekday, ranges in enumerate(self.days):
            for r in ranges:
                start, end = weekday * MINUTES_PER_DAY + r.start, weekday * MINUTES_PER_DAY + r.reach
                pieces.append((start, min(end, week)))
                if end > week:  # Sunday night runs into Monday morning
                    pieces.append((0, end - week))
        covered = 0
        for start, end in sorted(pieces):
            if start > covered:
                return False
            covered = max(covered, end)
        return covered >= week


# --- closures and public holidays -------------------------------------------------------------------

def parse_iso_date(text: object, field: str, problems: list[FieldProblem]) -> date | None:
    """A YYYY-MM-DD date, or None after adding to `problems` what is wrong with it."""
    if isinstance(text, str) and _ISO_DATE.fullmatch(text.strip()):
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            pass
    problems.append(FieldProblem(field, f"“{text}” is not a date; use YYYY-MM-DD, e.g. 2026-12-24."))
    return None


@dataclass(frozen=True, slots=True)
class Closure:
    """Whole local dates on which the business is closed, `start` to `end` inclusive."""

    start: date
    end: date
    reason: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"A closure cannot end ({self.end}) before it starts ({self.start}).")

    @classmethod
    def from_json(cls, data: dict, field: str = "closure") -> Closure:
        """From {"start": "2026-12-24", "end": "2026-12-26", "reason": "Winter break"}; no end = one day."""
        if not isinstance(data, dict):
            raise InvalidInput([FieldProblem(field, 'Give a closure as {"start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}.')])
        problems: list[FieldProblem] = []
        start = parse_iso_date(data.get("start"), f"{field}.start", problems)
        end = parse_iso_date(data["end"], f"{field}.end", problems) if data.get("end") is not None else start
        reason = data.get("reason") or ""
        if not isinstance(reason, str):
            problems.append(FieldProblem(f"{field}.reason", "The reason must be text."))
        if start and end and end < start:
            problems.append(FieldProblem(
                f"{field}.end", f"The closure ends ({end.isoformat()}) before it starts ({start.isoformat()})."))
        if problems:
            raise InvalidInput(problems)
        assert start is not None and end is not None
        return cls(start, end, reason.strip())

    def to_json(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "reason": self.reason}

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


_supported_countries_cache: dict[str, list[str]] = {}


def _supported_countries() -> dict[str, list[str]]:
    # Listing takes about 0.1 s, so it is asked once per process, and only when holidays are used.
    if not _supported_countries_cache:
        import holidays

        _supported_countries_cache.update(holidays.list_supported_countries())
    return _supported_countries_cache


class PublicHolidays:
    """A country's (and optionally a region's) public holidays, from the `holidays` package."""

    __slots__ = ("_country", "_subdivision", "_years")

    def __init__(self, country: str, subdivision: str | None = None):
        supported = _supported_countries()
        code = country.strip().upper() if isinstance(country, str) else ""
        if code not in supported:
            raise InvalidInput([FieldProblem(
                "country", f"“{country}” is not a country whose public holidays are known; "
                           "use a two-letter code such as GB or US.")])
        region = subdivision.strip() if isinstance(subdivision, str) else subdivision
        if region:
            known = {name.upper(): name for name in supported[code]}
            if not isinstance(region, str) or region.upper() not in known:
                listed = ", ".join(supported[code][:12]) + (", …" if len(supported[code]) > 12 else "")
                hint = f"use one of {listed}" if listed else f"{code} has no regions with their own holidays"
                raise InvalidInput([FieldProblem("subdivision", f"“{subdivision}” is not a region of {code}; {hint}.")])
            region = known[region.upper()]
        self._country = code
        self._subdivision = region or None
        self._years: dict[int, tuple[dict[date, str], list[date]]] = {}

    # Read-only: the cached tables and the hash depend on them.
    @property
    def country(self) -> str:
        return self._country

    @property
    def subdivision(self) -> str | None:
        return self._subdivision

    def _year(self, year: int) -> tuple[dict[date, str], list[date]]:
        # Building a year's table is slow compared with a look-up, so each year is built once, when needed.
        table = self._years.get(year)
        if table is None:
            import holidays

            built = holidays.country_holidays(self.country, subdiv=self.subdivision, years=year)
            names = {day: name for day, name in built.items() if day.year == year}
            table = self._years[year] = (names, sorted(names))
        return table

    def is_holiday(self, day: date) -> bool:
        return day in self._year(day.year)[0]

    def name(self, day: date) -> str | None:
        return self._year(day.year)[0].get(day)

    def upcoming(self, after: date, count: int = 5) -> list[tuple[date, str]]:
        """The next `count` holidays strictly after `after` (looking at most ten years ahead)."""
        found: list[tuple[date, str]] = []
        for year in range(after.year, after.year + 11):
            names, days = self._year(year)
            found.extend((day, names[day]) for day in days[bisect_right(days, after):])
            if len(found) >= count:
                break
        return found[:count]

    def first_on_or_after(self, day: date, last: date) -> date | None:
        """The first holiday from `day` to `last` inclusive."""
        for year in range(day.year, last.year + 1):
            days = self._year(year)[1]
            index = bisect_left(days, day)
            if index < len(days):
                return days[index] if days[index] <= last else None
        return None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PublicHolidays):
            return NotImplemented
        return (self.country, self.subdivision) == (other.country, other.subdivision)

    def __hash__(self) -> int:
        return hash((self.country, self.subdivision))

    def __repr__(self) -> str:
        return f"PublicHolidays({self.country!r}, {self.subdivision!r})"


# --- the calendar -----------------------------------------------------------------------------------

_Spans = tuple[list[int], list[int]]  # merged open stretches as parallel (starts, ends) lists, in micros


@dataclass(frozen=True)
class BusinessCalendar:
    """When the business is open: weekly hours in its zone, less closures and (optionally) public holidays.

    A closed local date cancels the ranges that start on it, and no instant of it is open: a range running
    past midnight from the day before stops at the closed day's midnight. Open stretches are half-open,
    [opening, closing). Results are UTC datetimes; anything more than LOOKAHEAD (2 years) away is None.
    """

    hours: WeeklyHours
    time_zone: str
    closures: tuple[Closure, ...] = ()
    holidays: PublicHolidays | None = None
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)
    _closure_starts: list[int] = field(init=False, repr=False, compare=False)
    _closure_ends: list[int] = field(init=False, repr=False, compare=False)
    _never_open: bool = field(init=False, repr=False, compare=False)
    _round_the_clock: bool = field(init=False, repr=False, compare=False)
    _closed_days: dict[int, bool] = field(default_factory=dict, init=False, repr=False, compare=False)
    _midnights: dict[int, int] = field(default_factory=dict, init=False, repr=False, compare=False)
    _day_spans: dict[int, tuple[tuple[int, int], ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    _windows: dict[int, _Spans] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        setter = object.__setattr__
        setter(self, "_zone", zone_named(self.time_zone, "timezone"))
        closures = tuple(sorted(self.closures, key=lambda c: (c.start, c.end)))
        setter(self, "closures", closures)
        # Closures merged into disjoint runs of ordinals, so a long closure can be skipped in one step.
        starts: list[int] = []
        ends: list[int] = []
        for closure in closures:
            first, last = closure.start.toordinal(), closure.end.toordinal()
            if ends and first <= ends[-1] + 1:
                ends[-1] = max(ends[-1], last)
            else:
                starts.append(first)
                ends.append(last)
        setter(self, "_closure_starts", starts)
        setter(self, "_closure_ends", ends)
        setter(self, "_never_open", self.hours.is_empty())
        setter(self, "_round_the_clock", self.hours.is_round_the_clock())

    # --- public, in datetimes ---

    @property
    def zone(self) -> ZoneInfo:
        return self._zone

    def is_closed_day(self, day: date) -> bool:
        """True on a closure or an observed public holiday."""
        return self._is_closed(day.toordinal())

    def is_open(self, instant: datetime) -> bool:
        return self.is_open_micros(to_micros(instant))

    def next_opening(self, after: datetime) -> datetime | None:
        """The first instant at or after `after` at which the business is open (`after` itself if open then)."""
        now = to_micros(after)
        found = self.next_opening_micros(now, now + LOOKAHEAD_MICROS)
        return None if found is None else self._as_utc(found, now, after)

    def next_closing(self, after: datetime) -> datetime | None:
        """The first instant at or after `after` at which it is closed (`after` itself if closed then)."""
        now = to_micros(after)
        found = self.next_closing_micros(now, now + LOOKAHEAD_MICROS)
        return None if found is None else self._as_utc(found, now, after)

    def open_intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """The open stretches within [start, end), merged and in order, as UTC datetimes."""
        first, last = to_micros(start), to_micros(end)
        return [(self._as_utc(a, first, start), self._as_utc(b, first, start))
                for a, b in self.open_spans_micros(first, last)]

    def start_of_day(self, day: date) -> datetime:
        """The first instant of a local date in the business's zone, in UTC."""
        return from_micros(self.start_of_day_micros(day))

    # --- public, in micros, for the other rules of this package ---

    def start_of_day_micros(self, day: date) -> int:
        return self._midnight(day.toordinal())

    def is_open_micros(self, now: int) -> bool:
        starts, ends = self._window(self._local_ordinal(now))
        index = bisect_right(starts, now) - 1
        return index >= 0 and now < ends[index]

    def next_opening_micros(self, now: int, limit: int) -> int | None:
        """The first open instant in [now, limit], or None."""
        if self._never_open or now > limit:
            return None
        day = self._local_ordinal(now)
        while True:
            starts, ends = self._window(day)
            # The window holds every stretch from ranges starting on day-2 … day+1. Ranges starting later
            # cannot open before midnight of day+2, so an opening found before then is certainly the first.
            horizon = self._midnight(day + 2)
            index = bisect_right(ends, now)
            if index < len(starts):
                opening = starts[index]
                if opening <= now:
                    return now
                if opening < horizon:
                    return opening if opening <= limit else None
            if horizon > limit:
                return None
            day += 1
            # Nothing starts on a closed day: jump over a whole closure at once.
            covering = self._closure_end_covering(day + 1)
            if covering is not None:
                day = max(day, covering)

    def next_closing_micros(self, now: int, limit: int) -> int | None:
        """The first closed instant in [now, limit], or None when it stays open that long."""
        day = self._local_ordinal(now)
        starts, ends = self._window(day)
        index = bisect_right(starts, now) - 1
        if index < 0 or ends[index] <= now:
            return now if now <= limit else None
        if self._round_the_clock:
            # Weekly hours with no gap only ever close for a closed day: skip straight to the next one.
            last_day = self._local_ordinal(limit)
            closed = self._first_closed_day(day + 1, last_day)
            closing = None if closed is None else self._midnight(closed)
            return closing if closing is not None and closing <= limit else None
        closing = ends[index]
        while True:
            if closing < self._midnight(day + 2):
                return closing if closing <= limit else None
            if closing > limit:
                return None
            # The stretch reaches a day whose ranges are outside this window: see whether one carries it on.
            day += 1
            starts, ends = self._window(day)
            index = bisect_right(starts, closing) - 1
            if index < 0 or ends[index] <= closing:
                return closing
            closing = ends[index]

    def open_spans_micros(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """The open stretches clipped to [start, end), merged and in order; lazily, so a caller may stop early."""
        if self._never_open or end <= start:
            return
        day = self._local_ordinal(start) - 2  # ranges from two days back may still be running
        pending: list[tuple[int, int]] = []  # stretches seen, not yet known to be complete; sorted, disjoint
        while True:
            floor = self._midnight(day)
            # Everything from `day` on starts at or after `floor`, so a stretch that ends before it is final.
            while pending and pending[0][1] < floor:
                opening, closing = pending.pop(0)
                opening, closing = max(opening, start), min(closing, end)
                if opening >= end:
                    return
                if closing > opening:
                    yield opening, closing
            if floor >= end:
                for opening, closing in pending:
                    opening, closing = max(opening, start), min(closing, end)
                    if closing > opening:
                        yield opening, closing
                return
            spans = self._day(day)
            if spans:
                if pending and spans[0][0] > pending[-1][1]:
                    pending.extend(spans)  # the usual case: today starts after yesterday's last stretch ends
                else:
                    pending = _merge(sorted(pending + list(spans)))
            day += 1
            if not pending:
                # Nothing starts on a closed day: step over a whole closure at once.
                covering = self._closure_end_covering(day)
                if covering is not None:
                    day = covering + 1

    # --- the cached building blocks ---

    def _as_utc(self, micros: int, known_micros: int, known: datetime) -> datetime:
        # Hand back the caller's own instant when the answer is that instant, so nothing is rounded.
        return known.astimezone(timezone.utc) if micros == known_micros else from_micros(micros)

    def _local_ordinal(self, micros: int) -> int:
        """The local date (as an ordinal) of an instant."""
        # Whole seconds are enough (local midnights fall on whole seconds) and much faster to convert.
        return datetime.fromtimestamp(micros // MICROS_PER_SECOND, self._zone).toordinal()

    def _local_micros(self, ordinal: int, minute: int) -> int:
        # datetime(..., tzinfo=zone) has fold=0: the documented rule for gaps and repeated times.
        day = date.fromordinal(ordinal + minute // MINUTES_PER_DAY)
        minute %= MINUTES_PER_DAY
        wall = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=self._zone)
        return int(wall.timestamp()) * MICROS_PER_SECOND

    def _midnight(self, ordinal: int) -> int:
        found = self._midnights.get(ordinal)
        if found is None:
            if len(self._midnights) > _CACHE_LIMIT:
                self._midnights.clear()
            found = self._midnights[ordinal] = self._local_micros(ordinal, 0)
        return found

    def _closure_end_covering(self, ordinal: int) -> int | None:
        index = bisect_right(self._closure_starts, ordinal) - 1
        if index >= 0 and self._closure_ends[index] >= ordinal:
            return self._closure_ends[index]
        return None

    def _is_closed(self, ordinal: int) -> bool:
        found = self._closed_days.get(ordinal)
        if found is None:
            if len(self._closed_days) > _CACHE_LIMIT:
                self._closed_days.clear()
            found = self._closure_end_covering(ordinal) is not None or (
                self.holidays is not None and self.holidays.is_holiday(date.fromordinal(ordinal)))
            self._closed_days[ordinal] = found
        return found

    def _first_closed_day(self, first: int, last: int) -> int | None:
        candidates = []
        index = bisect_right(self._closure_starts, first) - 1
        if index >= 0 and self._closure_ends[index] >= first:
            return first
        if index + 1 < len(self._closure_starts):
            candidates.append(self._closure_starts[index + 1])
        if self.holidays is not None and first <= last:
            holiday = self.holidays.first_on_or_after(date.fromordinal(first), date.fromordinal(last))
            if holiday is not None:
                candidates.append(holiday.toordinal())
        found = min(candidates, default=None)
        return found if found is not None and found <= last else None

    def _day(self, ordinal: int) -> tuple[tuple[int, int], ...]:
        """The stretches of the ranges that start on this local date, after closures and DST, merged."""
        found = self._day_spans.get(ordinal)
        if found is not None:
            return found
        spans: list[tuple[int, int]] = []
        if not self._is_closed(ordinal):
            floor = self._midnight(ordinal)
            # A closed tomorrow (or, with odd DST rules, the day after) stops anything running into it.
            ceiling = (self._midnight(ordinal + 1) if self._is_closed(ordinal + 1)
                       else self._midnight(ordinal + 2) if self._is_closed(ordinal + 2) else None)
            for r in self.hours.days[(ordinal - 1) % 7]:  # ordinal 1 (1 January of year 1) was a Monday
                # max(): a gap time maps forward, never before this date's midnight, which the searches rely on.
                opening = max(self._local_micros(ordinal, r.start), floor)
                closing = self._local_micros(ordinal, r.reach)
                if ceiling is not None:
                    closing = min(closing, ceiling)
                if closing > opening:  # a range swallowed by a DST gap disappears
                    spans.append((opening, closing))
            spans = _merge(sorted(spans))
        if len(self._day_spans) > _CACHE_LIMIT:
            self._day_spans.clear()
        result = self._day_spans[ordinal] = tuple(spans)
        return result

    def _window(self, ordinal: int) -> _Spans:
        """Merged stretches of the ranges starting on ordinal-2 … ordinal+1: all that can touch this date."""
        found = self._windows.get(ordinal)
        if found is not None:
            return found
        merged = _merge(sorted(span for day in range(ordinal - 2, ordinal + 2) for span in self._day(day)))
        if len(self._windows) > _CACHE_LIMIT:
            self._windows.clear()
        result = self._windows[ordinal] = ([opening for opening, _ in merged], [closing for _, closing in merged])
        return result


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted stretches with those that overlap or touch joined into one."""
    merged: list[tuple[int, int]] = []
    for opening, closing in spans:
        if merged and opening <= merged[-1][1]:
            if closing > merged[-1][1]:
                merged[-1] = (merged[-1][0], closing)
        else:
            merged.append((opening, closing))
    return merged

