"""The running totals the triggers keep, and the stage histories settled before every commit: they must
always equal what the rows themselves say, whichever way the rows were written."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.interactions import Direction, InteractionDraft
from clientdesk.domain.lifecycle import RetentionSettings, Stage, stage_history, stage_in_history
from clientdesk.domain.services_catalogue import AgreementDraft, PurchaseDraft
from clientdesk.storage.lifecycle import MOST_EXTENDED, StageKeeper
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


# -- histories extended rather than worked out again ----------------------------------------------------

HORIZON = date(9000, 1, 1)


def history_from_the_rows(workspace, contact_id: int, zone: str, lapse_days: int) -> list:
    """What the domain makes of the contact's rows: the full recompute the kept history must equal."""
    local = ZoneInfo(zone)
    purchases = [date.fromisoformat(on) for (on,) in sql(
        workspace, 'SELECT "on" FROM purchase WHERE contact_id = ? AND amount_minor > 0', (contact_id,))]
    interactions = sorted({datetime.fromisoformat(at + "+00:00").astimezone(local).date() for (at,) in sql(
        workspace, "SELECT at FROM interaction WHERE contact_id = ?", (contact_id,))})
    agreements = [(date.fromisoformat(start), date.fromisoformat(end) if end else None) for start, end in sql(
        workspace, "SELECT starts_on, ends_on FROM agreement WHERE contact_id = ?", (contact_id,))]
    ended = sql(workspace, "SELECT ended_on FROM contact_ended WHERE contact_id = ?", (contact_id,))
    return stage_history(purchases, interactions, agreements, date.fromisoformat(ended[0][0]) if ended else None,
                         HORIZON, lapse_days)


def kept_history(workspace, contact_id: int) -> list:
    with workspace.database.reading() as uow:
        return uow.stages.history(contact_id)


def assert_histories_are_the_domain_s(workspace, ids, zone: str, lapse_days: int, today: date) -> None:
    listed = dict(sql(workspace, "SELECT id, list_stage FROM contact"))
    for contact_id in ids:
        expected = history_from_the_rows(workspace, contact_id, zone, lapse_days)
        assert kept_history(workspace, contact_id) == expected, contact_id
        assert listed[contact_id] == (stage_in_history(expected, today) or Stage.PROSPECT).value, contact_id
    assert sql(workspace, "SELECT count(*) FROM stage_pending") == [(0,)]


class SettleSpy:
    """How many contacts each settle extended and worked out again."""

    def __init__(self, monkeypatch):
        self.extended = self.rewritten = 0
        extend, rewrite = StageKeeper._extend, StageKeeper._rewrite

        def counted_extend(keeper, *arguments):
            self.extended += 1
            return extend(keeper, *arguments)

        def counted_rewrite(keeper, contact_ids, *arguments):
            self.rewritten += len(contact_ids)
            return rewrite(keeper, contact_ids, *arguments)

        monkeypatch.setattr(StageKeeper, "_extend", counted_extend)
        monkeypatch.setattr(StageKeeper, "_rewrite", counted_rewrite)


def insert_interaction(uow, contact_id: int, at: datetime) -> None:
    uow.interactions.add(InteractionDraft(contact_id, Channel.PHONE, Direction.IN, at), at)


def insert_purchase(uow, contact_id: int, on: date, amount_minor: int) -> None:
    uow.session.connection().exec_driver_sql(
        'INSERT INTO purchase (contact_id, "on", amount_minor, description, created_at) '
        "VALUES (?, ?, ?, '', '2026-01-01 00:00:00.000000')", (contact_id, on.isoformat(), amount_minor))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("zone", ["Pacific/Auckland", "America/Los_Angeles"])
