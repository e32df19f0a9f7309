"""How soon a message should be answered: a target and a limit, counted in elapsed or in open hours.

With the calendar clock a deadline is received + N real hours, so a daylight-saving change neither adds
nor removes an hour. With the business-hours clock only open time counts (closures and public holidays
don't), and the deadline is the first instant at which N open hours have passed since receipt; when the
count completes exactly as the business closes, that closing instant is the deadline. A business-hours
deadline further away than hours.LOOKAHEAD (2 years) is None, which covers a business that never opens.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import StrEnum

from clientdesk.domain.errors import FieldProblem, InvalidInput
from clientdesk.domain.hours import (
    LOOKAHEAD_MICROS, MICROS_PER_HOUR, BusinessCalendar, from_micros, require_aware, to_micros,
)


MAX_ACKNOWLEDGEMENT = 2000
DEFAULT_ACKNOWLEDGEMENT = ("Dear {client},\n\nThank you for your message. We have received it and you will hear "
                           "from us by {target}.\n\nKind regards,\n{business}")
# {offer} is "we can do it as extra work for GBP 120.00", or an offer to quote when no charge is named.
DEFAULT_OUT_OF_SCOPE_REPLY = "Thank you for asking about {request}. It is outside our agreement with you; {offer}."


class ReplyClock(StrEnum):
    CALENDAR = "calendar"
    BUSINESS_HOURS = "business_hours"


def _is_number(value: object) -> bool:
    # bool is an int to Python, but `"target_hours": true` is a mistake, not 1 hour.
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _policy_problems(target: object, limit: object, clock: object, field: str) -> list[FieldProblem]:
    problems = []
    if not _is_number(target) or target <= 0:  # type: ignore[operator]
        problems.append(FieldProblem(f"{field}.target_hours", f"The reply target must be a number of hours above 0, "
                                                              f"not {target!r}."))
    if not _is_number(limit) or limit <= 0:  # type: ignore[operator]
        problems.append(FieldProblem(f"{field}.limit_hours", f"The reply limit must be a number of hours above 0, "
                                                             f"not {limit!r}."))
    elif _is_number(target) and limit < target:  # type: ignore[operator]
        problems.append(FieldProblem(f"{field}.limit_hours", f"The reply limit ({limit:g} hours) cannot be shorter "
                                                             f"than the target ({target:g} hours)."))
    if clock not in ReplyClock.__members__.values():
        problems.append(FieldProblem(f"{field}.clock", f"“{clock}” is not a reply clock; use calendar or "
                                                       "business_hours."))
    return problems


@dataclass(frozen=True, slots=True)
class ReplyPolicy:
    """Answer within `target_hours` if possible and never later than `limit_hours`."""

    target_hours: float = 24
    limit_hours: float = 48
    clock: ReplyClock = ReplyClock.CALENDAR
    # Sent at once so the client knows when to expect the answer; see domain/acknowledgement.py.
    acknowledgement: str = DEFAULT_ACKNOWLEDGEMENT
    # The polite answer to a request beyond a client's agreement; see services_catalogue.out_of_scope_reply.
    out_of_scope: str = DEFAULT_OUT_OF_SCOPE_REPLY

    def __post_init__(self) -> None:
        problems = _policy_problems(self.target_hours, self.limit_hours, self.clock, "reply")
        if problems:
            raise InvalidInput(problems)
        object.__setattr__(self, "clock", ReplyClock(self.clock))

    @classmethod
    def from_json(cls, data: dict, field: str = "reply") -> ReplyPolicy:
        """From {"target_hours": 24, "limit_hours": 48, "clock": "calendar"}; a key left out keeps its default."""
        if not isinstance(data, dict):
            raise InvalidInput([FieldProblem(
                field, 'Give the reply times as {"target_hours": 24, "limit_hours": 48}.')])
        defaults = cls()
        target = data.get("target_hours", defaults.target_hours)
        limit = data.get("limit_hours", defaults.limit_hours)
        clock = data.get("clock", defaults.clock)
        acknowledgement = data.get("acknowledgement", defaults.acknowledgement)
        out_of_scope = data.get("out_of_scope", defaults.out_of_scope)
        problems = _policy_problems(target, limit, clock, field)
        for key, text, what in (("acknowledgement", acknowledgement, "acknowledgement"),
                                ("out_of_scope", out_of_scope, "out-of-scope reply")):
            if not isinstance(text, str):
                problems.append(FieldProblem(f"{field}.{key}", f"The {what} must be text."))
            elif len(text) > MAX_ACKNOWLEDGEMENT:
                problems.append(FieldProblem(f"{field}.{key}", f"The {what} is {len(text):,} characters long; "
                                                               f"the limit is {MAX_ACKNOWLEDGEMENT:,}."))
        if problems:
            raise InvalidInput(problems)
        return cls(target, limit, ReplyClock(clock), acknowledgement.strip() or DEFAULT_ACKNOWLEDGEMENT,
                   out_of_scope.strip() or DEFAULT_OUT_OF_SCOPE_REPLY)

    def to_json(self) -> dict:
        return {"target_hours": self.target_hours, "limit_hours": self.limit_hours, "clock": self.clock.value,
                "acknowledgement": self.acknowledgement, "out_of_scope": self.out_of_scope}


@dataclass(frozen=True, slots=True)
class ReplyBy:
    """When a reply is due. Datetimes are UTC; target and limit are None when they are out of reach."""

    received: datetime
    target: datetime | None
    limit: datetime | None
    clock: ReplyClock


def reply_by(received: datetime, policy: ReplyPolicy, calendar: BusinessCalendar) -> ReplyBy:
    start = to_micros(received)
    needed = [round(hours * MICROS_PER_HOUR) for hours in (policy.target_hours, policy.limit_hours)]
    if policy.clock is ReplyClock.CALENDAR:
        deadlines: list[int | None] = [start + amount for amount in needed]
    else:
        deadlines = _after_open_time(calendar, start, needed)
    target, limit = (None if d is None else from_micros(d) for d in deadlines)
    return ReplyBy(received.astimezone(timezone.utc), target, limit, policy.clock)


def _after_open_time(calendar: BusinessCalendar, start: int, amounts: list[int]) -> list[int | None]:
    """For each amount (ascending), the first instant by which that much open time has passed since start."""
    found: list[int | None] = []
    horizon = start + LOOKAHEAD_MICROS
    counted = 0
    for opening, closing in calendar.open_spans_micros(start, horizon):
        stretch = closing - opening
        # `<=`: a count completing exactly at closing time is due at that closing instant.
        while len(found) < len(amounts) and amounts[len(found)] - counted <= stretch:
            found.append(opening + amounts[len(found)] - counted)
        if len(found) == len(amounts):
            return found
        counted += stretch
    return found + [None] * (len(amounts) - len(found))


def open_hours_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> float:
    """Hours of open time in [start, end); 0 when end is not after start."""
    first, last = to_micros(start), to_micros(require_aware(end, "end"))
    return sum(closing - opening for opening, closing in calendar.open_spans_micros(first, last)) / MICROS_PER_HOUR

