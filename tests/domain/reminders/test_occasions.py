"""Birthdays (29 February included) and holiday greetings, and the keys storage reads birthdays by."""

from __future__ import annotations

import calendar as month_tables
from datetime import date, datetime, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.contacts import Birthday
from clientdesk.domain.errors import InvalidInput
from clientdesk.domain.hours import BusinessCalendar, WeeklyHours
from clientdesk.domain.reminders.clock import agenda_end, last_day_before, local_day, morning
from clientdesk.domain.reminders.kinds import ReminderKind
from clientdesk.domain.reminders.occasions import (
    BirthdayContact, BirthdayRule, HolidayGreetingRule, available_holidays, birthday_days, birthday_dues, birthday_in,
    birthday_keys, holiday_dues, validate_holiday_rule,
)
from tests.domain.reminders.common import NY_OFFICE, OFFICE, PROPERTY, calendar, days_between, london, new_york

SWITCHED_ON = date(2020, 1, 1)
EVERY_BIRTHDAY = BirthdayRule(SWITCHED_ON)


def person(contact_id: int, day: int, month: int, year: int | None = None) -> BirthdayContact:
    return BirthdayContact(contact_id, f"Person {contact_id}", Birthday(day, month, year))


# --- birthdays -------------------------------------------------------------------------------------------------

def test_29_february_is_kept_on_28_february_in_a_common_year():
    leap_day = Birthday(29, 2, 1996)
    assert birthday_in(leap_day, 2027) == date(2027, 2, 28)
    assert birthday_in(leap_day, 2028) == date(2028, 2, 29)
    assert birthday_in(leap_day, 2100) == date(2100, 2, 28)
    assert birthday_in(Birthday(28, 2), 2028) == date(2028, 2, 28)


def test_the_keys_for_a_week_spanning_28_february_of_a_common_year_include_29_february():
    assert birthday_days(date(2027, 2, 26), date(2027, 3, 2)) == {(2, 26), (2, 27), (2, 28), (2, 29), (3, 1), (3, 2)}
    assert (2, 29) not in birthday_days(date(2028, 2, 26), date(2028, 2, 28))  # 29 February comes next day
    assert (2, 29) in birthday_days(date(2028, 2, 29), date(2028, 2, 29))
    assert len(birthday_days(date(2026, 1, 1), date(2026, 12, 31))) == 366
    assert birthday_days(date(2026, 2, 2), date(2026, 2, 1)) == set()


def test_a_leap_day_birthday_is_on_the_agenda_on_28_february_2027():
    now = london(2027, 2, 25, 12)  # a Thursday
    [item] = birthday_dues([person(7, 29, 2, 1996)], EVERY_BIRTHDAY, now, agenda_end(now, OFFICE), OFFICE)
    assert item.id == "birthday:7:2027" and item.kind is ReminderKind.BIRTHDAY
    assert item.due == london(2027, 2, 28, 9)  # a Sunday: not open, so 09:00
    assert item.title == "Person 7's birthday (31)" and item.channel is Channel.EMAIL


def test_a_birthday_falls_due_at_the_businesss_opening_time_that_day():
    shop = calendar(tue=[["08:30", "18:00"]], wed=[["00:00", "02:00"], ["10:00", "18:00"]])
    now = london(2026, 6, 1, 7)  # Monday
    items = birthday_dues([person(1, 2, 6), person(2, 3, 6), person(3, 1, 6)], EVERY_BIRTHDAY, now,
                          agenda_end(now, shop), shop)
    assert {item.id: item.due for item in items} == {
        "birthday:1:2026": london(2026, 6, 2, 8, 30), "birthday:2:2026": london(2026, 6, 3, 10),
        "birthday:3:2026": london(2026, 6, 1, 9)}
    assert [item.title for item in items] == ["Person 1's birthday", "Person 2's birthday", "Person 3's birthday"]


def test_a_reminder_days_before_names_the_day():
    rule = BirthdayRule(SWITCHED_ON, days_before=3)
    now = london(2026, 6, 1, 7)
    [item] = birthday_dues([person(1, 10, 6, 1980)], rule, now, agenda_end(now, OFFICE), OFFICE)
    assert item.due == london(2026, 6, 7, 9) and item.title == "Person 1's birthday on 10 June (46)"
    # Greeting days from a week back (25 May) to 8 June: the birthdays three days after those.
    keys = birthday_keys(rule, now, agenda_end(now, OFFICE), OFFICE)
    assert (5, 28) in keys and (6, 11) in keys
    assert (5, 27) not in keys and (6, 12) not in keys


