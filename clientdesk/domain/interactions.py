"""Interactions (a call, a text, a meeting) and the inquiries they open and answer.

An incoming interaction that needs a reply opens an inquiry with a target and a limit (see reply.py);
an outgoing interaction can answer it, or the inquiry can be closed because no reply turned out to be
needed. An inquiry is judged at the instant it was answered, so an answer that came late stays late.

Every datetime taken must be timezone-aware (ValueError otherwise) and every datetime given back is UTC.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import TypeVar

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.contacts import clean_line, clean_notes
from clientdesk.domain.errors import FieldProblem, InvalidInput
from clientdesk.domain.hours import require_aware

UTC = timezone.utc
_E = TypeVar("_E", bound=StrEnum)

MAX_SUMMARY = 10_000  # characters
MAX_OUTCOME = 2_000
MAX_REASON = 500  # a closing or override reason: a sentence, not a report
MAX_DURATION_MINUTES = 24 * 60
# Clocks on two machines disagree by a little, and a call logged as it ends may be stamped a moment ahead;
# anything further ahead than this is a typo in the date, not clock drift.
FUTURE_TOLERANCE = timedelta(minutes=5)


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


# --- interactions -------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class InteractionDraft:
    """One contact with a client as a form, the command line or an import supplies it."""

    contact_id: int
    channel: Channel
    direction: Direction
    at: datetime
    summary: str = ""
    outcome: str = ""
    duration_minutes: int | None = None
    urgent: bool = False
    logged_by: str = ""
    needs_reply: bool = False  # an incoming interaction that opens an inquiry
    answers_inquiry_id: int | None = None  # an outgoing interaction that answers an open inquiry
    override_reason: str = ""  # why an outgoing contact was made although the client's boundaries did not allow it


def _when(moment: datetime) -> str:
    """ "2026-11-20 16:00 UTC": one unambiguous form for every message, whatever zone the caller used."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _choices(kind: type[StrEnum]) -> str:
    names = [member.value for member in kind]
    return ", ".join(names[:-1]) + " or " + names[-1]


def _member(kind: type[_E], value: object) -> _E | None:
    # A form or the CLI hands over plain strings; the member is what the rest of the code compares with `is`.
    try:
        return kind(value)
    except ValueError:
        return None


def validate_interaction(draft: InteractionDraft, now: datetime) -> InteractionDraft:
    """A cleaned copy of `draft` (text without control characters, `at` in UTC), or InvalidInput listing
    every problem at once so a form can show them together. A naive `at` or `now` is a programming error
    (ValueError), not something the user typed."""
    at = require_aware(draft.at, "at").astimezone(UTC)
    now = require_aware(now, "now")
    problems: list[FieldProblem] = []

    channel = _member(Channel, draft.channel)
    if channel is None:
        problems.append(FieldProblem("channel", f"“{draft.channel}” is not a channel; use {_choices(Channel)}."))
    direction = _member(Direction, draft.direction)
    if direction is None:
        problems.append(FieldProblem("direction", f"“{draft.direction}” is not a direction; use in or out."))

    if at > now + FUTURE_TOLERANCE:
        problems.append(FieldProblem("at", f"{_when(at)} is in the future; log a contact once it has happened."))

    # Measured after cleaning, so what is refused is what would have been stored.
    summary = clean_notes(draft.summary)
    outcome = clean_notes(draft.outcome)
    if len(summary) > MAX_SUMMARY:
        problems.append(FieldProblem("summary", f"The summary is {len(summary):,} characters long; "
                                                f"the limit is {MAX_SUMMARY:,}."))
    if len(outcome) > MAX_OUTCOME:
        problems.append(FieldProblem("outcome", f"The outcome is {len(outcome):,} characters long; "
                                                f"the limit is {MAX_OUTCOME:,}."))
    if not summary and not outcome:
        problems.append(FieldProblem("summary", "Say what was said: a summary or an outcome."))

    duration = draft.duration_minutes
    if duration is not None:
        # bool is an int to Python, but True minutes is a mistake, not 1 minute.
        if not isinstance(duration, int) or isinstance(duration, bool):
            problems.append(FieldProblem("duration_minutes", f"Give the duration in whole minutes, not {duration!r}."))
        elif not 0 <= duration <= MAX_DURATION_MINUTES:
            problems.append(FieldProblem("duration_minutes", f"A duration is between 0 and {MAX_DURATION_MINUTES:,} "
                                                             f"minutes (24 hours), not {duration:,}."))

    if direction is Direction.OUT and draft.needs_reply:
        problems.append(FieldProblem("needs_reply", "Only an incoming contact can need a reply."))
    if direction is Direction.IN and draft.answers_inquiry_id is not None:
        problems.append(FieldProblem("answers_inquiry_id", "Only an outgoing contact can answer an inquiry."))

    override_reason = clean_line(draft.override_reason)
    if len(override_reason) > MAX_REASON:
        problems.append(FieldProblem("override_reason", f"The reason is {len(override_reason):,} characters long; "
                                                        f"the limit is {MAX_REASON:,}."))

    if problems:
        raise InvalidInput(problems)
    return replace(draft, channel=channel, direction=direction, at=at, summary=summary, outcome=outcome,
                   logged_by=clean_line(draft.logged_by), override_reason=override_reason)


