"""The agenda: grouping, order, counts, the user's handling, boundaries applied, and the JSON shape; and the
follow-ups and repeating reminders that feed it."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientdesk.domain.boundaries import Channel, ChannelPolicy, ClientBoundaries
from clientdesk.domain.errors import InvalidInput
from clientdesk.domain.reminders.agenda import build_agenda
from clientdesk.domain.reminders.clock import agenda_end
from clientdesk.domain.reminders.follow_ups import (
    MAX_OCCURRENCES, Reminder, ReminderDraft, first_open_occurrence, occurrence_id, reminder_dues, validate_reminder,
)
from clientdesk.domain.reminders.kinds import Due, Handling, ItemState, ReminderKind, item_id, kind_of
from clientdesk.domain.reminders.recurrence import Recurrence
from tests.domain.reminders.common import LONDON, OFFICE, PROPERTY, london, utc

NOW = london(2026, 6, 3, 12)  # Wednesday noon


def due(identifier: str, when: datetime, contact_id: int | None = 1, channel: Channel | None = None,
        kind: ReminderKind = ReminderKind.FOLLOW_UP, name: str = "Ann") -> Due:
    return Due(identifier, kind, contact_id, name if contact_id is not None else "", f"Item {identifier}", when,
               channel)


# --- grouping and order ---------------------------------------------------------------------------------------

def test_items_are_grouped_into_overdue_today_and_the_next_days_in_order_with_counts():
    dues = [due("reminder:1", london(2026, 6, 10, 23)),  # the last day: Wednesday 3 June + 7
            due("reminder:2", london(2026, 6, 3, 11, 59)),
            due("reminder:3", london(2026, 5, 1, 9)),
            due("reminder:4", london(2026, 6, 3, 12)),  # exactly now: today, not overdue
            due("reminder:5", london(2026, 6, 11, 0)),  # past the end
            due("reminder:6", london(2026, 6, 4, 0)),
            due("reminder:7", london(2026, 6, 3, 23, 59))]
    agenda = build_agenda(dues, NOW, OFFICE)
    assert [item.id for item in agenda.overdue] == ["reminder:3", "reminder:2"]
    assert [item.id for item in agenda.today] == ["reminder:4", "reminder:7"]
    assert [item.id for item in agenda.upcoming] == ["reminder:6", "reminder:1"]
    assert agenda.counts.to_json() == {"overdue": 2, "today": 2, "upcoming": 2, "total": 6}
    assert agenda.end == agenda_end(NOW, OFFICE) == london(2026, 6, 11)
    assert [item.overdue for item in agenda.items] == [True, True, False, False, False, False]
    assert [day for day, _ in agenda.upcoming_by_day()] == [date(2026, 6, 4), date(2026, 6, 10)]


def test_the_number_of_days_is_a_choice():
    dues = [due("reminder:1", london(2026, 6, 4, 10)), due("reminder:2", london(2026, 6, 5, 10))]
    assert [item.id for item in build_agenda(dues, NOW, OFFICE, days=1).items] == ["reminder:1"]
    assert [item.id for item in build_agenda(dues, NOW, OFFICE, days=0).items] == []
    with pytest.raises(ValueError):
        build_agenda(dues, NOW, OFFICE, days=-1)


def test_at_the_same_time_reply_by_deadlines_come_first_then_names():
    at = london(2026, 6, 4, 9)
    dues = [due("birthday:2:2026", at, 2, kind=ReminderKind.BIRTHDAY, name="Bo"),
            due("cadence:3:2026-06-04", at, 3, kind=ReminderKind.CADENCE, name="Al"),
            due("cadence:4:2026-06-04", at, 4, kind=ReminderKind.CADENCE, name="al"),
            due("reply_by:9", at, 5, kind=ReminderKind.REPLY_BY, name="Zed")]
    assert [item.id for item in build_agenda(dues, NOW, OFFICE).items] == [
        "reply_by:9", "cadence:3:2026-06-04", "cadence:4:2026-06-04", "birthday:2:2026"]


def test_an_item_listed_twice_appears_once():
    item = due("reminder:1", london(2026, 6, 4, 10))
    assert len(build_agenda([item, item], NOW, OFFICE).items) == 1


# --- the user's handling ------------------------------------------------------------------------------------------

def test_done_and_skipped_items_leave_and_an_overdue_one_stays_until_then():
    dues = [due("reminder:1", london(2026, 4, 1, 9)), due("reminder:2", london(2026, 4, 2, 9)),
            due("reminder:3", london(2026, 4, 3, 9))]
    handled = [Handling("reminder:1", ItemState.DONE), Handling("reminder:2", ItemState.SKIPPED),
               Handling("reminder:3", ItemState.OPEN)]
    agenda = build_agenda(dues, NOW, OFFICE, handled=handled)
    assert [item.id for item in agenda.overdue] == ["reminder:3"]


def test_a_snoozed_item_comes_back_at_its_snooze_time():
    dues = [due("reminder:1", london(2026, 6, 1, 9)), due("reminder:2", london(2026, 6, 1, 9))]
    handled = {"reminder:1": Handling("reminder:1", ItemState.SNOOZED, london(2026, 6, 5, 9)),
               "reminder:2": Handling("reminder:2", ItemState.SNOOZED, london(2026, 7, 1, 9))}
    agenda = build_agenda(dues, NOW, OFFICE, handled=handled)
    [item] = agenda.items
    assert (item.id, item.due, item.overdue, item.snoozed) == ("reminder:1", london(2026, 6, 5, 9), False, True)
    later = build_agenda(dues, london(2026, 6, 5, 10), OFFICE, handled=handled)
    assert [(item.id, item.overdue) for item in later.overdue] == [("reminder:1", True)]  # back, and overdue again


def test_a_snoozed_item_its_source_no_longer_lists_comes_back_from_its_snapshot():
    old_birthday = due("birthday:8:2026", london(2026, 5, 1, 9), 8, Channel.EMAIL, ReminderKind.BIRTHDAY, "Cy")
    handling = Handling("birthday:8:2026", ItemState.SNOOZED, london(2026, 6, 4, 9),
                        Due.from_json(json.loads(json.dumps(old_birthday.to_json()))))
    [item] = build_agenda([], NOW, OFFICE, handled=[handling]).items
    assert (item.id, item.kind, item.contact_name, item.due, item.channel) == (
        "birthday:8:2026", ReminderKind.BIRTHDAY, "Cy", london(2026, 6, 4, 9), Channel.EMAIL)


def test_a_handling_is_checked():
    with pytest.raises(ValueError):
        Handling("reminder:1", ItemState.SNOOZED)
    with pytest.raises(ValueError):
        Handling("reminder:1", ItemState.SNOOZED, NOW, due("reminder:2", NOW))


# --- boundaries --------------------------------------------------------------------------------------------------

def test_an_item_that_means_contacting_the_client_is_suggested_within_their_rules():
    dues = [due("reminder:1", london(2026, 6, 6, 10), 1, Channel.PHONE),  # Saturday
            due("reminder:2", london(2026, 6, 6, 10), 2, Channel.PHONE),
            due("reminder:3", london(2026, 6, 6, 10), 3, Channel.SMS),
            due("holiday:2026-06-06:x", london(2026, 6, 6, 10), None, Channel.EMAIL, ReminderKind.HOLIDAY),
            due("reminder:4", london(2026, 6, 6, 10), 4, None)]
    rules = {2: ClientBoundaries({Channel.PHONE: ChannelPolicy.ANY_TIME}),
             3: ClientBoundaries({Channel.SMS: ChannelPolicy.NEVER})}
    items = {item.id: item for item in build_agenda(dues, NOW, OFFICE, boundaries=rules).items}
    assert (items["reminder:1"].suggested, items["reminder:1"].reason) == (london(2026, 6, 8, 9),
                                                                           "Call — Mon 09:00, business hours")
    assert (items["reminder:2"].suggested, items["reminder:2"].reason) == (london(2026, 6, 6, 10), None)
    assert (items["reminder:3"].suggested, items["reminder:3"].reason) == (None, "Text is never used with this client")
    assert items["holiday:2026-06-06:x"].suggested == london(2026, 6, 6, 10)  # nobody's rules to apply
    assert items["reminder:4"].suggested == london(2026, 6, 6, 10)  # no channel
    looked_up = build_agenda(dues, NOW, OFFICE, boundaries=rules.get)
    assert [item.suggested for item in looked_up.items] == [item.suggested for item in
                                                            build_agenda(dues, NOW, OFFICE, boundaries=rules).items]


# --- JSON -------------------------------------------------------------------------------------------------------

def test_items_print_as_the_command_lines_json_with_offsets():
    dues = [due("reminder:1", london(2026, 6, 6, 10), 1, Channel.PHONE),
            due("holiday:2026-06-06:x", london(2026, 6, 4, 10), None, None, ReminderKind.HOLIDAY)]
    data = json.loads(json.dumps(build_agenda(dues, NOW, OFFICE).to_json()))
    assert data["now"] == "2026-06-03T12:00:00+01:00" and data["until"] == "2026-06-11T00:00:00+01:00"
    assert data["counts"] == {"overdue": 0, "today": 0, "upcoming": 2, "total": 2}
    assert data["upcoming"] == [
        {"id": "holiday:2026-06-06:x", "kind": "holiday", "contact": None, "title": "Item holiday:2026-06-06:x",
         "due": "2026-06-04T10:00:00+01:00", "suggested": "2026-06-04T10:00:00+01:00", "channel": None,
         "overdue": False},
        {"id": "reminder:1", "kind": "follow_up", "contact": {"id": 1, "name": "Ann"}, "title": "Item reminder:1",
         "due": "2026-06-06T10:00:00+01:00", "suggested": "2026-06-08T09:00:00+01:00", "channel": "phone",
         "overdue": False}]
    item = build_agenda(dues, NOW, OFFICE).upcoming[0]
    assert item.to_json()["due"] == "2026-06-04T09:00:00+00:00"
    assert datetime.fromisoformat(item.to_json(ZoneInfo("America/New_York"))["due"]) == item.due


# --- follow-ups and repeating reminders --------------------------------------------------------------------------

WEEKLY_TUESDAY = Recurrence("FREQ=WEEKLY;BYDAY=TU", date(2026, 5, 1), time(9, 30), "Europe/London")


def test_a_follow_up_is_one_item_and_a_repeating_reminder_one_per_occurrence():
    follow_up = Reminder(12, "Call back about the quote", due=london(2026, 6, 4, 15), contact_id=5,
                         contact_name="Di", channel=Channel.PHONE)
    [item] = reminder_dues(follow_up, agenda_end(NOW, OFFICE))
    assert (item.id, item.kind, item.title, item.contact_id) == ("reminder:12", ReminderKind.FOLLOW_UP,
                                                                 "Call back about the quote", 5)
    repeating = Reminder(13, "Check the boiler", recurrence=WEEKLY_TUESDAY, open_from=london(2026, 5, 26, 9, 30))
    items = reminder_dues(repeating, agenda_end(NOW, OFFICE))
    assert [item.id for item in items] == ["reminder:13@20260526T083000Z", "reminder:13@20260602T083000Z",
                                           "reminder:13@20260609T083000Z"]
    assert items[0].id == occurrence_id(13, london(2026, 5, 26, 9, 30)) and items[0].kind is ReminderKind.RECURRING
    assert kind_of(items[0].id) is ReminderKind.RECURRING and kind_of("reminder:12") is ReminderKind.FOLLOW_UP


def test_an_occurrence_done_leaves_the_agenda_and_the_others_stay():
    repeating = Reminder(13, "Check the boiler", recurrence=WEEKLY_TUESDAY, open_from=london(2026, 5, 26, 9, 30))
    dues = reminder_dues(repeating, agenda_end(NOW, OFFICE))
    agenda = build_agenda(dues, NOW, OFFICE, handled=[Handling(dues[0].id, ItemState.DONE)])
    assert [item.due for item in agenda.items] == [london(2026, 6, 2, 9, 30), london(2026, 6, 9, 9, 30)]
    assert agenda.counts.overdue == 1


def test_storage_keeps_the_first_open_occurrence_to_narrow_by():
    handled = [london(2026, 5, 5, 9, 30), london(2026, 5, 12, 9, 30), london(2026, 5, 26, 9, 30)]
    assert first_open_occurrence(WEEKLY_TUESDAY, handled) == london(2026, 5, 19, 9, 30)
    assert first_open_occurrence(WEEKLY_TUESDAY, handled, london(2026, 5, 20)) == london(2026, 6, 2, 9, 30)
    ended = Recurrence("FREQ=WEEKLY;COUNT=1", date(2026, 5, 5), time(9, 30), "Europe/London")
    assert first_open_occurrence(ended, [london(2026, 5, 5, 9, 30)]) is None


def test_a_long_neglected_repeating_reminder_shows_at_most_a_hundred_occurrences():
    daily = Reminder(14, "Water the plants", recurrence=Recurrence("FREQ=DAILY", date(2025, 1, 1), time(8),
                                                                    "Europe/London"))
    items = reminder_dues(daily, agenda_end(NOW, OFFICE))
    assert len(items) == MAX_OCCURRENCES and items[0].due == london(2025, 1, 1, 8)


def test_a_reminder_is_checked_with_every_problem_at_once():
    with pytest.raises(InvalidInput) as error:
        validate_reminder(ReminderDraft("  ", NOW, repeat="every fortnite", channel="pigeon"), "Europe/London")
    assert {problem.field for problem in error.value.problems} == {"title", "repeat", "channel"}
    made = validate_reminder(ReminderDraft(" Check \n the  boiler ", london(2026, 6, 2, 9, 30),
                                           repeat="every week on Tuesday", channel="phone"), "Europe/London", 4)
    assert (made.id, made.title, made.kind, made.channel) == (4, "Check the boiler", ReminderKind.RECURRING,
                                                              Channel.PHONE)
    assert made.recurrence == Recurrence("FREQ=WEEKLY;BYDAY=TU", date(2026, 6, 2), time(9, 30), "Europe/London")
    one_off = validate_reminder(ReminderDraft("Ring Ann", utc(2026, 6, 2, 8)), "Europe/London")
    assert one_off.kind is ReminderKind.FOLLOW_UP and one_off.due == utc(2026, 6, 2, 8)
    with pytest.raises(ValueError):
        Reminder(1, "neither")


def test_ids_are_spelled_one_way():
    assert item_id(ReminderKind.BIRTHDAY, 345, 2027) == "birthday:345:2027"
    assert kind_of("plan_review:7:2026-06-04") is ReminderKind.PLAN_REVIEW
    for bad in ("", "reminder:", "nothing:1", "recurring:3", "follow_up:3"):
        with pytest.raises(InvalidInput):
            kind_of(bad)


# --- property: every item lands in exactly one group, in order ------------------------------------------------

offsets = st.integers(-20 * 24 * 60, 12 * 24 * 60)


@PROPERTY
@given(st.lists(st.tuples(offsets, st.sampled_from(list(ItemState)), offsets), max_size=25),
       st.integers(0, 30), st.sampled_from([NOW, london(2026, 3, 28, 23, 30), london(2026, 10, 25, 1, 30)]))
def test_every_open_item_due_before_the_end_is_shown_once_in_its_group(specs, days, now):
    dues, handled = [], []
    for index, (minutes, state, snooze_minutes) in enumerate(specs):
        identifier = f"reminder:{index}"
        dues.append(due(identifier, now + timedelta(minutes=minutes)))
        if state is ItemState.SNOOZED:
            handled.append(Handling(identifier, state, now + timedelta(minutes=snooze_minutes)))
        elif state is not ItemState.OPEN:
            handled.append(Handling(identifier, state))
    agenda = build_agenda(dues, now, OFFICE, handled=handled, days=days)
    by_id = {handling.item_id: handling for handling in handled}
    expected = {}
    for item in dues:
        handling = by_id.get(item.id)
        if handling is not None and handling.settled:
            continue
        when = handling.snoozed_until if handling is not None and handling.snoozed_until else item.due
        if when < agenda.end:
            expected[item.id] = when
    assert {item.id: item.due for item in agenda.items} == expected
    assert len(agenda.items) == len(expected)
    assert [item.due for item in agenda.items] == sorted(item.due for item in agenda.items)
    local_today = now.astimezone(LONDON).date()
    assert all(item.due < now for item in agenda.overdue)
    assert all(now <= item.due and item.due.astimezone(LONDON).date() == local_today for item in agenda.today)
    assert all(item.due.astimezone(LONDON).date() > local_today for item in agenda.upcoming)