def test_a_missed_birthday_stays_a_week_then_goes_stale_and_none_before_the_rule_was_switched_on():
    now = london(2026, 6, 10, 12)
    end = agenda_end(now, OFFICE)
    people = [person(1, 3, 6), person(2, 2, 6), person(3, 9, 6)]
    assert [item.id for item in birthday_dues(people, EVERY_BIRTHDAY, now, end, OFFICE)] == [
        "birthday:1:2026", "birthday:3:2026"]
    forever = BirthdayRule(date(2026, 1, 1), keep_days=None)  # kept until handled, counted from 1 January
    assert len(birthday_dues(people, forever, now, end, OFFICE)) == 3
    assert len(birthday_dues(people, BirthdayRule(date(2025, 1, 1), keep_days=None), now, end, OFFICE)) == 6
    assert [item.id for item in birthday_dues(people, BirthdayRule(date(2026, 6, 5), keep_days=None), now, end,
                                              OFFICE)] == ["birthday:3:2026"]


def test_no_birthday_in_the_year_of_birth_itself():
    now = london(2026, 6, 1, 7)
    assert birthday_dues([person(1, 2, 6, 2026)], EVERY_BIRTHDAY, now, agenda_end(now, OFFICE), OFFICE) == []


def test_a_rule_checks_its_numbers():
    with pytest.raises(InvalidInput) as error:
        BirthdayRule(SWITCHED_ON, days_before=-1, keep_days=400)
    assert {problem.field for problem in error.value.problems} == {"days_before", "keep_days"}


birthdays = st.one_of(
    st.just((29, 2)), st.just((28, 2)), st.just((1, 3)),
    st.integers(1, 12).flatmap(lambda m: st.tuples(st.integers(1, month_tables.monthrange(2000, m)[1]), st.just(m))))
instants = st.integers(0, 6 * 365 * 24).map(lambda hours: london(2025, 1, 1) + timedelta(hours=hours))


@PROPERTY
@given(birthdays, st.none() | st.integers(1900, 2024), instants, st.integers(0, 40), st.integers(0, 14),
       st.none() | st.integers(0, 30), st.sampled_from([OFFICE, NY_OFFICE]))
def test_a_birthday_is_on_the_agenda_exactly_when_storages_keys_say_so(day_month, year, now, days, days_before,
                                                                     keep_days, cal):
    if day_month == (29, 2) and year is not None and not month_tables.isleap(year):
        year += 4 - year % 4 if year % 100 else 4  # a leap year, so the birthday exists
    birthday = Birthday(day_month[0], day_month[1], year)
    rule = BirthdayRule(date(2024, 6, 1), days_before, keep_days)
    end = agenda_end(now, cal, days)
    items = birthday_dues([BirthdayContact(1, "Someone", birthday)], rule, now, end, cal)
    # The model: every greeting day the agenda can show, and whether this birthday is marked that many days later.
    first = max(rule.since, local_day(now, cal) - timedelta(days=keep_days if keep_days is not None else 10_000))
    shown = [day for day in days_between(first, last_day_before(end, cal))
             if birthday_in(birthday, (day + timedelta(days=days_before)).year) == day + timedelta(days=days_before)
             and (year is None or (day + timedelta(days=days_before)).year > year)]
    assert [item.due for item in items] == [morning(cal, day) for day in shown]
    assert [item.id for item in items] == [f"birthday:1:{(day + timedelta(days=days_before)).year}" for day in shown]
    if items:
        assert (birthday.month, birthday.day) in birthday_keys(rule, now, end, cal)
    if year is None and (birthday.month, birthday.day) in birthday_keys(rule, now, end, cal):
        assert items


@PROPERTY
@given(st.integers(2025, 2035), st.sampled_from([(29, 2), (28, 2), (1, 3)]))
def test_over_a_whole_year_every_birthday_is_marked_exactly_once_on_its_day(year, day_month):
    # From 1 March to the end of February: the year around a 29 February.
    cal = BusinessCalendar(WeeklyHours.always_closed(), "Europe/London")
    now = datetime(year, 3, 1, 0, 30, tzinfo=cal.zone)
    end = cal.start_of_day(date(year + 1, 3, 1))
    items = birthday_dues([BirthdayContact(1, "Someone", Birthday(*day_month))], BirthdayRule(date(year, 3, 1)),
                          now, end, cal)
    marked = [item.due.astimezone(cal.zone).date() for item in items]
    if day_month == (1, 3):
        assert marked == [date(year, 3, 1)]
    elif day_month == (28, 2) or not month_tables.isleap(year + 1):
        assert marked == [date(year + 1, 2, 28)]
    else:
        assert marked == [date(year + 1, 2, 29)]


# --- holiday greetings ----------------------------------------------------------------------------------------

XMAS = HolidayGreetingRule(("Christmas Day", "Boxing Day"), date(2026, 1, 1), days_before=3)


