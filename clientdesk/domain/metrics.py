"""The business's figures from its purchases: revenue per client, lifetime value, how concentrated the
revenue is, and how well clients are kept and converted.

Money is Decimal throughout. Shares are Decimals from 0 to 1 at full precision; rounding them is the
caller's business. A figure that has nothing to be a share of is None rather than 0, so "no data" never
reads as "0 %"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from operator import itemgetter

from clientdesk.domain.lifecycle import Stage, StageChange, ever_reached

ZERO = Decimal(0)
DAYS_PER_YEAR = Decimal("365.25")


@dataclass(frozen=True, slots=True)
class Purchase:
    contact_id: int
    on: date
    amount: Decimal


def trailing_year(day: date) -> tuple[date, date]:
    """The trailing 12 months of `day` as (first, last), both included: from the day after the same date a
    year earlier, up to `day` itself. A year before 29 February is taken as 28 February, since that year
    has no 29th, so 29 February's span starts on 1 March like 28 February's and ends a day later: no
    purchase falls out of the span on a leap day."""
    try:
        year_earlier = day.replace(year=day.year - 1)
    except ValueError:
        year_earlier = day.replace(year=day.year - 1, day=28)
    return year_earlier + timedelta(days=1), day


def _year_before_trailing_year(day: date) -> tuple[date, date]:
    first, _ = trailing_year(day)
    return trailing_year(first - timedelta(days=1))


def revenue_by_contact(purchases: Iterable[Purchase], first: date, last: date) -> dict[int, Decimal]:
    """Each contact's total over first..last (both included). Every contact with a purchase in the span
    has an entry, even when refunds bring its total to zero or below."""
    revenue: dict[int, Decimal] = {}
    for purchase in purchases:
        if first <= purchase.on <= last:
            revenue[purchase.contact_id] = revenue.get(purchase.contact_id, ZERO) + purchase.amount
    return revenue


class RankedPayers(list):
    """The contacts who paid, as (contact id, revenue), by revenue highest first and then by id. The
    figures below accept one in place of the revenue mapping, so a caller that needs several of them over
    100,000 payers ranks them once."""

    @classmethod
    def of(cls, revenue: Mapping[int, Decimal]) -> RankedPayers:
        # Contacts whose refunds cancel their purchases are not payers: a zero or negative share would
        # distort every "share of revenue" figure.
        payers = cls(sorted(((contact_id, amount) for contact_id, amount in revenue.items() if amount > 0),
                            key=itemgetter(0)))
        # Two stable sorts instead of one on (-amount, id): no key tuples, no negated Decimals, a third of
        # the time over 100,000 payers; reverse=True keeps equal amounts in id order.
        payers.sort(key=itemgetter(1), reverse=True)
        return payers


def _ranked_payers(revenue: Mapping[int, Decimal] | RankedPayers) -> RankedPayers:
    return revenue if isinstance(revenue, RankedPayers) else RankedPayers.of(revenue)


def top_fifth_share(revenue: Mapping[int, Decimal] | RankedPayers) -> Decimal | None:
    """The share of revenue from the top ⌈n/5⌉ of the n contacts who paid. The cut is a count, so when
    contacts tie at it the share is the same whichever of them is counted in."""
    ranked = _ranked_payers(revenue)
    if not ranked:
        return None
    top_count = -(-len(ranked) // 5)
    total = sum((amount for _, amount in ranked), ZERO)
    return sum((amount for _, amount in ranked[:top_count]), ZERO) / total


@dataclass(frozen=True, slots=True)
class Concentration:
    largest_share: Decimal | None
    top3_share: Decimal | None
    at_risk: bool
    largest_ids: tuple[int, ...]  # every client tied for the largest revenue, by id
    top3_ids: tuple[int, ...]  # by revenue, highest first; a tie at third place is broken by id


def concentration(revenue: Mapping[int, Decimal] | RankedPayers, largest_threshold: Decimal = Decimal("0.25"),
                  top3_threshold: Decimal = Decimal("0.50")) -> Concentration:
    """How much of the revenue hangs on the largest client and on the largest three; at risk when either
    share is strictly above its threshold. With fewer than three payers the top three is all of them."""
    ranked = _ranked_payers(revenue)
    if not ranked:
        return Concentration(None, None, False, (), ())
    total = sum((amount for _, amount in ranked), ZERO)
    largest = ranked[0][1]
    top3 = ranked[:3]
    largest_share = largest / total
    top3_share = sum((amount for _, amount in top3), ZERO) / total
    return Concentration(
        largest_share=largest_share,
        top3_share=top3_share,
        at_risk=largest_share > largest_threshold or top3_share > top3_threshold,
        largest_ids=tuple(contact_id for contact_id, amount in ranked if amount == largest),
        top3_ids=tuple(contact_id for contact_id, _ in top3),
    )


def _buyers(purchases: Iterable[Purchase], span: tuple[date, date]) -> set[int]:
    first, last = span
    return {purchase.contact_id for purchase in purchases if first <= purchase.on <= last}


def retention_rate(purchases: Iterable[Purchase], day: date) -> Decimal | None:
    """Of the contacts who bought in the year before the trailing year, the share who bought again in
    the trailing year. None when nobody bought in that earlier year."""
    purchases = list(purchases)
    return retention_of_buyers(_buyers(purchases, _year_before_trailing_year(day)), _buyers(purchases, trailing_year(day)))


def retention_of_buyers(earlier: set[int], later: set[int]) -> Decimal | None:
    """Of the contacts in `earlier`, the share also in `later`; None when `earlier` is empty. The rule
    behind `retention_rate`, for callers that already know who bought in each year."""
    if not earlier:
        return None
    return Decimal(len(earlier & later)) / Decimal(len(earlier))


def retention_by_month(months_bought: Mapping[int, int], month_count: int, points: int = 12) -> list[Decimal | None]:
    """Retention at the end of each of the last `points` months of a span of `month_count` whole months.
    `months_bought` gives each contact's months with a purchase as bits (bit 0 the span's first month).
    At the end of month m the trailing year is months m-11..m and the year before it m-23..m-12, so the
    span must reach 23 months before the first point. (On whole months; the day-exact trailing year of a
    month's last day differs only when a 29 February begins it.)"""
    year = (1 << 12) - 1
    rates = []
    for last in range(month_count - points, month_count):
        earlier_bits = year << (last - 23)
        later_bits = year << (last - 11)
        earlier = kept = 0
        for bought in months_bought.values():
            if bought & earlier_bits:
                earlier += 1
                if bought & later_bits:
                    kept += 1
        rates.append(Decimal(kept) / Decimal(earlier) if earlier else None)
    return rates


def repeat_rate(purchase_counts: Mapping[int, int]) -> Decimal | None:
    """Of the contacts who bought at least once, the share who bought twice or more. None when none did."""
    paying = [count for count in purchase_counts.values() if count >= 1]
    if not paying:
        return None
    return Decimal(sum(1 for count in paying if count >= 2)) / Decimal(len(paying))


def conversion_rate(histories: Mapping[int, Sequence[StageChange]]) -> Decimal | None:
    """Of the contacts who ever became customers, the share who went on to become clients. A contact who
    became a client without a day as a mere customer (two purchases on the first day, or an agreement
    first) counts as a customer who converted: leaving them out would understate the conversion exactly
    where it was quickest. None when nobody ever bought."""
    customers = [history for history in histories.values()
                 if ever_reached(history, Stage.CUSTOMER) or ever_reached(history, Stage.CLIENT)]
    if not customers:
        return None
    converted = sum(1 for history in customers if ever_reached(history, Stage.CLIENT))
    return Decimal(converted) / Decimal(len(customers))


@dataclass(frozen=True, slots=True)
class LifetimeValue:
    total: Decimal
    per_year: Decimal


def lifetime_value(purchases_of_one_contact: Sequence[Purchase], since: date, day: date) -> LifetimeValue:
    """A contact's revenue up to `day`, and that per year of the relationship that began on `since`. The
    years are counted as at least one: a client won last week would otherwise be credited with fifty times
    their first purchase a year (and one won today with a division by zero)."""
    total = sum((purchase.amount for purchase in purchases_of_one_contact if purchase.on <= day), ZERO)
    years = Decimal((day - since).days) / DAYS_PER_YEAR
    return LifetimeValue(total, total / max(years, Decimal(1)))


@dataclass(frozen=True, slots=True)
class RetainedVsNew:
    retained: Decimal  # trailing-year revenue from contacts who also bought in the year before
    new: Decimal  # trailing-year revenue from everyone else, returning old clients included


def retained_vs_new(purchases: Iterable[Purchase], day: date) -> RetainedVsNew:
    purchases = list(purchases)
    earlier = _buyers(purchases, _year_before_trailing_year(day))
    retained = new = ZERO
    for contact_id, amount in revenue_by_contact(purchases, *trailing_year(day)).items():
        if contact_id in earlier:
            retained += amount
        else:
            new += amount
    return RetainedVsNew(retained, new)


def pareto(revenue: Mapping[int, Decimal] | RankedPayers, limit: int | None = None) -> list[tuple[int, Decimal, Decimal]]:
    """(contact id, revenue, cumulative share of revenue) for each contact who paid, by revenue highest
    first and then by id; the last cumulative share is exactly 1. `limit`: only the first rows (the chart's
    twenty of forty thousand payers), their shares still of the whole."""
    ranked = _ranked_payers(revenue)
    total = sum((amount for _, amount in ranked), ZERO)
    rows = []
    running = ZERO
    for contact_id, amount in ranked[:limit]:
        running += amount
        rows.append((contact_id, amount, running / total))
    return rows


__all__ = [
    "Concentration", "LifetimeValue", "Purchase", "RetainedVsNew", "concentration", "conversion_rate",
    "lifetime_value", "pareto", "repeat_rate", "retained_vs_new", "retention_rate", "revenue_by_contact",
    "top_fifth_share", "trailing_year",
]
