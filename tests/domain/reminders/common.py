"""Calendars, zones and instants shared by the reminder engine's tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, settings

from clientdesk.domain.hours import BusinessCalendar, WeeklyHours

UTC = timezone.utc
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
# Mon–Fri 09:00–17:00 in each zone.
OFFICE = BusinessCalendar(WeeklyHours.office_default(), "Europe/London")
NY_OFFICE = BusinessCalendar(WeeklyHours.office_default(), "America/New_York")
# Daylight-saving changes of 2026 in the two zones the feature is tested in.
LONDON_SPRING, LONDON_AUTUMN = date(2026, 3, 29), date(2026, 10, 25)
NY_SPRING, NY_AUTUMN = date(2026, 3, 8), date(2026, 11, 1)
DST_CHANGES = (LONDON_SPRING, LONDON_AUTUMN, NY_SPRING, NY_AUTUMN)
# Property tests: enough examples to find an edge, few enough to keep the whole run well under 20 s.
PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def new_york(*args: int) -> datetime:
    return datetime(*args, tzinfo=NEW_YORK)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def hours(**days: list[list[str]]) -> WeeklyHours:
    return WeeklyHours.from_json(days)


def calendar(time_zone: str = "Europe/London", **days: list[list[str]]) -> BusinessCalendar:
    return BusinessCalendar(hours(**days), time_zone)


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
