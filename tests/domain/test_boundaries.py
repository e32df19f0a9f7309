"""Contact boundaries: per-channel rules, urgent exceptions, do-not-contact dates and the client's own hours."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientdesk.domain.boundaries import (
    CHANNEL_LABELS, Channel, ChannelPolicy, ClientBoundaries, ClientWindow, ContactCheck, check_contact,
    contact_now_summary,
)
from clientdesk.domain.errors import InvalidInput
from clientdesk.domain.hours import BusinessCalendar, WeeklyHours
from tests.domain.test_hours import (
    FIRST_DAY, LAST_DAY, PROPERTY, ZONES, calendars, instants_in, london, model_is_open, model_open_set,
    weekly_hours,
)

UTC = timezone.utc
OFFICE = BusinessCalendar(WeeklyHours.office_default(), "Europe/London")  # Mon–Fri 09:00–17:00
WEEKDAYS_10_TO_16 = {day: [["10:00", "16:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
# June 2026: Monday 1st, Friday 5th, Saturday 6th, Monday 8th.
MONDAY_NOON = london(2026, 6, 1, 12)
SATURDAY_NOON = london(2026, 6, 6, 12)

EXAMPLE = {
    "channels": {"phone": "business_hours", "sms": "never", "email": "any_time", "video": "client_window"},
    "urgent_channels": ["phone"],
    "client_window": {"timezone": "Europe/Berlin", "hours": {"mon": [["10:00", "16:00"]]}},
    "do_not_contact_until": "2027-01-15",
    "notes": "Prefers email.",
}


def boundaries(window: dict | None = None, until: str | None = None, urgent: list[str] | None = None,
               **channels: str) -> ClientBoundaries:
    return ClientBoundaries.from_json({"channels": channels, "client_window": window, "do_not_contact_until": until,
                                       "urgent_channels": urgent or []})


def fields_of(error: pytest.ExceptionInfo[InvalidInput]) -> set[str]:
    return {problem.field for problem in error.value.problems}


# --- the rules as data --------------------------------------------------------------------------------

def test_boundaries_come_from_json():
    rules = ClientBoundaries.from_json(EXAMPLE)
    assert rules.policy(Channel.SMS) is ChannelPolicy.NEVER
    assert rules.policy(Channel.POSTAL) is ChannelPolicy.BUSINESS_HOURS  # not mentioned
    assert rules.urgent_channels == frozenset({Channel.PHONE})
    assert rules.window == ClientWindow("Europe/Berlin", WeeklyHours.from_json({"mon": [["10:00", "16:00"]]}))
    assert (rules.do_not_contact_until, rules.notes) == (date(2027, 1, 15), "Prefers email.")


def test_boundaries_go_back_to_json_in_full_and_round_trip():
    rules = ClientBoundaries.from_json(EXAMPLE)
    data = rules.to_json()
    assert data["channels"] == {"phone": "business_hours", "sms": "never", "email": "any_time",
                                "video": "client_window", "in_person": "business_hours", "postal": "business_hours"}
    assert data["client_window"]["hours"]["tue"] == []
    assert ClientBoundaries.from_json(data) == rules


def test_boundaries_are_immutable_and_hashable():
    rules = ClientBoundaries.from_json(EXAMPLE)
    assert hash(rules) == hash(ClientBoundaries.from_json(EXAMPLE))
    with pytest.raises(TypeError):
        rules.channels[Channel.SMS] = ChannelPolicy.ANY_TIME  # type: ignore[index]


def test_the_default_is_business_hours_for_every_channel():
    default = ClientBoundaries.default()
    assert all(default.policy(channel) is ChannelPolicy.BUSINESS_HOURS for channel in Channel)
    assert default == ClientBoundaries({}) == ClientBoundaries.from_json({})
    assert default == ClientBoundaries({Channel.PHONE: ChannelPolicy.BUSINESS_HOURS})  # the same rules


def test_every_problem_in_the_boundaries_is_listed_at_once():
    with pytest.raises(InvalidInput) as caught:
        ClientBoundaries.from_json({
            "channels": {"fax": "any_time", "sms": "sometimes", "video": "client_window"},
            "urgent_channels": ["phone", "pigeon"],
            "do_not_contact_until": "15/01/2027",
        })
    assert fields_of(caught) == {"channels.fax", "channels.sms", "channels.video", "urgent_channels[1]",
                                 "do_not_contact_until"}
    messages = " ".join(problem.message for problem in caught.value.problems)
    assert "“fax” is not a channel" in messages and "“sometimes” is not a rule" in messages
    assert "client's hours are not given" in messages


def test_a_bad_client_window_is_reported_by_its_fields():
    with pytest.raises(InvalidInput) as caught:
        ClientBoundaries.from_json({"channels": {"video": "client_window"},
                                    "client_window": {"timezone": "Europe/Atlantis",
                                                      "hours": {"mon": [["10:00", "25:00"]]}}})
    assert fields_of(caught) == {"client_window.timezone", "client_window.hours.mon[0]"}


# --- checking one channel -----------------------------------------------------------------------------

def test_any_time_is_allowed_with_no_end():
    check = check_contact(boundaries(email="any_time"), OFFICE, Channel.EMAIL, SATURDAY_NOON)
    assert check == ContactCheck(True, ("Email is allowed at any time.",), SATURDAY_NOON, None)
    assert check.next_allowed.tzinfo is UTC


def test_business_hours_are_allowed_while_open_until_closing():
    check = check_contact(boundaries(), OFFICE, Channel.PHONE, MONDAY_NOON)
    assert check.allowed and check.next_allowed == MONDAY_NOON and check.allowed_until == london(2026, 6, 1, 17)
    assert check.reasons == ("Phone only while the business is open; it is open now.",)


def test_business_hours_when_closed_give_the_next_opening():
    check = check_contact(boundaries(), OFFICE, Channel.PHONE, SATURDAY_NOON)
    assert check == ContactCheck(False, ("Phone only while the business is open; it is closed now.",),
                                 london(2026, 6, 8, 9), None)


def test_never_is_never_allowed():
    check = check_contact(boundaries(sms="never"), OFFICE, Channel.SMS, MONDAY_NOON)
    assert check == ContactCheck(False, ("Text is never used with this client.",), None, None)


def test_urgent_on_an_urgent_channel_overrides_never_and_do_not_contact():
    rules = boundaries(phone="never", until="2027-01-15", urgent=["phone"])
    check = check_contact(rules, OFFICE, Channel.PHONE, SATURDAY_NOON, urgent=True)
    assert check == ContactCheck(True, ("Phone is allowed at any time for urgent matters.",), SATURDAY_NOON, None)


def test_urgent_on_another_channel_changes_nothing():
    rules = boundaries(urgent=["phone"])
    assert not check_contact(rules, OFFICE, Channel.SMS, SATURDAY_NOON, urgent=True).allowed
    assert not check_contact(rules, OFFICE, Channel.PHONE, SATURDAY_NOON, urgent=False).allowed


def test_do_not_contact_until_holds_everything_back_to_that_day():
    rules = boundaries(until="2027-01-15", email="any_time")
    early = london(2027, 1, 10, 12)
    email = check_contact(rules, OFFICE, Channel.EMAIL, early)
    assert email == ContactCheck(False, ("Do not contact until 15 January 2027.", "Email is allowed at any time."),
                                 london(2027, 1, 15), None)
    # Friday the 15th: the phone waits for the business to open that morning.
    assert check_contact(rules, OFFICE, Channel.PHONE, early).next_allowed == london(2027, 1, 15, 9)
    assert check_contact(rules, OFFICE, Channel.EMAIL, london(2027, 1, 15)).allowed
    assert check_contact(rules, OFFICE, Channel.PHONE, london(2027, 1, 15, 10)).reasons == (
        "Phone only while the business is open; it is open now.",)


def test_a_do_not_contact_date_ending_on_a_weekend_waits_for_monday():
    rules = boundaries(until="2027-01-16")  # a Saturday
    assert check_contact(rules, OFFICE, Channel.PHONE, london(2027, 1, 14, 12)).next_allowed == london(2027, 1, 18, 9)


def test_the_do_not_contact_day_starts_at_midnight_in_the_business_zone():
    new_york = BusinessCalendar(WeeklyHours.from_json({}), "America/New_York")
    rules = boundaries(until="2027-01-15", email="any_time")
    check = check_contact(rules, new_york, Channel.EMAIL, datetime(2027, 1, 15, 3, tzinfo=UTC))
    assert not check.allowed and check.next_allowed == datetime(2027, 1, 15, 5, tzinfo=UTC)


BERLIN_WINDOW = {"timezone": "Europe/Berlin", "hours": WEEKDAYS_10_TO_16}


def test_the_client_window_is_read_in_the_clients_zone():
    rules = boundaries(BERLIN_WINDOW, video="client_window")
    # Berlin is an hour ahead: 10:00–16:00 there is 09:00–15:00 in London.
    early = check_contact(rules, OFFICE, Channel.VIDEO, london(2026, 6, 1, 8, 30))
    assert not early.allowed and early.next_allowed == london(2026, 6, 1, 9)
    assert early.reasons == ("Video call only while the business is open; it is closed now.",
                             "Outside the client's hours (10:00–16:00 Europe/Berlin).")
    during = check_contact(rules, OFFICE, Channel.VIDEO, london(2026, 6, 1, 10))
    assert during.allowed and during.allowed_until == london(2026, 6, 1, 15)
    assert during.reasons[1] == "Inside the client's hours (10:00–16:00 Europe/Berlin)."
    late = check_contact(rules, OFFICE, Channel.VIDEO, london(2026, 6, 1, 15, 30))
    assert not late.allowed and late.next_allowed == london(2026, 6, 2, 9)
    assert late.reasons[0].endswith("it is open now.")


def test_the_client_window_follows_the_clients_own_daylight_saving():
    rules = boundaries({"timezone": "America/New_York", "hours": {"mon": [["08:00", "18:00"]]}}, phone="client_window")
    # 16 March 2026: New York is on summer time already (4 hours behind London), London is not yet.
    assert check_contact(rules, OFFICE, Channel.PHONE, london(2026, 3, 16, 9)).next_allowed == london(2026, 3, 16, 12)
    # 1 June 2026: both on summer time, 5 hours apart again.
    assert check_contact(rules, OFFICE, Channel.PHONE, london(2026, 6, 1, 9)).next_allowed == london(2026, 6, 1, 13)


def test_a_client_window_opening_during_the_business_lunch_break_waits_for_the_afternoon():
    lunch_break = BusinessCalendar(WeeklyHours.from_json({"mon": [["09:00", "12:30"], ["13:30", "17:00"]]}),
                                   "Europe/London")
    rules = boundaries({"timezone": "Europe/Berlin", "hours": {"mon": [["13:45", "20:00"]]}}, video="client_window")
    check = check_contact(rules, lunch_break, Channel.VIDEO, london(2026, 6, 1, 8))
    assert check.next_allowed == london(2026, 6, 1, 13, 30)  # 12:45 in London is inside the break


def test_the_client_window_description_says_when_the_client_has_no_hours_that_day():
    rules = boundaries(BERLIN_WINDOW, video="client_window")
    assert check_contact(rules, OFFICE, Channel.VIDEO, SATURDAY_NOON).reasons[1] == \
        "Outside the client's hours (none on Saturdays, Europe/Berlin)."


def test_client_window_without_a_window_falls_back_to_business_hours():
    rules = ClientBoundaries({Channel.VIDEO: ChannelPolicy.CLIENT_WINDOW})
    check = check_contact(rules, OFFICE, Channel.VIDEO, MONDAY_NOON)
    assert check.allowed and check.allowed_until == london(2026, 6, 1, 17)
    assert "none are set, so business hours apply" in check.reasons[1]


def test_a_naive_instant_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        check_contact(boundaries(), OFFICE, Channel.PHONE, datetime(2026, 6, 1, 12))


# --- the list's indicator -----------------------------------------------------------------------------

def test_summary_phone_ok_until_closing_today():
    assert contact_now_summary(ClientBoundaries.default(), OFFICE, MONDAY_NOON) == "Phone OK until 17:00"


def test_summary_phone_ok_without_an_end():
    assert contact_now_summary(boundaries(phone="any_time"), OFFICE, SATURDAY_NOON) == "Phone OK"


def test_summary_phone_ok_until_another_day_or_midnight():
    late = BusinessCalendar(WeeklyHours.from_json({"mon": [["20:00", "02:00"]], "tue": [["18:00", "24:00"]]}),
                            "Europe/London")
    assert contact_now_summary(ClientBoundaries.default(), late, london(2026, 6, 1, 21)) == "Phone OK until Tue 02:00"
    assert contact_now_summary(ClientBoundaries.default(), late, london(2026, 6, 2, 19)) == "Phone OK until 24:00"


@pytest.mark.parametrize(("any_time", "expected"), [
    (["email"], "Email only"),
    (["email", "sms"], "Text and Email only"),
    (["postal", "sms", "email"], "Text, Email and Post only"),
])
def test_summary_lists_the_channels_allowed_now_in_channel_order(any_time, expected):
    rules = boundaries(**dict.fromkeys(any_time, "any_time"))
    assert contact_now_summary(rules, OFFICE, SATURDAY_NOON) == expected


def test_summary_dont_contact_gives_the_earliest_channel_and_when():
    assert contact_now_summary(ClientBoundaries.default(), OFFICE, SATURDAY_NOON) == \
        "Don't contact — phone from Mon 09:00"
    assert contact_now_summary(ClientBoundaries.default(), OFFICE, london(2026, 6, 1, 7)) == \
        "Don't contact — phone from 09:00"
    assert contact_now_summary(boundaries(phone="never"), OFFICE, SATURDAY_NOON) == \
        "Don't contact — text from Mon 09:00"


def test_summary_picks_the_channel_that_opens_first():
    rules = boundaries({"timezone": "America/New_York", "hours": WEEKDAYS_10_TO_16},
                       phone="client_window", sms="never", video="never", in_person="never", postal="never")
    assert contact_now_summary(rules, OFFICE, SATURDAY_NOON) == "Don't contact — email from Mon 09:00"


def test_summary_far_ahead_gives_the_date():
    rules = boundaries(until="2027-01-15")
    assert contact_now_summary(rules, OFFICE, london(2027, 1, 1, 12)) == "Don't contact — phone from 15 Jan"


def test_summary_when_nothing_is_ever_allowed():
    rules = boundaries(**dict.fromkeys((c.value for c in Channel), "never"))
    assert contact_now_summary(rules, OFFICE, MONDAY_NOON) == "Don't contact"
    never_open = BusinessCalendar(WeeklyHours.always_closed(), "Europe/London")
    assert contact_now_summary(ClientBoundaries.default(), never_open, MONDAY_NOON) == "Don't contact"


def test_labels_cover_every_channel():
    assert set(CHANNEL_LABELS) == set(Channel)


# --- properties ---------------------------------------------------------------------------------------

@st.composite
def client_boundaries(draw: st.DrawFn) -> ClientBoundaries:
    channels = draw(st.dictionaries(st.sampled_from(list(Channel)), st.sampled_from(list(ChannelPolicy))))
    window = draw(st.none() | st.builds(ClientWindow, st.sampled_from(ZONES), weekly_hours()))
    until = draw(st.none() | st.integers(0, (LAST_DAY - FIRST_DAY).days).map(lambda n: FIRST_DAY + timedelta(days=n)))
    urgent = draw(st.frozensets(st.sampled_from(list(Channel)), max_size=2))
    return ClientBoundaries(channels, urgent, window, until)


def model_allowed_set(rules: ClientBoundaries, cal: BusinessCalendar, channel: Channel, urgent: bool,
                      start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The allowed time within [start, end), from the naive calendar model, intersected by hand."""
    if urgent and channel in rules.urgent_channels:
        return [(start, end)] if end > start else []
    policy = rules.policy(channel)
    if policy is ChannelPolicy.NEVER:
        return []
    if rules.do_not_contact_until is not None:
        day = rules.do_not_contact_until
        start = max(start, datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(cal.time_zone)).astimezone(UTC))
    if end <= start:
        return []
    if policy is ChannelPolicy.ANY_TIME:
        return [(start, end)]
    allowed = model_open_set(cal, start, end)
    if policy is ChannelPolicy.CLIENT_WINDOW and rules.window is not None:
        client = model_open_set(rules.window.calendar, start, end)
        allowed = [(max(a, c), min(b, d)) for a, b in allowed for c, d in client if max(a, c) < min(b, d)]
    return allowed


