"""Stages derived from a contact's purchases, interactions and agreements, their history, and the funnel."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientdesk.domain.lifecycle import (
    DEFAULT_LAPSE_DAYS,
    RelationshipFacts,
    Stage,
    StageChange,
    ever_reached,
    funnel,
    stage_history,
    stage_in_history,
    stage_on,
)

TODAY = date(2025, 6, 30)


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


# --- the stage on a day -------------------------------------------------------------------------------

def test_a_contact_with_nothing_is_a_prospect():
    assert stage_on(RelationshipFacts(), TODAY) is Stage.PROSPECT


def test_talking_without_buying_keeps_a_contact_a_prospect_however_long_ago():
    assert stage_on(RelationshipFacts(last_interaction=days_ago(3)), TODAY) is Stage.PROSPECT
    assert stage_on(RelationshipFacts(last_interaction=days_ago(2000)), TODAY) is Stage.PROSPECT


def test_one_purchase_makes_a_customer_and_two_make_a_client():
    assert stage_on(RelationshipFacts(purchase_count=1, last_purchase=days_ago(10)), TODAY) is Stage.CUSTOMER
    assert stage_on(RelationshipFacts(purchase_count=2, last_purchase=days_ago(10)), TODAY) is Stage.CLIENT
    assert stage_on(RelationshipFacts(purchase_count=7, last_purchase=days_ago(10)), TODAY) is Stage.CLIENT


def test_an_active_agreement_without_a_purchase_makes_a_client():
    assert stage_on(RelationshipFacts(active_agreement=True), TODAY) is Stage.CLIENT


def test_the_default_lapse_is_a_year():
    assert DEFAULT_LAPSE_DAYS == 365


@pytest.mark.parametrize(("days", "expected"), [
    (DEFAULT_LAPSE_DAYS - 1, Stage.CUSTOMER),
    (DEFAULT_LAPSE_DAYS, Stage.CUSTOMER),  # exactly lapse_days ago: not yet lapsed
    (DEFAULT_LAPSE_DAYS + 1, Stage.LAPSED),
])
def test_a_customer_lapses_only_once_the_last_purchase_is_more_than_lapse_days_old(days, expected):
    assert stage_on(RelationshipFacts(purchase_count=1, last_purchase=days_ago(days)), TODAY) is expected


def test_the_lapse_edge_counts_real_days_across_a_leap_day():
    # 1 March 2024 to 1 March 2025 is 365 days; 29 February 2024 to then is 366.
    day = date(2025, 3, 1)
    assert stage_on(RelationshipFacts(purchase_count=1, last_purchase=date(2024, 3, 1)), day) is Stage.CUSTOMER
    assert stage_on(RelationshipFacts(purchase_count=1, last_purchase=date(2024, 2, 29)), day) is Stage.LAPSED


@pytest.mark.parametrize(("days", "expected"), [(30, Stage.CLIENT), (31, Stage.LAPSED)])
def test_a_client_lapses_too_and_the_window_can_be_chosen(days, expected):
    facts = RelationshipFacts(purchase_count=4, last_purchase=days_ago(days))
    assert stage_on(facts, TODAY, lapse_days=30) is expected


def test_a_recent_interaction_keeps_an_old_customer_from_lapsing():
    facts = RelationshipFacts(purchase_count=1, last_purchase=days_ago(800), last_interaction=days_ago(365))
    assert stage_on(facts, TODAY) is Stage.CUSTOMER
    later = RelationshipFacts(purchase_count=1, last_purchase=days_ago(800), last_interaction=days_ago(366))
    assert stage_on(later, TODAY) is Stage.LAPSED


def test_an_old_interaction_does_not_hide_a_recent_purchase():
    facts = RelationshipFacts(purchase_count=2, last_purchase=days_ago(5), last_interaction=days_ago(900))
    assert stage_on(facts, TODAY) is Stage.CLIENT


def test_an_agreement_in_force_keeps_a_client_from_lapsing():
    quiet = RelationshipFacts(purchase_count=1, last_purchase=days_ago(1000), last_interaction=days_ago(900))
    assert stage_on(quiet, TODAY) is Stage.LAPSED
    under_agreement = RelationshipFacts(purchase_count=1, last_purchase=days_ago(1000),
                                        last_interaction=days_ago(900), active_agreement=True)
    assert stage_on(under_agreement, TODAY) is Stage.CLIENT


@pytest.mark.parametrize("facts", [
    RelationshipFacts(),
    RelationshipFacts(purchase_count=1, last_purchase=days_ago(1)),
    RelationshipFacts(purchase_count=9, last_purchase=TODAY, last_interaction=TODAY, active_agreement=True),
    RelationshipFacts(purchase_count=2, last_purchase=days_ago(2000)),
])
def test_ending_the_relationship_by_hand_overrides_everything(facts):
    assert stage_on(replace(facts, ended_on=TODAY), TODAY) is Stage.FORMER
    assert stage_on(replace(facts, ended_on=days_ago(400)), TODAY) is Stage.FORMER
    assert stage_on(replace(facts, ended_on=TODAY + timedelta(days=1)), TODAY) is not Stage.FORMER


# --- the history of stages ----------------------------------------------------------------------------

WORKED = dict(
    purchase_dates=[date(2024, 2, 1), date(2024, 9, 1), date(2024, 1, 10)],  # the last after it ended
    interaction_dates=[date(2024, 4, 1), date(2024, 1, 5)],
    agreement_periods=[(date(2024, 4, 10), date(2024, 6, 30))],
    ended_on=date(2024, 8, 15),
    lapse_days=30,
)
WORKED_HISTORY = [
    StageChange(date(2024, 1, 5), Stage.PROSPECT),  # first contact, nothing bought
    StageChange(date(2024, 1, 10), Stage.CUSTOMER),
    StageChange(date(2024, 2, 1), Stage.CLIENT),
    StageChange(date(2024, 3, 3), Stage.LAPSED),  # 1 Feb + 31 days (2024 is a leap year)
    StageChange(date(2024, 4, 1), Stage.CLIENT),  # a call brings the client back
    # The agreement 10 April–30 June keeps it a client although nothing happens after 1 April;
    StageChange(date(2024, 7, 1), Stage.LAPSED),  # the day after it ends, the client has lapsed.
    StageChange(date(2024, 8, 15), Stage.FORMER),  # and the purchase on 1 September changes nothing
]


def test_the_worked_example():
    assert stage_history(**WORKED, until=date(2024, 12, 31)) == WORKED_HISTORY


@pytest.mark.parametrize(("until", "entries"), [
    (date(2024, 1, 4), 0), (date(2024, 1, 5), 1), (date(2024, 3, 2), 3), (date(2024, 3, 3), 4),
    (date(2024, 6, 30), 5), (date(2024, 7, 1), 6),
])
def test_the_history_stops_at_until(until, entries):
    assert stage_history(**WORKED, until=until) == WORKED_HISTORY[:entries]


def test_no_events_means_no_history():
    assert stage_history([], [], [], None, until=TODAY) == []


def test_a_first_purchase_starts_the_history_as_a_customer_with_one_entry_for_the_day():
    history = stage_history([date(2023, 6, 1)], [date(2023, 6, 1)], [], None, until=TODAY)
    assert history == [StageChange(date(2023, 6, 1), Stage.CUSTOMER),
                       StageChange(date(2024, 6, 1), Stage.LAPSED)]  # 366 days later: 2024 has 29 February


def test_two_purchases_on_the_first_day_go_straight_to_client():
    history = stage_history([date(2025, 1, 2), date(2025, 1, 2)], [], [], None, until=TODAY)
    assert history == [StageChange(date(2025, 1, 2), Stage.CLIENT)]


def test_an_agreement_alone_makes_a_client_until_it_ends():
    history = stage_history([], [], [(date(2025, 1, 1), date(2025, 3, 31))], None, until=TODAY)
    assert history == [StageChange(date(2025, 1, 1), Stage.CLIENT), StageChange(date(2025, 4, 1), Stage.PROSPECT)]


def test_an_open_ended_agreement_never_lets_a_client_lapse():
    history = stage_history([date(2020, 1, 1)], [], [(date(2020, 6, 1), None)], None, until=TODAY)
    assert history == [StageChange(date(2020, 1, 1), Stage.CUSTOMER), StageChange(date(2020, 6, 1), Stage.CLIENT)]


def test_a_contact_ended_before_any_purchase_is_former_from_that_day():
    history = stage_history([date(2025, 5, 1)], [date(2025, 1, 1)], [], date(2025, 2, 1), until=TODAY)
    assert history == [StageChange(date(2025, 1, 1), Stage.PROSPECT), StageChange(date(2025, 2, 1), Stage.FORMER)]


def _brute_force_stage(purchases, interactions, agreements, ended_on, day, lapse_days):
    bought = [on for on in purchases if on <= day]
    talked = [on for on in interactions if on <= day]
    facts = RelationshipFacts(
        purchase_count=len(bought), last_purchase=max(bought, default=None), last_interaction=max(talked, default=None),
        active_agreement=any(start <= day and (end is None or day <= end) for start, end in agreements),
        ended_on=ended_on)
    return stage_on(facts, day, lapse_days)


_START = date(2024, 1, 1)
_days = st.integers(0, 120).map(lambda offset: _START + timedelta(days=offset))


@settings(max_examples=150, deadline=None)
@given(purchases=st.lists(_days, max_size=4), interactions=st.lists(_days, max_size=3),
       agreements=st.lists(st.tuples(_days, st.one_of(st.none(), st.integers(0, 40))), max_size=2),
       ended_on=st.one_of(st.none(), _days), lapse_days=st.integers(0, 30))
def test_the_history_agrees_with_the_stage_of_every_single_day(purchases, interactions, agreements, ended_on,
                                                               lapse_days):
    periods = [(start, None if length is None else start + timedelta(days=length)) for start, length in agreements]
    until = _START + timedelta(days=150)
    history = stage_history(purchases, interactions, periods, ended_on, until, lapse_days)
    assert all(earlier.on < later.on and earlier.stage != later.stage
               for earlier, later in zip(history, history[1:]))
    first_event = min([*purchases, *interactions, *(start for start, _ in periods),
                       *([ended_on] if ended_on else [])], default=None)
    day = _START
    while day <= until:
        expected = (None if first_event is None or day < first_event
                    else _brute_force_stage(purchases, interactions, periods, ended_on, day, lapse_days))
        assert stage_in_history(history, day) == expected, day
        day += timedelta(days=1)


# --- reading histories --------------------------------------------------------------------------------

def test_the_stage_in_a_history_is_the_latest_change_on_or_before_the_day():
    assert stage_in_history(WORKED_HISTORY, date(2024, 1, 4)) is None
    assert stage_in_history(WORKED_HISTORY, date(2024, 1, 5)) is Stage.PROSPECT
    assert stage_in_history(WORKED_HISTORY, date(2024, 3, 2)) is Stage.CLIENT
    assert stage_in_history(WORKED_HISTORY, date(2024, 3, 3)) is Stage.LAPSED
    assert stage_in_history(WORKED_HISTORY, date(2030, 1, 1)) is Stage.FORMER
    assert stage_in_history([], TODAY) is None


def test_the_funnel_counts_contacts_by_their_stage_on_the_day():
    histories = [
        WORKED_HISTORY,
        [StageChange(date(2024, 1, 1), Stage.PROSPECT)],
        [StageChange(date(2024, 2, 1), Stage.CUSTOMER)],
        [StageChange(date(2024, 1, 20), Stage.CUSTOMER), StageChange(date(2024, 3, 1), Stage.CLIENT)],
        [StageChange(date(2024, 6, 1), Stage.PROSPECT)],  # not yet known on the days before
        [],
    ]
    assert funnel(histories, date(2024, 3, 3)) == {
        Stage.PROSPECT: 1, Stage.CUSTOMER: 1, Stage.CLIENT: 1, Stage.LAPSED: 1, Stage.FORMER: 0}
    assert funnel(histories, date(2024, 2, 1)) == {
        Stage.PROSPECT: 1, Stage.CUSTOMER: 2, Stage.CLIENT: 1, Stage.LAPSED: 0, Stage.FORMER: 0}
    assert funnel(histories, date(2024, 12, 31)) == {
        Stage.PROSPECT: 2, Stage.CUSTOMER: 1, Stage.CLIENT: 1, Stage.LAPSED: 0, Stage.FORMER: 1}
    assert funnel(iter(histories), date(2023, 12, 31)) == dict.fromkeys(Stage, 0)


def test_an_empty_funnel_still_has_every_stage():
    assert funnel([], TODAY) == {stage: 0 for stage in Stage}
    assert list(funnel([], TODAY)) == list(Stage)


def test_ever_reached_looks_at_the_whole_history():
    assert ever_reached(WORKED_HISTORY, Stage.CUSTOMER)
    assert ever_reached(WORKED_HISTORY, Stage.FORMER)
    assert not ever_reached(WORKED_HISTORY[:3], Stage.LAPSED)
    assert not ever_reached([StageChange(date(2024, 1, 1), Stage.CLIENT)], Stage.CUSTOMER)
    assert not ever_reached([], Stage.PROSPECT)


def test_the_funnel_by_month_from_grouped_spans_equals_the_funnel_on_each_months_last_day():
    import calendar
    import random
    from collections import Counter

    from clientdesk.domain.lifecycle import StageSpan, funnel, funnel_by_month

    rng = random.Random(7)
    histories = []
    for _ in range(300):
        day, history = date(2024, 1, 1) + timedelta(days=rng.randrange(400)), []
        for _ in range(rng.randrange(1, 6)):
            history.append(StageChange(day, rng.choice(list(Stage))))
            day += timedelta(days=rng.choice((1, 3, 20, 45, 200)))
        histories.append(history)
    grouped = Counter()
    for history in histories:
        for change, following in zip(history, [*history[1:], None]):
            grouped[(change.stage, f"{change.on:%Y-%m}", f"{following.on:%Y-%m}" if following else None)] += 1
    spans = [StageSpan(stage, began, ended, count) for (stage, began, ended), count in grouped.items()]
    months = [f"{year}-{month:02d}" for year in (2024, 2025) for month in range(1, 13)]
    by_month = funnel_by_month(spans, months)
    for month, counts in zip(months, by_month, strict=True):
        year, number = int(month[:4]), int(month[5:])
        assert counts == funnel(histories, date(year, number, calendar.monthrange(year, number)[1]))


def test_a_contact_known_before_its_first_stage_counts_as_a_prospect_until_then():
    from clientdesk.domain.lifecycle import StageSpan, funnel_by_month

    spans = [StageSpan(Stage.PROSPECT, "2026-01", "2026-03", 2), StageSpan(Stage.CUSTOMER, "2026-03", None, 2)]
    assert [counts[Stage.PROSPECT] for counts in funnel_by_month(spans, ["2025-12", "2026-01", "2026-02", "2026-03"])] \
        == [0, 2, 2, 0]
