"""Snooze choices: an hour of real time, tomorrow or next week at opening time (else 09:00), or a chosen time."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from clientdesk.domain.errors import InvalidInput
from clientdesk.domain.hours import BusinessCalendar, Closure, PublicHolidays, WeeklyHours
from clientdesk.domain.reminders.clock import morning, opening_time
from clientdesk.domain.reminders.snooze import SnoozeChoice, snooze_menu, snooze_until
from tests.domain.reminders.common import NY_OFFICE, OFFICE, calendar, london, new_york, utc

SHOP = calendar(mon=[["08:30", "17:00"]], tue=[["10:00", "12:00"], ["13:00", "18:00"]],
                wed=[["00:00", "24:00"]], thu=[["00:00", "03:00"], ["11:00", "15:00"]])


def test_an_hour_is_an_hour_of_real_time_even_across_the_spring_change():
    # 00:30 GMT + 1 hour is 02:30 BST on 29 March 2026: the clocks skipped an hour, the wait did not.
    assert snooze_until("hour", london(2026, 3, 29, 0, 30), OFFICE) == utc(2026, 3, 29, 1, 30)
    assert snooze_until(SnoozeChoice.HOUR, new_york(2026, 11, 1, 0, 30), NY_OFFICE) == utc(2026, 11, 1, 5, 30)


def test_tomorrow_is_the_opening_time_or_nine_when_the_business_does_not_open():
    assert snooze_until("tomorrow", london(2026, 6, 1, 15), SHOP) == london(2026, 6, 2, 10)  # Tuesday 10:00
    assert snooze_until("tomorrow", london(2026, 5, 31, 15), SHOP) == london(2026, 6, 1, 8, 30)  # Monday 08:30
    assert snooze_until("tomorrow", london(2026, 6, 5, 15), SHOP) == london(2026, 6, 6, 9)  # Saturday: closed


def test_a_day_open_from_midnight_counts_its_first_later_opening_or_nine():
    assert snooze_until("tomorrow", london(2026, 6, 2, 15), SHOP) == london(2026, 6, 3, 9)  # open round the clock
    assert snooze_until("tomorrow", london(2026, 6, 3, 15), SHOP) == london(2026, 6, 4, 11)  # 00:00–03:00, 11:00
    assert opening_time(SHOP, date(2026, 6, 3)) is None


def test_a_closure_or_public_holiday_tomorrow_means_nine_oclock():
    closed = BusinessCalendar(SHOP.hours, "Europe/London", (Closure(date(2026, 6, 2), date(2026, 6, 2)),))
    assert snooze_until("tomorrow", london(2026, 6, 1, 15), closed) == london(2026, 6, 2, 9)
    bank_holidays = BusinessCalendar(WeeklyHours.from_json({"mon": [["07:00", "12:00"]]}), "Europe/London",
                                     holidays=PublicHolidays("GB", "ENG"))
    assert snooze_until("tomorrow", london(2026, 5, 24, 15), bank_holidays) == london(2026, 5, 25, 9)  # Spring bank
    assert snooze_until("tomorrow", london(2026, 5, 31, 15), bank_holidays) == london(2026, 6, 1, 7)


def test_next_week_is_the_same_weekday_at_opening_time_across_a_change():
    # Monday 23 March (GMT) to Monday 30 March (BST): 08:30 local both times, an hour apart in UTC.
    assert snooze_until("next_week", london(2026, 3, 23, 16), SHOP) == london(2026, 3, 30, 8, 30) == \
        utc(2026, 3, 30, 7, 30)
    assert snooze_until("next_week", new_york(2026, 10, 30, 16), NY_OFFICE) == new_york(2026, 11, 6, 9)
    assert snooze_until("next_week", london(2026, 6, 6, 16), OFFICE) == london(2026, 6, 13, 9)  # a Saturday


def test_a_chosen_time_must_be_after_now_and_within_two_years():
    now = london(2026, 6, 1, 12)
    assert snooze_until("chosen", now, OFFICE, chosen=new_york(2026, 6, 3, 9)) == utc(2026, 6, 3, 13)
    for chosen, wording in ((None, "Choose when"), (now, "after now"), (now + timedelta(days=800), "within two years")):
        with pytest.raises(InvalidInput, match=wording):
            snooze_until("chosen", now, OFFICE, chosen=chosen)
    with pytest.raises(InvalidInput, match="not a snooze choice"):
        snooze_until("later", now, OFFICE)


def test_the_menu_shows_when_each_choice_brings_the_item_back():
    menu = snooze_menu(london(2026, 6, 5, 15), OFFICE)  # a Friday
    assert [(choice.value, label) for choice, _, label in menu] == [
        ("hour", "1 hour — 16:00"), ("tomorrow", "Tomorrow — Sat 09:00"), ("next_week", "Next week — 12 Jun"),
        ("chosen", "Choose a time…")]
    assert menu[1][1] == morning(OFFICE, date(2026, 6, 6)) and menu[3][1] is None