def test_random_inserts_extend_each_history_exactly_as_a_full_recompute_would(workspace, monkeypatch, seed, zone):
    """Calls and sales mostly at the end of a history (as they are logged), some back-dated, several in one
    transaction, near local midnights and clock changes, over a short lapse so clients lapse and come back;
    now and then a write the log cannot explain (a delete, an update, an agreement, an end), which must be
    worked out in full. After every transaction each history is the domain's from the rows."""
    lapse_days = 20
    workspace.business.save(replace(workspace.business.profile(), time_zone=zone,
                                    retention=RetentionSettings(lapse_days=lapse_days)))
    ids = [workspace.contacts.create(person(f"P{n}")).contact_id for n in range(5)]
    today = workspace.lifecycle.today()
    rng = random.Random(seed)
    latest = {contact_id: datetime(2025, 9, 1, tzinfo=UTC) for contact_id in ids}
    spy = SettleSpy(monkeypatch)

    def moment(contact_id: int) -> datetime:
        if rng.random() < 0.15:  # back-dated
            return latest[contact_id] - timedelta(hours=rng.randrange(1, 24 * 90))
        step = timedelta(hours=rng.choice([1, 5, 11, 13, 23, 24 * 3, 24 * 19, 24 * 21, 24 * 40]),
                         minutes=rng.randrange(60))
        latest[contact_id] += step
        return latest[contact_id]

    for _ in range(90):
        with workspace.database.writing() as uow:
            for _ in range(rng.choice([1, 1, 1, 2, 4])):
                contact_id = rng.choice(ids)
                roll = rng.random()
                if roll < 0.55:
                    insert_interaction(uow, contact_id, moment(contact_id))
                elif roll < 0.85:
                    on = moment(contact_id).astimezone(ZoneInfo(zone)).date()
                    insert_purchase(uow, contact_id, on, rng.choice([-500, 0, 1200, 4000]))
                elif roll < 0.90:
                    uow.session.connection().exec_driver_sql(
                        "DELETE FROM interaction WHERE id = (SELECT max(id) FROM interaction WHERE contact_id = ?)",
                        (contact_id,))
                elif roll < 0.93:
                    uow.session.connection().exec_driver_sql(
                        "UPDATE purchase SET amount_minor = -amount_minor WHERE id = "
                        "(SELECT min(id) FROM purchase WHERE contact_id = ?)", (contact_id,))
                elif roll < 0.97:
                    start = latest[contact_id].date() - timedelta(days=rng.randrange(60))
                    uow.session.connection().exec_driver_sql(
                        "INSERT INTO agreement (contact_id, starts_on, ends_on, billing_period, notes, created_at) "
                        "VALUES (?, ?, ?, 'monthly', '', '2026-01-01 00:00:00.000000')",
                        (contact_id, start.isoformat(), (start + timedelta(days=rng.randrange(10, 90))).isoformat()))
                else:
                    uow.session.connection().exec_driver_sql(
                        "INSERT OR REPLACE INTO contact_ended (contact_id, ended_on, reason) VALUES (?, ?, '')",
                        (contact_id, (latest[contact_id].date() + timedelta(days=rng.randrange(-30, 200))).isoformat()))
        assert_histories_are_the_domain_s(workspace, ids, zone, lapse_days, today)
    # Both ways were taken, the extension far more often.
    assert spy.extended > 60 and spy.rewritten > 3, (spy.extended, spy.rewritten)


def test_a_call_after_another_connection_s_unsettled_write_works_the_history_out_in_full(workspace, monkeypatch):
    """A mark the log did not see (a plain sqlite3 connection deleted a call and did not settle) means the
    kept history may be behind: the next call must not merely extend it."""
    ana = workspace.contacts.create(person("Ana")).contact_id
    workspace.purchases.add_purchase(PurchaseDraft(ana, date(2024, 1, 10), Decimal("80")))
    workspace.purchases.add_purchase(PurchaseDraft(ana, date(2024, 2, 10), Decimal("80")))
    call(workspace, ana, datetime(2025, 1, 20, 10, tzinfo=UTC))
    other = sqlite3.connect(workspace.database.path)
    with other:
        other.execute("DELETE FROM interaction WHERE contact_id = ?", (ana,))
    other.close()
    spy = SettleSpy(monkeypatch)
    call(workspace, ana, datetime(2025, 6, 1, 10, tzinfo=UTC))
    assert spy.rewritten == 1
    assert kept_history(workspace, ana) == history_from_the_rows(workspace, ana, "Europe/London", 365)
    # The lapse after February 2024 is back, now that the January call has gone.
    assert (date(2024, 2, 10) + timedelta(days=366), Stage.LAPSED) in [(change.on, change.stage) for change in kept_history(workspace, ana)]


