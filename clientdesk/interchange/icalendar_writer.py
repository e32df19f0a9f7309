"""Reminders as an iCalendar (.ics) file, for the calendar on the user's phone or desktop.

Each reminder is a VEVENT with a VALARM, not a VTODO: most calendars ignore VTODO. A repeating reminder is
one VEVENT with its RRULE; its DTSTART is the rule's first occurrence (RFC 5545 leaves a DTSTART that does
not fit its rule undefined, and ClientDesk's start date need not fit it) at its wall time with a TZID, and
its UNTIL is turned into UTC, as RFC 5545 requires beside a DTSTART with a TZID (ClientDesk keeps it as local
wall time; recurrence.py). The zones used are written as VTIMEZONE components (icalendar's
add_missing_timezones, from zoneinfo), so a calendar without the zone database still places them right.

UIDs are stable — made from the item id, "reminder-12@clientdesk" — so importing a newer export updates the
events instead of adding copies. DTSTAMP is the export's instant, given by the caller (nothing here reads the
clock). User text (titles, names, notes) is escaped by icalendar.

`read_events` reads a file back into plain values; the tests use it to check that what was written is what
comes back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from icalendar import Alarm, Calendar, Event, vRecur

from clientdesk.domain.boundaries import CHANNEL_LABELS
from clientdesk.domain.hours import require_aware, zone_named
from clientdesk.domain.reminders.agenda import AgendaItem
from clientdesk.domain.reminders.follow_ups import Reminder, reminder_item_id
from clientdesk.domain.reminders.recurrence import rule_parts

UTC = timezone.utc
PRODUCT = "-//ClientDesk//Reminders//EN"
UID_DOMAIN = "clientdesk"
DEFAULT_DURATION = timedelta(minutes=15)
MAX_ALARM_MINUTES = 7 * 24 * 60
# A repeating reminder without an end needs its zone's changes written out for some years past the export;
# calendars with their own zone database (most) use that instead.
_ZONE_YEARS_AHEAD = 10


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One VEVENT as read back: its start in its own zone, its RRULE text as written (UNTIL in UTC)."""

    uid: str
    summary: str
    description: str
    start: datetime
    duration: timedelta | None
    rule: str | None
    alarm_before: timedelta | None  # how long before the start the alarm goes; None without an alarm


def uid_for(item_id: str, domain: str = UID_DOMAIN) -> str:
    """ "reminder:12" → "reminder-12@clientdesk": stable, so a calendar updates rather than duplicates."""
    return f"{item_id.replace(':', '-').replace('@', '-at-')}@{domain}"


def write_calendar(reminders: Iterable[Reminder] = (), items: Iterable[AgendaItem] = (), *, time_zone: str,
                   stamp: datetime, alarm_minutes_before: int = 0, duration: timedelta = DEFAULT_DURATION,
                   uid_domain: str = UID_DOMAIN, name: str = "ClientDesk reminders") -> bytes:
    """The .ics bytes for the reminders the user set up and, optionally, agenda items (a birthday, a plan
    review…), each placed at its suggested time when it has one. Give items that the reminders do not already
    cover: an occurrence of a repeating reminder given here too would appear twice.

    `time_zone` is the business's: one-off instants are written at its wall time. The alarm goes at the start,
    or `alarm_minutes_before` minutes before it."""
    zone = zone_named(time_zone, "timezone")
    stamp = require_aware(stamp, "stamp").astimezone(UTC)
    if not isinstance(alarm_minutes_before, int) or not 0 <= alarm_minutes_before <= MAX_ALARM_MINUTES:
        raise ValueError(f"alarm_minutes_before must be 0 to {MAX_ALARM_MINUTES}, not {alarm_minutes_before!r}")
    alarm = timedelta(minutes=-alarm_minutes_before)

    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    first: date | None = None
    last: date | None = None

    def span(*days: date) -> None:
        nonlocal first, last
        first = min(days) if first is None else min(first, *days)
        last = max(days) if last is None else max(last, *days)

    for reminder in reminders:
        recurrence = reminder.recurrence
        if recurrence is None:
            assert reminder.due is not None
            start = reminder.due.astimezone(zone)
            rule = None
            span(start.date())
        else:
            opening = recurrence.first()
            if opening is None:
                continue
            start = opening.astimezone(recurrence.zone)
            rule = _rule_for_calendar(recurrence.rule, recurrence.until_instant)
            until = recurrence.until_instant
            last_change = until + timedelta(days=366) if until else max(opening, stamp) + timedelta(
                days=366 * _ZONE_YEARS_AHEAD)
            span(start.date(), last_change.date())
        details = [f"Contact: {reminder.contact_name}" if reminder.contact_name else "",
                   f"Channel: {CHANNEL_LABELS[reminder.channel]}" if reminder.channel else "", reminder.notes]
        calendar.add_component(_event(uid_for(reminder_item_id(reminder.id), uid_domain), stamp, start, duration,
                                      reminder.title, details, rule, alarm))
    for item in items:
        start = (item.suggested or item.due).astimezone(zone)
        span(start.date())
        details = [f"Contact: {item.contact_name}" if item.contact_name else "",
                   f"Channel: {CHANNEL_LABELS[item.channel]}" if item.channel else "", item.reason or ""]
        calendar.add_component(_event(uid_for(item.id, uid_domain), stamp, start, duration, item.title, details,
                                      None, alarm))
    if first is not None and last is not None:
        calendar.add_missing_timezones(first_date=first - timedelta(days=366), last_date=last)
    return calendar.to_ical()


def _rule_for_calendar(rule: str, until: datetime | None) -> vRecur:
    """The canonical rule with its UNTIL (local wall time in ClientDesk) as the UTC instant RFC 5545 asks for."""
    parts = rule_parts(rule)
    if until is not None:
        parts["UNTIL"] = until.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return vRecur.from_ical(";".join(f"{key}={value}" for key, value in parts.items()))


def _event(uid: str, stamp: datetime, start: datetime, duration: timedelta, title: str, details: list[str],
           rule: vRecur | None, alarm_offset: timedelta) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("duration", duration)
    event.add("summary", title)
    description = "\n".join(line for line in details if line)
    if description:
        event.add("description", description)
    if rule is not None:
        event.add("rrule", rule)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", alarm_offset)
    event.add_component(alarm)
    return event


def read_events(data: bytes | str) -> list[CalendarEvent]:
    """The VEVENTs of an .ics file as plain values, in file order."""
    calendar = Calendar.from_ical(data)
    events: list[CalendarEvent] = []
    for event in calendar.walk("VEVENT"):
        start = event.decoded("dtstart")
        if not isinstance(start, datetime) or start.tzinfo is None:
            raise ValueError(f"event {event.get('uid')} does not start at a zoned date-time")
        rule = event.get("rrule")
        alarms = [component for component in event.walk("VALARM")]
        trigger = alarms[0].decoded("trigger") if alarms else None
        events.append(CalendarEvent(
            uid=str(event.get("uid")), summary=str(event.get("summary", "")),
            description=str(event.get("description", "")), start=start,
            duration=event.decoded("duration") if "DURATION" in event else None,
            rule=None if rule is None else rule.to_ical().decode(),
            alarm_before=None if not isinstance(trigger, timedelta) else -trigger))
    return events


__all__ = ["DEFAULT_DURATION", "PRODUCT", "CalendarEvent", "read_events", "uid_for", "write_calendar"]
