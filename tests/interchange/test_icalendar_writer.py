"""Reminders written as an .ics file and read back: the same events, instants, rules and alarms come back."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.hours import BusinessCalendar, WeeklyHours
from clientdesk.domain.reminders.agenda import build_agenda
from clientdesk.domain.reminders.follow_ups import Reminder
from clientdesk.domain.reminders.kinds import Due, ReminderKind
from clientdesk.domain.reminders.recurrence import Recurrence
from clientdesk.interchange.icalendar_writer import read_events, uid_for, write_calendar

UTC = timezone.utc
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
STAMP = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)

CALL_BACK = Reminder(12, "Call back about the quote", due=datetime(2026, 6, 2, 13, 0, tzinfo=UTC), contact_id=5,
                     contact_name="Zoë O'Brien", channel=Channel.PHONE, notes="Ask about the roof, and the gutters.")
BOILER = Reminder(13, "Check the boiler", recurrence=Recurrence(
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20270630", date(2026, 6, 3), time(9, 30), "Europe/London"),
    contact_id=6, contact_name="Ann", channel=Channel.IN_PERSON)
NY_REVIEW = Reminder(14, "Quarterly review", recurrence=Recurrence(
    "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", date(2026, 1, 5), time(2, 30), "America/New_York"))


def written(*reminders: Reminder, **options) -> bytes:
    return write_calendar(reminders, time_zone="Europe/London", stamp=STAMP, **options)


def test_each_reminder_comes_back_as_a_vevent_with_its_uid_text_start_and_alarm():
    events = {event.uid: event for event in read_events(written(CALL_BACK, BOILER))}
    assert set(events) == {"reminder-12@clientdesk", "reminder-13@clientdesk"}
    call_back = events["reminder-12@clientdesk"]
    assert call_back.summary == "Call back about the quote"
    assert call_back.description == "Contact: Zoë O'Brien\nChannel: Phone\nAsk about the roof, and the gutters."
    assert call_back.start == CALL_BACK.due and call_back.start.tzinfo == LONDON  # 14:00 BST, written with its zone
    assert call_back.rule is None and call_back.alarm_before == timedelta(0)
    assert call_back.duration == timedelta(minutes=15)


def test_a_repeating_reminder_starts_at_its_first_occurrence_and_keeps_its_rule_with_until_in_utc():
    [event] = read_events(written(BOILER))
    assert event.start == datetime(2026, 6, 4, 9, 30, tzinfo=LONDON)  # Thursday: 3 June itself does not fit
    assert event.rule == "FREQ=WEEKLY;UNTIL=20270630T225959Z;INTERVAL=2;BYDAY=MO,TH"
    # Read back into a Recurrence, the UTC UNTIL becomes the same local wall-clock end as before.
    again = Recurrence(event.rule, event.start.date(), event.start.time().replace(tzinfo=None), "Europe/London")
    assert again.rule == BOILER.recurrence.rule


def test_the_calendar_expands_the_file_to_the_same_occurrences_as_clientdesk():
    for reminder in (BOILER, NY_REVIEW):
        [event] = read_events(written(reminder))
        # What a calendar program does: RRULE from DTSTART, with a zoned DTSTART and a UTC UNTIL.
        theirs = [moment.astimezone(UTC) for moment in itertools.islice(rrulestr(event.rule, dtstart=event.start),
                                                                          60)]
        ours = reminder.recurrence.occurrences(datetime(2026, 1, 1, tzinfo=UTC), datetime(2080, 1, 1, tzinfo=UTC),
                                               limit=60)
        assert theirs == ours
    # 02:30 New York time on 1 April, July…: always 02:30 local, whatever the offset.
    assert {moment.astimezone(NEW_YORK).time() for moment in NY_REVIEW.recurrence.occurrences(
        datetime(2026, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC))} == {time(2, 30)}


def test_every_zone_used_is_written_as_a_vtimezone_before_the_events():
    data = written(CALL_BACK, BOILER, NY_REVIEW)
    calendar = Calendar.from_ical(data)
    assert {zone.tz_name for zone in calendar.timezones} == {"Europe/London", "America/New_York"}
    assert calendar.get_missing_tzids() == set()
    text = data.decode()
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")
    assert "DTSTART;TZID=America/New_York:20260401T023000" in text


def test_the_alarm_can_go_off_minutes_before():
    [event] = read_events(written(CALL_BACK, alarm_minutes_before=30))
    assert event.alarm_before == timedelta(minutes=30)
    assert "TRIGGER:-PT30M" in written(CALL_BACK, alarm_minutes_before=30).decode()


def test_the_file_is_stable_and_stamped_in_utc():
    assert written(CALL_BACK, BOILER) == written(CALL_BACK, BOILER)
    calendar = Calendar.from_ical(written(CALL_BACK))
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstamp") == STAMP
    assert "DTSTAMP:20260501T080000Z" in written(CALL_BACK).decode()
    assert "PRODID:-//ClientDesk//Reminders//EN" in written(CALL_BACK).decode()


def test_agenda_items_go_in_at_their_suggested_time():
    office = BusinessCalendar(WeeklyHours.office_default(), "Europe/London")
    saturday = datetime(2026, 6, 6, 10, tzinfo=LONDON)
    birthday = Due("birthday:8:2026", ReminderKind.BIRTHDAY, 8, "Cy", "Cy's birthday", saturday, Channel.PHONE)
    [item] = build_agenda([birthday], datetime(2026, 6, 3, 12, tzinfo=LONDON), office).items
    [event] = read_events(write_calendar(items=[item], time_zone="Europe/London", stamp=STAMP))
    assert event.uid == uid_for("birthday:8:2026") == "birthday-8-2026@clientdesk"
    assert event.start == datetime(2026, 6, 8, 9, tzinfo=LONDON)
    assert event.description == "Contact: Cy\nChannel: Phone\nCall — Mon 09:00, business hours"


def test_an_empty_export_is_still_a_calendar():
    calendar = Calendar.from_ical(written())
    assert calendar.walk("VEVENT") == [] and str(calendar.get("version")) == "2.0"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=60).filter(lambda text: text.strip() and "\r" not in text),
       st.text(max_size=80).filter(lambda text: "\r" not in text))
def test_any_user_text_survives_the_round_trip(title, notes):
    reminder = Reminder(1, title, due=datetime(2026, 6, 2, 13, tzinfo=UTC), contact_name="A;B,C\\D", notes=notes)
    [event] = read_events(written(reminder))
    assert event.summary == title
    assert event.description == "\n".join(line for line in ("Contact: A;B,C\\D", notes) if line)
