"""Repeat rules: checked, spelled one way, and expanded at a wall time — compared with dateutil itself."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from clientdesk.domain.errors import InvalidInput
from clientdesk.domain.reminders.recurrence import (
    MAX_COUNT, Recurrence, _Budget, _first_before, _GaveUp, normalise_rule, recurrence_of, rule_parts,
    validate_rule,
)
from tests.domain.reminders.common import LONDON, NEW_YORK, PROPERTY, UTC, london, utc


def weekly(rule: str = "FREQ=WEEKLY", start: date = date(2026, 6, 1), at: time = time(9),
           zone: str = "Europe/London") -> Recurrence:
    return Recurrence(rule, start, at, zone)


# --- the rule's text ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, canonical", [
    ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1"),
    ("rrule:bymonthday=1;interval=3;freq=monthly", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1"),
    ("FREQ=WEEKLY;INTERVAL=1;BYDAY=TH,MO;WKST=MO", "FREQ=WEEKLY;BYDAY=MO,TH"),
    ("FREQ=MONTHLY;BYMONTHDAY=-1,15,1,15", "FREQ=MONTHLY;BYMONTHDAY=1,15,-1"),
    ("FREQ=YEARLY;BYMONTHDAY=15;BYMONTH=3;", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15"),
    ("FREQ=DAILY;UNTIL=20271231", "FREQ=DAILY;UNTIL=20271231T235959"),
    ("FREQ=WEEKLY;WKST=SU;INTERVAL=2;BYDAY=SU", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU;WKST=SU"),
])
def test_a_rule_is_kept_in_one_spelling(typed, canonical):
    assert normalise_rule(typed) == canonical


def test_an_until_in_utc_becomes_the_local_wall_time_of_the_reminders_zone():
    # 22:59:59 UTC on 30 June is 23:59:59 in London (summer time): the end of that local day.
    assert validate_rule("FREQ=DAILY;UNTIL=20270630T225959Z", "Europe/London") == "FREQ=DAILY;UNTIL=20270630T235959"
    assert validate_rule("FREQ=DAILY;UNTIL=20271231T235959Z", "America/New_York") == \
        "FREQ=DAILY;UNTIL=20271231T185959"


@pytest.mark.parametrize("rule, wording", [
    ("", "Give a repeat rule"),
    ("INTERVAL=2", "Say how often it repeats"),
    ("FREQ=HOURLY", "at most once a day"),
    ("FREQ=FORTNIGHTLY", "“FORTNIGHTLY” is not a frequency"),
    ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL is a whole number from 1 to 999"),
    ("FREQ=WEEKLY;COUNT=0", "COUNT is a whole number"),
    (f"FREQ=WEEKLY;COUNT={MAX_COUNT + 1}", "COUNT is a whole number"),
    ("FREQ=DAILY;COUNT=3;UNTIL=20270101", "either COUNT"),
    ("FREQ=WEEKLY;BYDAY=XX", "BYDAY takes days such as MO"),
    ("FREQ=WEEKLY;BYDAY=1MO", "only goes with FREQ=MONTHLY or YEARLY"),
    ("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY takes numbers"),
    ("FREQ=YEARLY;BYMONTH=13", "BYMONTH takes numbers from 1 to 12"),
    ("FREQ=DAILY;BYHOUR=9", "repeats at its own time of day"),
    ("FREQ=DAILY;BYEASTER=0", "“BYEASTER” is not a part"),
    ("FREQ=DAILY;UNTIL=tomorrow", "UNTIL is a date such as 20271231"),
    ("FREQ=DAILY;FREQ=WEEKLY", "FREQ is given twice"),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "30 February never happens"),
    ("FREQ=YEARLY;BYMONTH=4,6;BYMONTHDAY=31", "31 April or 31 June never happens"),
])
def test_a_bad_rule_is_refused_with_a_sentence_naming_the_repeat_field(rule, wording):
    with pytest.raises(InvalidInput) as error:
        weekly(rule)
    assert [problem.field for problem in error.value.problems] == ["repeat"]
    assert wording in error.value.sentence()


def test_every_problem_of_a_rule_is_reported_at_once():
    with pytest.raises(InvalidInput) as error:
        normalise_rule("FREQ=HOURLY;INTERVAL=0;BYHOUR=9")
    sentence = error.value.sentence()
    assert "at most once a day" in sentence and "INTERVAL" in sentence and "BYHOUR" in sentence


def test_an_until_in_utc_needs_a_zone():
    with pytest.raises(InvalidInput, match="needs the reminder's time zone"):
        normalise_rule("FREQ=DAILY;UNTIL=20270101T000000Z")


def test_a_rule_that_ends_before_it_starts_or_before_its_first_time_is_refused():
    with pytest.raises(InvalidInput, match=r"ends \(2026-01-31 23:59\) before it starts \(2026-06-01 09:00\)"):
        weekly("FREQ=DAILY;UNTIL=20260131")
    with pytest.raises(InvalidInput, match=r"ends \(2026-06-20\) before its first time"):
        weekly("FREQ=MONTHLY;BYMONTHDAY=31;UNTIL=20260620")
    with pytest.raises(InvalidInput, match=r"ends \(2026-06-02\) before its first time"):
        weekly("FREQ=WEEKLY;BYDAY=WE;UNTIL=20260602")


def test_a_rule_that_never_happens_is_refused_without_searching_to_the_year_9999():
    with pytest.raises(InvalidInput, match="never happens in the 10 years after 2026-06-01"):
        weekly("FREQ=DAILY;BYMONTH=1;BYYEARDAY=366")
    with pytest.raises(InvalidInput, match="never happens"):
        weekly("FREQ=MONTHLY;INTERVAL=12;BYMONTH=3")  # from June, every twelfth month is a June


def test_the_search_guard_stops_dateutil_on_a_rule_that_finds_nothing():
    # The guard relies on dateutil asking BYMONTH about every candidate day; if that ever changes, this fails.
    built = rrulestr("FREQ=DAILY;BYYEARDAY=366;BYMONTH=1", dtstart=datetime(2026, 1, 1, 9))
    built._bymonth = guard = _Budget((1,))
    guard.budget = 1000
    with pytest.raises(_GaveUp):
        next(iter(built))
    assert _first_before(rrulestr("FREQ=DAILY;BYMONTHDAY=31", dtstart=datetime(2026, 1, 1, 9)),
                         datetime(2036, 1, 1)) == datetime(2026, 1, 31, 9)


def test_stored_rules_are_built_once_and_shared():
    first = recurrence_of("FREQ=WEEKLY;BYDAY=TU", date(2026, 6, 1), time(9), "Europe/London")
    assert recurrence_of("FREQ=WEEKLY;BYDAY=TU", date(2026, 6, 1), time(9), "Europe/London") is first
    assert first == weekly("FREQ=WEEKLY;BYDAY=TU")


def test_a_recurrence_is_a_value():
    assert weekly("freq=weekly;byday=tu") == weekly("FREQ=WEEKLY;BYDAY=TU")
    assert weekly("FREQ=WEEKLY;BYDAY=TU").parts == {"FREQ": "WEEKLY", "BYDAY": "TU"}
    assert rule_parts("FREQ=DAILY;COUNT=3") == {"FREQ": "DAILY", "COUNT": "3"}
    with pytest.raises(ValueError):
        Recurrence("FREQ=DAILY", date(2026, 1, 1), time(9, tzinfo=UTC), "Europe/London")
    with pytest.raises(InvalidInput):
        Recurrence("FREQ=DAILY", date(2026, 1, 1), time(9), "Mars/Olympus")


# --- occurrences at a wall time -----------------------------------------------------------------------------

def test_a_daily_reminder_keeps_its_wall_time_across_both_london_changes():
    daily = weekly("FREQ=DAILY", date(2026, 3, 27))
    assert daily.occurrences(utc(2026, 3, 27), utc(2026, 3, 31)) == [
        utc(2026, 3, 27, 9), utc(2026, 3, 28, 9), utc(2026, 3, 29, 8), utc(2026, 3, 30, 8)]
    assert daily.occurrences(utc(2026, 10, 24), utc(2026, 10, 27)) == [
        utc(2026, 10, 24, 8), utc(2026, 10, 25, 9), utc(2026, 10, 26, 9)]
    assert all(moment.astimezone(LONDON).hour == 9 for moment in daily.occurrences(utc(2026, 3, 1), utc(2026, 12, 1)))


def test_in_new_york_a_time_in_the_spring_gap_moves_on_by_the_hour_and_a_repeated_time_is_its_first():
    early_sunday = Recurrence("FREQ=WEEKLY;BYDAY=SU", date(2026, 3, 1), time(2, 30), "America/New_York")
    # 02:30 does not exist on 8 March 2026; read with the offset from before the change it is 03:30 EDT.
    assert early_sunday.occurrences(utc(2026, 3, 7), utc(2026, 3, 16)) == [utc(2026, 3, 8, 7, 30),
                                                                           utc(2026, 3, 15, 6, 30)]
    assert early_sunday.occurrences(utc(2026, 3, 7), utc(2026, 3, 9))[0].astimezone(NEW_YORK).hour == 3
    half_one = Recurrence("FREQ=WEEKLY;BYDAY=SU", date(2026, 10, 1), time(1, 30), "America/New_York")
    # 01:30 happens twice on 1 November 2026: the first time, still on EDT (05:30 UTC).
    assert half_one.occurrences(utc(2026, 10, 31), utc(2026, 11, 9)) == [utc(2026, 11, 1, 5, 30),
                                                                         utc(2026, 11, 8, 6, 30)]


def test_the_start_date_counts_only_when_it_fits_the_rule():
    monthly = weekly("FREQ=MONTHLY;BYMONTHDAY=1", date(2026, 1, 5))
    assert monthly.first() == london(2026, 2, 1, 9)
    assert weekly("FREQ=MONTHLY;BYMONTHDAY=1", date(2026, 1, 1)).first() == london(2026, 1, 1, 9)


def test_next_after_skips_occurrences_already_done_and_ends_with_the_rule():
    thrice = weekly("FREQ=WEEKLY;BYDAY=TU;COUNT=3")  # Tuesdays 2, 9 and 16 June 2026
    tuesdays = [london(2026, 6, 2, 9), london(2026, 6, 9, 9), london(2026, 6, 16, 9)]
    assert thrice.next_after(london(2026, 6, 1), count=5) == tuesdays
    assert thrice.next_after(tuesdays[0]) == [tuesdays[1]]
    assert thrice.next_after(tuesdays[0], inclusive=True) == [tuesdays[0]]
    assert thrice.next_after(london(2026, 6, 1), skip=[tuesdays[0], tuesdays[1].astimezone(NEW_YORK)]) == [tuesdays[2]]
    assert thrice.next_after(tuesdays[2]) == []


def test_a_rule_started_decades_ago_is_expanded_from_near_the_asked_moment():
    since_1990 = weekly("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,FR", date(1990, 1, 1))
    reference = rrulestr("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,FR", dtstart=datetime(1990, 1, 1, 9, tzinfo=LONDON))
    assert since_1990.next_after(utc(2031, 5, 5), count=4) == [
        moment.astimezone(UTC) for moment in itertools.islice(reference.xafter(utc(2031, 5, 5)), 4)]


def test_29_february_every_year_skips_the_century_that_is_not_a_leap_year():
    leap_day = weekly("FREQ=YEARLY", date(2000, 2, 29))
    assert leap_day.next_after(utc(2096, 3, 1), count=2) == [london(2104, 2, 29, 9), london(2108, 2, 29, 9)]


def test_until_is_an_instant_in_utc_for_the_calendar():
    assert weekly("FREQ=DAILY;UNTIL=20270630").until_instant == utc(2027, 6, 30, 22, 59, 59)
    assert weekly("FREQ=DAILY").until_instant is None


# --- properties: the same occurrences as dateutil ------------------------------------------------------------

ZONES = ["Europe/London", "America/New_York", "Australia/Lord_Howe", "UTC"]
starts = st.dates(date(2020, 1, 1), date(2030, 12, 31))
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@st.composite
def rules(draw: st.DrawFn, start: date = date(2020, 1, 1)) -> str:
    """Valid-looking rules of every frequency and most parts, ending (if they do) within about eight years of
    `start`; a few never happen (29 February every other year from an odd year) and are refused."""
    frequency = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))
    parts = [f"FREQ={frequency}"]
    interval = draw(st.sampled_from([1, 1, 1, 2, 3, 5, 13]))
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    days = st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=4, unique=True)
    if frequency in ("DAILY", "WEEKLY") and draw(st.booleans()):
        parts.append("BYDAY=" + ",".join(draw(days)))
    elif frequency == "MONTHLY":
        shape = draw(st.sampled_from(["plain", "monthdays", "nth", "setpos"]))
        if shape == "monthdays":
            listed = draw(st.lists(st.integers(1, 31) | st.just(-1), min_size=1, max_size=3, unique=True))
            parts.append("BYMONTHDAY=" + ",".join(map(str, listed)))
        elif shape == "nth":
            parts.append(f"BYDAY={draw(st.sampled_from([1, 2, 3, 4, -1]))}{draw(st.sampled_from(WEEKDAYS))}")
        elif shape == "setpos":
            parts.append("BYDAY=MO,TU,WE,TH,FR;BYSETPOS=" + draw(st.sampled_from(["1", "-1"])))
    elif frequency == "YEARLY" and draw(st.booleans()):
        month = draw(st.integers(1, 12))
        parts.append(f"BYMONTH={month};BYMONTHDAY={draw(st.integers(1, DAYS_IN_MONTH[month - 1]))}")
    ending = draw(st.sampled_from(["none", "count", "until"]))
    if ending == "count":
        parts.append(f"COUNT={draw(st.integers(1, 40))}")
    elif ending == "until":
        parts.append("UNTIL=" + (start + timedelta(days=draw(st.integers(-5, 3000)))).strftime("%Y%m%d"))
    return ";".join(parts)


@st.composite
def rules_from(draw: st.DrawFn) -> tuple[str, date]:
    start = draw(starts)
    return draw(rules(start)), start


# Where the window opens, in days after the start: often early, while a COUNT rule is still running.
OFFSETS = st.integers(-30, 90) | st.integers(-30, 1500)
LENGTHS = st.integers(1, 40) | st.integers(1, 800)
wall_times = st.sampled_from([time(0, 30), time(1, 30), time(2, 0), time(2, 30), time(9, 0), time(23, 45)])


def dateutil_expansion(recurrence: Recurrence) -> list:
    """The same rule expanded by dateutil on *aware* datetimes from the original start: an independent path
    (no moved start, no naive wall times, UNTIL as the UTC instant RFC 5545 uses)."""
    parts = dict(recurrence.parts)
    if recurrence.until_instant is not None:
        parts["UNTIL"] = recurrence.until_instant.strftime("%Y%m%dT%H%M%SZ")
    start = datetime.combine(recurrence.starts_on, recurrence.at, tzinfo=recurrence.zone)
    return rrulestr(";".join(f"{k}={v}" for k, v in parts.items()), dtstart=start)


@settings(PROPERTY, max_examples=200)  # the central comparison: worth more examples
@given(rules_from(), wall_times, st.sampled_from(ZONES), OFFSETS, LENGTHS)
def test_occurrences_are_dateutils_at_the_same_wall_time(rule_and_start, at, zone, offset, length):
    rule, start_day = rule_and_start
    try:
        recurrence = Recurrence(rule, start_day, at, zone)
    except InvalidInput as error:
        # Only a rule that really never happens (before its UNTIL, or within ten periods) may be refused.
        assert any(words in error.sentence() for words in ("never happens", "before it starts", "before its first"))
        without_count = ";".join(part for part in rule.split(";") if not part.startswith("COUNT="))
        first = next(iter(rrulestr(without_count, dtstart=datetime.combine(start_day, at))), None)
        assert first is None or first > datetime(start_day.year + 10, 1, 1)
        return
    window_start = datetime.combine(start_day, time(0), tzinfo=UTC) + timedelta(days=offset)
    window_end = window_start + timedelta(days=length)
    expected = [moment.astimezone(UTC) for moment in itertools.takewhile(
        lambda moment: moment < window_end, dateutil_expansion(recurrence).xafter(window_start, inc=True))]
    assert recurrence.occurrences(window_start, window_end) == expected


def exists(wall: datetime, zone: ZoneInfo) -> bool:
    return wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall


@PROPERTY
@given(rules_from(), wall_times, st.sampled_from(ZONES), st.integers(0, 800))
def test_every_occurrence_is_at_the_reminders_wall_time_unless_that_time_does_not_exist(rule_and_start, at, zone,
                                                                                     offset):
    rule, start_day = rule_and_start
    try:
        recurrence = Recurrence(rule, start_day, at, zone)
    except InvalidInput:
        return
    window_start = datetime.combine(start_day, time(0), tzinfo=UTC) + timedelta(days=offset)
    for moment in recurrence.occurrences(window_start, window_start + timedelta(days=400)):
        local = moment.astimezone(recurrence.zone)
        wall = datetime.combine(local.date(), at)
        if exists(wall, recurrence.zone):
            assert local.time() == at
        else:  # in a spring-forward gap: moved on by the gap, never back to the previous day
            assert local.date() == wall.date() and local.time() > at


@PROPERTY
@given(rules_from(), st.sampled_from(ZONES), st.integers(0, 900), st.integers(1, 5),
       st.sets(st.integers(0, 8), max_size=4))
def test_next_after_is_the_next_occurrences_not_yet_done(rule_and_start, zone, offset, count, done_positions):
    rule, start_day = rule_and_start
    try:
        recurrence = Recurrence(rule, start_day, time(9), zone)
    except InvalidInput:
        return
    after = datetime.combine(start_day, time(12), tzinfo=UTC) + timedelta(days=offset)
    upcoming = recurrence.next_after(after, count=20)
    done = {upcoming[p] for p in done_positions if p < len(upcoming)}
    assert all(moment > after for moment in upcoming) and upcoming == sorted(set(upcoming))
    # `upcoming` holds every occurrence left when the rule ends within 20, so the slice is exact either way.
    assert recurrence.next_after(after, count=count, skip=done) == [m for m in upcoming if m not in done][:count]
