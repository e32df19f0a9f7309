"""Reminder storage: the dates the triggers keep for the agenda's indexes (a contact's next round, an agreement's
next review) and what they keep beside them (the round's cadence, last contact and name; a reminder's contact's
name), the snoozes they forget, and the narrowed reads the engine is given."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.contacts import Birthday
from clientdesk.domain.interactions import Direction, InteractionDraft
from clientdesk.domain.reminders.cadences import CadenceContact, Cadences, next_round
from clientdesk.domain.reminders.follow_ups import ReminderDraft
from clientdesk.domain.reminders.kinds import Due, Handling, ItemState, ReminderKind
from clientdesk.domain.services_catalogue import AgreementDraft
from clientdesk.storage.reminders_repository import AgendaFacts, ReminderRepository, RowMemo
from tests.helpers import person

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def _log(ws, contact_id: int, at: datetime) -> None:
    ws.interactions.log(InteractionDraft(contact_id, "email", Direction.IN, at, summary="Hello"))


def _round_on(ws, contact_id: int) -> date | None:
    with ws.database.reading() as uow:
        return ReminderRepository(uow.session).round_on(contact_id)


def test_a_contacts_next_round_is_kept_by_triggers_as_contacts_are_logged_and_tagged(ws):
    ana = ws.contacts.create(person("Ana", "Silva")).contact_id
    with ws.database.writing() as uow:
        ReminderRepository(uow.session).set_cadence(30, date(2026, 1, 1), None, NOW, contact_id=ana)
    assert _round_on(ws, ana) == date(2026, 1, 31), "never contacted: from the cadence's start"
    _log(ws, ana, datetime(2026, 5, 10, 23, 30, tzinfo=UTC))
    assert _round_on(ws, ana) == date(2026, 6, 9), "the last contact's UTC date + 30"
    with ws.database.writing() as uow:
        ReminderRepository(uow.session).set_cadence(20, date(2026, 1, 1), None, NOW, tag="vip")
    ws.contacts.update(ana, person("Ana", "Silva", tags=("vip",)))
    assert _round_on(ws, ana) == date(2026, 5, 30), "the tag's shorter cadence"
    with ws.database.writing() as uow:
        ReminderRepository(uow.session).set_cadence_skipped_through(ana, date(2026, 6, 5))
    assert _round_on(ws, ana) == date(2026, 6, 25), "a skipped round later than the last contact counts"
    ws.contacts.update(ana, person("Ana", "Silva"))
    assert _round_on(ws, ana) == date(2026, 7, 5)


def test_logging_forgets_a_snoozed_round_but_not_other_snoozes(ws):
    ana = ws.contacts.create(person("Ana", "Silva")).contact_id
    with ws.database.writing() as uow:
        repository = ReminderRepository(uow.session)
        for item_id, kind in ((f"cadence:{ana}:2026-05-01", ReminderKind.CADENCE),
                              (f"birthday:{ana}:2026", ReminderKind.BIRTHDAY)):
            due = Due(item_id, kind, ana, "Ana Silva", "x", NOW)
            repository.put_handling(Handling(item_id, ItemState.SNOOZED, NOW, due), kind, NOW, ana, None, NOW)
    _log(ws, ana, datetime(2026, 5, 20, tzinfo=UTC))
    with ws.database.reading() as uow:
        repository = ReminderRepository(uow.session)
        assert repository.handling(f"cadence:{ana}:2026-05-01") is None
        assert repository.handling(f"birthday:{ana}:2026").handling.state is ItemState.SNOOZED


def test_an_agreements_next_review_follows_client_reviews_and_skips(ws):
    ana = ws.contacts.create(person("Ana", "Silva")).contact_id
    agreement = ws.purchases.add_agreement(AgreementDraft(ana, date(2026, 1, 31), review_every_months=1))

    def due_on() -> str:
        with ws.database.reading() as uow:
            return uow.session.connection().exec_driver_sql(
                "SELECT due_on FROM agreement_review WHERE agreement_id = ?", (agreement.id,)).scalar()

    assert due_on() == "2026-03-03", "SQLite's 31 January + 1 month, a few days after the calendar's"
    with ws.database.writing() as uow:
        uow.session.connection().exec_driver_sql(
            "INSERT INTO client_review (contact_id, period_from, period_to, produced_at, file_name, sha256, notes) "
            "VALUES (?, '2026-01-01', '2026-04-01', '2026-04-10 09:00:00.000000', 'r.pdf', ?, '')", (ana, "0" * 64))
    assert due_on() == "2026-05-10"
    with ws.database.writing() as uow:
        ReminderRepository(uow.session).set_review_skipped_through(agreement.id, date(2026, 5, 10))
    assert due_on() == "2026-06-10"


def test_the_agenda_reads_the_reviews_of_agreements_in_force_only(ws):
    ana = ws.contacts.create(person("Ana", "Silva")).contact_id
    agreement = ws.purchases.add_agreement(AgreementDraft(ana, date(2026, 1, 31), review_every_months=1))

    def reviewed(today: date) -> list[int]:
        with ws.database.reading() as uow:
            return [facts.agreement.id for facts in
                    AgendaFacts.of(uow.session).plan_review_dues(date(2026, 12, 31), today, ZoneInfo("Europe/London"),
                                                                list)]

    assert reviewed(date(2026, 6, 1)) == [agreement.id]
    with ws.database.writing() as uow:  # the agreement ends (the triggers copy its end beside its next review)
        uow.session.connection().exec_driver_sql("UPDATE agreement SET ends_on = '2026-05-31' WHERE id = ?",
                                                 (agreement.id,))
    assert reviewed(date(2026, 5, 31)) == [agreement.id]
    assert reviewed(date(2026, 6, 1)) == []


def test_the_agenda_reads_only_what_can_fall_due(ws):
    june = ws.contacts.create(person("June", "Day", birthday=Birthday(3, 6))).contact_id
    ws.contacts.create(person("Later", "Day", birthday=Birthday(3, 9)))
    leap = ws.contacts.create(person("Leap", "Day", birthday=Birthday(29, 2))).contact_id
    with ws.database.reading() as uow:
        facts = AgendaFacts.of(uow.session)
        assert [b.contact_id for b in facts.birthday_dues({(6, 3), (6, 4)}, list)] == [june]
        assert [b.contact_id for b in facts.birthday_dues({(2, 28), (2, 29)}, list)] == [leap]
        assert facts.birthday_dues(set(), list) == []
        assert facts.handlings([]) == {}


def _round(ws, contact_id: int) -> tuple | None:
    """The agenda's read of a contact's round: (id, name, last contact, skipped, every_days, starts_on, channel)."""
    with ws.database.reading() as uow:
        found = AgendaFacts.of(uow.session).round_dues(date(2100, 1, 1), list, contact_id)
    return found[0] if found else None


def test_a_rounds_row_keeps_the_cadence_that_sets_it_the_last_contact_and_the_name(ws):
    ana = ws.contacts.create(person("Ana", "Silva")).contact_id
    own = ws.reminders.set_cadence(30, contact_id=ana, channel="phone").cadence
    assert _round(ws, ana) == (ana, "Ana Silva", None, None, 30, own.starts_on, Channel.PHONE)
    ws.reminders.set_cadence(20, tag="vip", channel="email")
    ws.contacts.update(ana, person("Ana", "Silva", tags=("vip",)))
    assert _round(ws, ana)[4:] == (20, own.starts_on, Channel.EMAIL), "the tag's shorter cadence"
    ws.reminders.set_cadence(40, tag="vip", channel="email")
    assert _round(ws, ana)[4:] == (30, own.starts_on, Channel.PHONE), "an edited cadence is copied again"
    ws.reminders.set_cadence(30, contact_id=ana, channel="sms")
    assert _round(ws, ana)[6] is Channel.SMS
    _log(ws, ana, datetime(2026, 5, 10, 23, 30, tzinfo=UTC))
    assert _round(ws, ana)[2] == datetime(2026, 5, 10, 23, 30, tzinfo=UTC)
    ws.contacts.update(ana, person("Ana", "Sousa", tags=("vip",)))
    assert _round(ws, ana)[1] == "Ana Sousa"
    ws.reminders.remove_cadence(contact_id=ana)
    every, _, channel = _round(ws, ana)[4:]
    assert (every, channel) == (40, Channel.EMAIL), "the tag's, once her own is gone"
    ws.contacts.update(ana, person("Ana", "Sousa"))
    assert _round(ws, ana) is None, "no cadence covers her: no round"


def test_the_cadence_a_round_keeps_is_the_one_the_engine_chooses(ws):
    """SQL chooses on UTC dates, the engine on the business's: the same cadence, since every cadence of a contact
    counts from the same last contact (or, never contacted, from its own start)."""
    rng = random.Random(7)
    tags = ("a", "b", "c")
    for tag in tags:
        ws.reminders.set_cadence(rng.choice((7, 14, 30, 30, 90)), tag=tag, channel=rng.choice(("phone", "email")))
    contacts = []
    for number in range(40):
        chosen = tuple(tag for tag in tags if rng.random() < 0.5)
        contact_id = ws.contacts.create(person(f"Client{number}", "Test", tags=chosen or ("a",))).contact_id
        if rng.random() < 0.5:
            ws.reminders.set_cadence(rng.choice((7, 14, 30, 60)), contact_id=contact_id)
        last = None
        if rng.random() < 0.7:
            last = datetime(2026, 3, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(90 * 1440))
            _log(ws, contact_id, last)
        if rng.random() < 0.3:
            with ws.database.writing() as uow:
                ReminderRepository(uow.session).set_cadence_skipped_through(
                    contact_id, date(2026, 4, 1) + timedelta(days=rng.randrange(60)))
        contacts.append((contact_id, chosen or ("a",), last))
    calendar = ws.business.calendar()
    cadences = Cadences(ws.reminders.cadences())
    for contact_id, chosen, last in contacts:
        cid, name, stored_last, skipped, every, starts, channel = _round(ws, contact_id)
        assert stored_last == last
        engine = next_round(CadenceContact(cid, name, chosen, last, skipped), cadences.covering(
            CadenceContact(cid, name, chosen)), calendar)
        assert (every, starts, channel) == (engine[1].every_days, engine[1].starts_on, engine[1].channel)


def test_a_reminder_keeps_its_contacts_name_for_the_agenda(ws):
    ana = ws.contacts.create(person("Ana", "Silva")).contact_id
    bo = ws.contacts.create(person("Bo", "Berg")).contact_id
    saved = ws.reminders.add(ReminderDraft("Call back", NOW, contact_id=ana))

    def names() -> list[str]:
        with ws.database.reading() as uow:
            return [due.contact_name for due in AgendaFacts.of(uow.session).reminder_dues(datetime(2100, 1, 1,
                                                                                                  tzinfo=UTC))]

    assert names() == ["Ana Silva"]
    ws.contacts.update(ana, person("Ana", "Sousa"))
    assert names() == ["Ana Sousa"]
    ws.reminders.update(saved.reminder.id, ReminderDraft("Call back", NOW, contact_id=bo))
    assert names() == ["Bo Berg"]
    ws.reminders.add(ReminderDraft("Order stationery", NOW))
    assert sorted(names()) == ["", "Bo Berg"]


def test_a_row_memo_makes_only_the_rows_new_or_changed_since_the_last_read_of_the_same_window():
    made: list[list[int]] = []

    def make(rows):
        rows = list(rows)
        made.append([row[0] for row in rows])
        # A row with an empty name makes nothing; the row of id 9 makes two items.
        return [Due(f"x:{row[0]}:{n}", ReminderKind.FOLLOW_UP, row[0], row[1], "Call", NOW, None)
                for row in rows if row[1] for n in range(2 if row[0] == 9 else 1)]

    def names(window, rows):
        return [due.contact_name for due in memo.at(window).dues(rows, make, lambda due: due.contact_id)]

    memo = RowMemo()
    assert names("week", [(1, "Ana"), (2, "Ben"), (3, ""), (9, "Cy")]) == ["Ana", "Ben", "Cy", "Cy"]
    assert names("week", [(2, "Bea"), (1, "Ana"), (3, ""), (9, "Cy"), (4, "Dee")]) == [
        "Bea", "Ana", "Cy", "Cy", "Dee"], "in the order read"
    assert made == [[1, 2, 3, 9], [2, 4]], "only the changed and the new rows are made again"
    assert names("week", [(1, "Ana")]) == ["Ana"] and len(made) == 2, "nothing new: nothing made"
    assert names("week", [(2, "Bea")]) == ["Bea"] and made[-1] == [2], "rows not read last time are let go"
    assert names("next week", [(2, "Bea")]) == ["Bea"] and made[-1] == [2] and len(made) == 4, (
        "another window makes everything again")
