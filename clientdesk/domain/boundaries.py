"""A client's contact boundaries: which channels may be used when, and whether now is such a time.

Each rule is a set of instants (always, never, while the business is open, inside the client's own
hours, from a date on), and a check intersects those sets exactly, boundary to boundary, so "next
allowed" and "allowed until" are precise instants rather than the result of stepping through minutes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from enum import StrEnum
from typing import Protocol

from clientdesk.domain.errors import FieldProblem, InvalidInput
from clientdesk.domain.hours import (
    DAY_NAMES, LOOKAHEAD_MICROS, BusinessCalendar, WeeklyHours, from_micros, parse_iso_date, to_micros, zone_named,
)


class Channel(StrEnum):
    PHONE = "phone"
    SMS = "sms"
    EMAIL = "email"
    VIDEO = "video"
    IN_PERSON = "in_person"
    POSTAL = "postal"


class ChannelPolicy(StrEnum):
    ANY_TIME = "any_time"
    BUSINESS_HOURS = "business_hours"
    CLIENT_WINDOW = "client_window"
    NEVER = "never"


CHANNEL_LABELS = {
    Channel.PHONE: "Phone", Channel.SMS: "Text", Channel.EMAIL: "Email",
    Channel.VIDEO: "Video call", Channel.IN_PERSON: "In person", Channel.POSTAL: "Post",
}
_CHANNELS = tuple(Channel)
_POSITION = {channel: index for index, channel in enumerate(_CHANNELS)}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def long_date(day: date) -> str:
    """ "15 January 2027", the same whatever the machine's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


# --- the rules as data ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClientWindow:
    """The client's own weekly hours, in the client's zone."""

    time_zone: str
    hours: WeeklyHours
    _calendar: BusinessCalendar = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        zone_named(self.time_zone, "client_window.timezone")  # named as the form names it
        object.__setattr__(self, "_calendar", BusinessCalendar(self.hours, self.time_zone))

    @property
    def calendar(self) -> BusinessCalendar:
        """The window as a calendar of its own (no closures, no holidays), to reuse its searches."""
        return self._calendar

    @classmethod
    def from_json(cls, data: dict, field: str = "client_window") -> ClientWindow:
        """From {"timezone": "Europe/Berlin", "hours": {"mon": [["10:00", "16:00"]]}}."""
        if not isinstance(data, dict):
            raise InvalidInput([FieldProblem(field, 'Give the client\'s hours as {"timezone": …, "hours": {…}}.')])
        problems: list[FieldProblem] = []
        zone = data.get("timezone")
        try:
            zone_named(zone, f"{field}.timezone")
        except InvalidInput as error:
            problems.extend(error.problems)
        hours = None
        try:
            hours = WeeklyHours.from_json(data.get("hours", {}), f"{field}.hours")
        except InvalidInput as error:
            problems.extend(error.problems)
        if problems:
            raise InvalidInput(problems)
        assert isinstance(zone, str) and hours is not None
        return cls(zone, hours)

    def to_json(self) -> dict:
        return {"timezone": self.time_zone, "hours": self.hours.to_json()}


class ChannelPolicies(Mapping[Channel, ChannelPolicy]):
    """A read-only, hashable mapping with every channel present (unset ones as business hours)."""

    __slots__ = ("_policies",)

    def __init__(self, given: Mapping[Channel, ChannelPolicy] | Iterable[tuple[Channel, ChannelPolicy]] = ()):
        chosen = {Channel(k): ChannelPolicy(v) for k, v in (given.items() if isinstance(given, Mapping) else given)}
        self._policies = tuple(chosen.get(channel, ChannelPolicy.BUSINESS_HOURS) for channel in _CHANNELS)

    def __getitem__(self, channel: Channel) -> ChannelPolicy:
        position = _POSITION.get(channel)  # a plain "sms" finds its member too: StrEnum hashes as its value
        if position is None:
            raise KeyError(channel)
        return self._policies[position]

    def __iter__(self) -> Iterator[Channel]:
        return iter(_CHANNELS)

    def __len__(self) -> int:
        return len(_CHANNELS)

    def __hash__(self) -> int:
        return hash(self._policies)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ChannelPolicies):
            return self._policies == other._policies
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    def __repr__(self) -> str:
        return f"ChannelPolicies({ {c.value: p.value for c, p in self.items()} })"


