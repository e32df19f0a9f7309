"""Where a contact stands with the business — prospect, customer, client, lapsed or former — derived from
their purchases, interactions and agreements rather than typed in, and the history of those stages that
the funnel over time is drawn from."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Stage(StrEnum):
    PROSPECT = "prospect"
    CUSTOMER = "customer"
    CLIENT = "client"
    LAPSED = "lapsed"
    FORMER = "former"


DEFAULT_LAPSE_DAYS = 365


@dataclass(frozen=True, slots=True)
class RelationshipFacts:
    """What is known of one contact as of the day in question."""

    purchase_count: int = 0
    last_purchase: date | None = None
    last_interaction: date | None = None
    active_agreement: bool = False
    ended_on: date | None = None  # the relationship was ended by hand that day: "former" from then on


def stage_on(facts: RelationshipFacts, day: date, lapse_days: int = DEFAULT_LAPSE_DAYS) -> Stage:
    if facts.ended_on is not None and facts.ended_on <= day:
        return Stage.FORMER
    if facts.active_agreement:
        # An agreement in force is an ongoing relationship even when nobody has bought or called for a
        # while (a yearly retainer, a maintenance contract), so it outranks both "prospect" and "lapsed".
        return Stage.CLIENT
    if facts.purchase_count == 0:
        return Stage.PROSPECT
    activity = [known for known in (facts.last_purchase, facts.last_interaction) if known is not None]
    if activity and (day - max(activity)).days > lapse_days:
        return Stage.LAPSED
    return Stage.CUSTOMER if facts.purchase_count == 1 else Stage.CLIENT


@dataclass(frozen=True, slots=True)
class StageChange:
    on: date
    stage: Stage


def stage_history(purchase_dates: Sequence[date], interaction_dates: Sequence[date],
                  agreement_periods: Sequence[tuple[date, date | None]], ended_on: date | None, until: date,
                  lapse_days: int = DEFAULT_LAPSE_DAYS) -> list[StageChange]:
    """Every day up to `until` on which the contact's stage changed, with the stage it changed to; the
    first entry is the stage on the contact's first event day (a prospect when that event is only an
    interaction). At most one entry a day — the stage at the end of it — so a day always reads as one
    stage. Empty when nothing happened on or before `until`."""
    purchases = sorted(purchase_dates)
    interactions = sorted(interaction_dates)

    def last_on_or_before(dates: list[date], day: date) -> date | None:
        position = bisect_right(dates, day)
        return dates[position - 1] if position else None

    def facts_on(day: date) -> RelationshipFacts:
        return RelationshipFacts(
            purchase_count=bisect_right(purchases, day),
            last_purchase=last_on_or_before(purchases, day),
            last_interaction=last_on_or_before(interactions, day),
            active_agreement=any(start <= day and (end is None or day <= end) for start, end in agreement_periods),
            ended_on=ended_on,
        )

    # The stage is a function of the day that can only change on these days, so checking them alone is
    # exact: a purchase or interaction, the first day after the lapse window of each activity, an
    # agreement's first day and the day after its last, and the day the relationship was ended.
    lapse_window = timedelta(days=lapse_days + 1)
    candidates = {*purchases, *interactions, *(activity + lapse_window for activity in [*purchases, *interactions])}
    for start, end in agreement_periods:
        candidates.add(start)
        if end is not None:
            candidates.add(end + timedelta(days=1))
    if ended_on is not None:
        candidates.add(ended_on)

    history: list[StageChange] = []
    for day in sorted(candidate for candidate in candidates if candidate <= until):
        stage = stage_on(facts_on(day), day, lapse_days)
        if not history or history[-1].stage != stage:
            history.append(StageChange(day, stage))
    return history


def stage_in_history(history: Sequence[StageChange], day: date) -> Stage | None:
    """The stage in force on `day`; None before the contact's first event."""
    position = bisect_right([change.on for change in history], day)
    return history[position - 1].stage if position else None


def funnel(histories: Iterable[Sequence[StageChange]], day: date) -> dict[Stage, int]:
    """How many contacts were in each stage on `day`. Contacts whose history starts later are not counted."""
    counts = dict.fromkeys(Stage, 0)
    for history in histories:
        stage = stage_in_history(history, day)
        if stage is not None:
            counts[stage] += 1
    return counts


def ever_reached(history: Iterable[StageChange], stage: Stage) -> bool:
    return any(change.stage == stage for change in history)


__all__ = [
    "DEFAULT_LAPSE_DAYS", "RelationshipFacts", "Stage", "StageChange", "ever_reached", "funnel", "stage_history",
    "stage_in_history", "stage_on",
]
