"""The reminder service: reminders and cadences stored, the agenda read from them, and done / snooze / skip kept
where each item's source keeps it, with undo; the calendar file. A clock of the test's own drives it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from clientdesk.domain.contacts import Birthday
from clientdesk.domain.errors import InvalidInput, NotFound
from clientdesk.domain.interactions import Direction, InteractionDraft
from clientdesk.domain.reminders import ReminderDraft
from clientdesk.domain.reminders.kinds import ItemState, ReminderKind
from clientdesk.domain.services_catalogue import AgreementDraft
from clientdesk.interchange.icalendar_writer import read_events
from clientdesk.services.reminders import ReminderService
from clientdesk.storage.types import utc_text
from tests.helpers import person

# Monday 1 June 2026, 10:00 in London (BST): the business (Mon-Fri 09:00-17:00) is open.
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def service(workspace, clock) -> ReminderService:
    return ReminderService(workspace.database, workspace.business, workspace.boundaries, workspace.undo, clock)


@pytest.fixture
def ana(workspace) -> int:
    return workspace.contacts.create(person("Ana", "Silva", tags=("retainer",))).contact_id


@pytest.fixture
def ben(workspace) -> int:
    return workspace.contacts.create(person("Ben", "Okafor")).contact_id


def ids(agenda) -> list[str]:
    return [item.id for item in agenda.items]


def log(workspace, contact_id: int, at: datetime, direction: Direction = Direction.IN) -> int:
    return workspace.interactions.log(InteractionDraft(contact_id, "phone", direction, at, summary="Talked",
                                                       override_reason="test")).interaction_id


# -- follow-ups and repeating reminders -------------------------------------------------------------------

def test_a_follow_up_is_on_the_agenda_until_done_and_undo_brings_it_back(workspace, service, ana):
    saved = service.add(ReminderDraft("Call back about the quote", NOW + timedelta(days=1), contact_id=ana,
                                      channel="phone"))
    assert saved.item_id == f"reminder:{saved.reminder.id}" and saved.changes.reminders
    agenda = service.agenda()
    [item] = agenda.upcoming
    assert (item.id, item.kind, item.contact_name, item.overdue) == (saved.item_id, ReminderKind.FOLLOW_UP,
                                                                      "Ana Silva", False)

    handled = service.done(saved.item_id)
    assert handled.state is ItemState.DONE
    assert service.agenda().items == ()
    assert workspace.undo.undo().reminders
    assert ids(service.agenda()) == [saved.item_id]


def test_an_overdue_follow_up_stays_until_handled(service, ana, clock):
    saved = service.add(ReminderDraft("Send the contract", NOW - timedelta(days=20), contact_id=ana))
    clock.now = NOW + timedelta(days=30)
    agenda = service.agenda()
    assert [item.id for item in agenda.overdue] == [saved.item_id]


def test_a_snoozed_follow_up_comes_back_at_its_snooze_time(service, ana):
    saved = service.add(ReminderDraft("Call back", NOW - timedelta(hours=2), contact_id=ana, channel="phone"))
    handled = service.snooze(saved.item_id, "tomorrow")
    assert handled.snoozed_until == datetime(2026, 6, 2, 8, 0, tzinfo=UTC)  # 09:00 BST
    agenda = service.agenda()
    assert agenda.overdue == () and [item.id for item in agenda.upcoming] == [saved.item_id]
    assert agenda.upcoming[0].snoozed and agenda.upcoming[0].due == handled.snoozed_until
    # Snoozed past the agenda's end, it is not shown at all.
    service.snooze(saved.item_id, NOW + timedelta(days=30))
    assert service.agenda().items == ()


def test_doing_one_occurrence_leaves_the_others_and_moves_next_due_on(workspace, service):
    saved = service.add(ReminderDraft("Weekly figures", datetime(2026, 5, 18, 8, 0, tzinfo=UTC),
                                      repeat="every week on Monday"))
    agenda = service.agenda()
    first, second, third = (f"reminder:{saved.reminder.id}@{day}T080000Z" for day in ("20260518", "20260525",
                                                                                      "20260601"))
    assert [item.id for item in agenda.overdue] == [first, second, third]
    service.done(first)
    service.skip(third)
    assert [item.id for item in service.agenda().overdue] == [second]
    with workspace.database.reading() as uow:
        next_due = uow.session.connection().exec_driver_sql(
            "SELECT next_due_at FROM reminder WHERE id = ?", (saved.reminder.id,)).scalar()
    assert next_due == utc_text(datetime(2026, 5, 25, 8, 0, tzinfo=UTC))
    service.done(second)
    with workspace.database.reading() as uow:
        next_due = uow.session.connection().exec_driver_sql(
            "SELECT next_due_at FROM reminder WHERE id = ?", (saved.reminder.id,)).scalar()
    assert next_due == utc_text(datetime(2026, 6, 8, 8, 0, tzinfo=UTC)), "past the skipped one"


def test_a_repeating_reminder_cannot_be_done_whole_and_unknown_occurrences_are_refused(service):
    saved = service.add(ReminderDraft("Monthly", datetime(2026, 5, 1, 8, tzinfo=UTC), repeat="FREQ=MONTHLY"))
    with pytest.raises(InvalidInput, match="repeats"):
        service.done(saved.item_id)
    with pytest.raises(NotFound):
        service.done(f"{saved.item_id}@20260502T080000Z")


def test_a_bad_repeat_rule_is_refused_with_its_reason(service):
    with pytest.raises(InvalidInput, match="at most once a day"):
        service.add(ReminderDraft("Too often", NOW, repeat="FREQ=HOURLY"))


# -- cadences -------------------------------------------------------------------------------------------

def test_a_cadence_falls_due_after_the_last_contact_and_any_logged_contact_resets_it(workspace, service, ana):
    log(workspace, ana, datetime(2026, 4, 1, 10, 0, tzinfo=UTC), Direction.OUT)
    service.set_cadence(60, contact_id=ana)  # due 31 May: overdue now
    assert ids(service.agenda()) == [f"cadence:{ana}:2026-05-31"]

    log(workspace, ana, datetime(2026, 5, 30, 14, 0, tzinfo=UTC), Direction.IN)  # the client rang in
    assert ids(service.agenda()) == [], "due again 29 July"
    assert ids(service.agenda(days=60)) == [f"cadence:{ana}:2026-07-29"]

    log(workspace, ana, datetime(2026, 5, 31, 14, 0, tzinfo=UTC), Direction.OUT)  # and a call made to them
    assert ids(service.agenda(days=60)) == [f"cadence:{ana}:2026-07-30"]


def test_a_tag_cadence_covers_tagged_contacts_once_and_the_shortest_wins(workspace, service, ana, ben):
    log(workspace, ana, datetime(2026, 5, 1, 10, tzinfo=UTC))
    log(workspace, ben, datetime(2026, 5, 1, 10, tzinfo=UTC))
    service.set_cadence(30, tag="retainer")
    service.set_cadence(90, contact_id=ana)
    assert ids(service.agenda()) == [f"cadence:{ana}:2026-05-31"], "Ben has no tag, Ana's shortest is 30"
    # Tagging Ben later brings him in; removing the tag's cadence leaves Ana's own.
    workspace.contacts.update(ben, person("Ben", "Okafor", tags=("retainer",)))
    assert sorted(ids(service.agenda())) == sorted([f"cadence:{ana}:2026-05-31", f"cadence:{ben}:2026-05-31"])
    service.remove_cadence(tag="retainer")
    assert ids(service.agenda(days=90)) == [f"cadence:{ana}:2026-07-30"]


def test_skipping_a_round_counts_the_next_from_it_and_undo_puts_it_back(workspace, service, ana):
    log(workspace, ana, datetime(2026, 3, 1, 10, tzinfo=UTC))
    service.set_cadence(30, contact_id=ana)
    [item] = service.agenda().overdue
    assert item.id == f"cadence:{ana}:2026-03-31"
    service.skip(item.id)
    assert ids(service.agenda(days=40)) == [f"cadence:{ana}:2026-04-30"]  # still overdue: 30 days after 31 March
    workspace.undo.undo()
    assert ids(service.agenda()) == [item.id]


def test_done_with_a_log_records_the_interaction_and_resets_the_round(workspace, service, ana):
    log(workspace, ana, datetime(2026, 3, 1, 10, tzinfo=UTC))
    service.set_cadence(30, contact_id=ana)
    [item] = service.agenda().overdue
    prefill = service.log_prefill(item.id)
    assert (prefill.contact_id, prefill.channel.value, prefill.direction) == (ana, "phone", Direction.OUT)
    draft = InteractionDraft(ana, prefill.channel, prefill.direction, NOW, summary=prefill.summary)
    handled = service.done(item.id, log=draft)
    assert handled.interaction_id is not None and handled.changes.contacts
    assert ids(service.agenda(days=40)) == [f"cadence:{ana}:2026-07-01"]
    workspace.undo.undo()  # the interaction goes too
    assert ids(service.agenda()) == [item.id]


def test_a_snoozed_round_is_forgotten_once_the_contact_is_logged(workspace, service, ana):
    log(workspace, ana, datetime(2026, 3, 1, 10, tzinfo=UTC))
    service.set_cadence(30, contact_id=ana)
    [item] = service.agenda().overdue
    service.snooze(item.id, "tomorrow")
    assert [line.id for line in service.agenda().upcoming] == [item.id]
    log(workspace, ana, datetime(2026, 5, 31, 10, tzinfo=UTC))
    assert ids(service.agenda()) == [], "the old round's snapshot must not come back"


# -- birthdays, thank-yous, plan reviews, reply-by ---------------------------------------------------------

def test_birthdays_in_the_window_are_on_the_agenda_29_february_on_the_28th(workspace, service):
    leap = workspace.contacts.create(person("Leap", "Day", birthday=Birthday(29, 2, 1992))).contact_id
    june = workspace.contacts.create(person("June", "Day", birthday=Birthday(3, 6))).contact_id
    workspace.contacts.create(person("Later", "Day", birthday=Birthday(3, 9)))
    service.mark_seen()  # stores the default rules: birthdays from today
    assert ids(service.agenda()) == [f"birthday:{june}:2026"]
    clock_day = datetime(2027, 2, 27, 9, 0, tzinfo=UTC)
    assert f"birthday:{leap}:2027" in ids(service.agenda(clock_day, days=2))


def test_a_recorded_client_review_marks_the_plan_review_done(workspace, service, ana):
    agreement = workspace.purchases.add_agreement(AgreementDraft(ana, date(2025, 11, 1), review_every_months=6))
    item_id = f"plan_review:{agreement.id}:2026-05-01"
    assert ids(service.agenda()) == [item_id]
    with workspace.database.writing() as uow:
        uow.session.connection().exec_driver_sql(
            "INSERT INTO client_review (contact_id, period_from, period_to, produced_at, file_name, sha256, notes) "
            "VALUES (?, '2025-11-01', '2026-05-01', '2026-05-28 10:00:00.000000', 'review.pdf', ?, '')",
            (ana, "0" * 64))
    assert ids(service.agenda()) == []
    assert ids(service.agenda(days=200)) == [f"plan_review:{agreement.id}:2026-11-28"]


def test_skipping_a_plan_review_moves_the_next_a_period_on(workspace, service, ana):
    agreement = workspace.purchases.add_agreement(AgreementDraft(ana, date(2025, 11, 1), review_every_months=6))
    service.skip(f"plan_review:{agreement.id}:2026-05-01")
    assert ids(service.agenda(days=200)) == [f"plan_review:{agreement.id}:2026-11-01"]


def test_a_reply_by_item_done_answers_its_inquiry(workspace, service, ana):
    logged = workspace.interactions.log(InteractionDraft(ana, "email", Direction.IN, NOW - timedelta(days=3),
                                                         summary="Question", needs_reply=True))
    item_id = f"reply_by:{logged.opened.id}"
    assert item_id in ids(service.agenda())
    service.done(item_id)
    assert item_id not in ids(service.agenda())
    assert workspace.interactions.open_inquiries_for(ana) == []


def test_skipping_items_of_every_kind_removes_them_and_stays_removed(workspace, service, ana):
    workspace.contacts.update(ana, person("Ana", "Silva", tags=("retainer",), birthday=Birthday(2, 6)))
    service.mark_seen()
    service.add(ReminderDraft("Follow up", NOW + timedelta(hours=3), contact_id=ana))
    service.set_cadence(10, contact_id=ana)
    items = ids(service.agenda(days=10))  # never contacted: the cadence counts from today, due in ten days
    assert {item.split(":")[0] for item in items} == {"reminder", "cadence", "birthday"}
    for item in items:
        service.skip(item)
    assert ids(service.agenda(days=10)) == []


def test_items_of_every_kind_snoozed_past_the_agendas_end_wait_and_come_back(workspace, service, ana, clock):
    """Snoozes are read whatever their kind (the agenda looks up done and skipped items by id only for the kinds
    whose source still lists them then): a round or a birthday snoozed beyond the end is not shown, and is
    back, overdue, once its snooze time has passed."""
    workspace.contacts.update(ana, person("Ana", "Silva", tags=("retainer",), birthday=Birthday(2, 6)))
    service.mark_seen()
    service.add(ReminderDraft("Follow up", NOW + timedelta(hours=3), contact_id=ana))
    service.set_cadence(10, contact_id=ana)
    items = ids(service.agenda(days=10))
    assert {item.split(":")[0] for item in items} == {"reminder", "cadence", "birthday"}
    until = NOW + timedelta(days=20)
    for item in items:
        service.snooze(item, until)
    assert ids(service.agenda(days=10)) == []
    clock.now = until + timedelta(hours=1)
    agenda = service.agenda(days=0)
    assert sorted(ids(agenda)) == sorted(items)
    assert all(item.snoozed and item.overdue and item.due == until for item in agenda.items)


# -- what the agenda remembers from one reading to the next ---------------------------------------------

def test_the_agenda_read_again_after_changes_to_every_source_is_the_agenda_read_afresh(workspace, service, ana,
                                                                                        ben, clock):
    """The service remembers what each row read was made into (RowMemo); whatever changes, the next agenda must be
    the one a service that remembers nothing reads."""
    def afresh():
        fresh = ReminderService(workspace.database, workspace.business, workspace.boundaries, workspace.undo, clock)
        return fresh.agenda(days=30)

    service.mark_seen()  # stores the default rules: birthdays from today
    log(workspace, ana, datetime(2026, 3, 1, 10, tzinfo=UTC), Direction.OUT)
    service.set_cadence(30, contact_id=ana)
    weekly = service.add(ReminderDraft("Weekly check", NOW + timedelta(hours=2), repeat="every week",
                                       contact_id=ben, channel="phone"))
    service.add(ReminderDraft("Send the quote", NOW + timedelta(days=2), contact_id=ana, channel="email"))
    agreement = workspace.purchases.add_agreement(AgreementDraft(ana, date(2025, 11, 1), review_every_months=6))
    june = workspace.contacts.create(person("June", "Day", birthday=Birthday(10, 6))).contact_id
    first = service.agenda(days=30)
    assert first == afresh() and {item.kind for item in first.items} >= {
        ReminderKind.CADENCE, ReminderKind.RECURRING, ReminderKind.FOLLOW_UP, ReminderKind.PLAN_REVIEW,
        ReminderKind.BIRTHDAY}

    changes = [
        lambda: workspace.contacts.update(ana, person("Ana", "Costa", tags=("retainer",))),  # every name row
        lambda: log(workspace, ana, NOW - timedelta(days=20)),  # the round moves
        lambda: workspace.contacts.update(june, person("June", "Day", birthday=Birthday(12, 6))),
        lambda: service.update(weekly.reminder.id, ReminderDraft("Weekly check", NOW + timedelta(hours=3),
                                                                 repeat="every 2 days", contact_id=ben)),
        lambda: service.skip(f"plan_review:{agreement.id}:2026-05-01"),
        lambda: setattr(clock, "now", clock.now + timedelta(days=3)),  # another window
    ]
    for change in changes:
        change()
        assert service.agenda(days=30) == afresh()
    assert [item.contact_name for item in service.agenda(days=30).items if item.contact_id == ana][:1] == ["Ana Costa"]


# -- came due while closed, notifications ---------------------------------------------------------------

def test_items_that_came_due_while_closed_are_listed_at_the_next_start(service, ana, clock):
    assert service.came_due_while_closed().items == (), "the first run has no last time"
    service.mark_seen()
    first = service.add(ReminderDraft("Call back", NOW + timedelta(hours=5), contact_id=ana))
    service.add(ReminderDraft("Later", NOW + timedelta(days=3), contact_id=ana))
    early = service.add(ReminderDraft("Already late", NOW - timedelta(hours=1), contact_id=ana))
    clock.now = NOW + timedelta(days=1)
    came = service.came_due_while_closed()
    assert [item.id for item in came.items] == [first.item_id]
    assert came.message == "1 reminder came due while ClientDesk was closed"
    assert early.item_id not in [item.id for item in came.items], "it was due before the app last ran"


def test_due_between_gives_what_to_notify_about(service, ana):
    saved = service.add(ReminderDraft("Call back", NOW + timedelta(minutes=30), contact_id=ana))
    assert service.due_between(NOW, NOW + timedelta(minutes=29)) == []
    assert [item.id for item in service.due_between(NOW, NOW + timedelta(minutes=31))] == [saved.item_id]


# -- the calendar file -----------------------------------------------------------------------------------

def test_the_ics_export_parses_back_to_the_same_events_and_rules(workspace, service, ana, tmp_path):
    one = service.add(ReminderDraft("Call back", datetime(2026, 6, 2, 13, 30, tzinfo=UTC), contact_id=ana,
                                    channel="phone"))
    repeating = service.add(ReminderDraft("Quarterly review", datetime(2026, 6, 1, 8, tzinfo=UTC),
                                          repeat="FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1;UNTIL=20271231T235959"))
    exported = workspace.calendar_export.export(tmp_path / "reminders.ics", alarm_minutes_before=10)
    assert exported.reminders == 2
    events = {event.uid: event for event in read_events((tmp_path / "reminders.ics").read_bytes())}
    assert set(events) == {f"reminder-{one.reminder.id}@clientdesk", f"reminder-{repeating.reminder.id}@clientdesk"}
    call = events[f"reminder-{one.reminder.id}@clientdesk"]
    assert call.summary == "Call back" and call.start == one.reminder.due and call.rule is None
    assert call.alarm_before == timedelta(minutes=10) and "Ana Silva" in call.description
    review = events[f"reminder-{repeating.reminder.id}@clientdesk"]
    assert str(review.start.tzinfo) == "Europe/London" and review.start.hour == 9
    # UNTIL in UTC beside a DTSTART with a zone: 23:59:59 BST on 31 December is 23:59:59 GMT (no DST then).
    assert set(review.rule.split(";")) == {"FREQ=MONTHLY", "INTERVAL=3", "BYMONTHDAY=1", "UNTIL=20271231T235959Z"}


def test_a_subscribed_calendar_file_follows_every_change(workspace, tmp_path, clock):
    service = workspace.reminders
    target = tmp_path / "subscribed.ics"
    workspace.calendar_export.subscribe(target)
    assert read_events(target.read_bytes()) == []
    saved = service.add(ReminderDraft("Call back", NOW + timedelta(days=400), channel="phone"))
    assert [event.summary for event in read_events(target.read_bytes())] == ["Call back"]
    service.done(saved.item_id)
    assert read_events(target.read_bytes()) == []
    workspace.calendar_export.unsubscribe()
    service.add(ReminderDraft("Not written", NOW + timedelta(days=400)))
    assert read_events(target.read_bytes()) == []


def test_rules_are_saved_as_json_and_bad_ones_refused(service):
    rules = service.rules()
    assert rules.birthdays is not None and rules.holidays is None
    with pytest.raises(InvalidInput, match="not a holiday"):
        service.save_rules({"holidays": {"holidays": ["Hogmanay Day"]}})
    service.save_rules({"holidays": {"holidays": ["Christmas Day"], "days_before": 3}, "birthdays": None})
    saved = service.rules()
    assert saved.birthdays is None and saved.holidays.holidays == ("Christmas Day",)
    assert service.agenda(datetime(2026, 12, 21, 10, tzinfo=UTC)).items[0].id == "holiday:2026-12-25:christmas-day"
