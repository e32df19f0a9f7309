from __future__ import annotations

import gc
import sqlite3
import statistics
from datetime import UTC, datetime, timedelta

import phonenumbers
import pytest

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.business import BusinessProfile
from clientdesk.domain.interactions import Direction, InquiryStatus, Overdue, overdue
from clientdesk.domain.reply import ReplyClock, ReplyPolicy
from clientdesk.services import demo
from clientdesk.services.workspace import Workspace

NOW = datetime(2025, 6, 11, 10, 0, tzinfo=UTC)  # a Wednesday morning
# Deadlines in open hours, with the public holidays closed: the rules where a made-up deadline would differ.
PROFILE = BusinessProfile(name="Demo Ltd", country="GB", time_zone="Europe/London", currency="GBP",
                          public_holidays=True, reply=ReplyPolicy(8, 24, ReplyClock.BUSINESS_HOURS))
CONTACTS = 1000


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """One demo database for the tests that only read it: (workspace, what generate reported, stages seen,
    progress reported)."""
    workspace = Workspace.open(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    workspace.business.save(PROFILE)
    stages: list[str] = []
    reports: list[tuple[str, int, int]] = []
    added = demo.generate(workspace.database, CONTACTS, seed=3, home_region="GB", now=NOW, stage=stages.append,
                          progress=lambda done, total: reports.append((stages[-1], done, total)))
    yield workspace, added, stages, reports
    workspace.close()


def rows(workspace: Workspace, sql: str) -> list[tuple]:
    with sqlite3.connect(workspace.path) as connection:
        found = connection.execute(sql).fetchall()
    connection.close()
    return found


def test_demo_phones_store_the_e164_form_of_what_they_show(workspace, database_path):
    demo.generate(workspace.database, 300, seed=4, home_region="GB")
    with sqlite3.connect(database_path) as connection:
        phones = connection.execute("SELECT raw, e164 FROM contact_phone").fetchall()
    connection.close()
    assert len(phones) > 100
    for raw, e164 in phones:
        parsed = phonenumbers.parse(raw, "GB")  # numbers at home are shown the local way
        assert phonenumbers.is_valid_number(parsed), raw
        assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == e164, raw


def test_demo_gives_some_clients_their_own_boundaries(workspace):
    demo.generate(workspace.database, 300, seed=4, home_region="GB")
    with workspace.database.listing() as listing:
        stored = listing.boundaries_json(range(1, 301))
    assert 30 < len(stored) < 120
    for contact_id in list(stored)[:20]:
        workspace.boundaries.get(contact_id)  # every stored rule set is valid for the domain


def test_members_show_their_organisation_in_the_list(generated):
    workspace, *_ = generated
    members = rows(workspace, "SELECT c.list_organisation, o.display_name FROM contact AS c "
                              "JOIN contact AS o ON o.id = c.organisation_id")
    assert len(members) > 50
    assert all(shown == name for shown, name in members)


def test_clients_have_up_to_ten_years_of_interactions_most_a_few_some_very_many(generated):
    workspace, added, _, _ = generated
    (stored,) = rows(workspace, "SELECT count(*) FROM interaction")[0]
    assert stored == added.interactions and 5 * CONTACTS < stored < 20 * CONTACTS
    assert rows(workspace, "SELECT count(*) FROM interaction "
                           "WHERE contact_id NOT IN (SELECT id FROM contact)") == [(0,)]
    # Nobody is called before they became a contact (both instants are the same fixed-width UTC text).
    assert rows(workspace, "SELECT count(*) FROM interaction AS i JOIN contact AS c ON c.id = i.contact_id "
                           "WHERE i.at < c.created_at") == [(0,)]
    counts = [n for (n,) in rows(workspace, "SELECT count(i.id) FROM contact AS c "
                                            "LEFT JOIN interaction AS i ON i.contact_id = c.id GROUP BY c.id")]
    assert statistics.median(counts) <= 10 and max(counts) >= 20 * statistics.median(counts)
    kinds = set(rows(workspace, "SELECT DISTINCT channel, direction FROM interaction"))
    assert kinds == {(channel.value, direction.value) for channel in Channel for direction in Direction}

    busiest = rows(workspace, "SELECT contact_id FROM interaction GROUP BY contact_id "
                              "ORDER BY count(*) DESC LIMIT 1")[0][0]
    start = workspace.timeline.start(busiest, 5000)  # read back as the Timeline tab reads it
    moments = [entry.at for entry in start.entries]
    assert start.count == len(moments) and moments == sorted(moments, reverse=True)
    assert NOW - timedelta(days=3653) <= moments[-1] and moments[0] <= NOW
    assert all(entry.summary and entry.logged_by for entry in start.entries)


def test_every_inquiry_has_the_deadlines_the_app_computes(generated):
    workspace, added, _, _ = generated
    inquiries = workspace.interactions.inquiries(as_of=NOW)
    assert len(inquiries) == added.inquiries
    (incoming,) = rows(workspace, "SELECT count(*) FROM interaction WHERE direction = 'in'")[0]
    assert 0.04 * incoming < len(inquiries) < 0.09 * incoming
    for inquiry in inquiries:
        deadlines = workspace.boundaries.reply_by(inquiry.received)
        assert (inquiry.target, inquiry.limit) == (deadlines.target, deadlines.limit), inquiry


def test_inquiries_are_opened_by_an_incoming_interaction_and_answered_by_a_later_outgoing_one(generated):
    workspace, _, _, _ = generated
    inquiries = workspace.interactions.inquiries(as_of=NOW)
    by_status = {status: [q for q in inquiries if q.status is status] for status in InquiryStatus}
    assert len(by_status[InquiryStatus.ANSWERED]) > 0.9 * len(inquiries)
    assert by_status[InquiryStatus.CLOSED] and by_status[InquiryStatus.OPEN]
    timelines = {contact_id: {entry.id: entry for entry in workspace.timeline.start(contact_id, 10_000).entries}
                 for contact_id in {inquiry.contact_id for inquiry in inquiries}}
    for inquiry in inquiries:
        entries = timelines[inquiry.contact_id]  # the client's own interactions
        opened_by = entries[inquiry.opened_by_interaction_id]
        assert opened_by.direction is Direction.IN and opened_by.at == inquiry.received
        assert opened_by.opened_inquiry_id == inquiry.id
        if inquiry.status is InquiryStatus.ANSWERED:
            answer = entries[inquiry.answered_by_interaction_id]
            assert answer.direction is Direction.OUT and answer.answered_inquiry_id == inquiry.id
            assert inquiry.received < answer.at == inquiry.answered_at <= NOW
        else:
            assert inquiry.answered_by_interaction_id is None
        if inquiry.status is InquiryStatus.CLOSED:
            assert inquiry.close_reason and inquiry.received < inquiry.closed_at <= NOW


def test_a_backlog_of_recent_inquiries_is_still_open_some_of_them_late(generated):
    workspace, added, _, _ = generated
    still_open = workspace.interactions.inquiries(open_only=True, as_of=NOW)
    assert len(still_open) == added.open_inquiries > 0
    assert all(NOW - timedelta(days=demo.BACKLOG_DAYS) < inquiry.received <= NOW for inquiry in still_open)
    assert any(overdue(inquiry, NOW) is not Overdue.NONE for inquiry in still_open)


def test_progress_moves_through_the_contacts_the_interactions_the_purchases_then_the_stages(generated):
    _, _, stages, reports = generated
    assert stages == ["contacts", "interactions", "purchases", "reminders", "stages"]
    done = [value for _, value, _ in reports]
    assert done == sorted(done) and reports[-1][1:] == (CONTACTS, CONTACTS)
    assert {total for *_, total in reports} == {CONTACTS}
    assert any(stage == "interactions" and value < CONTACTS for stage, value, _ in reports)
    assert any(stage == "purchases" and value < CONTACTS for stage, value, _ in reports)
    assert any(stage == "stages" and value < CONTACTS for stage, value, _ in reports)


def test_every_contact_leaves_the_demo_with_its_stage_history_worked_out(generated):
    workspace, *_ = generated
    with workspace.database.reading() as uow:
        assert not uow.stages.pending()
        histories = uow.session.connection().exec_driver_sql(
            "SELECT count(DISTINCT contact_id) FROM stage_change").scalar()
    assert histories > CONTACTS // 2


def test_the_same_seed_gives_the_same_interactions_and_inquiries(tmp_path):
    found = []
    for name in ("a", "b"):
        workspace = Workspace.open(tmp_path / f"{name}.sqlite3")
        try:
            workspace.business.save(PROFILE)
            demo.generate(workspace.database, 200, seed=9, home_region="GB", now=NOW)
            found.append([rows(workspace, f"SELECT * FROM {table} ORDER BY rowid")
                          for table in ("interaction", "inquiry", "service", "agreement", "agreement_service",
                                        "purchase", "out_of_scope_request")])
        finally:
            workspace.close()
    assert found[0] == found[1] and all(found[0][:2]) and found[0][5]


def test_a_cancel_while_interactions_are_written_adds_nothing(workspace, database_path):
    stages: list[str] = []
    with pytest.raises(demo.Cancelled):
        demo.generate(workspace.database, 300, seed=4, home_region="GB", stage=stages.append,
                      cancelled=lambda: stages[-1:] == ["interactions"])
    assert stages == ["contacts", "interactions"]
    with sqlite3.connect(database_path) as connection:
        counts = [connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                  for table in ("contact", "contact_fts", "interaction", "inquiry")]
        indexes = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    connection.close()
    assert counts == [0, 0, 0, 0]
    assert "ix_interaction_at" in indexes  # the load set it aside; the rollback brought it back
    assert gc.isenabled()  # paused for the run only


# -- services, agreements and purchases -------------------------------------------------------------------


@pytest.fixture(scope="module")
def sales(tmp_path_factory):
    """A 300-contact demo: (workspace, what generate reported)."""
    workspace = Workspace.open(tmp_path_factory.mktemp("sales") / "demo.sqlite3")
    workspace.business.save(PROFILE)
    added = demo.generate(workspace.database, 300, seed=5, home_region="GB", now=NOW)
    yield workspace, added
    workspace.close()


def test_the_demo_sells_from_a_catalogue_about_ten_purchases_per_contact(sales):
    workspace, added = sales
    services = rows(workspace, "SELECT name, price_minor, unit FROM service")
    assert len(services) == len(demo.SERVICES) >= 10
    assert all(price > 0 and unit for _, price, unit in services)
    (count,) = rows(workspace, "SELECT count(*) FROM purchase")[0]
    assert count == added.purchases and 4 * 300 < count < 25 * 300
    unknown = rows(workspace, "SELECT count(*) FROM purchase WHERE service_id NOT IN (SELECT id FROM service)")
    assert unknown == [(0,)]


def test_amounts_are_positive_except_refunds_which_follow_a_purchase(sales):
    workspace, _ = sales
    purchases = rows(workspace, 'SELECT contact_id, "on", amount_minor, description FROM purchase')
    refunds = [row for row in purchases if row[2] < 0]
    assert all(row[2] > 0 for row in purchases if not row[3].startswith("Refund"))
    assert all(row[3].startswith("Refund") for row in refunds)
    assert 0 < len(refunds) < len(purchases) * 0.02
    first_bought: dict[int, str] = {}
    for contact_id, on, amount, _ in purchases:
        if amount > 0:
            first_bought[contact_id] = min(on, first_bought.get(contact_id, on))
    assert all(contact_id in first_bought and first_bought[contact_id] <= on for contact_id, on, _, _ in refunds)
    assert all(on <= NOW.date().isoformat() for _, on, _, _ in purchases)


def test_revenue_has_a_long_tail_a_fifth_of_payers_bring_most_of_it(sales):
    workspace, _ = sales
    totals = sorted((total for (total,) in rows(
        workspace, "SELECT sum(amount_minor) FROM purchase GROUP BY contact_id HAVING sum(amount_minor) > 0")),
        reverse=True)
    fifth = len(totals) // 5
    assert sum(totals[:fifth]) > sum(totals) / 2
    (contacts,) = rows(workspace, "SELECT count(*) FROM contact")[0]
    once = rows(workspace, "SELECT contact_id FROM purchase WHERE amount_minor > 0 GROUP BY contact_id "
                           "HAVING count(*) = 1")
    assert len(totals) < contacts * 0.8  # many prospects never buy
    assert once  # and some buy once


def test_agreements_cover_existing_services_and_some_have_ended(sales):
    workspace, added = sales
    agreements = rows(workspace, "SELECT id, contact_id, starts_on, ends_on, fee_minor, billing_period, "
                                 "review_every_months FROM agreement")
    assert len(agreements) == added.agreements and 0 < len(agreements) < 300 * 0.2
    assert rows(workspace, "SELECT count(*) FROM agreement_service WHERE service_id NOT IN (SELECT id FROM service) "
                           "OR agreement_id NOT IN (SELECT id FROM agreement)") == [(0,)]
    linked = {agreement_id for (agreement_id,) in rows(workspace, "SELECT agreement_id FROM agreement_service")}
    assert linked == {row[0] for row in agreements}
    for _, _, starts, ends, fee, period, review in agreements:
        assert ends is None or starts < ends
        assert fee > 0 and period in ("monthly", "quarterly", "yearly") and review in (6, 12)
    asks = rows(workspace, "SELECT decision, extra_charge_minor FROM out_of_scope_request")
    assert len(asks) == added.out_of_scope
    assert all((charge is None) == (decision == "declined") for decision, charge in asks)


def test_a_second_demo_reuses_the_catalogue(sales):
    workspace, _ = sales
    before = rows(workspace, "SELECT id, name FROM service ORDER BY id")
    demo.generate(workspace.database, 20, seed=6, home_region="GB", now=NOW)
    assert rows(workspace, "SELECT id, name FROM service ORDER BY id") == before


def test_the_metrics_see_the_demo_sales(sales):

    workspace, _ = sales
    figures = workspace.metrics.figures(NOW.date())
    assert figures.revenue_12m > 0
    assert figures.top20_share is not None and figures.top20_share > 0.5


# -- reminders and cadences -------------------------------------------------------------------------------

def test_the_demo_sets_reminders_some_repeating_most_past_ones_done(generated):
    workspace, added, _, _ = generated
    assert added.reminders == CONTACTS // 2
    ((total, repeating, open_past, past),) = rows(workspace, (
        "SELECT count(*), count(rule), "
        f"count(CASE WHEN rule IS NULL AND next_due_at < '{NOW:%Y-%m-%d %H:%M}' THEN 1 END), "
        f"count(CASE WHEN rule IS NULL AND due_at < '{NOW:%Y-%m-%d %H:%M}' THEN 1 END) FROM reminder"))
    assert total == added.reminders and 0.05 * total < repeating < 0.15 * total
    assert past > 0.5 * total and open_past < 0.02 * past, "a few overdue, the rest handled"
    ((handled,),) = rows(workspace, "SELECT count(*) FROM reminder_handling WHERE kind = 'follow_up'")
    assert handled == past - open_past


def test_cadences_cover_about_a_fifth_of_the_contacts_and_the_agenda_is_a_weeks_worth(generated):
    workspace, added, _, _ = generated
    ((covered,),) = rows(workspace, "SELECT count(*) FROM cadence_round WHERE round_on IS NOT NULL")
    assert 0.14 * CONTACTS < covered < 0.3 * CONTACTS
    assert rows(workspace, "SELECT count(*) FROM cadence WHERE tag_id IS NOT NULL") == [(1,)]
    agenda = workspace.reminders.agenda(NOW)
    kinds = {item.kind.value for item in agenda.items}
    assert {"follow_up", "recurring", "cadence", "birthday", "plan_review"} <= kinds
    cadence_items = [item for item in agenda.items if item.kind.value == "cadence"]
    assert len(cadence_items) < covered / 2, "kept up with: most rounds are weeks away"
