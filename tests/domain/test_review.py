"""What a client review shows: its period, revenue buckets, groupings, wordings and the data it is built from."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.interactions import Direction
from clientdesk.domain.lifecycle import Stage
from clientdesk.domain.review import (
    OTHER_PURCHASES,
    ChannelCount,
    FollowUp,
    Granularity,
    OutOfScopeItem,
    ReviewData,
    ReviewPeriod,
    RevenueBucket,
    ServiceRow,
    ServiceUse,
    UpcomingDate,
    add_months,
    agreement_dates,
    answered_count,
    channel_counts,
    choose_granularity,
    duration_text,
    hours_phrase,
    next_plan_review,
    percent_text,
    relationship_length,
    revenue_buckets,
    service_rows,
    service_usage,
)
from clientdesk.domain.services_catalogue import Agreement, BillingPeriod, Decision

D = Decimal


def agreement(starts_on: date, *, review_every_months: int | None = None, ends_on: date | None = None,
              renews_on: date | None = None, services: tuple[str, ...] = ()) -> Agreement:
    return Agreement(1, 7, starts_on, ends_on, renews_on, D("100"), BillingPeriod.MONTHLY, review_every_months, "",
                     services)


# --- the period -----------------------------------------------------------------------------------------

def test_the_default_period_is_the_twelve_calendar_months_up_to_the_review_day():
    period = ReviewPeriod.ending(date(2026, 6, 20))
    assert (period.first, period.last) == (date(2025, 7, 1), date(2026, 6, 20))
    assert period.text() == "1 July 2025 to 20 June 2026"


def test_a_period_of_one_month_is_this_month_so_far():
    assert ReviewPeriod.ending(date(2026, 1, 31), months=1) == ReviewPeriod(date(2026, 1, 1), date(2026, 1, 31))


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        ReviewPeriod(date(2026, 2, 1), date(2026, 1, 31))


def test_a_period_holds_its_first_and_last_day():
    period = ReviewPeriod(date(2026, 1, 1), date(2026, 1, 31))
    assert date(2026, 1, 1) in period and date(2026, 1, 31) in period
    assert date(2025, 12, 31) not in period and date(2026, 2, 1) not in period
    assert period.days == 31


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2025, 1, 31), 1, date(2025, 2, 28)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2024, 3, 31), -1, date(2024, 2, 29)),
    (date(2025, 11, 15), 3, date(2026, 2, 15)),
    (date(2026, 1, 1), -11, date(2025, 2, 1)),
    (date(2026, 12, 31), 0, date(2026, 12, 31)),
])
def test_adding_months_keeps_the_day_or_takes_the_last_day_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), st.integers(-600, 600))
def test_adding_months_lands_in_the_right_month_and_never_past_the_day(day, months):
    moved = add_months(day, months)
    assert moved.year * 12 + moved.month == day.year * 12 + day.month + months
    assert moved.day <= day.day


# --- revenue by month or quarter ----------------------------------------------------------------------

@pytest.mark.parametrize(("first", "last", "granularity"), [
    (date(2025, 7, 1), date(2026, 6, 20), Granularity.MONTH),
    (date(2025, 1, 15), date(2026, 6, 30), Granularity.MONTH),  # 18 months touched
    (date(2025, 1, 15), date(2026, 7, 1), Granularity.QUARTER),  # 19
    (date(2014, 1, 1), date(2025, 12, 31), Granularity.QUARTER),  # 48 quarters
    (date(2013, 12, 31), date(2025, 12, 31), Granularity.YEAR),  # 49
])
def test_a_period_is_charted_by_month_up_to_eighteen_months_then_by_quarter_then_by_year(first, last, granularity):
    assert choose_granularity(ReviewPeriod(first, last)) is granularity


def test_every_month_of_the_period_has_a_bucket_and_only_purchases_inside_the_period_count():
    period = ReviewPeriod(date(2026, 1, 10), date(2026, 3, 5))
    buckets = revenue_buckets([
        (date(2026, 1, 9), D("1000")),  # the day before the period
        (date(2026, 1, 10), D("100")),
        (date(2026, 1, 31), D("-20")),  # a refund
        (date(2026, 3, 5), D("7.50")),
        (date(2026, 3, 6), D("1000")),  # the day after
    ], period)
    assert buckets == (
        RevenueBucket(date(2026, 1, 1), Granularity.MONTH, D("80")),
        RevenueBucket(date(2026, 2, 1), Granularity.MONTH, D("0")),
        RevenueBucket(date(2026, 3, 1), Granularity.MONTH, D("7.50")),
    )


def test_quarter_buckets_follow_the_calendar_quarters():
    period = ReviewPeriod(date(2024, 2, 1), date(2026, 1, 31))
    buckets = revenue_buckets([(date(2024, 3, 31), D("5")), (date(2024, 4, 1), D("6"))], period)
    assert [bucket.label for bucket in buckets][:3] == ["Q1 2024", "Q2 2024", "Q3 2024"]
    assert [bucket.label for bucket in buckets][-1] == "Q1 2026"
    assert [bucket.amount for bucket in buckets][:2] == [D("5"), D("6")]


@pytest.mark.parametrize(("bucket", "label", "short"), [
    (RevenueBucket(date(2025, 6, 1), Granularity.MONTH, D(0)), "June 2025", "Jun"),
    (RevenueBucket(date(2025, 7, 1), Granularity.QUARTER, D(0)), "Q3 2025", "Q3"),
    (RevenueBucket(date(2025, 1, 1), Granularity.YEAR, D(0)), "2025", "2025"),
])
def test_a_bucket_is_named_the_same_whatever_the_locale(bucket, label, short):
    assert (bucket.label, bucket.short_label) == (label, short)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)), st.integers(0, 5000),
       st.lists(st.tuples(st.dates(min_value=date(1999, 1, 1), max_value=date(2045, 12, 31)),
                          st.integers(-10_000, 10_000).map(lambda cents: D(cents) / 100)), max_size=30))
def test_the_buckets_cover_the_period_without_gaps_and_add_up_to_the_purchases_inside_it(first, days, purchases):
    period = ReviewPeriod(first, first + timedelta(days=days))
    buckets = revenue_buckets(purchases, period)
    assert buckets[0].start <= period.first
    step = {Granularity.MONTH: 1, Granularity.QUARTER: 3, Granularity.YEAR: 12}[buckets[0].granularity]
    assert all(add_months(a.start, step) == b.start for a, b in zip(buckets, buckets[1:], strict=False))
    assert period.last < add_months(buckets[-1].start, step)
    assert sum(bucket.amount for bucket in buckets) == sum((amount for on, amount in purchases if on in period), D(0))


# --- services -------------------------------------------------------------------------------------------

def test_purchases_are_grouped_by_service_largest_first_with_unnamed_ones_last():
    uses = service_usage([("Bookkeeping", D("450")), ("  Book keeping ", D("1")), ("Payroll", D("180")),
                          ("Payroll", D("-180")), (None, D("999")), ("", D("1")), ("Bookkeeping", D("450"))])
    assert uses == (
        ServiceUse("Bookkeeping", 2, D("900")),
        ServiceUse("Book keeping", 1, D("1")),
        ServiceUse("Payroll", 1, D("0")),  # a refund lowers the amount but is not a use
        ServiceUse(OTHER_PURCHASES, 2, D("1000")),
    )


def test_the_services_table_lists_what_the_agreement_covers_first_even_unused_then_the_extras():
    rows = service_rows(("Bookkeeping", "VAT returns"),
                        (ServiceUse("Year-end accounts", 1, D("1200")), ServiceUse("bookkeeping", 3, D("900"))))
    assert rows == (
        ServiceRow("Bookkeeping", True, 3, D("900")),  # matched whatever the case
        ServiceRow("VAT returns", True, 0, D("0")),
        ServiceRow("Year-end accounts", False, 1, D("1200")),
    )


def test_an_out_of_scope_request_takes_its_decision_from_plain_text():
    assert OutOfScopeItem(date(2026, 1, 1), "x", "quoted").decision is Decision.QUOTED  # type: ignore[arg-type]


# --- contact --------------------------------------------------------------------------------------------

def test_interactions_are_counted_per_channel_in_the_usual_order_leaving_out_unused_channels():
    counts = channel_counts([("email", "in", 3), (Channel.PHONE, Direction.OUT, 2), (Channel.EMAIL, Direction.IN, 1),
                             (Channel.EMAIL, Direction.OUT, 4), (Channel.POSTAL, Direction.IN, 0)])
    assert counts == (ChannelCount(Channel.PHONE, 0, 2), ChannelCount(Channel.EMAIL, 4, 4))
    assert [count.label for count in counts] == ["Phone", "Email"]
    assert counts[1].total == 8


@pytest.mark.parametrize(("share", "text"), [
    (None, "—"), (0.0, "0%"), (0.004, "1%"), (13 / 14, "93%"), (0.996, "99%"), (1.0, "100%"), (D("0.5"), "50%"),
])
def test_a_share_reads_as_a_whole_percentage_that_never_rounds_to_all_or_none_wrongly(share, text):
    assert percent_text(share) == text


@pytest.mark.parametrize(("hours", "text"), [
    (None, "—"), (0.004, "1 minute"), (0.5, "30 minutes"), (1, "1 hour"), (3.5, "3.5 hours"), (47.94, "47.9 hours"),
    (72, "3 days"), (60, "2.5 days"),
])
def test_a_time_to_answer_is_put_in_words(hours, text):
    assert duration_text(hours) == text


def test_reply_deadlines_name_their_clock():
    assert hours_phrase(24) == "24 hours"
    assert hours_phrase(16, open_hours=True) == "16 working hours"
    assert hours_phrase(1) == "1 hour"
    assert hours_phrase(1.5) == "1.5 hours"


def test_a_share_of_inquiries_counts_back_to_whole_inquiries():
    assert answered_count(13 / 14, 14) == 13
    assert answered_count(None, 0) == 0


@pytest.mark.parametrize(("since", "text"), [
    (date(2019, 3, 4), "7 years"), (date(2025, 6, 21), "11 months"), (date(2025, 6, 20), "1 year"),
    (date(2026, 5, 20), "1 month"), (date(2026, 5, 21), ""), (date(2026, 7, 1), ""),
])
def test_the_length_of_a_relationship_is_in_its_largest_whole_unit(since, text):
    assert relationship_length(since, date(2026, 6, 20)) == text


# --- what comes next ------------------------------------------------------------------------------------

def test_the_next_plan_review_comes_every_so_many_months_from_the_agreement_start():
    six_monthly = agreement(date(2024, 3, 1), review_every_months=6)
    assert next_plan_review([six_monthly], date(2026, 6, 20)) == date(2026, 9, 1)
    assert next_plan_review([six_monthly], date(2026, 9, 1)) == date(2027, 3, 1)  # that day's review is done
    assert next_plan_review([six_monthly], date(2024, 1, 1)) == date(2024, 9, 1)


def test_the_earliest_review_of_several_agreements_is_next_and_ended_or_unreviewed_ones_have_none():
    ended = agreement(date(2020, 1, 1), review_every_months=12, ends_on=date(2026, 12, 31))
    yearly = agreement(date(2023, 10, 15), review_every_months=12)
    never = agreement(date(2020, 1, 1))
    assert next_plan_review([ended, never], date(2026, 6, 20)) is None
    assert next_plan_review([ended, yearly, never], date(2026, 6, 20)) == date(2026, 10, 15)
    assert next_plan_review([], date(2026, 6, 20)) is None


def test_agreement_dates_list_renewals_and_ends_ahead_with_the_services_named():
    agreements = [agreement(date(2024, 1, 1), renews_on=date(2027, 1, 1), services=("Payroll",)),
                  agreement(date(2024, 1, 1), ends_on=date(2026, 8, 31)),
                  agreement(date(2020, 1, 1), renews_on=date(2026, 1, 1))]  # already past
    assert agreement_dates(agreements, date(2026, 6, 20)) == (
        UpcomingDate(date(2026, 8, 31), "Agreement ends"),
        UpcomingDate(date(2027, 1, 1), "Agreement renews (Payroll)"),
    )


# --- the review -------------------------------------------------------------------------------------------

def review(**changes) -> ReviewData:
    fields = dict(business_name="B", client_name="C", period=ReviewPeriod.ending(date(2026, 6, 20)),
                  produced_on=date(2026, 6, 20))
    return ReviewData(**{**fields, **changes})


def test_a_review_needs_only_who_when_and_for_what_period_and_is_frozen_and_hashable():
    data = review()
    assert data.revenue_in_period == 0 and data.interactions_total == 0 and data.upcoming == ()
    assert data.services_covered == () and data.service_rows == () and data.extra_charges == 0
    hash(data)
    with pytest.raises(AttributeError):
        data.client_name = "D"  # type: ignore[misc]


def test_lists_given_to_a_review_are_kept_as_tuples():
    data = review(boundary_lines=["a", "b"], follow_ups=[FollowUp("x")], stage="client")
    assert data.boundary_lines == ("a", "b") and data.follow_ups == (FollowUp("x"),)
    assert data.stage is Stage.CLIENT
    hash(data)


@pytest.mark.parametrize("currency", ["", "GB", "POUND", "12€"])
def test_a_review_refuses_a_currency_that_is_not_a_three_letter_code(currency):
    with pytest.raises(ValueError):
        review(currency=currency)


def test_only_accepted_requests_add_to_the_extra_charges():
    data = review(out_of_scope=[OutOfScopeItem(date(2026, 1, 1), "a", Decision.ACCEPTED, D("350")),
                                OutOfScopeItem(date(2026, 1, 2), "b", Decision.QUOTED, D("600")),
                                OutOfScopeItem(date(2026, 1, 3), "c", Decision.ACCEPTED),
                                OutOfScopeItem(date(2026, 1, 4), "d", Decision.DECLINED, D("5"))])
    assert data.extra_charges == D("350")
    assert data.money(data.extra_charges) == "GBP 350.00"


def test_what_comes_next_is_in_date_order_with_undated_follow_ups_last():
    data = review(next_plan_review=date(2026, 9, 1),
                  renewals=[UpcomingDate(date(2027, 3, 1), "Agreement renews")],
                  follow_ups=[FollowUp("call back"), FollowUp("send checklist", date(2026, 7, 1)),
                              FollowUp("same day as the review", date(2026, 9, 1))])
    assert [getattr(item, "what") for item in data.upcoming] == [
        "send checklist", "Plan review", "same day as the review", "Agreement renews", "call back"]


def test_the_services_covered_are_every_agreements_services_once_in_order():
    data = review(agreements=[agreement(date(2024, 1, 1), services=("A", "B")),
                              agreement(date(2025, 1, 1), services=("B", "C"))])
    assert data.services_covered == ("A", "B", "C")


def test_a_time_zone_reads_as_a_place_or_as_utc():
    from clientdesk.domain.review import zone_words

    assert [zone_words(zone) for zone in ("Europe/London", "America/New_York", "Etc/UTC", "UTC",
                                          "America/Argentina/Buenos_Aires")] == [
        "London", "New York", "UTC", "UTC", "Buenos Aires"]