@dataclass(frozen=True)
class ClientBoundaries:
    """How and when this client may be contacted. A channel not mentioned follows business hours."""

    channels: Mapping[Channel, ChannelPolicy]
    urgent_channels: frozenset[Channel] = frozenset()
    window: ClientWindow | None = None
    do_not_contact_until: date | None = None
    notes: str = ""

    def __post_init__(self) -> None:
        # Frozen and hashable all the way down, whatever mapping or iterable the caller passed.
        object.__setattr__(self, "channels", ChannelPolicies(self.channels))
        object.__setattr__(self, "urgent_channels", frozenset(Channel(c) for c in self.urgent_channels))

    def policy(self, channel: Channel) -> ChannelPolicy:
        return self.channels[channel]

    @classmethod
    def default(cls) -> ClientBoundaries:
        """Every channel while the business is open; nothing urgent; no client hours."""
        return cls(ChannelPolicies())

    @classmethod
    def from_json(cls, data: dict) -> ClientBoundaries:
        """From the stored form (see to_json); keys left out take their defaults; unknown keys are ignored."""
        if not isinstance(data, dict):
            raise InvalidInput([FieldProblem("boundaries", "Boundaries are given as a JSON object.")])
        problems: list[FieldProblem] = []

        channels: dict[Channel, ChannelPolicy] = {}
        given = data.get("channels") or {}
        if not isinstance(given, dict):
            problems.append(FieldProblem("channels", 'Give a rule per channel, e.g. {"sms": "never"}.'))
            given = {}
        for key, value in given.items():
            if key not in Channel.__members__.values():
                problems.append(FieldProblem(f"channels.{key}", f"“{key}” is not a channel; use "
                                                                f"{_choices(Channel)}."))
            elif value not in ChannelPolicy.__members__.values():
                problems.append(FieldProblem(f"channels.{key}", f"“{value}” is not a rule for a channel; use "
                                                                f"{_choices(ChannelPolicy)}."))
            else:
                channels[Channel(key)] = ChannelPolicy(value)

        urgent: set[Channel] = set()
        listed = data.get("urgent_channels") or []
        if not isinstance(listed, list | tuple):
            problems.append(FieldProblem("urgent_channels", 'Give a list of channels, e.g. ["phone"].'))
            listed = []
        for index, key in enumerate(listed):
            if key in Channel.__members__.values():
                urgent.add(Channel(key))
            else:
                problems.append(FieldProblem(f"urgent_channels[{index}]", f"“{key}” is not a channel; use "
                                                                          f"{_choices(Channel)}."))

        window = None
        if data.get("client_window") is not None:
            try:
                window = ClientWindow.from_json(data["client_window"])
            except InvalidInput as error:
                problems.extend(error.problems)
        elif any(policy is ChannelPolicy.CLIENT_WINDOW for policy in channels.values()):
            for channel, policy in channels.items():
                if policy is ChannelPolicy.CLIENT_WINDOW:
                    problems.append(FieldProblem(
                        f"channels.{channel.value}",
                        f"{CHANNEL_LABELS[channel]} is set to the client's hours, "
                        "but the client's hours are not given."))

        until = None
        if data.get("do_not_contact_until") not in (None, ""):
            until = parse_iso_date(data["do_not_contact_until"], "do_not_contact_until", problems)

        notes = data.get("notes") or ""
        if not isinstance(notes, str):
            problems.append(FieldProblem("notes", "Notes must be text."))

        if problems:
            raise InvalidInput(problems)
        return cls(ChannelPolicies(channels), frozenset(urgent), window, until, notes)

    def to_json(self) -> dict:
        return {
            "channels": {channel.value: policy.value for channel, policy in self.channels.items()},
            "urgent_channels": [c.value for c in _CHANNELS if c in self.urgent_channels],
            "client_window": None if self.window is None else self.window.to_json(),
            "do_not_contact_until": (None if self.do_not_contact_until is None
                                     else self.do_not_contact_until.isoformat()),
            "notes": self.notes,
        }


