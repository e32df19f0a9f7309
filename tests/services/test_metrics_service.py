"""The figures on a small hand-built book of business, each worked out by hand below, and on none at all.

As of 2026-06-30 the trailing year is 2025-07-01..2026-06-30 and the year before it 2024-07-01..2025-06-30.

  1 Ana    bought 100 on 2025-03-01 and 600 on 2026-01-10          → client (2 purchases)
  2 Ben    bought 300 on 2026-02-01, refunded 50 on 2026-03-01     → customer (a refund is no purchase)
  3 Cleo   bought 50 on 2024-09-01, called on 2024-10-01           → lapsed (nothing for over 365 days)
  4 Dev    agreement from 2026-01-01, bought 100 on 2026-03-01     → client (the agreement)
  5 Eve    called on 2026-06-30 only                               → prospect
  6 Finn   bought 200 on 2026-05-01, ended by hand on 2026-06-01   → former
  7 Gus    nothing                                                 → prospect

Trailing-year revenue: Ana 600, Ben 250, Finn 200, Dev 100 = 1150.
Top fifth of 4 payers is 1: 600/1150 = 0.5217. Largest 0.5217; top three 1050/1150 = 0.9130; at risk.
Retention: the year before bought Ana and Cleo; of them Ana bought again: 1/2.
Repeat: of Ana 2, Ben 1, Cleo 1, Dev 1, Finn 1 purchases, one bought twice: 1/5.
Conversion: reached customer Ana, Ben, Cleo, Dev, Finn; went on to client Ana (2 purchases), Dev (agreement): 2/5.
Lifetime totals: 700, 250, 50, 100, 200 → median 200, mean 1300/5 = 260."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.interactions import Direction, InteractionDraft
from clientdesk.domain.lifecycle import Stage
from clientdesk.domain.services_catalogue import AgreementDraft, PurchaseDraft
from tests.helpers import person

AS_OF = date(2026, 6, 30)


def _make_contacts(workspace, names) -> list[int]:
    ids = [workspace.contacts.create(person(name)).contact_id for name in names]
    with workspace.database.writing() as uow:  # created long ago, so every one counts on the day asked
        uow.session.connection().exec_driver_sql("UPDATE contact SET created_at = '2020-01-01 00:00:00.000000'")
    return ids


def _call(workspace, contact_id: int, at: datetime) -> None:
    with workspace.database.writing() as uow:
        uow.interactions.add(InteractionDraft(contact_id, Channel.PHONE, Direction.IN, at), at)


@pytest.fixture
def book(workspace):
    ana, ben, cleo, dev, eve, finn, gus = _make_contacts(workspace, ["Ana", "Ben", "Cleo", "Dev", "Eve", "Finn", "Gus"])
    buy = workspace.purchases.add_purchase
    buy(PurchaseDraft(ana, date(2025, 3, 1), Decimal("100")))
    buy(PurchaseDraft(ana, date(2026, 1, 10), Decimal("600")))
    buy(PurchaseDraft(ben, date(2026, 2, 1), Decimal("300")))
    buy(PurchaseDraft(ben, date(2026, 3, 1), Decimal("-50")))
    buy(PurchaseDraft(cleo, date(2024, 9, 1), Decimal("50")))
    _call(workspace, cleo, datetime(2024, 10, 1, 12, tzinfo=UTC))
    workspace.purchases.add_agreement(AgreementDraft(dev, date(2026, 1, 1)))
    buy(PurchaseDraft(dev, date(2026, 3, 1), Decimal("100")))
    _call(workspace, eve, datetime(2026, 6, 30, 12, tzinfo=UTC))
    buy(PurchaseDraft(finn, date(2026, 5, 1), Decimal("200")))
    workspace.purchases.end_relationship(finn, date(2026, 6, 1))
    buy(PurchaseDraft(ana, date(2026, 7, 1), Decimal("5000")))  # after the day asked: in no figure
    return {"ana": ana, "ben": ben, "cleo": cleo, "dev": dev, "eve": eve, "finn": finn, "gus": gus}


def test_the_figures_of_a_small_book_are_the_ones_worked_out_by_hand(workspace, book):
    figures = workspace.metrics.figures(AS_OF)
    assert figures.revenue_12m == Decimal("1150.00")
    assert round(figures.top20_share, 4) == Decimal("0.5217")
    assert round(figures.concentration.largest_share, 4) == Decimal("0.5217")
    assert round(figures.concentration.top3_share, 4) == Decimal("0.9130")
    assert figures.concentration.at_risk
    assert figures.stages == {Stage.PROSPECT: 2, Stage.CUSTOMER: 1, Stage.CLIENT: 2, Stage.LAPSED: 1, Stage.FORMER: 1}
    assert figures.retention_rate == Decimal("0.5")
    assert figures.repeat_rate == Decimal("0.2")
    assert figures.conversion_rate == Decimal("0.4")
    assert figures.ltv_median == Decimal("200") and figures.ltv_mean == Decimal("260")


def test_one_contacts_stage_and_lifetime_value(workspace, book):
    stages = {name: workspace.metrics.stage_of(cid, AS_OF) for name, cid in book.items()}
    assert stages == {"ana": Stage.CLIENT, "ben": Stage.CUSTOMER, "cleo": Stage.LAPSED, "dev": Stage.CLIENT,
                      "eve": Stage.PROSPECT, "finn": Stage.FORMER, "gus": Stage.PROSPECT}
    value = workspace.metrics.lifetime_value(book["ana"], AS_OF)
    # 700 over the 486 days since 2025-03-01 is less than a year and a half: per year is 700 / (486 / 365.25).
    assert value.total == Decimal("700.00")
    assert round(value.per_year, 2) == round(Decimal("700") / (Decimal(486) / Decimal("365.25")), 2)
    assert workspace.metrics.lifetime_value(book["gus"], AS_OF).total == 0
    assert workspace.metrics.lifetime_value(book["ben"], AS_OF).total == Decimal("250.00")


def test_a_recent_call_brings_a_lapsed_customer_back(workspace, book):
    _call(workspace, book["cleo"], datetime(2026, 1, 2, 9, tzinfo=UTC))
    assert workspace.metrics.stage_of(book["cleo"], AS_OF) is Stage.CUSTOMER
    assert workspace.metrics.figures(AS_OF).stages[Stage.LAPSED] == 0


def test_a_call_late_in_the_evening_counts_on_the_business_s_day(workspace):
    # 23:30 UTC on 30 June 2025 is 00:30 on 1 July in London: 365 days before 1 July 2026, so not yet lapsed
    # (by the UTC date it would be 366 days, lapsed).
    (cid,) = _make_contacts(workspace, ["Hal"])
    workspace.purchases.add_purchase(PurchaseDraft(cid, date(2025, 1, 1), Decimal("10")))
    _call(workspace, cid, datetime(2025, 6, 30, 23, 30, tzinfo=UTC))
    assert workspace.metrics.stage_of(cid, date(2026, 7, 1)) is Stage.CUSTOMER
    assert workspace.metrics.stage_of(cid, date(2026, 7, 2)) is Stage.LAPSED
    assert workspace.metrics.figures(date(2026, 7, 1)).stages[Stage.CUSTOMER] == 1


def test_no_purchases_at_all_gives_zeros_and_nulls(workspace):
    empty = workspace.metrics.figures(AS_OF)
    assert empty.revenue_12m == 0 and empty.top20_share is None
    assert (empty.concentration.largest_share, empty.concentration.top3_share, empty.concentration.at_risk) == (
        None, None, False)
    assert empty.stages == {stage: 0 for stage in Stage}
    assert (empty.retention_rate, empty.repeat_rate, empty.conversion_rate) == (None, None, None)
    assert (empty.ltv_median, empty.ltv_mean) == (None, None)
    _make_contacts(workspace, ["Ana", "Ben"])
    assert workspace.metrics.figures(AS_OF).stages[Stage.PROSPECT] == 2


def test_the_dashboard_names_the_payers_in_revenue_order_with_their_cumulative_shares(workspace, book):
    dashboard = workspace.metrics.dashboard(AS_OF)
    assert dashboard.figures == workspace.metrics.figures(AS_OF)
    # Ana 600, Ben 250, Finn 200, Dev 100 of 1150; Cleo bought before the trailing year, Eve and Gus never.
    assert [(cid, name, amount) for cid, name, amount, _ in dashboard.pareto] == [
        (book["ana"], "Ana", Decimal("600.00")), (book["ben"], "Ben", Decimal("250.00")),
        (book["finn"], "Finn", Decimal("200.00")), (book["dev"], "Dev", Decimal("100.00"))]
    assert [round(share, 4) for *_, share in dashboard.pareto] == [
        Decimal("0.5217"), Decimal("0.7391"), Decimal("0.9130"), Decimal("1.0000")]
    assert dashboard.concentration_names.largest == ("Ana",)
    assert dashboard.concentration_names.top3 == ("Ana", "Ben", "Finn")
    assert dashboard.any_purchases and dashboard.currency == "GBP"


def test_the_dashboard_keeps_only_the_top_payers(workspace, book):
    rows = workspace.metrics.dashboard(AS_OF, top=2).pareto
    assert [name for _, name, _, _ in rows] == ["Ana", "Ben"]
    assert round(rows[-1][3], 4) == Decimal("0.7391")  # the share is still of all the revenue


def test_the_dashboard_names_nobody_when_the_revenue_is_spread(workspace):
    ids = _make_contacts(workspace, [f"Client {n}" for n in range(10)])
    for cid in ids:
        workspace.purchases.add_purchase(PurchaseDraft(cid, date(2026, 1, 1), Decimal("100")))
    dashboard = workspace.metrics.dashboard(AS_OF)
    assert not dashboard.figures.concentration.at_risk and dashboard.concentration_names is None
    assert len(dashboard.pareto) == 10 and dashboard.pareto[-1][3] == 1


def test_the_dashboard_of_an_empty_book(workspace):
    dashboard = workspace.metrics.dashboard(AS_OF)
    assert dashboard.pareto == [] and dashboard.concentration_names is None and not dashboard.any_purchases
    (cid,) = _make_contacts(workspace, ["Ana"])
    workspace.purchases.add_purchase(PurchaseDraft(cid, date(2020, 1, 1), Decimal("10")))  # long before the year
    dashboard = workspace.metrics.dashboard(AS_OF)
    assert dashboard.any_purchases and dashboard.pareto == []


def test_the_months_split_first_purchases_from_repeat_ones_and_measure_retention_at_each_end(workspace):
    ana, ben = _make_contacts(workspace, ["Ana", "Ben"])
    buy = workspace.purchases.add_purchase
    buy(PurchaseDraft(ana, date(2024, 8, 10), Decimal("100")))  # her first, before the twelve months
    buy(PurchaseDraft(ana, date(2025, 9, 5), Decimal("200")))
    buy(PurchaseDraft(ben, date(2025, 9, 20), Decimal("50")))
    buy(PurchaseDraft(ben, date(2025, 10, 1), Decimal("-10")))  # a refund is never a first purchase
    months = workspace.metrics.trends(date(2026, 7, 15))
    assert [m.month for m in months] == [date(2025, 7, 1)] + [date(2025 + (m > 12), (m - 1) % 12 + 1, 1)
                                                              for m in range(8, 19)]
    by_month = {m.month: m for m in months}
    assert (by_month[date(2025, 9, 1)].new_revenue, by_month[date(2025, 9, 1)].repeat_revenue) == (50, 200)
    assert (by_month[date(2025, 10, 1)].new_revenue, by_month[date(2025, 10, 1)].repeat_revenue) == (0, -10)
    # End of July 2025: nobody bought from August 2023 to July 2024. End of August: Ana had (August 2024)
    # and has not bought again since. End of September: she has.
    assert by_month[date(2025, 7, 1)].retention_rate is None
    assert by_month[date(2025, 8, 1)].retention_rate == 0
    assert by_month[date(2025, 9, 1)].retention_rate == 1


def test_the_funnel_over_time_counts_each_stage_at_each_months_end_from_the_stored_changes(workspace):
    ana, ben = _make_contacts(workspace, ["Ana", "Ben"])
    buy = workspace.purchases.add_purchase
    buy(PurchaseDraft(ana, date(2025, 9, 5), Decimal("200")))  # a customer from September
    buy(PurchaseDraft(ana, date(2025, 11, 2), Decimal("80")))  # a client from November
    buy(PurchaseDraft(ben, date(2025, 10, 20), Decimal("50")))  # a customer from October
    months = workspace.metrics.funnel(date(2026, 3, 15), months=6)  # September 2025 to February 2026
    assert [m.month for m in months] == [date(2025, 9, 1), date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1),
                                         date(2026, 1, 1), date(2026, 2, 1)]
    assert [(m.stages[Stage.CUSTOMER], m.stages[Stage.CLIENT]) for m in months] == [
        (1, 0), (2, 0), (1, 1), (1, 1), (1, 1), (1, 1)]
    for month in months:  # the same as asking each contact's stage on the month's last day
        last = date(month.month.year + month.month.month // 12, month.month.month % 12 + 1, 1) - timedelta(days=1)
        stages = [workspace.metrics.stage_of(contact, last) for contact in (ana, ben)]
        assert month.stages[Stage.CLIENT] == stages.count(Stage.CLIENT)
        assert month.stages[Stage.CUSTOMER] == stages.count(Stage.CUSTOMER)
