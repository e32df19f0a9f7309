"""The business's figures on a day: trailing-year revenue and how concentrated it is, the contacts in each
life-cycle stage, retention, repeat and conversion rates, and lifetime value.

The database does the heavy lifting: trailing-year revenue is summed per contact with GROUP BY over a
covering index, each contact's purchase count and net total come from running totals kept by triggers,
and the stages are counted from the stored stage histories (`storage/lifecycle.py`). The rules
(`domain/metrics.py`) then run on those per-contact figures in Python.

A purchase is a row with a positive amount; refunds (negative rows) lower revenue and lifetime value but
never count as a purchase, so a refund cannot make a customer a client."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from clientdesk.domain.lifecycle import Stage, StageChange, funnel_by_month, stage_in_history
from clientdesk.domain.metrics import (
    ZERO,
    Concentration,
    LifetimeValue,
    Purchase,
    RankedPayers,
    concentration,
    lifetime_value,
    pareto,
    repeat_rate,
    retention_by_month,
    retention_of_buyers,
    top_fifth_share,
    trailing_year,
)
from clientdesk.services.business import BusinessService
from clientdesk.storage import Database
from clientdesk.services.lifecycle import LifecycleService


@dataclass(frozen=True, slots=True)
class Figures:
    as_of: date
    revenue_12m: Decimal
    top20_share: Decimal | None
    concentration: Concentration
    stages: dict[Stage, int]
    retention_rate: Decimal | None
    repeat_rate: Decimal | None
    conversion_rate: Decimal | None
    ltv_median: Decimal | None  # of every contact who bought on or before the day; None when nobody did
    ltv_mean: Decimal | None


@dataclass(frozen=True, slots=True)
class ConcentrationNames:
    largest: tuple[str, ...]  # every client tied for the largest revenue
    top3: tuple[str, ...]  # highest first


@dataclass(frozen=True, slots=True)
class Dashboard:
    figures: Figures
    pareto: list[tuple[int, str, Decimal, Decimal]]  # (contact id, name, trailing-year revenue, cumulative share)
    concentration_names: ConcentrationNames | None  # None unless the revenue is concentrated
    any_purchases: bool  # any purchase at all, of any day: without one the figures have nothing to show
    currency: str  # the business's ISO 4217 code


@dataclass(frozen=True, slots=True)
class MonthTrend:
    month: date  # its first day
    new_revenue: Decimal  # contacts' first purchases: the customer stage
    repeat_revenue: Decimal  # every later purchase (and refund): the client stage
    retention_rate: Decimal | None  # at the month's end; None when nobody bought in the year before


TREND_MONTHS = 12


@dataclass(frozen=True, slots=True)
class MonthStages:
    month: date  # its first day
    stages: dict[Stage, int]  # contacts in each stage at the month's end


class MetricsService:
    def __init__(self, database: Database, business: BusinessService, lifecycle: LifecycleService):
        self._db = database
        self._business = business
        self._lifecycle = lifecycle

    def today(self) -> date:
        """The business's day now: the same clock the stages are kept to."""
        return self._lifecycle.today()

    def figures(self, as_of: date) -> Figures:
        """Every contact created by the end of `as_of` is counted in a stage."""
        self._lifecycle.keep_current()
        with self._db.reading() as uow:
            return self._figures(uow, as_of)[0]

    def dashboard(self, as_of: date, top: int = 20) -> Dashboard:
        """The figures, the Pareto rows of the `top` largest payers with their names, and the names behind
        a concentration risk, in one read transaction."""
        self._lifecycle.keep_current()
        with self._db.reading() as uow:
            figures, revenue = self._figures(uow, as_of)
            rows = pareto(revenue, max(top, 0))
            risk = figures.concentration
            named = {cid for cid, _, _ in rows}
            if risk.at_risk:
                named.update(risk.largest_ids, risk.top3_ids)
            names = uow.contacts.names(sorted(named))
            any_purchases = uow.purchase_figures.any_purchases()
        currency = self._business.profile().currency
        concentration_names = None
        if risk.at_risk:
            concentration_names = ConcentrationNames(
                largest=tuple(names.get(cid, f"#{cid}") for cid in risk.largest_ids),
                top3=tuple(names.get(cid, f"#{cid}") for cid in risk.top3_ids))
        return Dashboard(
            figures=figures,
            pareto=[(cid, names.get(cid, f"#{cid}"), amount, share) for cid, amount, share in rows],
            concentration_names=concentration_names,
            any_purchases=any_purchases,
            currency=currency,
        )

    def _figures(self, uow, as_of: date) -> tuple[Figures, RankedPayers]:
        """The figures on `as_of` read in the caller's transaction, and the trailing-year payers ranked."""
        profile = self._business.profile()
        limits = profile.retention
        first, last = trailing_year(as_of)
        earlier = trailing_year(first - timedelta(days=1))
        reads = uow.purchase_figures
        revenue, buyers_now = reads.revenue_by_contact(first, last)
        buyers_then = reads.buyers(*earlier)
        ranked = RankedPayers.of(revenue)
        totals = reads.buyer_totals(as_of)
        holders = reads.agreement_holders(as_of)
        if uow.stages.stages_on() == as_of and not uow.stages.pending():
            stages = uow.stages.counts_today()
        else:
            stages = uow.stages.counts_on(as_of, _day_end(as_of, ZoneInfo(profile.time_zone)))
        ltvs = [total for _, total in totals.values()]
        figures = Figures(
            as_of=as_of,
            revenue_12m=sum(revenue.values(), ZERO),
            top20_share=top_fifth_share(ranked),
            concentration=concentration(ranked, limits.largest_share_limit, limits.top3_share_limit),
            stages=stages,
            retention_rate=retention_of_buyers(buyers_then, buyers_now),
            repeat_rate=repeat_rate({cid: count for cid, (count, _) in totals.items()}),
            conversion_rate=_conversion(totals, holders),
            ltv_median=statistics.median(ltvs) if ltvs else None,
            ltv_mean=sum(ltvs, ZERO) / len(ltvs) if ltvs else None,
        )
        return figures, ranked

    def trends(self, as_of: date, months: int = TREND_MONTHS) -> list[MonthTrend]:
        """The last `months` whole months before `as_of`'s month, oldest first: revenue from first purchases
        against repeat purchases, and retention at each month's end."""
        last_month = _month_start(as_of) - timedelta(days=1)  # the last whole month's last day
        first_month = _months_before(_month_start(last_month), months - 1)
        span_start = _months_before(first_month, 23)  # retention looks two years back from each month
        with self._db.reading() as uow:
            revenue = uow.purchase_figures.monthly_new_and_repeat(first_month, last_month)
            bought = uow.purchase_figures.months_bought(span_start, last_month)
        rates = retention_by_month(bought, months + 23, months)
        trends = []
        for index in range(months):
            month = _months_after(first_month, index)
            new, repeat = revenue.get((month.year, month.month), (ZERO, ZERO))
            trends.append(MonthTrend(month, new, repeat, rates[index]))
        return trends

    def funnel(self, as_of: date, months: int = TREND_MONTHS) -> list[MonthStages]:
        """How many contacts were in each stage at the end of each of the last `months` whole months before
        `as_of`'s month, oldest first: the funnel over time, from the stored stage changes."""
        self._lifecycle.keep_current()
        last_month = _month_start(as_of) - timedelta(days=1)
        first_month = _months_before(_month_start(last_month), months - 1)
        starts = [_months_after(first_month, index) for index in range(months)]
        with self._db.reading() as uow:
            spans = uow.purchase_figures.stage_spans()
        counts = funnel_by_month(spans, [f"{month:%Y-%m}" for month in starts])
        return [MonthStages(month, stages) for month, stages in zip(starts, counts, strict=True)]

    def stage_of(self, contact_id: int, day: date) -> Stage:
        self._lifecycle.keep_current()
        with self._db.reading() as uow:
            uow.contacts.require(contact_id)
            return stage_in_history(uow.stages.history(contact_id), day) or Stage.PROSPECT

    def stage_history(self, contact_id: int) -> list[StageChange]:
        """The days the contact's stage changed, up to today (the changes still to come are left out)."""
        self._lifecycle.keep_current()
        today = self._lifecycle.today()
        with self._db.reading() as uow:
            uow.contacts.require(contact_id)
            return [change for change in uow.stages.history(contact_id) if change.on <= today]

    def lifetime_value(self, contact_id: int, day: date) -> LifetimeValue:
        """Net revenue up to `day`, and per year since the relationship began (the first purchase or the
        first agreement, whichever came first); zero for a contact who never bought."""
        with self._db.reading() as uow:
            uow.contacts.require(contact_id)
            bought = uow.purchases.purchases_for(contact_id, until=day)
            first_agreement = uow.purchase_figures.first_agreement(contact_id)
        beginnings = [start for start in (first_agreement, bought[0].on if bought else None) if start and start <= day]
        return lifetime_value([Purchase(contact_id, p.on, p.amount) for p in bought],
                              min(beginnings, default=day), day)


def _conversion(totals: dict[int, tuple[int, Decimal]], agreement_holders: set[int]) -> Decimal | None:
    """Of the contacts who ever bought or had an agreement, the share who bought twice or had an agreement.
    Under the stage rules that is exactly "ever reached customer (or client) → went on to client", which is
    what `domain.metrics.conversion_rate` computes from full stage histories; this form needs no history."""
    reached = set(totals) | agreement_holders
    if not reached:
        return None
    converted = agreement_holders | {cid for cid, (count, _) in totals.items() if count >= 2}
    return Decimal(len(converted)) / Decimal(len(reached))


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _months_after(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def _months_before(month: date, count: int) -> date:
    return _months_after(month, -count)


def _day_end(day: date, zone: ZoneInfo) -> datetime:
    """The start of the next day in the business's time zone: contacts created before it existed on `day`."""
    return datetime.combine(day + timedelta(days=1), time(), zone)