def model_allows(rules, cal, channel, urgent, instant: datetime) -> bool:
    if urgent and channel in rules.urgent_channels:
        return True
    policy = rules.policy(channel)
    if policy is ChannelPolicy.NEVER:
        return False
    if rules.do_not_contact_until is not None and instant.astimezone(ZoneInfo(cal.time_zone)).date() < \
            rules.do_not_contact_until:
        return False
    if policy is ChannelPolicy.ANY_TIME:
        return True
    if policy is ChannelPolicy.CLIENT_WINDOW and rules.window is not None and \
            not model_is_open(rules.window.calendar, instant):
        return False
    return model_is_open(cal, instant)


@PROPERTY
@given(client_boundaries(), calendars(), st.sampled_from(list(Channel)), instants_in(), st.booleans())
def test_check_contact_agrees_with_the_model_and_its_next_allowed_instant_is_exact(rules, cal, channel, at, urgent):
    at = at.astimezone(UTC)  # == across zones is False for a repeated wall-clock time
    check = check_contact(rules, cal, channel, at, urgent)
    assert check.allowed == model_allows(rules, cal, channel, urgent, at)
    if check.allowed:
        assert check.next_allowed == at
        return
    assert check.allowed_until is None
    if check.next_allowed is None:
        assert model_allowed_set(rules, cal, channel, urgent, at, at + timedelta(days=30)) == []
        return
    assert check.next_allowed > at
    assert check_contact(rules, cal, channel, check.next_allowed, urgent).allowed
    assert model_allows(rules, cal, channel, urgent, check.next_allowed)
    assert not check_contact(rules, cal, channel, check.next_allowed - timedelta(microseconds=1), urgent).allowed
    assert model_allowed_set(rules, cal, channel, urgent, at, check.next_allowed) == []  # nothing earlier


