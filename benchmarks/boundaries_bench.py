"""Boundaries figures: the rules engine per call, and the list's "contact now?" refresh for one screen."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

INDICATOR_MAX_MS = 5.0
CALLS = 100_000
SCREEN = 40


def engine_cases():
    from clientdesk.domain.boundaries import ClientBoundaries
    from clientdesk.domain.hours import BusinessCalendar, Closure, PublicHolidays, WeeklyHours
    from clientdesk.domain.reply import ReplyClock, ReplyPolicy

    split = WeeklyHours.from_json({day: [["09:00", "12:30"], ["13:30", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")})
    late = WeeklyHours.from_json({"mon": [["18:00", "02:00"]], "tue": [["18:00", "02:00"]], "fri": [["16:00", "24:00"]],
                                  "sat": [["10:00", "14:00"]]})
    calendars = [
        BusinessCalendar(hours=WeeklyHours.office_default(), time_zone="Europe/London"),
        BusinessCalendar(hours=split, time_zone="America/New_York", holidays=PublicHolidays("US")),
        BusinessCalendar(hours=late, time_zone="Australia/Sydney",
                         closures=(Closure(datetime(2026, 12, 24).date(), datetime(2027, 1, 2).date(), "Summer"),)),
        BusinessCalendar(hours=split, time_zone="Europe/London", holidays=PublicHolidays("GB", "ENG")),
    ]
    rules = [
        ClientBoundaries.default(),
        ClientBoundaries.from_json({"channels": {"phone": "client_window", "sms": "never", "email": "any_time"},
                                    "urgent_channels": ["phone"],
                                    "client_window": {"timezone": "Europe/Berlin",
                                                      "hours": {d: [["10:00", "16:00"]] for d in ("mon", "wed", "fri")}}}),
        ClientBoundaries.from_json({"channels": {"phone": "never", "video": "any_time"},
                                    "do_not_contact_until": "2027-03-01"}),
        ClientBoundaries.from_json({"channels": {"email": "business_hours", "postal": "any_time"}}),
    ]
    policies = [ReplyPolicy(), ReplyPolicy(clock=ReplyClock.BUSINESS_HOURS),
                ReplyPolicy(target_hours=4, limit_hours=8, clock=ReplyClock.BUSINESS_HOURS)]
    return calendars, rules, policies


def per_call_us(work, arguments) -> float:
    started = time.perf_counter()
    for argument in arguments:
        work(*argument)
    return (time.perf_counter() - started) / len(arguments) * 1e6


def bench_engine() -> dict:
    from clientdesk.domain.boundaries import Channel, check_contact
    from clientdesk.domain.reply import reply_by

    calendars, rules, policies = engine_cases()
    rng = random.Random(11)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    instants = [start + timedelta(minutes=rng.randrange(0, 2 * 525_600)) for _ in range(CALLS)]
    channels = list(Channel)
    checks = [(rules[i % len(rules)], calendars[(i // 4) % len(calendars)], channels[i % len(channels)], at, i % 17 == 0)
              for i, at in enumerate(instants)]
    replies = [(at, policies[i % len(policies)], calendars[i % len(calendars)]) for i, at in enumerate(instants)]
    return {"check_us": per_call_us(check_contact, checks), "reply_by_us": per_call_us(reply_by, replies)}


def bench_indicator(workspace) -> dict:
    """One screen's refresh, as the minute tick does it: forget the texts, then the view asks for the
    visible rows (the first of them reads the block's rules in one query)."""
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([])
    from clientdesk.gui.contact_table_model import AVAILABILITY_COLUMN, ContactTableModel

    model = ContactTableModel(workspace.contacts)
    model.reload()
    model.show_availability(workspace.boundaries.summaries)
    timings = []
    for first_row in (50_000, 0, 90_000, 12_345, 77_777) * 4:
        for row in range(first_row, first_row + SCREEN):  # blocks in memory, as on screen
            model.data(model.index(row, 0))
        started = time.perf_counter()
        model.refresh_availability()
        texts = [model.data(model.index(row, AVAILABILITY_COLUMN)) for row in range(first_row, first_row + SCREEN)]
        timings.append(time.perf_counter() - started)
        assert all(texts), "every row on screen has an indicator"
    timings.sort()
    return {"indicator_ms": timings[len(timings) // 2] * 1000, "worst_ms": timings[-1] * 1000}
