"""Interactions (validation) and inquiries (answering, closing, lateness, urgency, responsiveness)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.errors import InvalidInput
from clientdesk.domain.interactions import (
    MAX_OUTCOME, MAX_SUMMARY, Direction, Inquiry, InquiryError, InquiryStatus, InteractionDraft, Overdue,
    Responsiveness, answered, by_urgency, closed, overdue, responsiveness, time_left, validate_interaction,
)

UTC = timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def draft(**changes) -> InteractionDraft:
    base = InteractionDraft(contact_id=7, channel=Channel.PHONE, direction=Direction.IN, at=NOW - HOUR,
                            summary="Asked about the invoice.")
    return replace(base, **changes)


def problems_of(error: pytest.ExceptionInfo[InvalidInput]) -> dict[str, str]:
    return {problem.field: problem.message for problem in error.value.problems}


def inquiry(id: int = 1, received: datetime = NOW, target_hours: float | None = 24,
            limit_hours: float | None = 48, **changes) -> Inquiry:
    target = None if target_hours is None else received + target_hours * HOUR
    limit = None if limit_hours is None else received + limit_hours * HOUR
    return Inquiry(id, contact_id=7, received=received, target=target, limit=limit, **changes)


# --- validating an interaction ------------------------------------------------------------------------

def test_a_valid_draft_comes_back_cleaned_with_its_time_in_utc():
    given_at = datetime(2026, 11, 20, 15, 30, tzinfo=BERLIN)
    result = validate_interaction(draft(at=given_at, summary="  Called\x00 back\r\nabout it \x07", outcome="",
                                        logged_by=" Ann\tSmith\x1b ", channel="sms", direction="out"), NOW)
    assert result.at == given_at and result.at.tzinfo is UTC
    assert result.summary == "Called back\nabout it"
    assert result.logged_by == "Ann Smith"
    assert result.channel is Channel.SMS and result.direction is Direction.OUT


def test_the_draft_fields_not_cleaned_are_kept():
    original = draft(duration_minutes=12, urgent=True, needs_reply=True)
    result = validate_interaction(original, NOW)
    assert (result.contact_id, result.duration_minutes, result.urgent, result.needs_reply) == (7, 12, True, True)


def test_an_unknown_channel_or_direction_is_a_problem():
    with pytest.raises(InvalidInput) as error:
        validate_interaction(draft(channel="fax", direction="sideways"), NOW)
    found = problems_of(error)
    assert set(found) == {"channel", "direction"}
    assert "“fax” is not a channel" in found["channel"] and "in_person" in found["channel"]


def test_a_100000_character_summary_is_refused_saying_how_long_it_is_and_the_limit():
    with pytest.raises(InvalidInput) as error:
        validate_interaction(draft(summary="x" * 100_000), NOW)
    assert problems_of(error) == {"summary": "The summary is 100,000 characters long; the limit is 10,000."}


def test_a_summary_at_the_limit_is_accepted_and_one_over_is_not():
    assert len(validate_interaction(draft(summary="x" * MAX_SUMMARY), NOW).summary) == MAX_SUMMARY
    with pytest.raises(InvalidInput):
        validate_interaction(draft(summary="x" * (MAX_SUMMARY + 1)), NOW)


def test_the_length_is_measured_after_control_characters_are_removed():
    assert validate_interaction(draft(summary="x" * MAX_SUMMARY + "\x00" * 50), NOW).summary == "x" * MAX_SUMMARY


def test_an_outcome_over_its_limit_is_refused():
    with pytest.raises(InvalidInput) as error:
        validate_interaction(draft(outcome="y" * (MAX_OUTCOME + 1)), NOW)
    assert problems_of(error) == {"outcome": "The outcome is 2,001 characters long; the limit is 2,000."}


def test_an_outcome_alone_is_enough():
    assert validate_interaction(draft(summary="", outcome="Booked a visit."), NOW).outcome == "Booked a visit."


def test_nothing_said_is_a_problem_even_when_only_control_characters_were_typed():
    with pytest.raises(InvalidInput) as error:
        validate_interaction(draft(summary=" \x00\x01 ", outcome="\r\n"), NOW)
    assert problems_of(error) == {"summary": "Say what was said: a summary or an outcome."}


@pytest.mark.parametrize("minutes", [-1, 24 * 60 + 1, True, 2.5])
def test_a_duration_that_is_negative_over_a_day_or_not_whole_minutes_is_a_problem(minutes):
    with pytest.raises(InvalidInput) as error:
        validate_interaction(draft(duration_minutes=minutes), NOW)
    assert set(problems_of(error)) == {"duration_minutes"}


@pytest.mark.parametrize("minutes", [None, 0, 24 * 60])
def test_a_duration_from_none_to_exactly_a_day_is_accepted(minutes):
    assert validate_interaction(draft(duration_minutes=minutes), NOW).duration_minutes == minutes


def test_a_time_up_to_five_minutes_ahead_is_clock_drift_and_beyond_that_a_problem():
    assert validate_interaction(draft(at=NOW + timedelta(minutes=5)), NOW).at == NOW + timedelta(minutes=5)
    with pytest.raises(InvalidInput) as error:
        validate_interaction(draft(at=NOW + timedelta(minutes=5, seconds=1)), NOW)
    assert "2026-11-20 16:05 UTC is in the future" in problems_of(error)["at"]


def test_the_future_is_judged_across_zones():
    later_in_berlin = datetime(2026, 11, 20, 17, 4, tzinfo=BERLIN)  # 16:04 UTC
    assert validate_interaction(draft(at=later_in_berlin), NOW).at == NOW + timedelta(minutes=4)


def test_only_an_incoming_contact_can_need_a_reply():
    with pytest.raises(InvalidInput) as error:
        validate_interaction(draft(direction=Direction.OUT, needs_reply=True), NOW)
    assert problems_of(error) == {"needs_reply": "Only an incoming contact can need a reply."}


def test_only_an_outgoing_contact_can_answer_an_inquiry():
    with pytest.raises(InvalidInput) as error:
        validate_interaction(draft(direction=Direction.IN, answers_inquiry_id=3), NOW)
    assert set(problems_of(error)) == {"answers_inquiry_id"}
    assert validate_interaction(draft(direction=Direction.OUT, answers_inquiry_id=3), NOW).answers_inquiry_id == 3


def test_an_override_reason_is_cleaned_and_bounded():
    result = validate_interaction(draft(direction="out", override_reason=" Burst\x00 pipe,\n urgent "), NOW)
    assert result.override_reason == "Burst pipe, urgent"
    with pytest.raises(InvalidInput) as error:
        validate_interaction(draft(override_reason="r" * 501), NOW)
    assert set(problems_of(error)) == {"override_reason"}


def test_every_problem_is_reported_at_once():
    with pytest.raises(InvalidInput) as error:
        validate_interaction(draft(channel="fax", direction="out", at=NOW + HOUR, summary="", outcome="o" * 3000,
                                   duration_minutes=-5, needs_reply=True), NOW)
    assert [p.field for p in error.value.problems] == [
        "channel", "at", "outcome", "duration_minutes", "needs_reply"]


@pytest.mark.parametrize("field", ["at", "now"])
def test_a_naive_datetime_is_a_programming_error(field):
    naive = datetime(2026, 11, 20, 15, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        if field == "at":
            validate_interaction(draft(at=naive), NOW)
        else:
            validate_interaction(draft(), naive)


# --- the inquiry record -------------------------------------------------------------------------------

def test_an_inquiry_keeps_its_instants_in_utc_and_takes_a_plain_status():
    received = datetime(2026, 11, 20, 17, 0, tzinfo=BERLIN)
    made = Inquiry(1, 7, received, received + HOUR, None, status="open")
    assert made.received == NOW and made.received.tzinfo is UTC and made.target.tzinfo is UTC
    assert made.status is InquiryStatus.OPEN


def test_an_inquiry_refuses_naive_instants_and_an_answered_status_without_a_time():
    with pytest.raises(ValueError, match="timezone-aware"):
        Inquiry(1, 7, datetime(2026, 11, 20), None, None)
    with pytest.raises(ValueError):
        Inquiry(1, 7, NOW, None, None, status=InquiryStatus.ANSWERED)


# --- answering and closing ----------------------------------------------------------------------------

def test_answering_an_open_inquiry_records_when_and_by_which_interaction():
    result = answered(inquiry(), datetime(2026, 11, 21, 10, 0, tzinfo=BERLIN), interaction_id=42)
    assert result.status is InquiryStatus.ANSWERED
    assert result.answered_at == datetime(2026, 11, 21, 9, 0, tzinfo=UTC) and result.answered_at.tzinfo is UTC
    assert result.answered_by_interaction_id == 42


def test_an_answer_at_the_very_instant_received_is_accepted():
    assert answered(inquiry(), NOW).answered_at == NOW


def test_an_answer_cannot_come_before_the_inquiry():
    with pytest.raises(InvalidInput) as error:
        answered(inquiry(), NOW - timedelta(seconds=1))
    assert problems_of(error) == {"at": "An answer cannot come before the inquiry, received 2026-11-20 16:00 UTC."}


def test_answering_twice_is_refused_naming_the_first_answer():
    once = answered(inquiry(), NOW + HOUR)
    with pytest.raises(InquiryError) as error:
        answered(once, NOW + 2 * HOUR)
    assert "already answered on 2026-11-20 17:00 UTC" in problems_of(error)["inquiry"]


def test_closing_an_open_inquiry_keeps_the_cleaned_reason():
    result = closed(inquiry(), "  Client\x00 sorted it\n out themselves ", NOW + HOUR)
    assert (result.status, result.closed_at, result.close_reason) == (
        InquiryStatus.CLOSED, NOW + HOUR, "Client sorted it out themselves")


@pytest.mark.parametrize("reason", ["", "   ", "\x00\x07"])
def test_closing_needs_a_reason(reason):
    with pytest.raises(InvalidInput) as error:
        closed(inquiry(), reason, NOW + HOUR)
    assert problems_of(error) == {"reason": "Say why no reply is needed."}


def test_a_closing_reason_is_at_most_500_characters():
    assert len(closed(inquiry(), "r" * 500, NOW).close_reason) == 500
    with pytest.raises(InvalidInput) as error:
        closed(inquiry(), "r" * 501, NOW)
    assert set(problems_of(error)) == {"reason"}


def test_closing_before_received_is_refused_with_the_reason_problem_too():
    with pytest.raises(InvalidInput) as error:
        closed(inquiry(), "", NOW - HOUR)
    assert set(problems_of(error)) == {"reason", "at"}


def test_a_closed_inquiry_can_be_neither_answered_nor_closed_again():
    done = closed(inquiry(), "Spam", NOW + HOUR)
    with pytest.raises(InquiryError, match="closed on 2026-11-20 17:00 UTC"):
        answered(done, NOW + 2 * HOUR)
    with pytest.raises(InquiryError):
        closed(done, "Again", NOW + 2 * HOUR)
    with pytest.raises(InquiryError):
        closed(answered(inquiry(), NOW), "Too late", NOW + HOUR)


def test_an_inquiry_error_is_an_invalid_input_on_the_inquiry_field():
    with pytest.raises(InvalidInput) as error:
        answered(answered(inquiry(), NOW), NOW)
    assert isinstance(error.value, InquiryError) and set(problems_of(error)) == {"inquiry"}


@pytest.mark.parametrize("call", [
    lambda: answered(inquiry(), datetime(2026, 11, 21)),
    lambda: closed(inquiry(), "x", datetime(2026, 11, 21)),
    lambda: overdue(inquiry(), datetime(2026, 11, 21)),
    lambda: time_left(inquiry(), datetime(2026, 11, 21)),
    lambda: by_urgency([inquiry()], datetime(2026, 11, 21)),
    lambda: responsiveness([], datetime(2026, 11, 1), NOW, NOW),
])
def test_every_inquiry_rule_refuses_a_naive_datetime(call):
    with pytest.raises(ValueError, match="timezone-aware"):
        call()


# --- overdue and time left ----------------------------------------------------------------------------

def test_an_open_inquiry_is_on_time_up_to_and_at_its_target_exactly():
    item = inquiry()
    assert overdue(item, NOW) is Overdue.NONE
    assert overdue(item, NOW + 24 * HOUR) is Overdue.NONE
    assert overdue(item, NOW + 24 * HOUR + timedelta(microseconds=1)) is Overdue.TARGET
    assert overdue(item, NOW + 48 * HOUR) is Overdue.TARGET
    assert overdue(item, NOW + 48 * HOUR + timedelta(microseconds=1)) is Overdue.LIMIT


def test_an_answered_inquiry_is_judged_when_it_was_answered_not_now():
    much_later = NOW + 1000 * HOUR
    assert overdue(answered(inquiry(), NOW + 24 * HOUR), much_later) is Overdue.NONE
    assert overdue(answered(inquiry(), NOW + 30 * HOUR), much_later) is Overdue.TARGET
    assert overdue(answered(inquiry(), NOW + 60 * HOUR), much_later) is Overdue.LIMIT
    assert overdue(answered(inquiry(), NOW + 60 * HOUR), NOW) is Overdue.LIMIT


def test_a_closed_inquiry_is_never_overdue():
    assert overdue(closed(inquiry(), "No reply needed", NOW + 100 * HOUR), NOW + 200 * HOUR) is Overdue.NONE


def test_missing_deadlines_are_never_passed():
    assert overdue(inquiry(target_hours=None, limit_hours=None), NOW + 10_000 * HOUR) is Overdue.NONE
    assert overdue(inquiry(target_hours=24, limit_hours=None), NOW + 10_000 * HOUR) is Overdue.TARGET
    assert overdue(inquiry(target_hours=None, limit_hours=48), NOW + 30 * HOUR) is Overdue.NONE


def test_time_left_counts_to_the_target_then_to_the_limit_then_below_zero():
    item = inquiry()
    assert time_left(item, NOW) == 24 * HOUR
    assert time_left(item, NOW + 24 * HOUR) == timedelta(0)
    assert time_left(item, NOW + 30 * HOUR) == 18 * HOUR
    assert time_left(item, NOW + 48 * HOUR) == timedelta(0)
    assert time_left(item, NOW + 50 * HOUR) == -2 * HOUR


def test_time_left_with_missing_deadlines():
    assert time_left(inquiry(target_hours=None, limit_hours=None), NOW) is None
    assert time_left(inquiry(target_hours=None, limit_hours=48), NOW + HOUR) == 47 * HOUR
    assert time_left(inquiry(target_hours=24, limit_hours=None), NOW + 30 * HOUR) == -6 * HOUR


def test_nothing_is_left_to_count_down_once_answered_or_closed():
    assert time_left(answered(inquiry(), NOW + HOUR), NOW + 2 * HOUR) is None
    assert time_left(closed(inquiry(), "Spam", NOW + HOUR), NOW + 2 * HOUR) is None


def test_time_left_works_across_zones():
    assert time_left(inquiry(), datetime(2026, 11, 21, 10, 0, tzinfo=BERLIN)) == 7 * HOUR  # 09:00 UTC


# --- urgency ------------------------------------------------------------------------------------------

def test_past_the_limit_comes_first_then_past_the_target_then_the_earliest_deadline():
    as_of = NOW + 100 * HOUR
    long_past_limit = inquiry(1, received=NOW - 10 * HOUR)  # limit passed 62 h ago
    past_limit = inquiry(2, received=NOW)                    # limit passed 52 h ago
    long_past_target = inquiry(3, received=NOW + 40 * HOUR)   # target passed 36 h ago
    past_target = inquiry(4, received=NOW + 70 * HOUR)        # target passed 6 h ago
    due_soon = inquiry(5, received=NOW + 90 * HOUR)           # target in 14 h
    due_later = inquiry(6, received=NOW + 99 * HOUR)          # target in 23 h
    only_limit_soon = inquiry(7, received=NOW + 95 * HOUR, target_hours=None, limit_hours=10)  # limit in 5 h
    no_deadline = inquiry(8, received=NOW, target_hours=None, limit_hours=None)
    answered_one = answered(inquiry(9, received=NOW - 200 * HOUR), NOW)
    closed_one = closed(inquiry(10, received=NOW - 300 * HOUR), "Spam", NOW)
    shuffled = [closed_one, due_later, no_deadline, past_target, answered_one, only_limit_soon, long_past_target,
                due_soon, past_limit, long_past_limit]
    assert [i.id for i in by_urgency(shuffled, as_of)] == [1, 2, 3, 4, 7, 5, 6, 8, 10, 9]


def test_urgency_ties_go_by_received_then_id():
    as_of = NOW
    same_deadline_earlier_received = inquiry(5, received=NOW - 10 * HOUR, target_hours=34)  # target NOW+24h
    same_deadline_later_received = inquiry(2, received=NOW, target_hours=24)
    twin_a = inquiry(4, received=NOW, target_hours=24)
    twins = [twin_a, same_deadline_later_received, same_deadline_earlier_received]
    assert [i.id for i in by_urgency(twins, as_of)] == [5, 2, 4]


def test_urgency_of_nothing_is_an_empty_list_and_any_iterable_will_do():
    assert by_urgency([], NOW) == []
    assert [i.id for i in by_urgency((inquiry(i) for i in (3, 1, 2)), NOW)] == [1, 2, 3]


# --- responsiveness -----------------------------------------------------------------------------------

START = datetime(2026, 11, 1, tzinfo=UTC)
END = datetime(2026, 12, 1, tzinfo=UTC)


def test_responsiveness_on_a_known_set():
    received = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
    items = [
        answered(inquiry(1, received), received + 3 * HOUR),    # within both
        answered(inquiry(2, received), received + 30 * HOUR),   # within the limit only
        answered(inquiry(3, received), received + 60 * HOUR),   # within neither
        inquiry(4, received),                                   # open, limit long passed: within neither
    ]
    assert responsiveness(items, START, END, as_of=END) == Responsiveness(4, 0.25, 0.5, 30.0)


def test_closed_and_undecided_inquiries_do_not_count():
    received = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    items = [
        answered(inquiry(1, received), received + 3 * HOUR),
        closed(inquiry(2, received - 500 * HOUR), "Spam", received),   # closed: never counts
        inquiry(3, received),                                          # limit not yet passed as of END
        inquiry(4, received, limit_hours=None),                        # no limit: never decided
    ]
    assert responsiveness(items, START, END, as_of=END) == Responsiveness(1, 1.0, 1.0, 3.0)


def test_an_open_inquiry_counts_only_after_its_limit_not_at_it():
    item = inquiry(1, datetime(2026, 11, 10, tzinfo=UTC))
    assert item.limit is not None
    assert responsiveness([item], START, END, item.limit).inquiries == 0
    assert responsiveness([item], START, END, item.limit + timedelta(microseconds=1)) == \
        Responsiveness(1, 0.0, 0.0, None)


def test_answering_at_a_deadline_exactly_is_within_it():
    received = datetime(2026, 11, 10, tzinfo=UTC)
    items = [answered(inquiry(1, received), received + 24 * HOUR), answered(inquiry(2, received), received + 48 * HOUR)]
    assert responsiveness(items, START, END, END) == Responsiveness(2, 0.5, 1.0, 36.0)


def test_a_deadline_out_of_reach_cannot_be_missed_by_an_answer():
    received = datetime(2026, 11, 10, tzinfo=UTC)
    item = answered(inquiry(1, received, target_hours=None, limit_hours=None), received + 500 * HOUR)
    assert responsiveness([item], START, END, END) == Responsiveness(1, 1.0, 1.0, 500.0)


def test_the_period_includes_its_start_and_excludes_its_end():
    at_start = answered(inquiry(1, START), START + HOUR)
    just_before_end = answered(inquiry(2, END - timedelta(microseconds=1)), END + 2 * HOUR)
    at_end = answered(inquiry(3, END), END + 100 * HOUR)
    just_before_start = answered(inquiry(4, START - timedelta(microseconds=1)), START + 100 * HOUR)
    result = responsiveness([at_start, just_before_end, at_end, just_before_start], START, END, END + 1000 * HOUR)
    assert result.inquiries == 2 and result.median_hours == pytest.approx(1.5, abs=1e-6)


def test_the_period_is_compared_as_instants_whatever_the_zone():
    start_in_berlin = datetime(2026, 11, 1, 1, 0, tzinfo=BERLIN)  # = START
    item = answered(inquiry(1, START), START + HOUR)
    assert responsiveness([item], start_in_berlin, END, END).inquiries == 1


def test_an_empty_period_or_set_has_no_figures():
    nothing = Responsiveness(0, None, None, None)
    assert responsiveness([], START, END, END) == nothing
    assert responsiveness([answered(inquiry(1, START), START)], START, START, END) == nothing


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(InvalidInput) as error:
        responsiveness([], END, START, END)
    assert set(problems_of(error)) == {"end"}


# --- properties ---------------------------------------------------------------------------------------

BASE = datetime(2026, 1, 1, tzinfo=UTC)
minutes = st.integers(0, 60 * 24 * 60)  # up to 60 days, in minutes


@st.composite
def inquiries(draw, ids=st.integers(1, 50)) -> Inquiry:
    received = BASE + timedelta(minutes=draw(minutes))
    target_after = draw(st.none() | st.integers(1, 60 * 24 * 10))
    limit_after = draw(st.none() | st.integers(0, 60 * 24 * 10))
    target = None if target_after is None else received + timedelta(minutes=target_after)
    # Mostly the usual shape (limit no earlier than the target), sometimes a limit with no target.
    limit = None if limit_after is None else (target or received) + timedelta(minutes=limit_after)
    item = Inquiry(draw(ids), 7, received, target, limit)
    status = draw(st.sampled_from(InquiryStatus))
    later = received + timedelta(minutes=draw(st.integers(0, 60 * 24 * 20)))
    if status is InquiryStatus.ANSWERED:
        return answered(item, later)
    if status is InquiryStatus.CLOSED:
        return closed(item, "No reply needed", later)
    return item


instants = minutes.map(lambda m: BASE + timedelta(minutes=m))


@PROPERTY
@given(st.lists(inquiries(), max_size=20), instants)
def test_by_urgency_is_a_permutation_in_overdue_order(items, as_of):
    ranked = by_urgency(items, as_of)
    assert sorted(map(id, ranked)) == sorted(map(id, items))
    open_ones = [i for i in ranked if i.status is InquiryStatus.OPEN]
    assert ranked[:len(open_ones)] == open_ones  # answered and closed ones need nothing, so they come last
    rank = {Overdue.LIMIT: 0, Overdue.TARGET: 1, Overdue.NONE: 2}
    states = [rank[overdue(i, as_of)] for i in open_ones]
    assert states == sorted(states)


@PROPERTY
@given(st.lists(inquiries(), max_size=20), instants)
def test_time_left_agrees_with_overdue(items, as_of):
    for item in items:
        left = time_left(item, as_of)
        state = overdue(item, as_of)
        if item.status is not InquiryStatus.OPEN:
            assert left is None
        elif state is Overdue.LIMIT:
            assert left is not None and left < timedelta(0)
        elif left is not None and left < timedelta(0):
            assert state is Overdue.TARGET and item.limit is None


@PROPERTY
@given(st.lists(inquiries(), max_size=20), instants, instants, instants)
def test_responsiveness_shares_are_fractions_and_the_target_is_harder_than_the_limit(items, a, b, as_of):
    start, end = min(a, b), max(a, b)
    result = responsiveness(items, start, end, as_of)
    if result.inquiries == 0:
        assert result == Responsiveness(0, None, None, None)
        return
    assert 0 <= result.within_target <= 1 and 0 <= result.within_limit <= 1
    if all(i.target is not None and i.limit is not None for i in items):  # generated so that target <= limit
        assert result.within_target <= result.within_limit
    assert result.median_hours is None or result.median_hours >= 0
    eligible = [i for i in items if start <= i.received < end and i.status is not InquiryStatus.CLOSED]
    assert result.inquiries <= len(eligible)
