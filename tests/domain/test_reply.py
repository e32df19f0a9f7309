"""Reply deadlines on the calendar clock (elapsed time) and the business-hours clock (open time only)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientdesk.domain.errors import InvalidInput
from clientdesk.domain.hours import BusinessCalendar, Closure, WeeklyHours
from clientdesk.domain.reply import (
    DEFAULT_ACKNOWLEDGEMENT,
    DEFAULT_OUT_OF_SCOPE_REPLY,
    ReplyBy,
    ReplyClock,
    ReplyPolicy,
    open_hours_between,
    reply_by,
)
from tests.domain.test_hours import ENGLAND, PROPERTY, calendars, instants_in, london

UTC = timezone.utc
OFFICE = BusinessCalendar(WeeklyHours.office_default(), "Europe/London")  # Mon–Fri 09:00–17:00
OFFICE_WITH_HOLIDAYS = BusinessCalendar(WeeklyHours.office_default(), "Europe/London", holidays=ENGLAND)


def business(target: float, limit: float | None = None) -> ReplyPolicy:
    return ReplyPolicy(target, limit if limit is not None else target, ReplyClock.BUSINESS_HOURS)


def fields_of(error: pytest.ExceptionInfo[InvalidInput]) -> set[str]:
    return {problem.field for problem in error.value.problems}


# --- the policy ---------------------------------------------------------------------------------------

def test_the_default_policy_is_a_day_and_two_days_of_calendar_time():
    assert ReplyPolicy() == ReplyPolicy(24, 48, ReplyClock.CALENDAR)
    assert ReplyPolicy.from_json({}) == ReplyPolicy()


def test_a_policy_comes_from_json_with_missing_keys_kept_at_their_defaults():
    assert ReplyPolicy.from_json({"clock": "business_hours", "target_hours": 4}) == \
        ReplyPolicy(4, 48, ReplyClock.BUSINESS_HOURS)
    policy = ReplyPolicy(2.5, 8, ReplyClock.BUSINESS_HOURS)
    assert policy.to_json() == {"target_hours": 2.5, "limit_hours": 8, "clock": "business_hours",
                                "acknowledgement": DEFAULT_ACKNOWLEDGEMENT, "out_of_scope": DEFAULT_OUT_OF_SCOPE_REPLY}
    assert ReplyPolicy.from_json(policy.to_json()) == policy


def test_the_acknowledgement_is_text_of_a_sensible_length():
    assert ReplyPolicy.from_json({"acknowledgement": "  Thanks {client}!  "}).acknowledgement == "Thanks {client}!"
    assert ReplyPolicy.from_json({"acknowledgement": "   "}).acknowledgement == DEFAULT_ACKNOWLEDGEMENT
    for bad in (42, "x" * 2001):
        with pytest.raises(InvalidInput) as raised:
            ReplyPolicy.from_json({"acknowledgement": bad})
        assert [problem.field for problem in raised.value.problems] == ["reply.acknowledgement"]


def test_the_out_of_scope_reply_is_the_business_own_text_of_a_sensible_length():
    policy = ReplyPolicy.from_json({"out_of_scope": "  Dear {client}, {request} is extra: {offer}.  "})
    assert policy.out_of_scope == "Dear {client}, {request} is extra: {offer}."
    assert ReplyPolicy.from_json({"out_of_scope": ""}).out_of_scope == DEFAULT_OUT_OF_SCOPE_REPLY
    for bad in (["a list"], "x" * 2001):
        with pytest.raises(InvalidInput) as raised:
            ReplyPolicy.from_json({"out_of_scope": bad})
        assert [problem.field for problem in raised.value.problems] == ["reply.out_of_scope"]


@pytest.mark.parametrize(("data", "fields"), [
    ({"target_hours": 0}, {"reply.target_hours"}),
    ({"target_hours": -3}, {"reply.target_hours"}),
    ({"target_hours": True}, {"reply.target_hours"}),
    ({"target_hours": "24"}, {"reply.target_hours"}),
    ({"target_hours": float("nan")}, {"reply.target_hours"}),
    ({"target_hours": 24, "limit_hours": 12}, {"reply.limit_hours"}),
    ({"clock": "sundial"}, {"reply.clock"}),
    ({"target_hours": 0, "limit_hours": -1, "clock": "lunar"}, {"reply.target_hours", "reply.limit_hours", "reply.clock"}),
])
def test_a_bad_policy_is_refused_naming_every_field(data, fields):
    with pytest.raises(InvalidInput) as caught:
        ReplyPolicy.from_json(data)
    assert fields_of(caught) == fields


def test_the_limit_cannot_be_shorter_than_the_target_in_words():
    with pytest.raises(InvalidInput, match=r"limit \(12 hours\) cannot be shorter than the target \(24 hours\)"):
        ReplyPolicy(24, 12)


# --- the calendar clock -------------------------------------------------------------------------------

def test_the_calendar_clock_counts_every_hour_whether_open_or_not():
    due = reply_by(london(2026, 6, 5, 16), ReplyPolicy(24, 48), OFFICE)
    assert due == ReplyBy(london(2026, 6, 5, 16), london(2026, 6, 6, 16), london(2026, 6, 7, 16), ReplyClock.CALENDAR)


def test_the_calendar_clock_counts_real_hours_across_a_daylight_saving_change():
    # 24 real hours after Saturday 12:00 GMT is Sunday 13:00 BST: the clocks went forward in between.
    due = reply_by(london(2026, 3, 28, 12), ReplyPolicy(24, 48), OFFICE)
    assert due.target == london(2026, 3, 29, 13)
    assert due.target - due.received == timedelta(hours=24)


# --- the business-hours clock -------------------------------------------------------------------------

def test_business_hours_received_friday_afternoon():
    # Friday 16:00: 1 hour on Friday, 8 on Monday, 8 on Tuesday, 7 on Wednesday → Wednesday 16:00.
    # The limit: 1 more on Wednesday (25), Thursday (33), Friday (41), 7 on Monday → Monday 16:00.
    due = reply_by(london(2026, 6, 5, 16), ReplyPolicy(24, 48, ReplyClock.BUSINESS_HOURS), OFFICE)
    assert due.target == london(2026, 6, 10, 16)
    assert due.limit == london(2026, 6, 15, 16)
    assert due.target.tzinfo is UTC and due.clock is ReplyClock.BUSINESS_HOURS


def test_received_while_closed_starts_counting_at_the_next_opening():
    assert reply_by(london(2026, 6, 6, 11), business(2), OFFICE).target == london(2026, 6, 8, 11)


def test_received_exactly_at_closing_starts_counting_at_the_next_opening():
    assert reply_by(london(2026, 6, 5, 17), business(1), OFFICE).target == london(2026, 6, 8, 10)


def test_received_exactly_at_opening_counts_from_then():
    assert reply_by(london(2026, 6, 8, 9), business(3), OFFICE).target == london(2026, 6, 8, 12)


def test_a_count_completing_exactly_at_closing_is_due_at_that_closing_instant():
    assert reply_by(london(2026, 6, 5, 16), business(1), OFFICE).target == london(2026, 6, 5, 17)
    assert reply_by(london(2026, 6, 6, 12), business(8), OFFICE).target == london(2026, 6, 8, 17)


def test_holidays_and_closures_do_not_count():
    # Thursday 24 December 16:00: 1 hour that day; Friday 25 and Monday 28 are holidays; 7 on Tuesday.
    assert reply_by(london(2026, 12, 24, 16), business(8), OFFICE_WITH_HOLIDAYS).target == london(2026, 12, 29, 16)
    closed_week = BusinessCalendar(WeeklyHours.office_default(), "Europe/London",
                                   (Closure(date(2026, 6, 8), date(2026, 6, 12), "Away"),))
    assert reply_by(london(2026, 6, 5, 16), business(2), closed_week).target == london(2026, 6, 15, 10)


def test_business_hours_straddling_a_daylight_saving_change_count_real_open_time():
    night = BusinessCalendar(WeeklyHours.from_json({"sat": [["22:00", "04:00"]]}), "Europe/London")
    # Saturday 22:00 GMT to Sunday 04:00 BST is only 5 real hours.
    due = reply_by(london(2026, 3, 28, 22), business(5, 6), night)
    assert due.target == london(2026, 3, 29, 4)
    assert due.limit == london(2026, 4, 4, 23)


def test_a_business_that_never_opens_has_no_deadline_on_its_clock():
    never = BusinessCalendar(WeeklyHours.always_closed(), "Europe/London")
    due = reply_by(london(2026, 6, 5, 16), business(24, 48), never)
    assert (due.target, due.limit) == (None, None)
    assert reply_by(london(2026, 6, 5, 16), ReplyPolicy(24, 48), never).target == london(2026, 6, 6, 16)


def test_a_deadline_beyond_the_two_year_look_ahead_is_none():
    one_hour_a_week = BusinessCalendar(WeeklyHours.from_json({"mon": [["09:00", "10:00"]]}), "Europe/London")
    due = reply_by(london(2026, 6, 5, 16), business(52, 200), one_hour_a_week)
    assert due.target is not None and due.limit is None


def test_naive_received_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        reply_by(datetime(2026, 6, 5, 16), ReplyPolicy(), OFFICE)


def test_open_hours_between_counts_only_open_time():
    assert open_hours_between(OFFICE, london(2026, 6, 5, 16), london(2026, 6, 8, 10, 30)) == 2.5
    assert open_hours_between(OFFICE, london(2026, 6, 8, 10), london(2026, 6, 8, 9)) == 0.0


# --- properties ---------------------------------------------------------------------------------------

HOURS = st.one_of(st.integers(1, 80), st.floats(0.01, 80, allow_nan=False)).map(float)


@PROPERTY
@given(calendars(), instants_in(), HOURS, st.floats(1, 3))
def test_business_hours_deadlines_are_exactly_that_much_open_time_away(cal, received, target, stretch):
    due = reply_by(received, ReplyPolicy(target, target * stretch, ReplyClock.BUSINESS_HOURS), cal)
    for hours, deadline in ((target, due.target), (target * stretch, due.limit)):
        if deadline is None:
            assert open_hours_between(cal, received, received + timedelta(days=731)) < hours
            continue
        assert open_hours_between(cal, received, deadline) == pytest.approx(hours, abs=1e-6)
        # The deadline is at an open instant or a closing one: the microsecond before it was open.
        assert cal.is_open(deadline - timedelta(microseconds=1))
    if due.target is not None and due.limit is not None:
        assert due.target <= due.limit


@PROPERTY
@given(calendars(), instants_in(), HOURS)
def test_calendar_deadlines_are_that_many_real_hours_later(cal, received, target):
    due = reply_by(received, ReplyPolicy(target, target * 2), cal)
    assert abs((due.target - received) / timedelta(hours=1) - target) < 1e-6
    assert abs((due.limit - received) / timedelta(hours=1) - target * 2) < 1e-6
