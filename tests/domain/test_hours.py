"""Opening hours, closures, public holidays and the calendar built from them.

The property tests compare the engine with a deliberately naive model (`model_spans`): every range of
every day turned into an instant pair on its own, with no caches, windows or merging. The strategies
at the bottom are shared with test_reply.py and test_boundaries.py.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientdesk.domain.errors import InvalidInput
from clientdesk.domain.hours import (
    BusinessCalendar, Closure, DailyRange, PublicHolidays, WeeklyHours,
)

LONDON = ZoneInfo("Europe/London")
UTC = timezone.utc
ONE_MICRO = timedelta(microseconds=1)
ENGLAND = PublicHolidays("GB", "ENG")  # shared, so its tables are built once for the whole module


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def fields_of(error: pytest.ExceptionInfo[InvalidInput]) -> set[str]:
    return {problem.field for problem in error.value.problems}


def hours(**days: list[list[str]]) -> WeeklyHours:
    return WeeklyHours.from_json(days)


def calendar(time_zone: str = "Europe/London", closures: tuple[Closure, ...] = (),
             holidays: PublicHolidays | None = None, **days: list[list[str]]) -> BusinessCalendar:
    return BusinessCalendar(hours(**days), time_zone, closures, holidays)


OFFICE = BusinessCalendar(WeeklyHours.office_default(), "Europe/London")


# --- ranges and weekly hours --------------------------------------------------------------------------

def test_a_range_is_kept_in_minutes_and_written_back_as_typed():
    r = DailyRange.parse("09:00", "17:30")
    assert (r.start, r.end, r.as_strings()) == (540, 1050, ("09:00", "17:30"))


def test_24_00_ends_a_range_at_midnight():
    assert DailyRange.parse("18:00", "24:00") == DailyRange(1080, 1440)
    assert DailyRange.parse("18:00", "24:00").as_strings() == ("18:00", "24:00")


def test_an_end_of_00_00_means_the_midnight_that_ends_the_day():
    assert DailyRange.parse("18:00", "00:00").as_strings() == ("18:00", "24:00")


def test_an_end_before_the_start_runs_past_midnight():
    r = DailyRange.parse("22:00", "02:00")
    assert r.overnight and r.reach == 1440 + 120


@pytest.mark.parametrize(("start", "end", "wording"), [
    ("25:00", "26:00", "25:00 is not a time; use HH:MM from 00:00 to 24:00"),
    ("09:60", "17:00", "09:60 is not a time"),
    ("24:00", "02:00", "cannot start at 24:00"),
    ("nine", "17:00", "nine is not a time"),
    ("09:00", "09:00", "is empty"),
    ("00:00", "00:00", "is empty"),
    ("09:00", "24:30", "24:30 is not a time"),
])
def test_a_bad_range_is_refused_with_a_message_naming_its_field(start, end, wording):
    with pytest.raises(InvalidInput, match=wording) as caught:
        DailyRange.parse(start, end, "hours.mon[1]")
    assert fields_of(caught) == {"hours.mon[1]"}


def test_both_bad_times_of_a_range_are_reported():
    with pytest.raises(InvalidInput) as caught:
        DailyRange.parse("25:00", "99:99", "hours.tue[0]")
    assert len(caught.value.problems) == 2


def test_weekly_hours_come_from_json_and_go_back_with_every_day_listed():
    weekly = hours(mon=[["13:30", "17:00"], ["09:00", "12:30"]], sat=[["22:00", "02:00"]])
    assert weekly.days[0] == (DailyRange(540, 750), DailyRange(810, 1020))  # sorted by start
    assert weekly.to_json() == {"mon": [["09:00", "12:30"], ["13:30", "17:00"]], "tue": [], "wed": [], "thu": [],
                                "fri": [], "sat": [["22:00", "02:00"]], "sun": []}
    assert WeeklyHours.from_json(weekly.to_json()) == weekly


def test_a_day_left_out_is_closed():
    assert hours() == WeeklyHours.always_closed()
    assert WeeklyHours.office_default().to_json()["sat"] == []
    assert WeeklyHours.office_default().to_json()["fri"] == [["09:00", "17:00"]]


def test_overlapping_ranges_in_a_day_are_refused_on_the_later_one_by_its_given_position():
    with pytest.raises(InvalidInput, match="11:00–13:00 overlaps 09:00–12:00 on Monday") as caught:
        hours(mon=[["11:00", "13:00"], ["09:00", "12:00"]])
    assert fields_of(caught) == {"hours.mon[0]"}


def test_touching_ranges_are_not_overlapping():
    assert hours(mon=[["09:00", "12:00"], ["12:00", "13:00"]]).days[0][1] == DailyRange(720, 780)


def test_a_range_past_midnight_that_overlaps_the_next_days_first_range_is_refused():
    with pytest.raises(InvalidInput, match="Monday's 22:00–02:00, which runs past midnight") as caught:
        hours(mon=[["22:00", "02:00"]], tue=[["01:00", "05:00"]])
    assert fields_of(caught) == {"hours.tue[0]"}


def test_sunday_night_runs_into_monday_morning():
    with pytest.raises(InvalidInput) as caught:
        hours(sun=[["23:00", "07:00"]], mon=[["06:00", "10:00"]])
    assert fields_of(caught) == {"hours.mon[0]"}
    assert hours(sun=[["23:00", "07:00"]], mon=[["07:00", "10:00"]]).days[6] == (DailyRange(1380, 420),)


def test_every_problem_in_the_hours_is_listed_at_once():
    with pytest.raises(InvalidInput) as caught:
        WeeklyHours.from_json({"mon": [["09:00", "25:00"], "09-17", ["08:00", "08:00"]], "funday": [],
                               "tue": [["09:00", "12:00"], ["10:00", "11:00"]], "wed": "all day"}, "settings.hours")
    assert fields_of(caught) == {"settings.hours.mon[0]", "settings.hours.mon[1]", "settings.hours.mon[2]",
                                 "settings.hours.funday", "settings.hours.tue[1]", "settings.hours.wed"}


def test_hours_built_in_code_are_checked_too():
    with pytest.raises(InvalidInput):
        WeeklyHours(((DailyRange(540, 720), DailyRange(600, 660)),) + ((),) * 6)
    with pytest.raises(ValueError):
        WeeklyHours(((),) * 6)
    with pytest.raises(ValueError):
        DailyRange(600, 600)


# --- closures and holidays ----------------------------------------------------------------------------

def test_a_closure_comes_from_json_and_goes_back():
    data = {"start": "2026-12-24", "end": "2026-12-26", "reason": "Winter break"}
    closure = Closure.from_json(data, "closures[0]")
    assert closure == Closure(date(2026, 12, 24), date(2026, 12, 26), "Winter break")
    assert closure.to_json() == data


def test_a_closure_without_an_end_is_one_day():
    assert Closure.from_json({"start": "2026-08-03"}, "closures[0]").end == date(2026, 8, 3)


def test_a_closure_ending_before_it_starts_is_refused():
    with pytest.raises(InvalidInput, match="ends") as caught:
        Closure.from_json({"start": "2026-12-26", "end": "2026-12-24"}, "closures[2]")
    assert fields_of(caught) == {"closures[2].end"}


def test_bad_closure_dates_are_each_reported():
    with pytest.raises(InvalidInput, match="not a date") as caught:
        Closure.from_json({"start": "24/12/2026", "end": "2026-02-30", "reason": 5}, "closures[0]")
    assert fields_of(caught) == {"closures[0].start", "closures[0].end", "closures[0].reason"}


def test_christmas_is_a_public_holiday_in_england():
    assert ENGLAND.is_holiday(date(2026, 12, 25))
    assert ENGLAND.name(date(2026, 12, 25)) == "Christmas Day"
    assert not ENGLAND.is_holiday(date(2026, 12, 23)) and ENGLAND.name(date(2026, 12, 23)) is None


def test_upcoming_holidays_are_listed_in_order_across_the_new_year():
    assert ENGLAND.upcoming(date(2026, 12, 25), 3) == [
        (date(2026, 12, 26), "Boxing Day"), (date(2026, 12, 28), "Boxing Day (observed)"),
        (date(2027, 1, 1), "New Year's Day")]


def test_codes_are_accepted_in_any_case():
    holidays = PublicHolidays(" gb ", "eng")
    assert (holidays.country, holidays.subdivision) == ("GB", "ENG") and holidays == ENGLAND


@pytest.mark.parametrize(("country", "subdivision", "field"), [
    ("XX", None, "country"), ("", None, "country"), ("GB", "Atlantis", "subdivision")])
def test_an_unknown_country_or_region_is_refused(country, subdivision, field):
    with pytest.raises(InvalidInput) as caught:
        PublicHolidays(country, subdivision)
    assert fields_of(caught) == {field}


# --- the calendar -------------------------------------------------------------------------------------

@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "../etc/passwd", " Europe/London"])
def test_an_unknown_time_zone_is_refused(zone):
    with pytest.raises(InvalidInput) as caught:
        BusinessCalendar(WeeklyHours.office_default(), zone)
    assert fields_of(caught) == {"timezone"}


def test_naive_datetimes_are_refused():
    for question in (OFFICE.is_open, OFFICE.next_opening, OFFICE.next_closing):
        with pytest.raises(ValueError, match="timezone-aware"):
            question(datetime(2026, 6, 1, 12))


def test_open_from_the_opening_minute_up_to_but_not_at_the_closing_minute():
    assert not OFFICE.is_open(london(2026, 6, 1, 8, 59, 59))
    assert OFFICE.is_open(london(2026, 6, 1, 9)) and OFFICE.is_open(london(2026, 6, 1, 16, 59, 59, 999999))
    assert not OFFICE.is_open(london(2026, 6, 1, 17))


def test_the_same_instant_in_another_zone_gets_the_same_answer():
    assert OFFICE.is_open(datetime(2026, 6, 1, 8, tzinfo=UTC))  # 09:00 BST
    assert not OFFICE.is_open(datetime(2026, 6, 1, 16, tzinfo=UTC))  # 17:00 BST


def test_next_opening_is_the_instant_itself_while_open():
    assert OFFICE.next_opening(london(2026, 6, 1, 12, 34, 56, 789)) == london(2026, 6, 1, 12, 34, 56, 789)
    assert OFFICE.next_closing(london(2026, 6, 6, 12)) == london(2026, 6, 6, 12)


def test_after_friday_closing_the_next_opening_is_monday_morning_and_results_are_utc():
    opening = OFFICE.next_opening(london(2026, 6, 5, 17))
    assert opening == london(2026, 6, 8, 9) and opening.tzinfo is UTC
    assert OFFICE.next_closing(london(2026, 6, 8, 9)) == london(2026, 6, 8, 17)


def test_a_range_past_midnight_runs_into_the_next_morning():
    bar = calendar(fri=[["22:00", "02:00"]])
    assert bar.is_open(london(2026, 6, 6, 1, 30))  # Saturday, from Friday's range
    assert not bar.is_open(london(2026, 6, 6, 2))
    assert bar.next_closing(london(2026, 6, 5, 23)) == london(2026, 6, 6, 2)
    assert bar.next_opening(london(2026, 6, 6, 3)) == london(2026, 6, 12, 22)


def test_a_range_to_24_00_joins_the_next_days_range_from_00_00():
    night = calendar(mon=[["18:00", "24:00"]], tue=[["00:00", "06:00"]])
    assert night.next_closing(london(2026, 6, 1, 20)) == london(2026, 6, 2, 6)
    assert night.open_intervals(london(2026, 6, 1), london(2026, 6, 3)) == [
        (london(2026, 6, 1, 18), london(2026, 6, 2, 6))]


def test_a_stretch_over_several_days_closes_at_its_true_end():
    long_run = calendar(mon=[["18:00", "24:00"]], tue=[["00:00", "24:00"]], wed=[["00:00", "24:00"]],
                        thu=[["00:00", "06:00"]])
    assert long_run.next_closing(london(2026, 6, 1, 20)) == london(2026, 6, 4, 6)
    assert long_run.open_intervals(london(2026, 6, 1), london(2026, 6, 8)) == [
        (london(2026, 6, 1, 18), london(2026, 6, 4, 6))]


def test_a_closure_cancels_its_days_and_cuts_the_night_before_at_midnight():
    bar = calendar(closures=(Closure(date(2026, 6, 6), date(2026, 6, 7), "Refit"),),
                   fri=[["22:00", "02:00"]], sat=[["20:00", "23:00"]])
    assert bar.is_closed_day(date(2026, 6, 6)) and not bar.is_closed_day(date(2026, 6, 5))
    assert bar.is_open(london(2026, 6, 5, 23, 59))
    assert not bar.is_open(london(2026, 6, 6, 0, 30))
    assert bar.next_closing(london(2026, 6, 5, 23)) == london(2026, 6, 6, 0)
    assert bar.next_opening(london(2026, 6, 6, 0)) == london(2026, 6, 12, 22)


def test_christmas_is_closed_when_holidays_are_observed():
    shop = BusinessCalendar(WeeklyHours.office_default(), "Europe/London", holidays=ENGLAND)
    assert shop.is_closed_day(date(2026, 12, 25)) and not shop.is_open(london(2026, 12, 25, 12))
    assert OFFICE.is_open(london(2026, 12, 25, 12))  # holidays not observed
    # Friday 25 is Christmas, Monday 28 the observed Boxing Day.
    assert shop.next_opening(london(2026, 12, 24, 17)) == london(2026, 12, 29, 9)


def test_a_business_that_never_opens_has_no_next_opening():
    assert calendar().next_opening(london(2026, 6, 1)) is None
    assert calendar().next_closing(london(2026, 6, 1)) == london(2026, 6, 1)
    assert calendar().open_intervals(london(2026, 6, 1), london(2027, 6, 1)) == []


def test_a_closure_longer_than_the_look_ahead_means_no_next_opening():
    shut = BusinessCalendar(WeeklyHours.office_default(), "Europe/London",
                            (Closure(date(2026, 6, 1), date(2030, 1, 1), "Sabbatical"),))
    assert shut.next_opening(london(2026, 6, 1, 12)) is None
    reopening = BusinessCalendar(WeeklyHours.office_default(), "Europe/London",
                                 (Closure(date(2026, 6, 1), date(2027, 6, 1), "Sabbatical"),))
    assert reopening.next_opening(london(2026, 6, 1, 12)) == london(2027, 6, 2, 9)


ROUND_THE_CLOCK = {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def test_a_business_open_round_the_clock_never_closes_unless_a_day_is_closed():
    always = calendar(**ROUND_THE_CLOCK)
    assert always.next_closing(london(2026, 6, 1, 3)) is None
    with_christmas = calendar(holidays=ENGLAND, **ROUND_THE_CLOCK)
    assert with_christmas.next_closing(london(2026, 12, 1, 3)) == london(2026, 12, 25)
    assert with_christmas.next_opening(london(2026, 12, 25, 3)) == london(2026, 12, 27)


def test_round_the_clock_can_be_made_of_ranges_past_midnight():
    nights = calendar(**{day: [["06:00", "18:00"], ["18:00", "06:00"]]
                         for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
    assert nights.next_closing(london(2026, 6, 3, 5)) is None


def test_open_intervals_are_merged_sorted_clipped_and_in_utc():
    intervals = OFFICE.open_intervals(london(2026, 6, 5, 12), london(2026, 6, 8, 10))
    assert intervals == [(london(2026, 6, 5, 12), london(2026, 6, 5, 17)), (london(2026, 6, 8, 9), london(2026, 6, 8, 10))]
    assert all(a.tzinfo is UTC and b.tzinfo is UTC for a, b in intervals)
    assert OFFICE.open_intervals(london(2026, 6, 8, 10), london(2026, 6, 8, 10)) == []


# --- daylight saving in Europe/London: 2026-03-29 01:00 GMT → 02:00 BST; 2026-10-25 02:00 BST → 01:00 GMT

def span_hours(cal: BusinessCalendar, day: date) -> list[tuple[str, str, float]]:
    """The day's open stretches as UTC clock times and their real length in hours."""
    start = datetime(day.year, day.month, day.day, tzinfo=LONDON)
    stretches = cal.open_intervals(start - timedelta(hours=2), start + timedelta(days=1, hours=2))
    return [(f"{a:%H:%M}", f"{b:%H:%M}", (b - a) / timedelta(hours=1)) for a, b in stretches]


