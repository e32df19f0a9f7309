"""The business's figures on small data sets worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clientdesk.domain.lifecycle import Stage, StageChange, stage_history
from clientdesk.domain.metrics import (
    Concentration,
    LifetimeValue,
    Purchase,
    RetainedVsNew,
    concentration,
    conversion_rate,
    lifetime_value,
    pareto,
    repeat_rate,
    retained_vs_new,
    retention_by_month,
    retention_rate,
    revenue_by_contact,
    top_fifth_share,
    trailing_year,
)

D = Decimal


def revenue(*amounts: int | str) -> dict[int, Decimal]:
    """Contacts 1, 2, 3, … with these totals."""
    return {contact_id: D(amount) for contact_id, amount in enumerate(amounts, start=1)}


# --- the trailing year --------------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "first"), [
    (date(2025, 6, 30), date(2024, 7, 1)),
    (date(2025, 1, 1), date(2024, 1, 2)),
    (date(2025, 12, 31), date(2025, 1, 1)),
    (date(2024, 2, 29), date(2023, 3, 1)),  # a year before 29 February is 28 February
    (date(2024, 2, 28), date(2023, 3, 1)),
    (date(2024, 3, 1), date(2023, 3, 2)),
    (date(2025, 2, 28), date(2024, 2, 29)),
    (date(2025, 3, 1), date(2024, 3, 2)),
])
def test_the_trailing_year_runs_from_the_day_after_a_year_earlier_up_to_the_day(day, first):
    assert trailing_year(day) == (first, day)


def test_revenue_per_contact_sums_the_purchases_inside_the_span_edges_included():
    purchases = [
        Purchase(1, date(2024, 7, 1), D("100.00")),  # the first day
        Purchase(1, date(2025, 6, 30), D("0.50")),  # the last day
        Purchase(1, date(2024, 6, 30), D("1000")),  # a day early
        Purchase(2, date(2025, 7, 1), D("1000")),  # a day late
        Purchase(3, date(2025, 1, 1), D("40")),
        Purchase(3, date(2025, 2, 1), D("-40")),  # refunded: still listed, at zero
    ]
    assert revenue_by_contact(purchases, *trailing_year(date(2025, 6, 30))) == {1: D("100.50"), 3: D("0")}
    assert revenue_by_contact(iter(purchases), date(2025, 7, 1), date(2025, 7, 1)) == {2: D("1000")}
    assert revenue_by_contact([], date(2024, 1, 1), date(2024, 12, 31)) == {}


# --- the top fifth ------------------------------------------------------------------------------------

def test_no_revenue_has_no_top_fifth_share():
    assert top_fifth_share({}) is None
    assert top_fifth_share({1: D(0), 2: D("-5")}) is None


def test_a_single_client_is_the_whole_top_fifth():
    assert top_fifth_share({42: D("19.99")}) == 1


@pytest.mark.parametrize(("totals", "share"), [
    ((50, 20, 10, 10, 10), D("0.5")),  # five payers: the top one
    ((10, 40, 5, 10, 30, 5), D("0.7")),  # six payers: the top two, 40 + 30 of 100
    ((10,) * 10, D("0.2")),
    ((30, 70), D("0.7")),
    ((1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), D(3) / D(11)),  # eleven payers: the top three
])
def test_the_top_fifth_is_the_top_ceiling_of_n_over_five_payers(totals, share):
    assert top_fifth_share(revenue(*totals)) == share


def test_a_tie_at_the_cut_counts_only_as_many_contacts_as_the_cut_allows():
    # Six payers: the top two. Contacts 2 and 3 tie for second place; only one of them is in, whichever.
    assert top_fifth_share({1: D(40), 2: D(20), 3: D(20), 4: D(10), 5: D(5), 6: D(5)}) == D("0.6")
    assert top_fifth_share({6: D(40), 3: D(20), 5: D(20), 1: D(10), 2: D(5), 4: D(5)}) == D("0.6")


def test_contacts_who_paid_nothing_on_balance_are_not_counted_among_the_payers():
    # Five payers (the top one) rather than seven (the top two, which would give 0.7).
    assert top_fifth_share({1: D(50), 2: D(20), 3: D(10), 4: D(10), 5: D(10), 6: D(-10), 7: D(0)}) == D("0.5")


# --- concentration ------------------------------------------------------------------------------------

def test_no_revenue_is_no_concentration():
    assert concentration({}) == Concentration(None, None, False, (), ())
    assert concentration({1: D(0)}) == Concentration(None, None, False, (), ())


def test_a_single_client_is_all_of_the_revenue_and_a_risk():
    assert concentration({7: D("120.00")}) == Concentration(D(1), D(1), True, (7,), (7,))


def test_with_two_payers_the_top_three_is_both():
    result = concentration({1: D(60), 2: D(40)})
    assert (result.largest_share, result.top3_share, result.at_risk) == (D("0.6"), D(1), True)
    assert result.top3_ids == (1, 2)


def test_revenue_spread_evenly_is_not_at_risk():
    result = concentration(revenue(*[10] * 10))
    assert (result.largest_share, result.top3_share, result.at_risk) == (D("0.1"), D("0.3"), False)
    assert result.largest_ids == tuple(range(1, 11))  # all tied for the largest
    assert result.top3_ids == (1, 2, 3)


def test_shares_exactly_at_the_thresholds_are_not_at_risk():
    at_thresholds = revenue(25, 15, 10, 10, 10, 10, 10, 10)  # 25 % and 50 % of 100
    assert concentration(at_thresholds) == Concentration(D("0.25"), D("0.5"), False, (1,), (1, 2, 3))


def test_the_largest_client_above_its_threshold_is_a_risk():
    result = concentration(revenue(26, 15, 10, 10, 10, 10, 10, 10))
    assert result.largest_share == D(26) / D(101)
    assert result.at_risk


def test_the_top_three_above_their_threshold_is_a_risk_even_when_no_single_client_is():
    result = concentration(revenue(20, 20, 15, 15, 15, 15))
    assert (result.largest_share, result.top3_share, result.at_risk) == (D("0.2"), D("0.55"), True)
    assert result.largest_ids == (1, 2)


def test_the_thresholds_can_be_chosen():
    spread = revenue(20, 20, 15, 15, 15, 15)
    assert not concentration(spread, largest_threshold=D("0.2"), top3_threshold=D("0.6")).at_risk
    assert concentration(spread, largest_threshold=D("0.19"), top3_threshold=D("0.6")).at_risk


def test_ties_name_every_largest_client_and_break_the_third_place_by_id():
    result = concentration({9: D(30), 4: D(30), 8: D(10), 2: D(10), 5: D(20)})
    assert result.largest_ids == (4, 9)
    assert result.top3_ids == (4, 9, 5)
    tied_third = concentration({1: D(50), 2: D(30), 5: D(10), 4: D(10)})
    assert tied_third.top3_ids == (1, 2, 4)
    assert tied_third.top3_share == D("0.9")


def test_refunded_contacts_are_left_out_of_the_concentration():
    assert concentration({1: D(30), 2: D(10), 3: D(-20)}) == Concentration(D("0.75"), D(1), True, (1,), (1, 2))


# --- retention and new revenue ------------------------------------------------------------------------

DAY = date(2025, 6, 30)  # trailing year 1 Jul 2024–30 Jun 2025; the year before, 1 Jul 2023–30 Jun 2024
PURCHASES = [
    Purchase(1, date(2023, 7, 1), D(10)), Purchase(1, date(2025, 6, 30), D(100)),  # retained, at both edges
    Purchase(2, date(2024, 6, 30), D(10)), Purchase(2, date(2024, 7, 1), D(200)),  # retained, across the edge
    Purchase(3, date(2024, 1, 1), D(10)),  # lost
    Purchase(4, date(2023, 6, 30), D(10)), Purchase(4, date(2025, 1, 1), D(40)),  # back after two years: new
    Purchase(5, date(2025, 7, 1), D(500)),  # after the day: ignored
    Purchase(6, date(2023, 12, 1), D(10)), Purchase(6, date(2025, 7, 1), D(10)),  # lost by the day
    Purchase(7, date(2024, 12, 1), D(60)),  # new
]


def test_retention_is_the_share_of_last_years_buyers_who_bought_again():
    assert retention_rate(PURCHASES, DAY) == D("0.5")  # 1 and 2 of 1, 2, 3 and 6
    assert retention_rate(iter(PURCHASES), DAY) == D("0.5")


def test_retention_of_nobody_is_unknown():
    assert retention_rate([], DAY) is None
    assert retention_rate([Purchase(1, date(2025, 1, 1), D(10))], DAY) is None  # nobody in the earlier year


def test_retention_of_a_single_client():
    assert retention_rate([Purchase(1, date(2024, 1, 1), D(5)), Purchase(1, date(2025, 1, 1), D(5))], DAY) == 1
    assert retention_rate([Purchase(1, date(2024, 1, 1), D(5))], DAY) == 0


def test_retention_around_a_leap_day():
    # On 29 February 2024 the trailing year starts on 1 March 2023 and the year before ends on 28 February.
    purchases = [Purchase(1, date(2023, 2, 28), D(5)), Purchase(1, date(2023, 3, 1), D(5)),
                 Purchase(2, date(2022, 3, 1), D(5)), Purchase(2, date(2022, 2, 28), D(5))]
    assert retention_rate(purchases, date(2024, 2, 29)) == D("0.5")


def test_revenue_from_retained_clients_against_new_ones():
    assert retained_vs_new(PURCHASES, DAY) == RetainedVsNew(retained=D(300), new=D(100))


def test_retained_and_new_revenue_without_purchases_is_zero():
    assert retained_vs_new([], DAY) == RetainedVsNew(D(0), D(0))
    assert retained_vs_new([Purchase(3, date(2024, 1, 1), D(10))], DAY) == RetainedVsNew(D(0), D(0))


# --- repeat purchases and conversion ------------------------------------------------------------------

def test_the_repeat_rate_is_the_share_of_payers_who_bought_twice_or_more():
    assert repeat_rate({1: 1, 2: 2, 3: 5, 4: 0}) == D(2) / D(3)
    assert repeat_rate({1: 1}) == 0
    assert repeat_rate({1: 3}) == 1


def test_no_payers_have_no_repeat_rate():
    assert repeat_rate({}) is None
    assert repeat_rate({1: 0, 2: 0}) is None


def _changes(*stages: Stage) -> list[StageChange]:
    return [StageChange(date(2024, month, 1), stage) for month, stage in enumerate(stages, start=1)]


def test_conversion_is_the_share_of_customers_who_became_clients():
    histories = {
        1: _changes(Stage.PROSPECT, Stage.CUSTOMER, Stage.CLIENT),
        2: _changes(Stage.CUSTOMER),
        3: _changes(Stage.CLIENT),  # straight to client: counted as a customer who converted
        4: _changes(Stage.PROSPECT),  # never bought: not counted
        5: _changes(Stage.CUSTOMER, Stage.LAPSED),
        6: _changes(Stage.PROSPECT, Stage.CUSTOMER, Stage.CLIENT, Stage.LAPSED, Stage.FORMER),
    }
    assert conversion_rate(histories) == D("0.6")  # 1, 3 and 6 of 1, 2, 3, 5 and 6


def test_conversion_from_derived_histories():
    until = date(2025, 12, 31)
    histories = {
        1: stage_history([date(2025, 1, 1), date(2025, 2, 1)], [], [], None, until),
        2: stage_history([date(2025, 1, 1)], [date(2024, 12, 1)], [], None, until),
        3: stage_history([], [date(2025, 1, 1)], [], None, until),
        4: stage_history([date(2025, 1, 1)], [], [(date(2025, 5, 1), None)], None, until),
    }
    assert conversion_rate(histories) == D(2) / D(3)


def test_no_customers_have_no_conversion_rate():
    assert conversion_rate({}) is None
    assert conversion_rate({1: _changes(Stage.PROSPECT), 2: []}) is None


# --- lifetime value -----------------------------------------------------------------------------------

def test_lifetime_value_is_the_revenue_to_date_and_per_year_of_the_relationship():
    purchases = [Purchase(1, date(2021, 3, 1), D("100.00")), Purchase(1, date(2024, 5, 1), D("250.50")),
                 Purchase(1, date(2025, 1, 2), D("999"))]  # after the day
    # 1 January 2021 to 1 January 2025 is 1461 days: four years of 365.25 days.
    assert lifetime_value(purchases, since=date(2021, 1, 1), day=date(2025, 1, 1)) == LifetimeValue(
        D("350.50"), D("87.625"))


def test_a_relationship_shorter_than_a_year_counts_as_one():
    purchases = [Purchase(1, date(2024, 12, 20), D("80"))]
    assert lifetime_value(purchases, since=date(2024, 12, 1), day=date(2025, 1, 1)) == LifetimeValue(D(80), D(80))
    assert lifetime_value(purchases, since=date(2024, 12, 20), day=date(2024, 12, 20)) == LifetimeValue(D(80), D(80))


def test_a_relationship_of_a_year_and_a_half():
    purchases = [Purchase(1, date(2024, 1, 1), D("300"))]
    value = lifetime_value(purchases, since=date(2024, 1, 1), day=date(2025, 7, 2))  # 548 days
    assert value.per_year == D(300) / (D(548) / D("365.25"))
    assert D("199.9") < value.per_year < D("200")


def test_lifetime_value_without_purchases_is_zero():
    assert lifetime_value([], since=date(2020, 1, 1), day=date(2025, 1, 1)) == LifetimeValue(D(0), D(0))


# --- the Pareto chart ---------------------------------------------------------------------------------

def test_pareto_lists_payers_by_revenue_with_the_running_share():
    rows = pareto({1: D(10), 2: D(50), 3: D(20), 4: D(0), 5: D(20), 6: D(-5)})
    assert rows == [(2, D(50), D("0.5")), (3, D(20), D("0.7")), (5, D(20), D("0.9")), (1, D(10), D(1))]


def test_pareto_of_a_single_client_and_of_nothing():
    assert pareto({3: D("9.99")}) == [(3, D("9.99"), D(1))]
    assert pareto({}) == []
    assert pareto({1: D(0)}) == []


def test_the_last_running_share_is_exactly_one_even_when_the_shares_do_not_divide_evenly():
    rows = pareto(revenue(1, 1, 1))
    assert rows[-1][2] == 1
    assert rows[0][2] == D(1) / D(3)


# --- money stays exact --------------------------------------------------------------------------------

def test_money_and_shares_are_decimals_never_floats():
    purchases = [Purchase(1, date(2025, 1, 1), D("0.10")), Purchase(1, date(2025, 2, 1), D("0.20")),
                 Purchase(2, date(2024, 1, 1), D("0.30")), Purchase(2, date(2025, 3, 1), D("0.30"))]
    totals = revenue_by_contact(purchases, *trailing_year(DAY))
    assert totals == {1: D("0.30"), 2: D("0.30")}  # 0.1 + 0.2 would not be 0.3 in floats
    life = lifetime_value(purchases[:2], since=date(2025, 1, 1), day=DAY)
    split = retained_vs_new(purchases, DAY)
    spread = concentration(totals)
    figures = [top_fifth_share(totals), spread.largest_share, spread.top3_share, retention_rate(purchases, DAY),
               repeat_rate({1: 2, 2: 2}), life.total, life.per_year, split.retained, split.new,
               *(share for _, _, share in pareto(totals))]
    assert all(type(figure) is Decimal for figure in figures)
    assert (life.total, split.retained, split.new) == (D("0.30"), D("0.30"), D("0.30"))


def test_retention_by_month_reads_each_month_s_two_years_from_the_bits():
    # 35 months: bit 0 is the first. Contact 1 bought in month 0 and month 23; contact 2 in month 11 only;
    # contact 3 in month 12 and month 34.
    bought = {1: 1 | 1 << 23, 2: 1 << 11, 3: 1 << 12 | 1 << 34}
    rates = retention_by_month(bought, 35, 12)
    # The first point is month 23: the year before is months 0..11 (contacts 1 and 2), the trailing year
    # 12..23 (1 and 3): one of two kept.
    assert rates[0] == Decimal("0.5")
    # Month 24: year before 1..12 (2 and 3), trailing 13..24 (1): nobody kept.
    assert rates[1] == 0
    # Month 34: year before 11..22 (2 and 3), trailing 23..34 (1 and 3): 3 kept.
    assert rates[11] == Decimal("0.5")
    assert retention_by_month({}, 35, 12) == [None] * 12


def test_pareto_limited_to_the_first_rows_keeps_their_shares_of_the_whole():
    revenue = {1: D("50"), 2: D("30"), 3: D("20")}
    assert pareto(revenue, 2) == pareto(revenue)[:2] == [(1, D("50"), D("0.5")), (2, D("30"), D("0.8"))]
    assert pareto(revenue, 0) == [] and pareto(revenue, 10) == pareto(revenue)
