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

from datetime import date, datetime, timedelta, timezone
from typing import NamedTuple

from clientdesk.domain.boundaries import (
    CHANNEL_LABELS, Channel, ChannelPolicy, ClientBoundaries, check_contact, long_date, short_when,
)
from clientdesk.domain.hours import LOOKAHEAD_MICROS, BusinessCalendar, require_aware, to_micros

# What the reason calls doing it: "Call — Tue 10:00, their window".
CHANNEL_VERBS = {
    Channel.PHONE: "Call", Channel.SMS: "Text", Channel.EMAIL: "Email", Channel.VIDEO: "Video call",
    Channel.IN_PERSON: "Meet", Channel.POSTAL: "Post",
}
WHY_WINDOW = "their window"
WHY_BUSINESS_HOURS = "business hours"


class Suggestion(NamedTuple):
    """(at, reason): a named pair, which the agenda unpacks for each of its items."""

    at: datetime | None  # None: the channel is not allowed within two years
    reason: str | None  # None when nothing moved the time


def suggest(boundaries: ClientBoundaries, calendar: BusinessCalendar, channel: Channel, due: datetime,
            now: datetime | None = None) -> Suggestion:
    """The first moment at or after max(due, now) the client's rules allow `channel`; `now` also anchors the
    reason's wording ("17:00" today, "Tue 10:00" this week, "15 Jan" further off)."""
    due = require_aware(due, "due")
    start = due if now is None or require_aware(now, "now") <= due else now
    channel = Channel(channel)
    if boundaries.policy(channel) is ChannelPolicy.NEVER:  # what check_contact would find, without looking
        return Suggestion(None, f"{CHANNEL_LABELS[channel]} is never used with this client")
    if _allowed_at(boundaries, calendar, channel, start):
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
    return _held_back(boundaries, calendar, channel, start, check.next_allowed, now or due)


def _held_back(boundaries: ClientBoundaries, calendar: BusinessCalendar, channel: Channel, start: datetime,
               found: datetime, seen_from: datetime) -> Suggestion:
    """The suggestion when the rules hold `start` back until `found`: "Call — Tue 10:00, their window"."""
    when = short_when(found, seen_from, calendar, ending=False)
    why = _why(boundaries, calendar, channel, start, found)
    return Suggestion(found, f"{CHANNEL_VERBS[channel]} — {when}, {why}")


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


def _wording_lasts(boundaries: ClientBoundaries, calendar: BusinessCalendar, channel: Channel, start: datetime,
                   found: datetime) -> int:
    """Until when (micros) _held_back(start, found) says the same for later starts: what it reads of the start
    — the day it is seen from, whether the do-not-contact date, the client's window and the business hours hold
    it and when they let go — stays the same until the next local midnight, the do-not-contact date, or the
    window or the business opening or closing, whichever comes first (and the stretch ends at `found`)."""
    moment = to_micros(start)
    limits = [to_micros(found),
              calendar.start_of_day_micros(start.astimezone(calendar.zone).date() + timedelta(days=1))]
    until = boundaries.do_not_contact_until
    if until is not None:
        first_day = calendar.start_of_day_micros(until)
        if moment < first_day:
            limits.append(first_day)
    policy = boundaries.policy(channel)
    if policy is not ChannelPolicy.ANY_TIME:
        calendars = [calendar]
        if policy is ChannelPolicy.CLIENT_WINDOW and boundaries.window is not None:
            calendars.append(boundaries.window.calendar)
        for hours in calendars:
            change = (hours.next_closing_micros(moment, moment + LOOKAHEAD_MICROS) if hours.is_open_micros(moment)
                      else hours.next_opening_micros(moment, moment + LOOKAHEAD_MICROS))
            if change is not None:
                limits.append(change)
    return min(limits)


