"""The running totals the triggers keep, and the stage histories settled before every commit: they must
always equal what the rows themselves say, whichever way the rows were written."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.interactions import Direction, InteractionDraft
from clientdesk.domain.lifecycle import RetentionSettings, Stage, stage_history
from clientdesk.domain.services_catalogue import AgreementDraft, PurchaseDraft
from tests.helpers import person


def sql(workspace, statement: str, parameters: tuple = ()) -> list[tuple]:
    with workspace.database.writing() as uow:
        result = uow.session.connection().exec_driver_sql(statement, parameters)
        return result.all() if result.returns_rows else []


def totals_from_the_rows(workspace) -> dict[int, tuple]:
    return {row[0]: tuple(row[1:]) for row in sql(workspace, """
        SELECT c.id,
               (SELECT count(*) FROM purchase WHERE contact_id = c.id AND amount_minor > 0),
               (SELECT min("on") FROM purchase WHERE contact_id = c.id AND amount_minor > 0),
               (SELECT max("on") FROM purchase WHERE contact_id = c.id AND amount_minor > 0),
               (SELECT coalesce(sum(amount_minor), 0) FROM purchase WHERE contact_id = c.id),
               (SELECT max(at) FROM interaction WHERE contact_id = c.id)
        FROM contact AS c WHERE c.id IN (SELECT contact_id FROM purchase UNION SELECT contact_id FROM interaction)""")}


def kept_totals(workspace) -> dict[int, tuple]:
    return {row[0]: tuple(row[1:]) for row in sql(workspace, """
        SELECT contact_id, purchase_count, first_purchase_on, last_purchase_on, net_minor, last_interaction_at
        FROM contact_activity WHERE purchase_count > 0 OR net_minor != 0 OR last_interaction_at IS NOT NULL""")}


def call(workspace, contact_id: int, at: datetime) -> None:
    with workspace.database.writing() as uow:
        uow.interactions.add(InteractionDraft(contact_id, Channel.PHONE, Direction.IN, at), at)


def test_the_running_totals_follow_every_insert_update_and_delete(workspace):
    ids = [workspace.contacts.create(person(f"P{n}")).contact_id for n in range(6)]
    rng = random.Random(7)
    for _ in range(60):
        contact_id = rng.choice(ids)
        amount = rng.choice([-30, 20, 45, 120])
        sql(workspace, 'INSERT INTO purchase (contact_id, "on", amount_minor, description, created_at) '
                       "VALUES (?, ?, ?, '', '2026-01-01 00:00:00.000000')",
            (contact_id, (date(2020, 1, 1) + timedelta(days=rng.randrange(2000))).isoformat(), amount))
        call(workspace, rng.choice(ids), datetime(2020, 1, 1, tzinfo=UTC) + timedelta(hours=rng.randrange(40000)))
    assert kept_totals(workspace) == totals_from_the_rows(workspace)

    sql(workspace, "DELETE FROM purchase WHERE id % 3 = 0")
    sql(workspace, "DELETE FROM interaction WHERE id % 4 = 0")
    sql(workspace, "UPDATE purchase SET contact_id = ?, amount_minor = -amount_minor WHERE id % 5 = 1", (ids[0],))
    sql(workspace, "UPDATE interaction SET at = '2031-01-01 09:00:00.000000' WHERE id % 7 = 2")
    assert kept_totals(workspace) == totals_from_the_rows(workspace)


def test_deleting_a_contact_takes_its_totals_and_history_with_it(workspace):
    gone = workspace.contacts.create(person("Gone")).contact_id
    workspace.purchases.add_purchase(PurchaseDraft(gone, date(2026, 1, 5), Decimal("10")))
    workspace.contacts.delete([gone])
    assert sql(workspace, "SELECT count(*) FROM contact_activity WHERE contact_id = ?", (gone,)) == [(0,)]
    assert sql(workspace, "SELECT count(*) FROM stage_change WHERE contact_id = ?", (gone,)) == [(0,)]


def test_every_write_leaves_the_history_equal_to_the_domain_s_and_nothing_pending(workspace):
    ana = workspace.contacts.create(person("Ana")).contact_id
    workspace.purchases.add_purchase(PurchaseDraft(ana, date(2024, 3, 1), Decimal("100")))
    call(workspace, ana, datetime(2024, 6, 1, 10, tzinfo=UTC))
    workspace.purchases.add_purchase(PurchaseDraft(ana, date(2024, 9, 1), Decimal("50")))
    workspace.purchases.add_agreement(AgreementDraft(ana, date(2026, 2, 1), ends_on=date(2026, 7, 31)))
    with workspace.database.reading() as uow:
        assert not uow.stages.pending()
        kept = uow.stages.history(ana)
    expected = stage_history([date(2024, 3, 1), date(2024, 9, 1)], [date(2024, 6, 1)],
                             [(date(2026, 2, 1), date(2026, 7, 31))], None, date(9000, 1, 1))
    assert kept == expected
    # Including the changes the calendar brings: the lapse a year after September, the client again in
    # February, and the lapse the day after the agreement ends.
    assert [(change.on, change.stage) for change in kept] == [
        (date(2024, 3, 1), Stage.CUSTOMER), (date(2024, 9, 1), Stage.CLIENT), (date(2025, 9, 2), Stage.LAPSED),
        (date(2026, 2, 1), Stage.CLIENT), (date(2026, 8, 1), Stage.LAPSED)]


def test_the_list_s_stage_moves_with_the_calendar_and_counts_like_the_history(workspace):
    ana, ben, cy = (workspace.contacts.create(person(name)).contact_id for name in ("Ana", "Ben", "Cy"))
    workspace.purchases.add_purchase(PurchaseDraft(ana, date(2025, 1, 10), Decimal("80")))
    workspace.purchases.add_purchase(PurchaseDraft(ben, date(2025, 1, 10), Decimal("80")))
    workspace.purchases.add_purchase(PurchaseDraft(ben, date(2025, 6, 1), Decimal("80")))
    everyone_created = datetime(2100, 1, 1, tzinfo=UTC)
    for day, expected in ((date(2025, 3, 1), {ana: "customer", ben: "customer", cy: "prospect"}),
                          (date(2025, 7, 1), {ana: "customer", ben: "client", cy: "prospect"}),
                          (date(2026, 1, 12), {ana: "lapsed", ben: "client", cy: "prospect"}),
                          (date(2024, 12, 1), {ana: "prospect", ben: "prospect", cy: "prospect"})):
        with workspace.database.writing() as uow:
            uow.stages.bring_list_to(day)
            counts_today = uow.stages.counts_today()
            counts_on = uow.stages.counts_on(day, everyone_created)
        listed = dict(sql(workspace, "SELECT id, list_stage FROM contact"))
        assert listed == expected, day
        assert counts_today == counts_on


def test_a_new_lapse_in_days_works_every_history_out_again(workspace):
    ana = workspace.contacts.create(person("Ana")).contact_id
    workspace.purchases.add_purchase(PurchaseDraft(ana, date(2025, 1, 10), Decimal("80")))
    profile = workspace.business.profile()
    workspace.business.save(replace(profile, retention=RetentionSettings(lapse_days=30)))
    with workspace.database.reading() as uow:
        assert [(c.on, c.stage) for c in uow.stages.history(ana)] == [
            (date(2025, 1, 10), Stage.CUSTOMER), (date(2025, 2, 10), Stage.LAPSED)]