def test_a_rolled_back_write_leaves_nothing_in_the_log(workspace, monkeypatch):
    ana = workspace.contacts.create(person("Ana")).contact_id
    workspace.purchases.add_purchase(PurchaseDraft(ana, date(2024, 1, 10), Decimal("80")))
    with pytest.raises(RuntimeError), workspace.database.writing() as uow:
        insert_interaction(uow, ana, datetime(2024, 3, 1, 10, tzinfo=UTC))
        raise RuntimeError("cancelled")
    spy = SettleSpy(monkeypatch)
    call(workspace, ana, datetime(2025, 6, 1, 10, tzinfo=UTC))
    assert (spy.extended, spy.rewritten) == (1, 0)
    assert kept_history(workspace, ana) == history_from_the_rows(workspace, ana, "Europe/London", 365)


def test_a_call_logged_at_the_end_of_a_long_history_does_not_read_it_all(workspace, monkeypatch):
    """The regression this path removed: a call logged for a client with thousands of calls read them all."""
    ana = workspace.contacts.create(person("Ana")).contact_id
    workspace.purchases.add_purchase(PurchaseDraft(ana, date(2020, 1, 10), Decimal("80")))
    with workspace.database.writing() as uow:
        for day in range(0, 1500, 3):
            insert_interaction(uow, ana, datetime(2020, 1, 11, 9, tzinfo=UTC) + timedelta(days=day))
    spy = SettleSpy(monkeypatch)
    read = []
    connection = sqlite3.connect(":memory:")  # a stand-in, replaced by the session's below
    with workspace.database.writing() as uow:
        insert_interaction(uow, ana, datetime(2026, 6, 1, 9, tzinfo=UTC))
        connection = uow.session.connection().connection.driver_connection
        connection.set_trace_callback(read.append)
    connection.set_trace_callback(None)
    assert (spy.extended, spy.rewritten) == (1, 0)
    assert not [statement for statement in read if "contact_id IN (" in statement]
    assert kept_history(workspace, ana) == history_from_the_rows(workspace, ana, "Europe/London", 365)


def test_a_bulk_write_stops_the_log_and_every_history_is_worked_out_in_full(workspace, monkeypatch):
    """Past a few dozen contacts the log stops (a bulk write pays almost nothing for it); the next call is
    extended again."""
    ids = [workspace.contacts.create(person(f"P{n}")).contact_id for n in range(MOST_EXTENDED + 6)]
    call(workspace, ids[0], datetime(2024, 1, 5, 9, tzinfo=UTC))  # the connection's first settle starts its log
    spy = SettleSpy(monkeypatch)
    with workspace.database.writing() as uow:
        for number, contact_id in enumerate(ids):
            insert_purchase(uow, contact_id, date(2024, 2, 1) + timedelta(days=number), 1000)
            insert_interaction(uow, contact_id, datetime(2024, 3, 1, 9, tzinfo=UTC) + timedelta(days=number))
        assert uow.session.connection().exec_driver_sql(
            "SELECT contacts, overflowed FROM temp.clientdesk_stage_log_state").one() == (MOST_EXTENDED + 1, 1)
    assert (spy.extended, spy.rewritten) == (0, len(ids))
    call(workspace, ids[3], datetime(2025, 6, 1, 9, tzinfo=UTC))
    assert (spy.extended, spy.rewritten) == (1, len(ids))
    assert_histories_are_the_domain_s(workspace, ids, "Europe/London", 365, workspace.lifecycle.today())


def test_a_mark_from_a_trigger_the_log_does_not_know_works_the_history_out_in_full(workspace, monkeypatch):
    """A later migration may mark contacts from a table of its own: such a mark is not explained by an
    insert of a call or a sale, so the contact is worked out in full even when a call came with it."""
    ana = workspace.contacts.create(person("Ana")).contact_id
    call(workspace, ana, datetime(2024, 1, 5, 9, tzinfo=UTC))  # the connection's first settle starts its log
    sql(workspace, "CREATE TABLE later_source (contact_id INTEGER)")
    sql(workspace, "CREATE TRIGGER tr_later_source AFTER INSERT ON later_source BEGIN "
                   "INSERT OR IGNORE INTO stage_pending (contact_id) VALUES (NEW.contact_id); END")
    spy = SettleSpy(monkeypatch)
    with workspace.database.writing() as uow:
        insert_interaction(uow, ana, datetime(2024, 2, 5, 9, tzinfo=UTC))
        uow.session.connection().exec_driver_sql("INSERT INTO later_source VALUES (?)", (ana,))
    assert (spy.extended, spy.rewritten) == (0, 1)
    call(workspace, ana, datetime(2024, 3, 5, 9, tzinfo=UTC))
    assert (spy.extended, spy.rewritten) == (1, 1)