class SuggestionMemo:
    """What Suggesters learn, kept by a caller that builds agenda after agenda on one calendar (a new calendar
    needs a new memo; the service keeps one per calendar, as it refreshes the agenda every minute):

    - each rules object's canonical equal, by identity: hashing a ClientBoundaries walks all of it, and the
      objects a caller hands over (the service's parsed rules) are the same ones agenda after agenda. Every
      object stays referenced here, so no id is reused while the memo lives;
    - the rules and channels never allowed within two years (finding that out walks two years of days);
    - the suggestions themselves, for today's local date. suggest() depends only on the rules' value, the
      calendar, the channel, its start (the later of the due time and now) and the date now falls on (whose
      point of view short_when words the time from), so an answer kept under those can never be stale: changed
      rules are another value, an item moved is another start. Upcoming items keep their start from one minute
      to the next;
    - for overdue items, which start from now, the stretch around now that the rules allow (or hold back until
      one instant), so the next minute's now, still inside it, needs no search.
    """

    __slots__ = ("canonical", "equal", "never", "spans", "_day", "_found")
    LIMIT = 100_000  # suggestions kept for one day, at most (the agenda of a year holds some tens of thousands)

    def __init__(self) -> None:
        self.canonical: dict[int, tuple[int, ClientBoundaries, ClientBoundaries]] = {}
        self.equal: dict[ClientBoundaries, ClientBoundaries] = {}
        self.never: dict[tuple[int, Channel], Suggestion] = {}
        # Overdue items are suggested from now, which moves every minute. Per rules and channel, the stretch
        # last found around now: [first, last) in micros, allowed throughout, or held back throughout until the
        # same instant `last`; then also the suggestion worded from a now in it, and until when (micros) that
        # wording holds. A later now inside has its answer without a search (see Suggester._from_now).
        self.spans: dict[tuple[int, Channel], list] = {}
        self._day: date | None = None
        self._found: dict[tuple[int, Channel, datetime], Suggestion] = {}

    def found_on(self, day: date) -> dict[tuple[int, Channel, datetime], Suggestion]:
        """The suggestions worded on `day` (a new, empty dict on a new day)."""
        if self._day != day or len(self._found) > self.LIMIT:
            self._day, self._found = day, {}
        return self._found


