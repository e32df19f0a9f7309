"""Stay-in-touch cadences: "at least every N days" for a contact, or for every contact with a tag.

A contact falls due N days after the last logged contact with them — in either direction, on any channel, so
a client who rings in resets the clock as much as a call made to them — on the local date, at that day's
morning (clock.morning). Logging a contact moves the next round on by itself: nothing is stored per round.

One item per contact, whatever covers it: a contact with its own cadence and two tagged ones gets a single
"Keep in touch" item, from the cadence that falls due first (on a tie, the shortest, then the lowest id).
Its id names the contact and the due date, "cadence:345:2027-03-01", so a new logged contact makes a new item
and a Handling of the old one is left behind harmlessly.

A contact never contacted counts from the cadence's start. Skipping a round (or marking it done without
logging a contact) is recorded by the service as the contact's `skipped_through` = that round's due date:
the next round then falls N days after it, as if the round had been a contact.

What storage must do (cadence_cutoff): for each cadence, only the contacts it covers whose round can fall
before the agenda's end, i.e.

    (last_interaction_at < cutoff.before  OR  last_interaction_at IS NULL AND cadence.starts_on <= cutoff.day)
    AND (skipped_through IS NULL OR skipped_through <= cutoff.day)

through the index on contact_activity.last_interaction_at — and, for each contact returned, every cadence
covering it (its own and its tags'), so the earliest can be chosen. The filter is exact, not just a
narrowing: a contact outside it cannot be due before the end.

Or, as ClientDesk's storage does (migration 0008): keep per covered contact the round's date (in UTC days, so
read one day further), the cadence that sets it — the same choice as next_round, which the time zone cannot
change, since all a contact's cadences count from the same last contact — and that cadence's fields, the last
contact and the name, and hand those rows to round_dues.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.contacts import normalize_tag
from clientdesk.domain.errors import FieldProblem, InvalidInput
from clientdesk.domain.hours import BusinessCalendar, require_aware
from clientdesk.domain.reminders.clock import Mornings, last_day_before, local_day
from clientdesk.domain.reminders.kinds import Due, ReminderKind, item_id, new_due

MAX_EVERY_DAYS = 3650
_CADENCE_ID = item_id(ReminderKind.CADENCE, "")  # "cadence:", spelled once for the thousands of ids


@dataclass(frozen=True, slots=True)
class Cadence:
    """Keep in touch at least every `every_days` days with one contact, or with every contact tagged `tag`."""

    id: int
    every_days: int
    starts_on: date
    contact_id: int | None = None
    tag: str | None = None
    channel: Channel | None = Channel.PHONE

    def __post_init__(self) -> None:
        if (self.contact_id is None) == (self.tag is None):
            raise ValueError(f"cadence {self.id} covers either a contact or a tag, not "
                             f"{'both' if self.tag is not None else 'neither'}")
        if not isinstance(self.every_days, int) or not 1 <= self.every_days <= MAX_EVERY_DAYS:
            raise ValueError(f"cadence {self.id}: every_days must be 1 to {MAX_EVERY_DAYS}, not {self.every_days!r}")
        if self.channel is not None:
            object.__setattr__(self, "channel", Channel(self.channel))


def validate_cadence(every_days: object, *, contact_id: int | None = None,
                     tag: str | None = None) -> tuple[int, str | None]:
    """(every_days, tag as stored) for a form, or InvalidInput: a number of days and exactly one of a contact or
    a tag."""
    problems = []
    if isinstance(every_days, str) and every_days.strip().isdigit():
        every_days = int(every_days.strip())
    if not isinstance(every_days, int) or isinstance(every_days, bool) or not 1 <= every_days <= MAX_EVERY_DAYS:
        problems.append(FieldProblem("every_days", f"Keep in touch every 1 to {MAX_EVERY_DAYS:,} days, "
                                                   f"not “{every_days}”."))
    cleaned = normalize_tag(tag) if tag is not None else None
    if (contact_id is None) == (not cleaned):
        problems.append(FieldProblem("tag", "A cadence is for one contact or for a tag; choose one of them."))
    if problems:
        raise InvalidInput(problems)
    assert isinstance(every_days, int)
    return every_days, cleaned or None


class _CadenceContactFields(NamedTuple):
    contact_id: int
    contact_name: str
    tags: tuple[str, ...] = ()
    last_contact_at: datetime | None = None
    skipped_through: date | None = None


class CadenceContact(_CadenceContactFields):
    """What a cadence needs of a contact: its tags, its last logged contact (either direction, any channel:
    contact_activity.last_interaction_at) and the due date of the last round skipped, if any.

    A named tuple: storage reads thousands per agenda. CadenceContact(...) refuses a naive last contact;
    storage, whose instants are UTC already, makes them with tuple.__new__."""

    __slots__ = ()

    def __new__(cls, contact_id: int, contact_name: str, tags: tuple[str, ...] = (),
                last_contact_at: datetime | None = None, skipped_through: date | None = None) -> CadenceContact:
        if last_contact_at is not None:
            require_aware(last_contact_at, "last_contact_at")
        return tuple.__new__(cls, (contact_id, contact_name, tuple(tags), last_contact_at, skipped_through))


class Cadences:
    """The cadences indexed by the contact and the tag they cover (tags compared without regard to case)."""

    __slots__ = ("_by_contact", "_by_tag")

    def __init__(self, cadences: Iterable[Cadence]):
        self._by_contact: dict[int, list[Cadence]] = {}
        self._by_tag: dict[str, list[Cadence]] = {}
        for cadence in cadences:
            if cadence.contact_id is not None:
                self._by_contact.setdefault(cadence.contact_id, []).append(cadence)
            else:
                assert cadence.tag is not None
                self._by_tag.setdefault(cadence.tag.casefold(), []).append(cadence)

    def covering(self, contact: CadenceContact) -> list[Cadence]:
        found = list(self._by_contact.get(contact.contact_id, ()))
        for tag in {tag.casefold() for tag in contact.tags}:
            found.extend(self._by_tag.get(tag, ()))
        return found


def round_due_on(contact: CadenceContact, cadence: Cadence, calendar: BusinessCalendar) -> date:
    """The date this cadence next has the contact due: N days after the later of the last logged contact's
    local date (or, never contacted, the cadence's start) and the last skipped round."""
    base = cadence.starts_on if contact.last_contact_at is None else local_day(contact.last_contact_at, calendar)
    if contact.skipped_through is not None and contact.skipped_through > base:
        base = contact.skipped_through
    return base + timedelta(days=cadence.every_days)


def next_round(contact: CadenceContact, cadences: Iterable[Cadence],
               calendar: BusinessCalendar) -> tuple[date, Cadence] | None:
    """The one round that counts for the contact: the earliest due among the cadences given (the shortest
    cadence on a tie, then the lowest id); None when none is given."""
    best: tuple[date, int, int, Cadence] | None = None
    for cadence in cadences:
        key = (round_due_on(contact, cadence, calendar), cadence.every_days, cadence.id, cadence)
        if best is None or key[:3] < best[:3]:
            best = key
    return None if best is None else (best[0], best[3])


def cadence_dues(contacts: Iterable[CadenceContact], cadences: Iterable[Cadence] | Cadences,
                 calendar: BusinessCalendar, end: datetime) -> list[Due]:
    """One item per contact whose round falls due before `end` (a contact listed twice counts once)."""
    index = cadences if isinstance(cadences, Cadences) else Cadences(cadences)
    seen: set[int] = set()
    rounds: list[RoundRow] = []
    for contact in contacts:
        if contact.contact_id in seen:
            continue
        seen.add(contact.contact_id)
        chosen = next_round(contact, index.covering(contact), calendar)
        if chosen is not None:
            cadence = chosen[1]
            rounds.append((contact.contact_id, contact.contact_name, contact.last_contact_at, contact.skipped_through,
                           cadence.every_days, cadence.starts_on, cadence.channel))
    return round_dues(rounds, calendar, end)


# A contact's round with the cadence that sets it (next_round's choice), as storage reads it:
# (contact_id, contact_name, last_contact_at (aware), skipped_through, every_days, starts_on, channel).
RoundRow = tuple[int, str, "datetime | None", "date | None", int, date, "Channel | None"]


def round_dues(rounds: Iterable[RoundRow], calendar: BusinessCalendar, end: datetime) -> list[Due]:
    """The items of rounds already chosen — each contact once, with the cadence that sets its round — that fall
    due before `end`. What storage's cadence_round rows give directly (migration 0008 keeps each covered
    contact's choice beside its round), so the agenda need not read every cadence covering the contacts due;
    cadence_dues chooses, then comes here. The same date as round_due_on, worked out inline."""
    zone = calendar.zone
    last_day = last_day_before(end, calendar)
    # By (base date, every_days): the round's due instant and ISO date, or None when it falls too late. Thousands
    # of contacts share a few hundred of each.
    rounds_from: dict[tuple[date, int], tuple[datetime, str] | None] = {}
    mornings = Mornings(calendar)
    kind = ReminderKind.CADENCE
    found: list[Due] = []
    for contact_id, name, last, skipped, every, starts_on, channel in rounds:
        base = starts_on if last is None else last.astimezone(zone).date()
        if skipped is not None and skipped > base:
            base = skipped
        key = (base, every)
        known = rounds_from.get(key, False)
        if known is False:
            day = base + timedelta(days=every)
            known = rounds_from[key] = None
            if day <= last_day:
                due = mornings(day)
                if due < end:
                    known = rounds_from[key] = (due, day.isoformat())
        if known is None:
            continue
        found.append(new_due(f"{_CADENCE_ID}{contact_id}:{known[1]}", kind, contact_id, name,
                             f"Keep in touch with {name} (every {every} days)", known[0], channel))
    return found


@dataclass(frozen=True, slots=True)
class CadenceCutoff:
    """For one cadence length: a contact can fall due before the agenda's end only if its last logged contact
    is before `before` (and, never contacted, the cadence started by `day`; a skipped round is by `day`)."""

    before: datetime
    day: date


def cadence_cutoff(every_days: int, end: datetime, calendar: BusinessCalendar) -> CadenceCutoff:
    """What storage asks for one cadence: the end's last local date minus N days, and the first instant after it.
    A round is due on base + N, and due before `end` only if that date is at most the end's last date."""
    day = last_day_before(end, calendar) - timedelta(days=every_days)
    return CadenceCutoff(calendar.start_of_day(day + timedelta(days=1)), day)


def last_contact_at(moments: Iterable[datetime]) -> datetime | None:
    """The latest of the logged contacts' instants — every one counts, whatever its direction or channel. What
    contact_activity.last_interaction_at keeps; here for the rules and their tests to say so in one place."""
    return max((require_aware(moment, "at") for moment in moments), default=None)


__all__ = [
    "MAX_EVERY_DAYS", "Cadence", "CadenceContact", "CadenceCutoff", "Cadences", "cadence_cutoff", "cadence_dues",
    "RoundRow", "last_contact_at", "next_round", "round_dues", "round_due_on", "validate_cadence",
]
