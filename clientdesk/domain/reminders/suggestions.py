"""When to act on an item that means contacting the client: the first moment their boundaries allow its channel.

The suggested time is the first instant at or after the item's due time at which boundaries.check_contact
allows the channel (everyday rules, not the urgent exception), found exactly by the boundaries engine — no
stepping through minutes — so it is right across daylight-saving changes in both the business's zone and
the client's. For an item already overdue the search starts from now instead: a moment already past cannot
be acted on, and the agenda should say when the client may be contacted from here.

When the rules moved the time (suggested later than that start) the item carries a short reason in the
style of the contact list's texts: "Call — Tue 10:00, their window". When the channel is never allowed (or
not within the boundaries' two-year look-ahead) there is no suggested time and the reason says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from clientdesk.domain.boundaries import (
    CHANNEL_LABELS, Channel, ChannelPolicy, ClientBoundaries, check_contact, long_date, short_when,
)
from clientdesk.domain.hours import BusinessCalendar, require_aware, to_micros

# What the reason calls doing it: "Call — Tue 10:00, their window".
CHANNEL_VERBS = {
    Channel.PHONE: "Call", Channel.SMS: "Text", Channel.EMAIL: "Email", Channel.VIDEO: "Video call",
    Channel.IN_PERSON: "Meet", Channel.POSTAL: "Post",
}
WHY_WINDOW = "their window"
WHY_BUSINESS_HOURS = "business hours"


@dataclass(frozen=True, slots=True)
class Suggestion:
    at: datetime | None  # None: the channel is not allowed within two years
    reason: str | None  # None when nothing moved the time


def suggest(boundaries: ClientBoundaries, calendar: BusinessCalendar, channel: Channel, due: datetime,
            now: datetime | None = None) -> Suggestion:
    """The first moment at or after max(due, now) the client's rules allow `channel`; `now` also anchors the
    reason's wording ("17:00" today, "Tue 10:00" this week, "15 Jan" further off)."""
    due = require_aware(due, "due")
    start = due if now is None or require_aware(now, "now") <= due else now
    if _allowed_at(boundaries, calendar, Channel(channel), start):
        # What check_contact would say, without working out until when (which the agenda never shows).
        return Suggestion(start.astimezone(timezone.utc), None)
    check = check_contact(boundaries, calendar, channel, start)
    if check.allowed:
        return Suggestion(check.next_allowed, None)
    label = CHANNEL_LABELS[Channel(channel)]
    if check.next_allowed is None:
        if boundaries.policy(channel) is ChannelPolicy.NEVER:
            return Suggestion(None, f"{label} is never used with this client")
        return Suggestion(None, f"{label} is not allowed within two years")
    found = check.next_allowed
    when = short_when(found, now or due, calendar, ending=False)
    why = _why(boundaries, calendar, channel, start, found)
    return Suggestion(found, f"{CHANNEL_VERBS[Channel(channel)]} — {when}, {why}")


def _allowed_at(boundaries: ClientBoundaries, calendar: BusinessCalendar, channel: Channel, start: datetime) -> bool:
    """Whether the everyday rules allow `channel` at `start`: check_contact's verdict alone, which most items
    (due while the business is open, for clients with the default rules) need and nothing more."""
    policy = boundaries.policy(channel)
    if policy is ChannelPolicy.NEVER:
        return False
    moment = to_micros(start)
    until = boundaries.do_not_contact_until
    if until is not None and moment < calendar.start_of_day_micros(until):
        return False
    if policy is ChannelPolicy.ANY_TIME:
        return True
    if not calendar.is_open_micros(moment):
        return False
    window = boundaries.window
    if policy is ChannelPolicy.CLIENT_WINDOW and window is not None:
        return window.calendar.is_open_micros(moment)
    return True