@PROPERTY
@given(client_boundaries(), calendars(), st.sampled_from(list(Channel)), instants_in(), st.booleans())
def test_allowed_until_ends_exactly_the_allowed_stretch(rules, cal, channel, at, urgent):
    at = at.astimezone(UTC)
    check = check_contact(rules, cal, channel, at, urgent)
    if not check.allowed:
        return
    end = check.allowed_until
    if end is None:
        horizon = at + timedelta(days=30)
        assert model_allowed_set(rules, cal, channel, urgent, at, horizon) == [(at, horizon)]
        return
    assert end > at
    assert model_allowed_set(rules, cal, channel, urgent, at, end) == [(at, end)]
    assert not check_contact(rules, cal, channel, end, urgent).allowed
    assert not model_allows(rules, cal, channel, urgent, end)


@st.composite
def client_window_boundaries(draw: st.DrawFn) -> ClientBoundaries:
    """Every channel on the client's hours, with hours given: the intersection is always exercised."""
    window = ClientWindow(draw(st.sampled_from(ZONES)), draw(weekly_hours()))
    return ClientBoundaries(dict.fromkeys(Channel, ChannelPolicy.CLIENT_WINDOW), frozenset(), window)


@PROPERTY
@given(client_window_boundaries(), calendars(), instants_in())
def test_the_client_window_intersection_is_exact(rules, cal, at):
    at = at.astimezone(UTC)
    check = check_contact(rules, cal, Channel.VIDEO, at)
    assert check.allowed == model_allows(rules, cal, Channel.VIDEO, False, at)
    if check.allowed and check.allowed_until is not None:
        assert model_allowed_set(rules, cal, Channel.VIDEO, False, at, check.allowed_until) == [(at, check.allowed_until)]
        assert not model_allows(rules, cal, Channel.VIDEO, False, check.allowed_until)
    elif not check.allowed and check.next_allowed is not None:
        assert model_allows(rules, cal, Channel.VIDEO, False, check.next_allowed)
        assert model_allowed_set(rules, cal, Channel.VIDEO, False, at, check.next_allowed) == []


@PROPERTY
@given(client_boundaries(), calendars(), instants_in())
def test_the_summary_is_always_one_of_the_documented_shapes(rules, cal, at):
    summary = contact_now_summary(rules, cal, at)
    assert summary.startswith(("Phone OK", "Don't contact")) or summary.endswith(" only")


def test_a_refusal_says_why_and_when_the_channel_opens_in_the_business_zone():
    from clientdesk.domain.boundaries import refusal_text

    check = check_contact(ClientBoundaries.default(), OFFICE, Channel.PHONE, SATURDAY_NOON)
    text = refusal_text(Channel.PHONE, check, OFFICE, SATURDAY_NOON)
    assert text.startswith("Phone is not allowed now. ")
    assert text.endswith("Next allowed: Mon 09:00.")
    never = ClientBoundaries.from_json({"channels": {"sms": "never"}})
    check = check_contact(never, OFFICE, Channel.SMS, MONDAY_NOON)
    assert "Next allowed" not in refusal_text(Channel.SMS, check, OFFICE, MONDAY_NOON)
