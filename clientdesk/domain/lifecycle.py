"""Where a contact stands with the business — prospect, customer, client, lapsed or former — derived from
their purchases, interactions and agreements rather than typed in, and the history of those stages that
the funnel over time is drawn from."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from clientdesk.domain.errors import FieldProblem, InvalidInput


class Stage(StrEnum):
    PROSPECT = "prospect"
    CUSTOMER = "customer"
    CLIENT = "client"
    LAPSED = "lapsed"
    FORMER = "former"


DEFAULT_LAPSE_DAYS = 365
DEFAULT_LARGEST_SHARE_LIMIT = Decimal("0.25")
DEFAULT_TOP3_SHARE_LIMIT = Decimal("0.50")


@dataclass(frozen=True, slots=True)
class RetentionSettings:
    """The business's own cut-offs: when a quiet customer counts as lapsed, and how much of the trailing
    year's revenue one client, or the largest three, may bring before the dashboard warns."""

    lapse_days: int = DEFAULT_LAPSE_DAYS
    largest_share_limit: Decimal = DEFAULT_LARGEST_SHARE_LIMIT
    top3_share_limit: Decimal = DEFAULT_TOP3_SHARE_LIMIT

    def to_json(self) -> dict:
        return {"lapse_days": self.lapse_days, "largest_share_limit": float(self.largest_share_limit),
                "top3_share_limit": float(self.top3_share_limit)}

    @classmethod
    def from_json(cls, value: object, where: str = "retention") -> RetentionSettings:
        if not isinstance(value, dict):
            raise InvalidInput([FieldProblem(where, f"“{where}” must be an object such as "
                                                    '{"lapse_days": 365, "largest_share_limit": 0.25}.')])
        problems = [FieldProblem(f"{where}.{key}", f"“{key}” is not a retention setting; use lapse_days, "
                                                   "largest_share_limit or top3_share_limit.")
                    for key in value if key not in ("lapse_days", "largest_share_limit", "top3_share_limit")]
        lapse_days = value.get("lapse_days", DEFAULT_LAPSE_DAYS)
        if isinstance(lapse_days, bool) or not isinstance(lapse_days, int) or not 1 <= lapse_days <= 3650:
            problems.append(FieldProblem(f"{where}.lapse_days", "The lapse must be a whole number of days from 1 to 3650."))
        limits = {}
        for key, default in (("largest_share_limit", DEFAULT_LARGEST_SHARE_LIMIT),
                             ("top3_share_limit", DEFAULT_TOP3_SHARE_LIMIT)):
            raw = value.get(key, default)
            try:
                limit = Decimal(str(raw)) if not isinstance(raw, bool) else None
            except ArithmeticError:
                limit = None
            if limit is None or not limit.is_finite() or not 0 < limit <= 1:
                problems.append(FieldProblem(f"{where}.{key}", "A share limit is a fraction above 0 and at most 1, "
                                                               "such as 0.25 for 25 %."))
            limits[key] = limit
        if problems:
            raise InvalidInput(problems)
        return cls(lapse_days, limits["largest_share_limit"], limits["top3_share_limit"])


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
    interactions = sorted(set(interaction_dates))

    # The stage is a function of the day that can only change on these days, so checking them alone is
    # exact: a purchase or interaction, the first day past the lapse window of an activity that no other
    # activity follows within the window, an agreement's first day and the day after its last, and the
    # day the relationship was ended.
    lapse_window = timedelta(days=lapse_days + 1)
    activity = sorted({*purchases, *interactions})
    candidates = set(activity)
    for earlier, later in zip(activity, [*activity[1:], None]):
        if later is None or later >= earlier + lapse_window:
            candidates.add(earlier + lapse_window)
    for start, end in agreement_periods:
        candidates.add(start)
        if end is not None:
            candidates.add(end + timedelta(days=1))
    if ended_on is not None:
        candidates.add(ended_on)

    history: list[StageChange] = []
    bought = seen = 0  # how many purchases and interactions lie on or before the day being checked
    for day in sorted(candidate for candidate in candidates if candidate <= until):
        while bought < len(purchases) and purchases[bought] <= day:
            bought += 1
        while seen < len(interactions) and interactions[seen] <= day:
            seen += 1
        facts = RelationshipFacts(
            purchase_count=bought,
            last_purchase=purchases[bought - 1] if bought else None,
            last_interaction=interactions[seen - 1] if seen else None,
            active_agreement=any(start <= day and (end is None or day <= end) for start, end in agreement_periods),
            ended_on=ended_on,
        )
        stage = stage_on(facts, day, lapse_days)
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


@dataclass(frozen=True, slots=True)
class StageSpan:
    """`contacts` contacts entered `stage` in month `began` ("YYYY-MM") and left it in month `ended` (None:
    not left). Storage counts them grouped, so the funnel over years needs no row per contact."""

    stage: Stage
    began: str
    ended: str | None
    contacts: int


def funnel_by_month(spans: Iterable[StageSpan], months: Sequence[str]) -> list[dict[Stage, int]]:
    """How many contacts were in each stage at the end of each month ("YYYY-MM", in order): `funnel` on each
    month's last day, worked out from the spans. A span holds at the end of month M when it began in M or
    before and ended after M (a change later in the same month replaces it). A contact known before its first
    stage change is a PROSPECT span from the month it was added until then."""
    counts = [dict.fromkeys(Stage, 0) for _ in months]
    for span in spans:
        for index, month in enumerate(months):
            if span.began <= month and (span.ended is None or span.ended > month):
                counts[index][span.stage] += span.contacts
    return counts


def ever_reached(history: Iterable[StageChange], stage: Stage) -> bool:
    return any(change.stage == stage for change in history)


__all__ = [
    "DEFAULT_LAPSE_DAYS", "RelationshipFacts", "RetentionSettings", "Stage", "StageChange", "StageSpan",
    "ever_reached", "funnel", "funnel_by_month", "stage_history", "stage_in_history", "stage_on",
]