def test_a_greeting_is_due_the_chosen_number_of_days_before_the_holiday():
    now = london(2026, 12, 20, 12)  # Sunday
    items = holiday_dues(XMAS, "GB", "ENG", now, agenda_end(now, OFFICE), OFFICE)
    assert [(item.id, item.due, item.title) for item in items] == [
        ("holiday:2026-12-25:christmas-day", london(2026, 12, 22, 9), "Christmas Day greetings (25 December 2026)"),
        ("holiday:2026-12-26:boxing-day", london(2026, 12, 23, 9), "Boxing Day greetings (26 December 2026)")]
    assert all(item.contact_id is None and item.kind is ReminderKind.HOLIDAY for item in items)


def test_a_greeting_is_for_the_holiday_itself_not_the_day_off_in_lieu():
    # Boxing Day 2027 is a Sunday; its bank holiday is Tuesday 28 December. The greeting counts from the 26th.
    rule = HolidayGreetingRule(("boxing day",), date(2026, 1, 1), days_before=0)
    now = london(2027, 12, 24, 12)
    [item] = holiday_dues(rule, "GB", "ENG", now, agenda_end(now, OFFICE), OFFICE)
    assert item.id == "holiday:2027-12-26:boxing-day" and item.due == london(2027, 12, 26, 9)


def test_greetings_can_go_to_each_recipient():
    rule = HolidayGreetingRule(("Thanksgiving Day",), date(2026, 1, 1), days_before=2, channel=Channel.POSTAL)
    now = new_york(2026, 11, 23, 12)
    items = holiday_dues(rule, "US", None, now, agenda_end(now, NY_OFFICE), NY_OFFICE,
                         recipients=[(4, "Ann"), (5, "Bo")])
    assert [(item.id, item.contact_id, item.title, item.due) for item in items] == [
        ("holiday:2026-11-26:thanksgiving-day:4", 4, "Thanksgiving Day greetings to Ann (26 November 2026)",
         new_york(2026, 11, 24, 9)),
        ("holiday:2026-11-26:thanksgiving-day:5", 5, "Thanksgiving Day greetings to Bo (26 November 2026)",
         new_york(2026, 11, 24, 9))]
    assert all(item.channel is Channel.POSTAL for item in items)


def test_a_stale_greeting_leaves_the_agenda():
    now = london(2027, 1, 5, 12)
    end = agenda_end(now, OFFICE)
    assert holiday_dues(XMAS, "GB", "ENG", now, end, OFFICE) == []  # due 22 and 23 December: over a week ago
    kept = HolidayGreetingRule(XMAS.holidays, XMAS.since, XMAS.days_before, keep_days=None)
    assert len(holiday_dues(kept, "GB", "ENG", now, end, OFFICE)) == 2


def test_the_holidays_to_choose_from_and_a_name_that_is_not_one():
    names = [name for _, name in available_holidays("gb", "eng", 2026)]
    assert "Christmas Day" in names and "Easter Monday" in names
    validate_holiday_rule(XMAS, "GB", "ENG", date(2026, 6, 1))
    with pytest.raises(InvalidInput) as error:
        validate_holiday_rule(HolidayGreetingRule(("Christmas Day", "Thanksgiving"), date(2026, 1, 1)), "GB", "ENG",
                              date(2026, 6, 1))
    assert "“Thanksgiving” is not a holiday in GB-ENG; choose from" in error.value.sentence()
    with pytest.raises(InvalidInput, match="country"):
        available_holidays("XX", None, 2026)
    with pytest.raises(InvalidInput, match="Choose at least one holiday"):
        HolidayGreetingRule((" ",), date(2026, 1, 1))


@PROPERTY
@given(st.integers(0, 3 * 365 * 24).map(lambda hours: london(2026, 1, 1) + timedelta(hours=hours)),
       st.integers(0, 20), st.integers(0, 14),
       st.sets(st.sampled_from(["New Year's Day", "Good Friday", "Easter Monday", "Christmas Day", "Boxing Day"]),
               min_size=1))
def test_every_chosen_holiday_is_greeted_once_on_its_day_and_no_other(now, days, days_before, chosen):
    rule = HolidayGreetingRule(tuple(sorted(chosen)), date(2026, 1, 1), days_before)
    end = agenda_end(now, OFFICE, days)
    items = holiday_dues(rule, "GB", "ENG", now, end, OFFICE)
    first = max(rule.since, local_day(now, OFFICE) - timedelta(days=7))
    last = last_day_before(end, OFFICE)
    table = holidays.country_holidays("GB", subdiv="ENG", years=range(2025, 2031), observed=False)
    expected = sorted((day - timedelta(days=days_before), name) for day, name in table.items()
                      if name in chosen and first <= day - timedelta(days=days_before) <= last)
    assert [(item.due, item.title.split(" greetings")[0]) for item in items] == [
        (morning(OFFICE, day), name) for day, name in expected]