def _why(boundaries: ClientBoundaries, calendar: BusinessCalendar, channel: Channel, start: datetime,
         found: datetime) -> str:
    """Which rule held the time back: the one that lets go exactly at `found`, else the one that lets go last
    (the do-not-contact date before the client's window before business hours on a tie)."""
    holding: list[tuple[datetime, int, str]] = []
    until = boundaries.do_not_contact_until
    if until is not None:
        first_day = calendar.start_of_day(until)
        if start < first_day:
            holding.append((first_day, 0, f"not before {long_date(until)}"))
    policy = boundaries.policy(channel)
    if policy is not ChannelPolicy.ANY_TIME:
        window = boundaries.window
        if policy is ChannelPolicy.CLIENT_WINDOW and window is not None and not window.calendar.is_open(start):
            holding.append((window.calendar.next_opening(start) or found, 1, WHY_WINDOW))
        if not calendar.is_open(start):
            holding.append((calendar.next_opening(start) or found, 2, WHY_BUSINESS_HOURS))
    if not holding:
        return "their rules"
    exact = [entry for entry in holding if entry[0] == found]
    if exact:
        return min(exact, key=lambda entry: entry[1])[2]
    return max(holding, key=lambda entry: (entry[0], -entry[1]))[2]


class Suggester:
    """suggest() remembered for one agenda: most clients share the default rules and many items share a due
    time (every birthday at 09:00, every overdue item from now), so thousands of items need a few checks."""

    __slots__ = ("_calendar", "_now", "_found", "_canonical", "_equal", "_never", "_shared", "_asked")

    def __init__(self, calendar: BusinessCalendar, now: datetime,
                 never: dict[tuple[ClientBoundaries, Channel], Suggestion] | None = None):
        """`never`: rules and channels found not allowed within two years, kept by the caller across agendas on
        the same calendar (a new calendar needs a new dict)."""
        self._calendar = calendar
        self._now = require_aware(now, "now")
        self._found: dict[tuple[int, Channel, datetime], Suggestion] = {}
        self._never: dict[tuple[int, Channel], Suggestion] = {}
        self._shared = never
        self._asked: set[tuple[int, Channel]] = set()
        # Hashing a ClientBoundaries walks all of it, so each rules object is hashed once, to find the first
        # equal one (storage hands over a separate but equal object for most contacts: the defaults), and the
        # answers are kept under that one's identity. Every object given stays referenced by `_canonical`, so
        # no id is reused while the Suggester lives.
        self._canonical: dict[int, tuple[ClientBoundaries, ClientBoundaries]] = {}
        self._equal: dict[ClientBoundaries, ClientBoundaries] = {}

    def __call__(self, boundaries: ClientBoundaries, channel: Channel, due: datetime) -> Suggestion:
        start = due if due >= self._now else self._now
        known = self._canonical.get(id(boundaries))
        if known is None:
            known = self._canonical[id(boundaries)] = (self._equal.setdefault(boundaries, boundaries), boundaries)
        key = (id(known[0]), channel, start)
        found = self._found.get(key)
        if found is None:
            never = self._never.get(key[:2])
            if never is None and self._shared is not None and key[:2] not in self._asked:
                self._asked.add(key[:2])
                never = self._shared.get((known[0], channel))
                if never is not None:
                    self._never[key[:2]] = never
            if never is not None:
                return never
            found = self._found[key] = suggest(boundaries, self._calendar, channel, due, self._now)
            if found.at is None and boundaries.policy(channel) is not ChannelPolicy.NEVER:
                # Not allowed within two years of one start: not within two years of any start in this agenda
                # either (weekly hours repeat, and closures and do-not-contact dates only take time away), and
                # the search that says so walks two years of days, so it is made once per rules and channel
                # (and, given a shared `never`, once for every agenda on the same calendar).
                self._never[key[:2]] = found
                if self._shared is not None:
                    self._shared[(known[0], channel)] = found
        return found


__all__ = ["CHANNEL_VERBS", "Suggester", "Suggestion", "suggest"]
