"""What falls due, and what the user did about it: the values every reminder source produces and the agenda reads.

Every source (follow-ups, repeating reminders, stay-in-touch cadences, birthdays, holiday greetings, thank-yous,
plan reviews, reply-by deadlines) turns its facts into `Due` values with a stable text id. What the user did
(done, skipped, snoozed) is kept apart, keyed by that id, as a `Handling`, so one table can hold the state of
every kind of item, including items that exist only while they are computed (a birthday is never stored).

Ids read as "kind:parts": "reminder:12", "reminder:12@20270301T090000Z" (one occurrence of a repeating
reminder, named by its due instant in UTC), "birthday:345:2027", "cadence:345:2027-03-01". They are stable:
computing the same facts again gives the same id, which is what lets a stored Handling find its item again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from enum import StrEnum
from typing import NamedTuple

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.errors import FieldProblem, InvalidInput
from clientdesk.domain.hours import require_aware

UTC = timezone.utc


class ReminderKind(StrEnum):
    FOLLOW_UP = "follow_up"  # a one-off follow-up or call-back
    RECURRING = "recurring"  # an RFC 5545 repeat rule
    CADENCE = "cadence"  # stay in touch at least every N days
    BIRTHDAY = "birthday"
    HOLIDAY = "holiday"  # a greeting before a public holiday
    THANK_YOU = "thank_you"  # after a first purchase or a large one
    PLAN_REVIEW = "plan_review"  # an agreement's periodic review
    REPLY_BY = "reply_by"  # an open inquiry's reply-by deadline


KIND_LABELS = {
    ReminderKind.FOLLOW_UP: "Follow-up", ReminderKind.RECURRING: "Repeating", ReminderKind.CADENCE: "Keep in touch",
    ReminderKind.BIRTHDAY: "Birthday", ReminderKind.HOLIDAY: "Holiday greeting", ReminderKind.THANK_YOU: "Thank you",
    ReminderKind.PLAN_REVIEW: "Plan review", ReminderKind.REPLY_BY: "Reply by",
}
# Among items due at the same instant, the ones with a promise to a client behind them come first.
KIND_ORDER = {kind: position for position, kind in enumerate((
    ReminderKind.REPLY_BY, ReminderKind.FOLLOW_UP, ReminderKind.RECURRING, ReminderKind.PLAN_REVIEW,
    ReminderKind.THANK_YOU, ReminderKind.CADENCE, ReminderKind.BIRTHDAY, ReminderKind.HOLIDAY))}


class ItemState(StrEnum):
    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"
    SNOOZED = "snoozed"


def item_id(kind: ReminderKind | str, *parts: object) -> str:
    """ "birthday:345:2027" from (BIRTHDAY, 345, 2027): the one way ids are spelled."""
    head = kind.value if type(kind) is ReminderKind else ReminderKind(kind).value
    return ":".join([head, *map(str, parts)])


def instant_token(moment: datetime) -> str:
    """ "20270301T090000Z": an instant as it appears inside an id (and in iCalendar), to the second."""
    if moment.tzinfo is not UTC:
        moment = require_aware(moment).astimezone(UTC)
    # Formatted by hand: strftime costs several times as much, and ids are made by the thousand.
    return "%04d%02d%02dT%02d%02d%02dZ" % (moment.year, moment.month, moment.day, moment.hour, moment.minute,
                                          moment.second)


def kind_of(identifier: str) -> ReminderKind:
    """The kind an item id names, or InvalidInput (the command line takes ids as typed). Reminders the user
    set up share the stem "reminder:" (they share a table); an occurrence ("…@instant") is a repeating one."""
    head = identifier.split(":", 1)[0] if isinstance(identifier, str) else ""
    if head == "reminder" and identifier[len(head) + 1:]:
        return ReminderKind.RECURRING if "@" in identifier else ReminderKind.FOLLOW_UP
    try:
        if head in (ReminderKind.FOLLOW_UP, ReminderKind.RECURRING):
            raise ValueError(head)
        return ReminderKind(head)
    except ValueError:
        raise InvalidInput([FieldProblem("id", f"“{identifier}” is not an agenda item id such as reminder:12 "
                                               "or birthday:345:2027.")]) from None


class _DueFields(NamedTuple):
    id: str
    kind: ReminderKind
    contact_id: int | None
    contact_name: str
    title: str
    due: datetime
    channel: Channel | None = None


class Due(_DueFields):
    """One thing that falls due: what a source computes, before the user's handling and the client's boundaries
    are applied. `due` is an instant (stored in UTC). `contact_id` is None for a business-wide item (a holiday
    greeting to send to everyone). `channel` is set when acting on the item means contacting the client.

    An immutable named tuple (id, kind, contact_id, contact_name, title, due, channel): sources make thousands
    per agenda, and a tuple costs a fifth of a frozen dataclass to make and to read. Built by calling Due(...),
    the kind and channel become members and the instant UTC (a naive one is refused); the sources, whose values
    are already so, build them with `new_due` and skip the checks."""

    __slots__ = ()

    def __new__(cls, id: str, kind: ReminderKind | str, contact_id: int | None, contact_name: str, title: str,
                due: datetime, channel: Channel | str | None = None) -> Due:
        if type(kind) is not ReminderKind:
            kind = ReminderKind(kind)
        if due.tzinfo is not UTC:
            due = require_aware(due, "due").astimezone(UTC)
        if channel is not None and type(channel) is not Channel:
            channel = Channel(channel)
        return _tuple_new(cls, (id, kind, contact_id, contact_name, title, due, channel))

    def to_json(self) -> dict:
        """A snapshot to keep beside a snooze (see Handling.item), in the same shape from_json reads."""
        return {"id": self.id, "kind": self.kind.value, "contact_id": self.contact_id,
                "contact_name": self.contact_name, "title": self.title, "due": self.due.isoformat(),
                "channel": None if self.channel is None else self.channel.value}

    @classmethod
    def from_json(cls, data: dict) -> Due:
        return cls(data["id"], ReminderKind(data["kind"]), data.get("contact_id"), data.get("contact_name", ""),
                   data["title"], datetime.fromisoformat(data["due"]),
                   None if data.get("channel") is None else Channel(data["channel"]))


_tuple_new = tuple.__new__


def new_due(identifier: str, kind: ReminderKind, contact_id: int | None, contact_name: str, title: str,
            due: datetime, channel: Channel | None) -> Due:
    """A Due from values already as Due keeps them (a ReminderKind, a UTC instant whose tzinfo is
    datetime.timezone.utc, a Channel or None): the sources' way, without Due()'s conversions."""
    return _tuple_new(Due, (identifier, kind, contact_id, contact_name, title, due, channel))


@dataclass(frozen=True, slots=True)
class Handling:
    """What the user did with one item. Done and skipped items leave the agenda for good; a snoozed item comes
    back at `snoozed_until` and stays (overdue once that has passed) until it is done, skipped or snoozed again.

    `item` is a snapshot of the item as it was snoozed. Sources compute only what falls due in the agenda's
    range, so an item snoozed past its source's range (a birthday from last week, snoozed to tomorrow) would
    otherwise be lost; with the snapshot the agenda shows it again. Storage keeps it (Due.to_json) with the
    snooze and hands back every snoozed Handling whose `snoozed_until` is before the agenda's end."""

    item_id: str
    state: ItemState
    snoozed_until: datetime | None = None
    item: Due | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", ItemState(self.state))
        if self.state is ItemState.SNOOZED:
            if self.snoozed_until is None:
                raise ValueError(f"{self.item_id} is snoozed but has no snoozed_until")
            object.__setattr__(self, "snoozed_until", require_aware(self.snoozed_until).astimezone(UTC))
        if self.item is not None and self.item.id != self.item_id:
            raise ValueError(f"the snapshot of {self.item.id} was given for {self.item_id}")

    @property
    def settled(self) -> bool:
        """Done or skipped: the item is finished with."""
        return self.state in (ItemState.DONE, ItemState.SKIPPED)


__all__ = [
    "KIND_LABELS", "KIND_ORDER", "Due", "Handling", "ItemState", "ReminderKind", "instant_token", "item_id", "kind_of",
    "new_due",
]