def _choices(kind: type[StrEnum]) -> str:
    names = [member.value for member in kind]
    return ", ".join(names[:-1]) + " or " + names[-1]


# --- sets of instants ---------------------------------------------------------------------------------

class _Instants(Protocol):
    """A set of instants (micros) made of half-open stretches."""

    def next_start(self, now: int, limit: int) -> int | None:
        """The first instant in the set within [now, limit], or None."""

    def next_end(self, now: int, limit: int) -> int | None:
        """The first instant not in the set within [now, limit], or None."""


class _Always:
    def next_start(self, now: int, limit: int) -> int | None:
        return now if now <= limit else None

    def next_end(self, now: int, limit: int) -> int | None:
        return None


class _From:
    """Every instant from `first` on."""

    def __init__(self, first: int):
        self.first = first

    def next_start(self, now: int, limit: int) -> int | None:
        found = max(now, self.first)
        return found if found <= limit else None

    def next_end(self, now: int, limit: int) -> int | None:
        return now if now < self.first and now <= limit else None


class _OpenHours:
    def __init__(self, calendar: BusinessCalendar):
        self.calendar = calendar

    def next_start(self, now: int, limit: int) -> int | None:
        return self.calendar.next_opening_micros(now, limit)

    def next_end(self, now: int, limit: int) -> int | None:
        return self.calendar.next_closing_micros(now, limit)


class _Both:
    """The instants in both sets."""

    def __init__(self, first: _Instants, second: _Instants):
        self.first, self.second = first, second

    def next_start(self, now: int, limit: int) -> int | None:
        # Leapfrog: each set in turn moves to its next start from the other's; both agreeing is a start of
        # both. Every step lands on a boundary of one set, so this ends after as many steps as there are
        # boundaries before the answer.
        while True:
            first = self.first.next_start(now, limit)
            if first is None:
                return None
            second = self.second.next_start(first, limit)
            if second is None or second == first:
                return second
            now = second

    def next_end(self, now: int, limit: int) -> int | None:
        if self.next_start(now, now) is None:
            return now if now <= limit else None
        ends = [end for end in (self.first.next_end(now, limit), self.second.next_end(now, limit)) if end is not None]
        return min(ends, default=None)


# --- checking ---------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ContactCheck:
    """Whether a channel may be used at an instant, why, and when that changes (UTC datetimes).

    When allowed: next_allowed is the instant asked about and allowed_until the end of the allowed stretch
    (None if it lasts beyond the 2-year look-ahead). When not: next_allowed is the first allowed instant
    (None if never, within 2 years of the later of now and the do-not-contact date) and allowed_until is None.
    """

    allowed: bool
    reasons: tuple[str, ...]
    next_allowed: datetime | None
    allowed_until: datetime | None


def check_contact(boundaries: ClientBoundaries, calendar: BusinessCalendar, channel: Channel, at: datetime,
                  urgent: bool = False) -> ContactCheck:
    now = to_micros(at)
    at_utc = at.astimezone(timezone.utc)
    if not isinstance(channel, Channel):  # the enum's own call is slow enough to matter in the list
        channel = Channel(channel)
    label = CHANNEL_LABELS[channel]
    if urgent and channel in boundaries.urgent_channels:
        return ContactCheck(True, (f"{label} is allowed at any time for urgent matters.",), at_utc, None)

    policy = boundaries.policy(channel)
    if policy is ChannelPolicy.NEVER:
        return ContactCheck(False, (f"{label} is never used with this client.",), None, None)

    reasons: list[str] = []
    earliest = now
    allowed: _Instants = _Always()
    if boundaries.do_not_contact_until is not None:
        earliest = max(now, calendar.start_of_day_micros(boundaries.do_not_contact_until))
        if now < earliest:
            reasons.append(f"Do not contact until {long_date(boundaries.do_not_contact_until)}.")
        allowed = _From(earliest)

    if policy is ChannelPolicy.ANY_TIME:
        reasons.append(f"{label} is allowed at any time.")
    else:
        business_open = calendar.is_open_micros(now)
        reasons.append(f"{label} only while the business is open; it is {'open' if business_open else 'closed'} now.")
        allowed = _Both(allowed, _OpenHours(calendar))
        if policy is ChannelPolicy.CLIENT_WINDOW:
            window = boundaries.window
            if window is None:
                reasons.append(f"{label} follows the client's hours, but none are set, so business hours apply.")
            else:
                reasons.append(_window_reason(window, at))
                allowed = _Both(allowed, _OpenHours(window.calendar))

    first = allowed.next_start(now, earliest + LOOKAHEAD_MICROS)
    if first == now:
        until = allowed.next_end(now, now + LOOKAHEAD_MICROS)
        return ContactCheck(True, tuple(reasons), at_utc, None if until is None else from_micros(until))
    return ContactCheck(False, tuple(reasons), None if first is None else from_micros(first), None)


