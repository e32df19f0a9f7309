"""Reminder storage: the dates the triggers keep for the agenda's indexes (a contact's next round, an agreement's
next review), the snoozes they forget, and the narrowed reads the engine is given."""

from __future__ import annotations

from datetime import UTC, date, datetime

from clientdesk.domain.contacts import Birthday
from clientdesk.domain.interactions import Direction, InteractionDraft
from clientdesk.domain.reminders.kinds import Due, Handling, ItemState, ReminderKind
from clientdesk.domain.services_catalogue import AgreementDraft
from clientdesk.storage.reminders_repository import AgendaFacts, ReminderRepository
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


def test_the_agenda_reads_only_what_can_fall_due(ws):
    june = ws.contacts.create(person("June", "Day", birthday=Birthday(3, 6))).contact_id
    ws.contacts.create(person("Later", "Day", birthday=Birthday(3, 9)))
    leap = ws.contacts.create(person("Leap", "Day", birthday=Birthday(29, 2))).contact_id
    with ws.database.reading() as uow:
        facts = AgendaFacts.of(uow.session)
        assert [b.contact_id for b in facts.birthdays({(6, 3), (6, 4)})] == [june]
        assert [b.contact_id for b in facts.birthdays({(2, 28), (2, 29)})] == [leap]
        assert facts.birthdays(set()) == []
        assert facts.handlings([], NOW) == {}
