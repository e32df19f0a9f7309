"""The business's figures on a day: trailing-year revenue and how concentrated it is, the contacts in each
life-cycle stage, retention, repeat and conversion rates, and lifetime value.

The database does the heavy lifting: revenue and purchase counts are summed per contact with GROUP BY,
and each contact's stage facts come back as one row per contact from a few grouped queries. The rules
(`domain/lifecycle.py`, `domain/metrics.py`) then run on those per-contact figures in Python.

A purchase is a row with a positive amount; refunds (negative rows) lower revenue and lifetime value but
never count as a purchase, so a refund cannot make a customer a client."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from clientdesk.domain.lifecycle import RelationshipFacts, Stage, stage_on
from clientdesk.domain.metrics import (
    ZERO,
    Concentration,
    LifetimeValue,
    Purchase,
    concentration,
    lifetime_value,
    pareto,
    repeat_rate,
    retention_rate,
    top_fifth_share,
    trailing_year,
)
from clientdesk.services.business import BusinessService
from clientdesk.storage import Database
from clientdesk.storage.purchases_repository import ContactFacts


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


class MetricsService:
    def __init__(self, database: Database, business: BusinessService):
        self._db = database
        self._business = business

    def today(self) -> date:
        return datetime.now(self._zone()).date()

    def figures(self, as_of: date) -> Figures:
        """Every contact created by the end of `as_of` is counted in a stage."""
        with self._db.reading() as uow:
            return self._figures(uow, as_of)[0]

    def dashboard(self, as_of: date, top: int = 20) -> Dashboard:
        """The figures, the Pareto rows of the `top` largest payers with their names, and the names behind
        a concentration risk, in one read transaction."""
        with self._db.reading() as uow:
            figures, revenue = self._figures(uow, as_of)
            rows = pareto(revenue)[:max(top, 0)]
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

    def _figures(self, uow, as_of: date) -> tuple[Figures, dict[int, Decimal]]:
        """The figures on `as_of` read in the caller's transaction, and the trailing-year revenue per contact."""
        zone = self._zone()
        first, last = trailing_year(as_of)
        earlier = trailing_year(first - timedelta(days=1))
        reads = uow.purchase_figures
        revenue = reads.revenue_by_contact(first, last)
        buyers_then, buyers_now = reads.buyers(*earlier), reads.buyers(first, last)
        totals = reads.lifetime_totals(as_of)
        facts = reads.facts(as_of, _day_end(as_of, zone))
        stages = {stage: 0 for stage in Stage}
        for known in facts.values():
            stages[stage_on(_relationship(known, zone), as_of)] += 1
        # The domain's retention needs only who bought in each year: one stand-in purchase per buyer.
        stand_ins = ([Purchase(cid, earlier[1], ZERO) for cid in buyers_then]
                     + [Purchase(cid, last, ZERO) for cid in buyers_now])
        ltvs = list(totals.values())
        figures = Figures(
            as_of=as_of,
            revenue_12m=sum(revenue.values(), ZERO),
            top20_share=top_fifth_share(revenue),
            concentration=concentration(revenue),
            stages=stages,
            retention_rate=retention_rate(stand_ins, as_of),
            repeat_rate=repeat_rate({cid: known.purchase_count for cid, known in facts.items()}),
            conversion_rate=_conversion(facts.values()),
            ltv_median=statistics.median(ltvs) if ltvs else None,
            ltv_mean=sum(ltvs, ZERO) / len(ltvs) if ltvs else None,
        )
        return figures, revenue

    def stage_of(self, contact_id: int, day: date) -> Stage:
        zone = self._zone()
        with self._db.reading() as uow:
            uow.contacts.require(contact_id)
            known = uow.purchase_figures.facts(day, _day_end(day, zone), contact_id).get(contact_id, ContactFacts())
        return stage_on(_relationship(known, zone), day)

    def lifetime_value(self, contact_id: int, day: date) -> LifetimeValue:
        """Net revenue up to `day`, and per year since the relationship began (the first purchase or the
        first agreement, whichever came first); zero for a contact who never bought."""
        zone = self._zone()
        with self._db.reading() as uow:
            uow.contacts.require(contact_id)
            bought = uow.purchases.purchases_for(contact_id, until=day)
            known = uow.purchase_figures.facts(day, _day_end(day, zone), contact_id).get(contact_id, ContactFacts())
        beginnings = [start for start in (known.first_agreement, bought[0].on if bought else None) if start]
        return lifetime_value([Purchase(contact_id, p.on, p.amount) for p in bought],
                              min(beginnings, default=day), day)

    def _zone(self) -> ZoneInfo:
        return ZoneInfo(self._business.profile().time_zone)


def _conversion(facts) -> Decimal | None:
    """Of the contacts who ever bought or had an agreement, the share who bought twice or had an agreement.
    Under the stage rules that is exactly "ever reached customer (or client) → went on to client", which is
    what `domain.metrics.conversion_rate` computes from full stage histories; this form needs no history."""
    reached = [known for known in facts if known.purchase_count >= 1 or known.ever_agreement]
    if not reached:
        return None
    converted = sum(1 for known in reached if known.purchase_count >= 2 or known.ever_agreement)
    return Decimal(converted) / Decimal(len(reached))


def _day_end(day: date, zone: ZoneInfo) -> datetime:
    """The start of the next day in the business's time zone: interactions before it are on or before `day`."""
    return datetime.combine(day + timedelta(days=1), time(), zone)


def _relationship(known: ContactFacts, zone: ZoneInfo) -> RelationshipFacts:
    last_interaction = None
    if known.last_interaction_at is not None:
        instant = datetime.fromisoformat(known.last_interaction_at).replace(tzinfo=UTC)
        last_interaction = instant.astimezone(zone).date()
    return RelationshipFacts(purchase_count=known.purchase_count, last_purchase=known.last_purchase,
                             last_interaction=last_interaction, active_agreement=known.active_agreement,
                             ended_on=known.ended_on)