def _window_reason(window: ClientWindow, at: datetime) -> str:
    local = at.astimezone(window.calendar.zone)
    inside = window.calendar.is_open(at)
    hours = window.hours.describe(local.weekday()) or f"none on {DAY_NAMES[local.weekday()]}s,"
    return f"{'Inside' if inside else 'Outside'} the client's hours ({hours} {window.time_zone})."


# --- the list's indicator ---------------------------------------------------------------------------

def contact_now_summary(boundaries: ClientBoundaries, calendar: BusinessCalendar, at: datetime) -> str:
    """A few words for the contact list.

    "Phone OK until 17:00", "Email only", "Don't contact — phone from Mon 09:00": urgent exceptions are left
    out (the list shows the everyday rule), and times are in the business's zone.
    """
    checks = {channel: check_contact(boundaries, calendar, channel, at)
              for channel in _CHANNELS if boundaries.policy(channel) is not ChannelPolicy.NEVER}
    phone = checks.get(Channel.PHONE)
    if phone is not None and phone.allowed:
        if phone.allowed_until is None:
            return "Phone OK"
        return f"Phone OK until {short_when(phone.allowed_until, at, calendar, ending=True)}"
    allowed_now = [CHANNEL_LABELS[channel] for channel, check in checks.items() if check.allowed]
    if allowed_now:
        names = allowed_now[0] if len(allowed_now) == 1 else ", ".join(allowed_now[:-1]) + " and " + allowed_now[-1]
        return f"{names} only"
    later = [(check.next_allowed, _POSITION[channel], channel)
             for channel, check in checks.items() if check.next_allowed is not None]
    if later:
        moment, _, channel = min(later)
        return f"Don't contact — {CHANNEL_LABELS[channel].lower()} from {short_when(moment, at, calendar, ending=False)}"
    return "Don't contact"


def refusal_text(channel: Channel, check: ContactCheck, calendar: BusinessCalendar, at: datetime) -> str:
    """Why a channel may not be used at `at`, and from when it may: for the receptionist about to use it."""
    refused = f"{CHANNEL_LABELS[channel]} is not allowed now. {' '.join(check.reasons)}"
    if check.next_allowed is None:
        return refused
    return f"{refused} Next allowed: {short_when(check.next_allowed, at, calendar, ending=False)}."


_WEEKDAY_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_SHORT = tuple(name[:3] for name in _MONTHS)


def short_when(moment: datetime, at: datetime, calendar: BusinessCalendar, *, ending: bool) -> str:
    """ "17:00" today, "Tue 09:00" within the week, "15 Jan" further away: in the business's zone, seen from
    `at`. With `ending`, midnight tomorrow reads "24:00" ("until 24:00"). The reminders' texts use it too."""
    local = moment.astimezone(calendar.zone)
    days_ahead = (local.date() - at.astimezone(calendar.zone).date()).days
    if days_ahead == 0:
        return f"{local:%H:%M}"
    if ending and days_ahead == 1 and (local.hour, local.minute, local.second) == (0, 0, 0):
        return "24:00"  # "until Wed 00:00" reads as if it were a day later than it is
    if days_ahead > 6:
        return f"{local.day} {_MONTH_SHORT[local.month - 1]}"
    return f"{_WEEKDAY_SHORT[local.weekday()]} {local:%H:%M}"


_when = short_when  # the former private name, for code written against it
