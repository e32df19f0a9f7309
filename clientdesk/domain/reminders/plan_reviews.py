"""Plan reviews: an agreement with a review frequency (Agreement.review_every_months) is reviewed with the client
that often, counted from the last client review recorded (or the agreement's start).

Recording a client review is what "done" means: the next review then falls that many months after it, so the
item's id, "plan_review:<agreement id>:<due date>", changes by itself. Skipping a review is recorded by the
service as the agreement's `skipped_through` = the skipped due date: the next falls that many months after it.
No review falls after the agreement has ended. Months are calendar months; a review due on the 31st of a
shorter month falls on its last day (dateutil's relativedelta).

What storage must do: the agreements in force with a review frequency, each with the date of the contact's
latest client review since the agreement started. They are few (one or two per client on a retainer), so
no narrowing is needed; `plan_review_due_on` can also be kept in a column to index if that changes.
"""

from __future__ import annotations

from calendar import isleap as _isleap
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.hours import BusinessCalendar
from clientdesk.domain.reminders.clock import Mornings
from clientdesk.domain.reminders.kinds import Due, ReminderKind, new_due
from clientdesk.domain.services_catalogue import Agreement


@dataclass(frozen=True, slots=True)
class PlanReviewFacts:
    agreement: Agreement
    contact_name: str
    last_review_on: date | None = None
    skipped_through: date | None = None


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, kept within the month (31 January + 1 month = 28/29 February): what
    dateutil's relativedelta(months=…) does to a date, in a fifth of the time."""
    count = day.year * 12 + day.month - 1 + months
    year, month = count // 12, count % 12 + 1
    if not 1 <= year <= 9999:
        raise OverflowError(f"date value out of range: {day} + {months} months")
    last = _MONTH_DAYS[month] if month != 2 or not _isleap(year) else 29
    return date(year, month, day.day if day.day <= last else last)


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def plan_review_due_on(facts: PlanReviewFacts) -> date | None:
    """The next review's date, or None when the agreement has no review frequency or ends before it."""
    agreement = facts.agreement
    months = agreement.review_every_months
    if not months:
        return None
    base = agreement.starts_on
    for later in (facts.last_review_on, facts.skipped_through):
        if later is not None and later > base:
            base = later
    due = add_months(base, months)
    if agreement.ends_on is not None and due > agreement.ends_on:
        return None
    return due


def plan_review_dues(reviews: Iterable[PlanReviewFacts], calendar: BusinessCalendar, end: datetime,
                     channel: Channel | None = Channel.PHONE) -> list[Due]:
    mornings = Mornings(calendar)
    channel = None if channel is None else Channel(channel)
    found: list[Due] = []
    for facts in reviews:
        day = plan_review_due_on(facts)
        if day is None:
            continue
        due = mornings(day)
        if due >= end:
            continue
        agreement = facts.agreement
        services = f" ({', '.join(agreement.service_names)})" if agreement.service_names else ""
        found.append(new_due(f"plan_review:{agreement.id}:{day.isoformat()}", ReminderKind.PLAN_REVIEW,
                             agreement.contact_id, facts.contact_name,
                             f"Review the plan with {facts.contact_name}{services}", due, channel))
    return found


__all__ = ["PlanReviewFacts", "add_months", "plan_review_due_on", "plan_review_dues"]
