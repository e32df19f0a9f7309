"""Thank-yous: after a client's first purchase, and after any purchase above an amount.

One item per purchase, "thank_you:<purchase id>", due at the morning (clock.morning) `days_after` days after
the purchase's date. A purchase that is both a first and a large one is thanked once, as the first. Refunds
(negative amounts) are never thanked.

`since` is the day the rule was switched on: purchases before it are not thanked, so switching it on does not
raise a thank-you for every client the business ever had. After that an unhandled thank-you stays until done
or skipped, like every other item.

What storage must do (thank_you_purchases): the purchases dated `first`…`last` (the index on purchase.on) that
are either the contact's first (purchase.on = contact_activity.first_purchase_on) or above the amount, each
with `first` set accordingly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.errors import FieldProblem, InvalidInput
from clientdesk.domain.hours import BusinessCalendar
from clientdesk.domain.reminders.clock import Mornings, last_day_before
from clientdesk.domain.reminders.kinds import Due, ReminderKind, new_due
from clientdesk.domain.services_catalogue import currency_text, money_text

MAX_DAYS_AFTER = 60


@dataclass(frozen=True, slots=True)
class ThankYouRule:
    since: date
    first_purchase: bool = True
    above: Decimal | None = None  # thank for every purchase above this amount; None: only first purchases
    days_after: int = 1
    channel: Channel | None = Channel.EMAIL

    def __post_init__(self) -> None:
        problems = []
        if not isinstance(self.days_after, int) or not 0 <= self.days_after <= MAX_DAYS_AFTER:
            problems.append(FieldProblem("days_after", f"Thank 0 to {MAX_DAYS_AFTER} days after the purchase, "
                                                       f"not “{self.days_after}”."))
        if self.above is not None and (not isinstance(self.above, Decimal) or not self.above.is_finite()
                                       or self.above < 0):
            problems.append(FieldProblem("above", f"“{self.above}” is not an amount such as 500.00."))
        if not self.first_purchase and self.above is None:
            problems.append(FieldProblem("above", "Thank for first purchases, for purchases above an amount, "
                                                  "or both."))
        if problems:
            raise InvalidInput(problems)


@dataclass(frozen=True, slots=True)
class PurchaseFacts:
    """A purchase as the thank-yous need it; `first` when it is the contact's first (positive) purchase."""

    purchase_id: int
    contact_id: int
    contact_name: str
    on: date
    amount: Decimal
    first: bool = False


def thank_you_purchases(rule: ThankYouRule, end: datetime, calendar: BusinessCalendar) -> tuple[date, date] | None:
    """The purchase dates (first, last) whose thank-you can be due before `end`; None when there are none."""
    last = last_day_before(end, calendar) - timedelta(days=rule.days_after)
    return (rule.since, last) if rule.since <= last else None


def thank_you_dues(purchases: Iterable[PurchaseFacts], rule: ThankYouRule, calendar: BusinessCalendar,
                   end: datetime, currency: str = "") -> list[Due]:
    """The thank-yous due before `end` for the purchases given. Of several purchases marked first for one
    contact (the same day), only the earliest id is the first."""
    listed = sorted(purchases, key=lambda p: (p.on, p.purchase_id))
    mornings = Mornings(calendar)
    channel = None if rule.channel is None else Channel(rule.channel)
    thanked_first: set[int] = set()
    found: list[Due] = []
    for purchase in listed:
        if purchase.amount <= 0 or purchase.on < rule.since:
            continue
        first = rule.first_purchase and purchase.first and purchase.contact_id not in thanked_first
        large = rule.above is not None and purchase.amount > rule.above
        if purchase.first:
            thanked_first.add(purchase.contact_id)
        if not (first or large):
            continue
        due = mornings(purchase.on + timedelta(days=rule.days_after))
        if due >= end:
            continue
        amount = currency_text(purchase.amount, currency) if currency else money_text(purchase.amount)
        title = (f"Thank {purchase.contact_name} for their first purchase" if first
                 else f"Thank {purchase.contact_name} for their purchase of {amount}")
        found.append(new_due(f"thank_you:{purchase.purchase_id}", ReminderKind.THANK_YOU, purchase.contact_id,
                             purchase.contact_name, title, due, channel))
    return found


__all__ = ["MAX_DAYS_AFTER", "PurchaseFacts", "ThankYouRule", "thank_you_dues", "thank_you_purchases"]