SPRING, AUTUMN = date(2026, 3, 29), date(2026, 10, 25)


@pytest.mark.parametrize(("start", "end", "expected"), [
    ("00:30", "01:30", [("00:30", "01:30", 1.0)]),  # 01:30 does not exist: it is 02:30 BST
    ("01:00", "02:00", []),  # the whole range is in the gap: nothing left
    ("01:30", "03:00", [("01:30", "02:00", 0.5)]),  # from 02:30 BST to 03:00 BST
    ("00:00", "02:00", [("00:00", "01:00", 1.0)]),
    ("00:00", "24:00", [("00:00", "23:00", 23.0)]),  # a 23-hour day
])
def test_spring_forward_ranges_touching_the_missing_hour(start, end, expected):
    assert span_hours(calendar(sun=[[start, end]]), SPRING) == expected


def test_a_night_across_the_spring_change_is_an_hour_shorter():
    assert span_hours(calendar(sat=[["22:00", "03:00"]]), SPRING) == [("22:00", "02:00", 4.0)]


@pytest.mark.parametrize(("start", "end"), [("01:00", "02:00"), ("01:30", "02:00"), ("01:45", "02:15")])
def test_a_range_that_ends_up_empty_or_reversed_after_the_change_is_dropped(start, end):
    cal = calendar(sun=[[start, end]])
    assert not cal.is_open(datetime(2026, 3, 29, 1, 0, tzinfo=UTC))
    following_sunday = datetime.combine(date(2026, 4, 5), datetime.strptime(start, "%H:%M").time(), LONDON)
    assert cal.next_opening(london(2026, 3, 28, 12)) == following_sunday


