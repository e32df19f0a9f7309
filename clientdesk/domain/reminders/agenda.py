"""The Today agenda: everything due, grouped into overdue, today and the next days, with counts.

The agenda is assembled from what every source has due before `agenda_end(now, calendar, days)` — each
source works on inputs storage has already narrowed (see each module's docstring) — plus the user's handling
of those items, keyed by id:

    dues = reminder_dues(...) + cadence_dues(...) + birthday_dues(...) + holiday_dues(...)
           + thank_you_dues(...) + plan_review_dues(...) + reply_by_dues(...)
    agenda = build_agenda(dues, now, calendar, handled=…, boundaries=…, days=7)

The handling comes from storage, by index: the Handling rows of the dues (read by item_id; only for the
kinds that can be done or skipped while their source still lists them, see the service), and every snoozed row
(an index on (state, snoozed_until)): a snooze ending before the end brings back, from its snapshot, an item its
source no longer lists.

The agenda is read every minute, for thousands of items, so it is built for speed without changing what it
says (tests/domain/reminders/test_agenda_fast_path.py holds it to the plain computation): Due and AgendaItem are
named tuples, each item is sorted by a key tuple made once, and the client's boundaries are applied through a
Suggester, which a caller building agenda after agenda keeps learning in a SuggestionMemo (suggestions.py).

Done and skipped items leave; a snoozed item is due again at its snooze time. An item is overdue when its
due time has passed, and stays so until it is done, skipped or snoozed (greetings excepted: their sources
let them go stale after `keep_days`, see occasions.py). Items are ordered by due time, then suggested time,
then kind (reply-by deadlines first), then name.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import NamedTuple
from zoneinfo import ZoneInfo

from clientdesk.domain.boundaries import Channel, ClientBoundaries
from clientdesk.domain.hours import BusinessCalendar, require_aware
from clientdesk.domain.reminders.clock import DEFAULT_DAYS, agenda_end, local_day
from clientdesk.domain.reminders.kinds import KIND_ORDER, Due, Handling, ItemState, ReminderKind
from clientdesk.domain.reminders.suggestions import Suggester, SuggestionMemo

UTC = timezone.utc
_DEFAULT_BOUNDARIES = ClientBoundaries.default()


class AgendaItem(NamedTuple):
    """One line of the agenda. Instants are UTC. `suggested` is when the client's rules allow acting on it
    (None when its channel is never allowed; the due time itself for items without a channel or a contact);
    `reason` says why suggested is later than due (or why there is none).

    An immutable named tuple: an agenda holds thousands, and a tuple is made in a fifth of a frozen
    dataclass's time."""

    id: str
    kind: ReminderKind
    contact_id: int | None
    contact_name: str
    title: str
    due: datetime
    suggested: datetime | None
    channel: Channel | None
    reason: str | None
    overdue: bool
    snoozed: bool = False

    def to_json(self, zone: ZoneInfo | None = None) -> dict:
        """The command line's shape: {"id", "kind", "contact", "title", "due", "suggested", "channel", "overdue"},
        instants as ISO 8601 with their offset (in `zone` when given, else UTC), contact as {"id", "name"}."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "contact": None if self.contact_id is None else {"id": self.contact_id, "name": self.contact_name},
            "title": self.title,
            "due": _iso(self.due, zone),
            "suggested": None if self.suggested is None else _iso(self.suggested, zone),
            "channel": None if self.channel is None else self.channel.value,
            "overdue": self.overdue,
        }


def _iso(moment: datetime, zone: ZoneInfo | None) -> str:
    return moment.astimezone(zone or UTC).isoformat()


@dataclass(frozen=True, slots=True)
class AgendaCounts:
    overdue: int
    today: int
    upcoming: int

    @property
    def total(self) -> int:
        return self.overdue + self.today + self.upcoming

    def to_json(self) -> dict:
        return {"overdue": self.overdue, "today": self.today, "upcoming": self.upcoming, "total": self.total}


@dataclass(frozen=True, slots=True)
class Agenda:
    """Overdue (due before now), today (due from now to the end of the local day) and upcoming (the next
    `days` days), each in order."""

    now: datetime
    end: datetime
    days: int
    time_zone: str
    overdue: tuple[AgendaItem, ...]
    today: tuple[AgendaItem, ...]
    upcoming: tuple[AgendaItem, ...]

    @property
    def counts(self) -> AgendaCounts:
        return AgendaCounts(len(self.overdue), len(self.today), len(self.upcoming))

    @property
    def items(self) -> tuple[AgendaItem, ...]:
        return self.overdue + self.today + self.upcoming

    def upcoming_by_day(self) -> list[tuple[date, tuple[AgendaItem, ...]]]:
        """The upcoming items under their local dates, for a view with a heading per day."""
        zone = ZoneInfo(self.time_zone)
        days: dict[date, list[AgendaItem]] = {}
        for item in self.upcoming:
            days.setdefault(item.due.astimezone(zone).date(), []).append(item)
        return [(day, tuple(items)) for day, items in days.items()]

    def to_json(self) -> dict:
        zone = ZoneInfo(self.time_zone)
        return {
            "now": _iso(self.now, zone), "until": _iso(self.end, zone), "days": self.days,
            "counts": self.counts.to_json(),
            "overdue": [item.to_json(zone) for item in self.overdue],
            "today": [item.to_json(zone) for item in self.today],
            "upcoming": [item.to_json(zone) for item in self.upcoming],
        }


BoundariesLookup = Mapping[int, ClientBoundaries] | Callable[[int], ClientBoundaries | None]


def build_agenda(dues: Iterable[Due], now: datetime, calendar: BusinessCalendar, *,
                 handled: Mapping[str, Handling] | Iterable[Handling] = (),
                 boundaries: BoundariesLookup | None = None, days: int = DEFAULT_DAYS,
                 never: dict | None = None, memo: SuggestionMemo | None = None) -> Agenda:
    """The agenda as of `now` for today and the next `days` days.

    `handled`: the user's handling of items, by id (a mapping, or Handlings to index). `boundaries`: each
    contact's rules, by contact id (a mapping or a function); a contact without an entry has the default rules.
    Items without a contact or a channel are not shifted. `never` is the Suggester's cache of rules never
    allowing a channel, kept by a caller that builds agendas again and again on the same calendar; `memo`, all
    the Suggester learns, kept likewise (see suggestions.SuggestionMemo).
    """
    now = require_aware(now, "now").astimezone(UTC)
    end = agenda_end(now, calendar, days)
    today_end = calendar.start_of_day(local_day(now, calendar) + timedelta(days=1))
    by_id: dict[str, Handling] = (dict(handled) if isinstance(handled, Mapping)
                                  else {handling.item_id: handling for handling in handled})
    rules_of = _lookup(boundaries)
    suggester = Suggester(calendar, now, never, memo)

    # Each kept item goes in as its sort key, ending with the item itself: ids are unique, so two keys never
    # tie as far as the item, and one sort of plain tuples orders them.
    keyed: list[tuple] = []
    seen: set[str] = set()
    snapshots = [handling.item for handling in by_id.values()
                 if handling.state is ItemState.SNOOZED and handling.item is not None]
    snoozed_state = ItemState.SNOOZED
    settled = (ItemState.DONE, ItemState.SKIPPED)
    kind_order = KIND_ORDER
    default_rules = _DEFAULT_BOUNDARIES
    make = _new_item
    keep = keyed.append
    # One loop, locals only: it runs for every item. A Due is a tuple, read by unpacking.
    for identifier, kind, contact_id, name, title, due, channel in itertools.chain(dues, snapshots):
        if identifier in seen:
            continue
        seen.add(identifier)
        snoozed = False
        if by_id:
            handling = by_id.get(identifier)
            if handling is not None:
                if handling.state in settled:
                    continue
                if handling.state is snoozed_state:
                    due, snoozed = handling.snoozed_until, True
        if due >= end:
            continue
        if channel is not None and contact_id is not None:
            suggested, reason = suggester(rules_of(contact_id) or default_rules, channel, due)
        else:
            suggested, reason = due, None
        keep((due, suggested or due, kind_order[kind], name.casefold(), identifier,
              make(AgendaItem, (identifier, kind, contact_id, name, title, due, suggested, channel, reason,
                                due < now, snoozed))))

    keyed.sort()
    items = [entry[5] for entry in keyed]
    # In due order, the overdue come first (due before now), then today's (before tomorrow), then the rest.
    dues_in_order = [entry[0] for entry in keyed]
    first_today = bisect_left(dues_in_order, now)
    first_upcoming = bisect_left(dues_in_order, today_end, first_today)
    return Agenda(now, end, days, calendar.time_zone, tuple(items[:first_today]),
                  tuple(items[first_today:first_upcoming]), tuple(items[first_upcoming:]))


_new_item = tuple.__new__


def _lookup(boundaries: BoundariesLookup | None) -> Callable[[int], ClientBoundaries | None]:
    """Each contact's rules, or None for the defaults."""
    if boundaries is None:
        return lambda contact_id: None
    if isinstance(boundaries, Mapping):
        return boundaries.get
    return boundaries


__all__ = ["Agenda", "AgendaCounts", "AgendaItem", "BoundariesLookup", "build_agenda"]