# --- inquiries ----------------------------------------------------------------------------------------

class InquiryStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"  # no reply was needed after all


class Overdue(StrEnum):
    NONE = "none"
    TARGET = "target"
    LIMIT = "limit"


class InquiryError(InvalidInput):
    """The inquiry's state does not allow the change (answering a closed one, answering twice…);
    the problem's field is "inquiry"."""


@dataclass(frozen=True, slots=True)
class Inquiry:
    """A message that needs a reply. Deadlines are None when they are out of reach (see reply.ReplyBy)."""

    id: int
    contact_id: int
    received: datetime
    target: datetime | None
    limit: datetime | None
    status: InquiryStatus = InquiryStatus.OPEN
    answered_at: datetime | None = None
    closed_at: datetime | None = None
    close_reason: str = ""
    opened_by_interaction_id: int | None = None
    answered_by_interaction_id: int | None = None

    def __post_init__(self) -> None:
        # Storage hands over plain strings and whatever zone it read; comparisons below need members and
        # aware instants, and results are promised in UTC.
        object.__setattr__(self, "status", InquiryStatus(self.status))
        for name in ("received", "target", "limit", "answered_at", "closed_at"):
            moment = getattr(self, name)
            if moment is not None:
                object.__setattr__(self, name, require_aware(moment, name).astimezone(UTC))
        if self.status is InquiryStatus.ANSWERED and self.answered_at is None:
            raise ValueError(f"inquiry {self.id} is answered but has no answered_at")


def _judged_at(inquiry: Inquiry, as_of: datetime) -> datetime:
    # An answered inquiry stops its clock: it is as late as it was when the answer went out.
    if inquiry.status is InquiryStatus.ANSWERED:
        assert inquiry.answered_at is not None
        return inquiry.answered_at
    return as_of


def overdue(inquiry: Inquiry, as_of: datetime) -> Overdue:
    """How late the inquiry is: an open one as of `as_of`, an answered one when it was answered; a closed
    one is never late. Reaching a deadline exactly is still in time."""
    require_aware(as_of, "as_of")
    if inquiry.status is InquiryStatus.CLOSED:
        return Overdue.NONE
    moment = _judged_at(inquiry, as_of)
    if inquiry.limit is not None and moment > inquiry.limit:
        return Overdue.LIMIT
    if inquiry.target is not None and moment > inquiry.target:
        return Overdue.TARGET
    return Overdue.NONE


def _require_open(inquiry: Inquiry, action: str) -> None:
    if inquiry.status is InquiryStatus.ANSWERED:
        assert inquiry.answered_at is not None
        message = f"This inquiry was already answered on {_when(inquiry.answered_at)}; it cannot be {action} again."
    elif inquiry.status is InquiryStatus.CLOSED:
        when = f" on {_when(inquiry.closed_at)}" if inquiry.closed_at is not None else ""
        message = f"This inquiry was closed{when}; it cannot be {action}."
    else:
        return
    raise InquiryError([FieldProblem("inquiry", message)])


def answered(inquiry: Inquiry, at: datetime, interaction_id: int | None = None) -> Inquiry:
    """The open inquiry answered at `at`, by the interaction `interaction_id` when there is one."""
    at = require_aware(at, "at").astimezone(UTC)
    _require_open(inquiry, "answered")
    if at < inquiry.received:
        raise InvalidInput([FieldProblem(
            "at", f"An answer cannot come before the inquiry, received {_when(inquiry.received)}.")])
    return replace(inquiry, status=InquiryStatus.ANSWERED, answered_at=at, answered_by_interaction_id=interaction_id)