def test_a_time_in_the_gap_takes_the_offset_from_before_the_change():
    assert calendar(sun=[["01:30", "04:00"]]).next_opening(london(2026, 3, 28, 12)) == \
        datetime(2026, 3, 29, 2, 30, tzinfo=LONDON)  # 01:30 GMT, shown as 02:30 BST


@pytest.mark.parametrize(("start", "end", "expected"), [
    ("01:00", "02:00", [("00:00", "02:00", 2.0)]),  # from the first 01:00 (BST) to 02:00 GMT: two real hours
    ("01:30", "01:45", [("00:30", "00:45", 0.25)]),  # the first occurrence only
    ("00:00", "01:30", [("23:00", "00:30", 1.5)]),
    ("01:30", "03:00", [("00:30", "03:00", 2.5)]),
    ("00:00", "24:00", [("23:00", "00:00", 25.0)]),  # a 25-hour day
])
def test_fall_back_ranges_touching_the_repeated_hour(start, end, expected):
    assert span_hours(calendar(sun=[[start, end]]), AUTUMN) == expected


def test_during_the_repeated_hour_the_second_occurrence_is_open_inside_a_longer_range():
    cal = calendar(sun=[["00:00", "03:00"]])
    second_01_30 = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    assert cal.is_open(second_01_30)
    assert calendar(sun=[["01:00", "01:45"]]).is_open(datetime(2026, 10, 25, 1, 30, fold=0, tzinfo=LONDON))
    assert not calendar(sun=[["01:00", "01:45"]]).is_open(second_01_30)


