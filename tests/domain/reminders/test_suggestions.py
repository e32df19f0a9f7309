"""Suggested times: the first moment the client's rules allow the channel, across daylight-saving changes in
London and New York, with the reason when the time moved."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from clientdesk.domain.boundaries import Channel, ChannelPolicy, ClientBoundaries, ClientWindow
from clientdesk.domain.hours import BusinessCalendar
from clientdesk.domain.reminders.suggestions import Suggester, Suggestion, suggest
from tests.domain.reminders.common import (
    DST_CHANGES, NY_OFFICE, OFFICE, PROPERTY, UTC, hours, london, new_york, utc,
)
from tests.domain.test_boundaries import model_allowed_set
from tests.domain.test_hours import weekly_hours

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def window_rules(zone: str, start: str, end: str, **others: str) -> ClientBoundaries:
    window = ClientWindow(zone, hours(**{day: [[start, end]] for day in WEEKDAYS}))
    return ClientBoundaries({Channel.PHONE: ChannelPolicy.CLIENT_WINDOW, **others}, window=window)


def test_allowed_at_the_due_time_is_suggested_as_it_is():
    assert suggest(ClientBoundaries.default(), OFFICE, Channel.PHONE, london(2026, 6, 2, 10)) == \
        Suggestion(utc(2026, 6, 2, 9), None)


def test_business_hours_after_the_london_spring_change():
    # Due half past midnight on the Sunday the clocks go forward: Monday 09:00 is BST, 08:00 UTC.
    found = suggest(ClientBoundaries.default(), OFFICE, Channel.PHONE, utc(2026, 3, 29, 0, 30),
                    now=london(2026, 3, 28, 12))
    assert found == Suggestion(utc(2026, 3, 30, 8), "Call — Mon 09:00, business hours")


def test_business_hours_after_the_london_autumn_change():
    found = suggest(ClientBoundaries.default(), OFFICE, Channel.SMS, london(2026, 10, 24, 12))
    assert found == Suggestion(utc(2026, 10, 26, 9), "Text — Mon 09:00, business hours")


def test_a_new_york_clients_window_seen_from_london_across_both_autumn_changes():
    # 10:00 in New York is 15:00 in London, except in the week between the two changes (London has gone back
    # on 25 October, New York only on 1 November), when it is 14:00.
    rules = window_rules("America/New_York", "10:00", "16:00")
    for monday, london_hour in ((date(2026, 10, 19), 15), (date(2026, 10, 26), 14), (date(2026, 11, 2), 15)):
        due = london(monday.year, monday.month, monday.day, 9)
        found = suggest(rules, OFFICE, Channel.PHONE, due, now=due)
        assert found.at == london(monday.year, monday.month, monday.day, london_hour)
        assert found.reason == f"Call — {london_hour}:00, their window"


def test_new_york_business_hours_across_the_spring_and_autumn_changes():
    found = suggest(ClientBoundaries.default(), NY_OFFICE, Channel.PHONE, new_york(2026, 3, 7, 20))
    assert found.at == utc(2026, 3, 9, 13) == new_york(2026, 3, 9, 9)  # EDT
    assert suggest(ClientBoundaries.default(), NY_OFFICE, Channel.PHONE, new_york(2026, 2, 28, 20)).at == \
        utc(2026, 3, 2, 14)  # EST
    found = suggest(ClientBoundaries.default(), NY_OFFICE, Channel.EMAIL, new_york(2026, 10, 30, 18))
    assert found.at == utc(2026, 11, 2, 14) == new_york(2026, 11, 2, 9)
    assert found.reason == "Email — Mon 09:00, business hours"


def test_a_london_clients_window_seen_from_new_york_during_the_spring_weeks_apart():
    # Client window 14:00–17:00 London; business 09:00–17:00 New York. Between 8 and 29 March 2026 New York has
    # moved on and London has not, so the window opens at 10:00 New York time instead of 09:00.
    rules = window_rules("Europe/London", "14:00", "17:00")
    expected = {date(2026, 3, 2): 9, date(2026, 3, 16): 10, date(2026, 3, 30): 9}
    for monday, ny_hour in expected.items():
        due = new_york(monday.year, monday.month, monday.day, 8)
        assert suggest(rules, NY_OFFICE, Channel.PHONE, due, now=due).at == \
            new_york(monday.year, monday.month, monday.day, ny_hour)
    due = new_york(2026, 3, 16, 8)
    assert suggest(rules, NY_OFFICE, Channel.PHONE, due, now=due).reason == "Call — 10:00, their window"


def test_a_channel_never_used_has_no_suggested_time():
    rules = ClientBoundaries({Channel.PHONE: ChannelPolicy.NEVER})
    assert suggest(rules, OFFICE, Channel.PHONE, london(2026, 6, 2, 10)) == \
        Suggestion(None, "Phone is never used with this client")
    closed = BusinessCalendar(hours(), "Europe/London")
    assert suggest(ClientBoundaries.default(), closed, Channel.PHONE, london(2026, 6, 2, 10)) == \
        Suggestion(None, "Phone is not allowed within two years")


def test_a_do_not_contact_date_holds_the_time_back_and_says_so():
    rules = ClientBoundaries({}, do_not_contact_until=date(2027, 1, 15))
    found = suggest(rules, OFFICE, Channel.PHONE, london(2027, 1, 10, 12))
    assert found == Suggestion(london(2027, 1, 15, 9), "Call — Fri 09:00, not before 15 January 2027")


def test_an_overdue_item_is_suggested_from_now_not_from_the_past():
    due, now = london(2026, 6, 1, 9), london(2026, 6, 1, 18)  # Monday
    assert suggest(ClientBoundaries.default(), OFFICE, Channel.PHONE, due, now=now) == \
        Suggestion(london(2026, 6, 2, 9), "Call — Tue 09:00, business hours")
    assert suggest(ClientBoundaries.default(), OFFICE, Channel.PHONE, due, now=london(2026, 6, 1, 11)) == \
        Suggestion(london(2026, 6, 1, 11), None)


def test_the_suggester_remembers_answers_for_one_agenda():
    suggester = Suggester(OFFICE, london(2026, 6, 1, 8))
    first = suggester(ClientBoundaries.default(), Channel.PHONE, london(2026, 6, 6, 10))
    assert first == suggest(ClientBoundaries.default(), OFFICE, Channel.PHONE, london(2026, 6, 6, 10),
                            now=london(2026, 6, 1, 8))
    assert suggester(ClientBoundaries.default(), Channel.PHONE, london(2026, 6, 6, 10)) is first


# --- property: exact across the changes ------------------------------------------------------------------------

AROUND_CHANGES = st.tuples(st.sampled_from(DST_CHANGES), st.integers(-4 * 24 * 60, 4 * 24 * 60)).map(
    lambda pair: datetime(pair[0].year, pair[0].month, pair[0].day, tzinfo=UTC) + timedelta(minutes=pair[1]))
ZONES = ["Europe/London", "America/New_York"]


@st.composite
def rules_and_calendars(draw: st.DrawFn) -> tuple[ClientBoundaries, BusinessCalendar]:
    policy = draw(st.sampled_from(list(ChannelPolicy)))
    window = draw(st.none() | st.builds(ClientWindow, st.sampled_from(ZONES), weekly_hours()))
    if window is None and policy is ChannelPolicy.CLIENT_WINDOW:
        policy = ChannelPolicy.BUSINESS_HOURS
    until = draw(st.none() | st.sampled_from(DST_CHANGES).map(lambda day: day + timedelta(days=2)))
    rules = ClientBoundaries({Channel.PHONE: policy}, window=window, do_not_contact_until=until)
    return rules, BusinessCalendar(draw(weekly_hours()), draw(st.sampled_from(ZONES)))


@PROPERTY
@given(rules_and_calendars(), AROUND_CHANGES, st.integers(0, 3 * 24 * 60))
def test_the_suggested_time_is_the_first_allowed_instant_of_the_naive_model(rules_calendar, due, late_by):
    rules, calendar = rules_calendar
    now = due + timedelta(minutes=late_by) if late_by % 2 else None  # half the items overdue
    start = due if now is None else now
    found = suggest(rules, calendar, Channel.PHONE, due, now=now)
    allowed = model_allowed_set(rules, calendar, Channel.PHONE, False, start, start + timedelta(days=30))
    if allowed:
        assert found.at == allowed[0][0]
    else:
        assert found.at is None or found.at >= start + timedelta(days=30)
    assert (found.reason is None) == (found.at == start)