def closed(inquiry: Inquiry, reason: str, at: datetime) -> Inquiry:
    """The open inquiry closed without a reply; the reason is kept because "why was this never answered?"
    is exactly what someone will ask later."""
    at = require_aware(at, "at").astimezone(UTC)
    _require_open(inquiry, "closed")
    problems: list[FieldProblem] = []
    reason = clean_line(reason)
    if not reason:
        problems.append(FieldProblem("reason", "Say why no reply is needed."))
    elif len(reason) > MAX_REASON:
        problems.append(FieldProblem("reason", f"The reason is {len(reason):,} characters long; "
                                               f"the limit is {MAX_REASON:,}."))
    if at < inquiry.received:
        problems.append(FieldProblem(
            "at", f"An inquiry cannot be closed before it was received, {_when(inquiry.received)}."))
    if problems:
        raise InvalidInput(problems)
    return replace(inquiry, status=InquiryStatus.CLOSED, closed_at=at, close_reason=reason)


def time_left(inquiry: Inquiry, as_of: datetime) -> timedelta | None:
    """Until the target while it has not passed, then until the limit (negative once that has passed too).
    None when there is nothing to count down to: no deadlines, or the inquiry is answered or closed."""
    require_aware(as_of, "as_of")
    if inquiry.status is not InquiryStatus.OPEN:
        return None
    if inquiry.target is not None and as_of <= inquiry.target:
        return inquiry.target - as_of
    last = inquiry.limit if inquiry.limit is not None else inquiry.target
    return None if last is None else last - as_of


_FAR = datetime.max.replace(tzinfo=UTC)  # sorts a missing deadline after every real one


def by_urgency(inquiries: Iterable[Inquiry], as_of: datetime) -> list[Inquiry]:
    """Open inquiries most urgent first: past the limit (longest overdue first), then past the target
    (longest overdue first), then the rest by their earliest deadline (none last); ties by received, then id.
    Answered and closed ones need nothing, so they follow every open one, by received then id."""
    require_aware(as_of, "as_of")

    def key(inquiry: Inquiry) -> tuple[int, datetime, datetime, int]:
        tie = (inquiry.received, inquiry.id)
        if inquiry.status is not InquiryStatus.OPEN:
            return (3, _FAR, *tie)
        state = overdue(inquiry, as_of)
        # Longest overdue first is simply the earliest passed deadline first.
        if state is Overdue.LIMIT:
            assert inquiry.limit is not None
            return (0, inquiry.limit, *tie)
        if state is Overdue.TARGET:
            assert inquiry.target is not None
            return (1, inquiry.target, *tie)
        deadlines = [d for d in (inquiry.target, inquiry.limit) if d is not None]
        return (2, min(deadlines, default=_FAR), *tie)

    return sorted(inquiries, key=key)


# --- responsiveness -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Responsiveness:
    """How well inquiries received in a period were answered."""

    inquiries: int  # the inquiries that count: answered, or open past their limit
    within_target: float | None  # share 0..1, None when inquiries == 0
    within_limit: float | None
    median_hours: float | None  # received to answered, answered ones only; None when none was answered


def responsiveness(inquiries: Iterable[Inquiry], start: datetime, end: datetime, as_of: datetime) -> Responsiveness:
    """Figures for the inquiries received in [start, end).

    A closed inquiry never counts (no reply was needed). An open one counts only once its limit has passed
    as of `as_of`, as answered within neither; before that it may still be answered in time, so it is not
    yet decided and leaving it out keeps the figures from swinging as a period is still being worked on.
    An answered one counts within a deadline when answered at or before it; a deadline that is None (out of
    reach) cannot have been missed.
    """
    start, end, as_of = require_aware(start, "start"), require_aware(end, "end"), require_aware(as_of, "as_of")
    if end < start:
        raise InvalidInput([FieldProblem("end", f"The period ends ({_when(end)}) before it starts ({_when(start)}).")])
    counted = met_target = met_limit = 0
    hours: list[float] = []
    for inquiry in inquiries:
        if not start <= inquiry.received < end or inquiry.status is InquiryStatus.CLOSED:
            continue
        if inquiry.status is InquiryStatus.OPEN:
            if inquiry.limit is not None and as_of > inquiry.limit:
                counted += 1
            continue
        answered_at = inquiry.answered_at
        assert answered_at is not None
        counted += 1
        met_target += inquiry.target is None or answered_at <= inquiry.target
        met_limit += inquiry.limit is None or answered_at <= inquiry.limit
        hours.append((answered_at - inquiry.received) / timedelta(hours=1))
    if counted == 0:
        return Responsiveness(0, None, None, None)
    return Responsiveness(counted, met_target / counted, met_limit / counted,
                          statistics.median(hours) if hours else None)


__all__ = [
    "MAX_OUTCOME", "MAX_SUMMARY", "Direction", "Inquiry", "InquiryError", "InquiryStatus", "InteractionDraft",
    "Overdue", "Responsiveness", "answered", "by_urgency", "closed", "overdue", "responsiveness", "time_left",
    "validate_interaction",
]