def test_many_questions_are_answered_quickly():
    # A guard against an accidental return to stepping through time: about 5 µs a call is normal, this
    # allows 25 times that so a busy machine does not fail it.
    cal = calendar(holidays=ENGLAND, mon=[["09:00", "12:30"], ["13:30", "17:00"]], tue=[["09:00", "17:00"]],
                   thu=[["22:00", "02:00"]])
    instants = [datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=37 * i) for i in range(20_000)]
    started = time.perf_counter()
    for instant in instants:
        cal.is_open(instant)
        cal.next_opening(instant)
    assert (time.perf_counter() - started) / 40_000 < 125e-6


# --- shared strategies and the naive model -------------------------------------------------------------

ZONES = ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC", "Pacific/Auckland"]
# Daylight-saving days of the zones above in 2026–2027, so instants crowd around the changes.
DST_DAYS = [date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28), date(2027, 10, 31), date(2026, 3, 8),
            date(2026, 11, 1), date(2026, 4, 5), date(2026, 10, 4), date(2026, 9, 27), date(2027, 4, 4)]
FIRST_DAY, LAST_DAY = date(2026, 1, 1), date(2027, 12, 31)
HALF_HOURS = st.integers(0, 48).map(lambda n: n * 30)


@st.composite
def weekly_hours(draw: st.DrawFn) -> WeeklyHours:
    """0–3 ranges a day on half-hour marks (so they meet DST changes and each other), some past midnight."""
    days = []
    for _ in range(7):
        marks = sorted(set(draw(st.lists(HALF_HOURS, max_size=6))))
        ranges = [DailyRange(marks[i], marks[i + 1]) for i in range(0, len(marks) - 1, 2)]
        if ranges and ranges[-1].start >= 60 and draw(st.booleans()):
            last = ranges[-1]
            ranges[-1] = DailyRange(last.start, draw(st.integers(1, last.start // 30 - 1)) * 30)
        days.append(ranges)
    # Shorten what would overlap the next day's first range rather than reject the example.
    for weekday in range(7):
        following = days[(weekday + 1) % 7]
        last = days[weekday][-1] if days[weekday] else None
        if last and last.overnight and following and last.end > following[0].start:
            days[weekday][-1] = DailyRange(last.start, 1440)
    return WeeklyHours(tuple(tuple(day) for day in days))


def instants_in(zone_names: list[str] | None = None) -> st.SearchStrategy[datetime]:
    """Instants in 2026–2027 with a microsecond part, often near midnight or a DST change, in varied zones."""
    anywhere = st.integers(0, (LAST_DAY - FIRST_DAY).days * 86400).map(
        lambda s: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=s))
    near_change = st.tuples(st.sampled_from(DST_DAYS), st.integers(-30 * 3600, 30 * 3600)).map(
        lambda pair: datetime(pair[0].year, pair[0].month, pair[0].day, tzinfo=UTC) + timedelta(seconds=pair[1]))
    on_the_minute = st.one_of(anywhere, near_change).map(lambda d: d.replace(second=0))
    base = st.one_of(anywhere, near_change, on_the_minute)
    zones = st.sampled_from([ZoneInfo(z) for z in (zone_names or ZONES)] + [UTC])
    return st.tuples(base, st.integers(0, 999_999) | st.just(0), zones).map(
        lambda t: (t[0] + timedelta(microseconds=t[1])).astimezone(t[2]))


closures_lists = st.lists(
    st.tuples(st.integers(0, (LAST_DAY - FIRST_DAY).days), st.integers(0, 12)).map(
        lambda p: Closure(FIRST_DAY + timedelta(days=p[0]), FIRST_DAY + timedelta(days=p[0] + p[1]))),
    max_size=3)


@st.composite
def round_the_clock(draw: st.DrawFn) -> WeeklyHours:
    """Every minute of the week covered, each day cut in two somewhere (the engine has a short cut for this)."""
    cuts = [draw(st.integers(1, 47)) * 30 for _ in range(7)]
    return WeeklyHours(tuple((DailyRange(0, cut), DailyRange(cut, 1440)) for cut in cuts))


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    weekly = draw(st.one_of(weekly_hours(), weekly_hours(), weekly_hours(), weekly_hours(), round_the_clock()))
    return BusinessCalendar(weekly, draw(st.sampled_from(ZONES)), tuple(draw(closures_lists)),
                            ENGLAND if draw(st.booleans()) else None)


def model_closed(cal: BusinessCalendar, day: date) -> bool:
    return any(c.start <= day <= c.end for c in cal.closures) or (
        cal.holidays is not None and cal.holidays.name(day) is not None)


def model_spans(cal: BusinessCalendar, first: date, last: date) -> list[tuple[datetime, datetime]]:
    """Each range starting from `first` to `last` as a pair of instants, one at a time, unmerged."""
    zone = ZoneInfo(cal.time_zone)

    def wall(day: date, minutes: int) -> datetime:
        day += timedelta(days=minutes // 1440)
        return datetime(day.year, day.month, day.day, minutes % 1440 // 60, minutes % 60, tzinfo=zone)

    spans = []
    day = first
    while day <= last:
        if not model_closed(cal, day):
            for r in cal.hours.days[day.weekday()]:
                start = wall(day, r.start)
                end = wall(day, r.end if r.end > r.start else r.end + 1440)
                for later in (1, 2):  # no instant of a closed day is open
                    if model_closed(cal, day + timedelta(days=later)):
                        end = min(end, wall(day + timedelta(days=later), 0), key=lambda d: d.timestamp())
                        break
                if end.timestamp() > start.timestamp():
                    spans.append((start.astimezone(UTC), end.astimezone(UTC)))
        day += timedelta(days=1)
    return spans


def model_is_open(cal: BusinessCalendar, instant: datetime) -> bool:
    local_day = instant.astimezone(ZoneInfo(cal.time_zone)).date()
    moment = instant.astimezone(UTC)
    return any(a <= moment < b for a, b in model_spans(cal, local_day - timedelta(days=3), local_day + timedelta(days=1)))


def model_open_set(cal: BusinessCalendar, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The model's open time within [start, end), merged."""
    zone = ZoneInfo(cal.time_zone)
    spans = sorted(model_spans(cal, start.astimezone(zone).date() - timedelta(days=3),
                               end.astimezone(zone).date() + timedelta(days=1)))
    merged: list[list[datetime]] = []
    for a, b in spans:
        a, b = max(a, start.astimezone(UTC)), min(b, end.astimezone(UTC))
        if b <= a:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(calendars(), instants_in())
def test_is_open_agrees_with_the_naive_model(cal, instant):
    assert cal.is_open(instant) == model_is_open(cal, instant)


@PROPERTY
@given(calendars(), instants_in())
def test_next_opening_is_open_and_nothing_before_it_is(cal, after):
    after = after.astimezone(UTC)  # == across zones is False for a repeated wall-clock time
    opening = cal.next_opening(after)
    if opening is None:
        assert model_open_set(cal, after, after + timedelta(days=731)) == []
        return
    assert opening >= after and cal.is_open(opening) and model_is_open(cal, opening)
    assert model_open_set(cal, after, opening) == []  # exact: no open instant in [after, opening)
    if opening > after:
        assert not cal.is_open(opening - ONE_MICRO)


@PROPERTY
@given(calendars(), instants_in())
def test_next_closing_is_closed_and_everything_before_it_is_open(cal, after):
    after = after.astimezone(UTC)
    closing = cal.next_closing(after)
    if closing is None:
        assert model_open_set(cal, after, after + timedelta(days=20)) == [(after, after + timedelta(days=20))]
        return
    assert closing >= after and not cal.is_open(closing) and not model_is_open(cal, closing)
    if closing > after:
        assert model_open_set(cal, after, closing) == [(after, closing)]


@PROPERTY
@given(calendars(), instants_in(), st.integers(0, 10 * 24 * 60))
def test_open_intervals_match_the_model_exactly(cal, start, minutes):
    start = start.astimezone(UTC)
    end = start + timedelta(minutes=minutes)
    assert cal.open_intervals(start, end) == model_open_set(cal, start, end)


def test_round_the_clock_closes_at_the_midnight_starting_a_closure():
    cal = BusinessCalendar(WeeklyHours.from_json(ROUND_THE_CLOCK), "Europe/London",
                           (Closure(date(2026, 6, 2), date(2026, 6, 3)),))
    assert cal.next_closing(london(2026, 6, 1, 20)) == london(2026, 6, 2)
    assert cal.next_opening(london(2026, 6, 2, 5)) == london(2026, 6, 4)


@PROPERTY
@given(round_the_clock(), instants_in(),
       st.lists(st.tuples(st.integers(-3, 6), st.integers(0, 3)), max_size=3), st.booleans())
def test_round_the_clock_hours_close_only_for_closed_days(weekly, after, offsets, holidays):
    after = after.astimezone(UTC)
    today = after.astimezone(LONDON).date()
    closures = tuple(Closure(today + timedelta(days=a), today + timedelta(days=a + n)) for a, n in offsets)
    cal = BusinessCalendar(weekly, "Europe/London", closures, ENGLAND if holidays else None)
    closing = cal.next_closing(after)
    if closing is None:
        assert not holidays and all(c.end < today for c in closures)
        return
    assert model_open_set(cal, after, closing) == ([(after, closing)] if closing > after else [])
    assert not model_is_open(cal, closing)