class Suggester:
    """suggest() remembered for one agenda (and, given a SuggestionMemo, from one agenda to the next): most
    clients share the default rules and many items share a due time (every birthday at 09:00, every overdue item
    from now), so thousands of items need a few checks."""

    __slots__ = ("_calendar", "_now", "_found", "_canonical", "_equal", "_never", "_shared", "_asked", "_spans",
                 "_overdue")

    def __init__(self, calendar: BusinessCalendar, now: datetime,
                 never: dict[tuple[ClientBoundaries, Channel], Suggestion] | None = None,
                 memo: SuggestionMemo | None = None):
        """`never`: rules and channels found not allowed within two years, kept by the caller across agendas on
        the same calendar (a new calendar needs a new dict). `memo`: all the Suggester learns, kept likewise
        (it has its own `never`)."""
        self._calendar = calendar
        self._now = require_aware(now, "now")
        self._shared = never
        self._asked: set[tuple[int, Channel]] = set()
        self._overdue: dict[tuple[int, Channel], Suggestion] = {}  # from now: this agenda's alone
        if memo is not None:
            self._found = memo.found_on(self._now.astimezone(calendar.zone).date())
            self._never = memo.never
            self._canonical, self._equal = memo.canonical, memo.equal
            self._spans: dict[tuple[int, Channel], list] | None = memo.spans
        else:
            self._spans = None
            self._found: dict[tuple[int, Channel, datetime], Suggestion] = {}
            self._never: dict[tuple[int, Channel], Suggestion] = {}
            # Hashing a ClientBoundaries walks all of it, so each rules object is hashed once, to find the first
            # equal one (storage hands over a separate but equal object for most contacts: the defaults), and the
            # answers are kept under that one's identity. Every object given stays referenced by `_canonical`,
            # so no id is reused while the Suggester lives.
            self._canonical: dict[int, tuple[int, ClientBoundaries, ClientBoundaries]] = {}
            self._equal: dict[ClientBoundaries, ClientBoundaries] = {}

    def __call__(self, boundaries: ClientBoundaries, channel: Channel, due: datetime) -> Suggestion:
        known = self._canonical.get(id(boundaries))
        if known is None:
            canonical = self._equal.setdefault(boundaries, boundaries)
            known = self._canonical[id(boundaries)] = (id(canonical), canonical, boundaries)
        if due < self._now:
            found = self._overdue.get((known[0], channel))
            if found is None:
                found = self._overdue[(known[0], channel)] = self._from_now(known[1], boundaries, channel)
            return found
        key = (known[0], channel, due)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = self._suggest(known[1], boundaries, channel, due)
        return found

    def _from_now(self, canonical: ClientBoundaries, boundaries: ClientBoundaries, channel: Channel) -> Suggestion:
        """suggest() for an overdue item (its start is now), through the memo's stretch around an earlier now when
        this now is inside it: allowed there, now is the answer; held back there, so is it now, until the same
        instant (only the wording is worked out again, from now). Otherwise check_contact, which also says where
        the stretch ends, for the next minute."""
        spans, now = self._spans, self._now
        if spans is None or boundaries.policy(channel) is ChannelPolicy.NEVER:
            return self._suggest(canonical, boundaries, channel, now)
        never = self._known_never(canonical, channel)
        if never is not None:
            return never
        key = (id(canonical), channel)
        moment = to_micros(now)
        span = spans.get(key)
        if span is not None and span[0] <= moment < span[1]:
            if span[2]:
                return Suggestion(now.astimezone(timezone.utc), None)
            if moment >= span[5]:
                span[4] = _held_back(boundaries, self._calendar, channel, now, span[3], now)
                span[5] = _wording_lasts(boundaries, self._calendar, channel, now, span[3])
            return span[4]
        check = check_contact(boundaries, self._calendar, channel, now)
        if check.allowed:
            until = check.allowed_until
            spans[key] = [moment, moment + LOOKAHEAD_MICROS if until is None else to_micros(until), True]
            return Suggestion(check.next_allowed, None)
        found = check.next_allowed
        if found is None:  # what suggest() says then (the policy is not NEVER: see above)
            return self._learn_never(canonical, channel,
                                     Suggestion(None, f"{CHANNEL_LABELS[channel]} is not allowed within two years"))
        held = _held_back(boundaries, self._calendar, channel, now, found, now)
        spans[key] = [moment, to_micros(found), False, found, held,
                      _wording_lasts(boundaries, self._calendar, channel, now, found)]
        return held

    def _suggest(self, canonical: ClientBoundaries, boundaries: ClientBoundaries, channel: Channel,
                 due: datetime) -> Suggestion:
        """suggest(), through the rules and channels known never to be allowed (and learning them)."""
        never = self._known_never(canonical, channel)
        if never is not None:
            return never
        found = suggest(boundaries, self._calendar, channel, due, self._now)
        if found.at is None and boundaries.policy(channel) is not ChannelPolicy.NEVER:
            return self._learn_never(canonical, channel, found)
        return found

    def _known_never(self, canonical: ClientBoundaries, channel: Channel) -> Suggestion | None:
        key = (id(canonical), channel)
        never = self._never.get(key)
        if never is None and self._shared is not None and key not in self._asked:
            self._asked.add(key)
            never = self._shared.get((canonical, channel))
            if never is not None:
                self._never[key] = never
        return never

    def _learn_never(self, canonical: ClientBoundaries, channel: Channel, found: Suggestion) -> Suggestion:
        # Not allowed within two years of one start: not within two years of any start in this agenda either
        # (weekly hours repeat, and closures and do-not-contact dates only take time away), and the search that
        # says so walks two years of days, so it is made once per rules and channel (and, given a shared `never`
        # or a memo, once for every agenda on the same calendar).
        self._never[(id(canonical), channel)] = found
        if self._shared is not None:
            self._shared[(canonical, channel)] = found
        return found

__all__ = ["CHANNEL_VERBS", "Suggester", "Suggestion", "SuggestionMemo", "suggest"]
