"""The Dashboard: the figures arrive off the UI thread, the concentration banner names the largest client,
the Pareto table and chart list the payers by revenue, and a bar or a row opens that client."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from PySide6.QtCore import Qt

from clientdesk.domain.services_catalogue import PurchaseDraft
from tests.helpers import person


def _book(workspace) -> dict[str, int]:
    """Ana 600, Ben 250, Cleo 100, Dev 50 in the last 12 months (1000 in all); Eve never bought."""
    today = workspace.metrics.today()
    ids = {}
    for first, last, amount in (("Ana", "Silva", "600"), ("Ben", "Brook", "250"), ("Cleo", "Chan", "100"),
                                ("Dev", "Dale", "50"), ("Eve", "Easy", None)):
        ids[first] = workspace.contacts.create(person(first, last)).contact_id
        if amount is not None:
            workspace.purchases.add_purchase(PurchaseDraft(ids[first], today - timedelta(days=30), Decimal(amount)))
    return ids


def _open_dashboard(qtbot, window):
    qtbot.waitUntil(lambda: window.sidebar.count() >= 3)
    assert window.sidebar.item(2).text() == "Dashboard"
    assert window.dashboard_page is None  # built when first shown, not at start-up
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    page = window.dashboard_page
    assert page is not None and window.pages.currentWidget() is page
    qtbot.waitUntil(lambda: page.dashboard is not None and page.refresh_button.isEnabled(), timeout=10000)
    return page


def test_the_dashboard_shows_the_figures_and_the_largest_clients(qtbot, workspace, open_window):
    ids = _book(workspace)
    window = open_window()
    page = _open_dashboard(qtbot, window)
    assert page.banner.isVisibleTo(page)
    assert page.banner.text() == ("Concentration risk: Ana Silva brings 60 % of the last 12 months' revenue; "
                                  "the top three (Ana Silva, Ben Brook, Cleo Chan) bring 95 %.")
    table = page.table
    rows = [tuple(table.item(row, column).text() for column in range(3)) for row in range(table.rowCount())]
    assert rows == [("Ana Silva", "GBP 600.00", "60.0 %"), ("Ben Brook", "GBP 250.00", "85.0 %"),
                    ("Cleo Chan", "GBP 100.00", "95.0 %"), ("Dev Dale", "GBP 50.00", "100.0 %")]
    assert page.tiles["revenue"].text() == "GBP 1,000.00"
    assert page.tiles["repeat"].text() == "0 %" and page.tiles["retention"].text() == "—"
    assert page.bars is not None and page.bars.count() == 4
    assert [page.bars.at(index) for index in range(4)] == [600, 250, 100, 50]
    assert page.split.isVisibleTo(page) and not page.empty.isVisibleTo(page)
    assert [page.stages.item(0, column).text() for column in range(5)] == ["1", "4", "0", "0", "0"]

    # A row chosen with Enter opens that client on the Contacts page.
    table.setFocus()
    table.setCurrentCell(1, 0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.contacts_page
    assert window.contacts_page.current_id() == ids["Ben"]
    qtbot.waitUntil(lambda: window.editor.contact_id == ids["Ben"])

    # So does a bar clicked in the chart.
    with qtbot.waitSignal(page.refreshed, timeout=10000):
        window.show_page(2)
    page.bars.clicked.emit(2)
    assert window.pages.currentWidget() is window.contacts_page
    assert window.contacts_page.current_id() == ids["Cleo"]


def test_spread_revenue_shows_no_banner(qtbot, workspace, open_window):
    today = workspace.metrics.today()
    for number in range(8):
        cid = workspace.contacts.create(person("Client", f"Number{number}")).contact_id
        workspace.purchases.add_purchase(PurchaseDraft(cid, today - timedelta(days=10), Decimal("100")))
    window = open_window()
    page = _open_dashboard(qtbot, window)
    assert not page.banner.isVisibleTo(page)
    assert page.table.rowCount() == 8 and page.bars.count() == 8


def test_an_empty_database_shows_the_guidance_and_no_chart(qtbot, workspace, open_window):
    workspace.contacts.create(person("Ana", "Silva"))
    window = open_window()
    page = _open_dashboard(qtbot, window)
    assert page.empty.isVisibleTo(page) and "No purchases yet" in page.empty.text()
    assert not page.split.isVisibleTo(page) and not page.chart.series() and page.bars is None
    assert not page.banner.isVisibleTo(page)
    assert page.tiles["revenue"].text() == "GBP 0.00" and page.tiles["ltv"].text() == "—"


def test_the_dashboard_refreshes_when_everything_changed(qtbot, workspace, open_window):
    from clientdesk.services.changes import Changes

    window = open_window()
    page = _open_dashboard(qtbot, window)
    assert page.bars is None
    cid = workspace.contacts.create(person("Ana", "Silva")).contact_id
    workspace.purchases.add_purchase(PurchaseDraft(cid, workspace.metrics.today(), Decimal("10")))
    with qtbot.waitSignal(page.refreshed, timeout=10000):
        window.apply_changes(Changes(everything=True))
    assert page.table.rowCount() == 1 and page.bars.count() == 1
    with qtbot.waitSignal(page.refreshed, timeout=10000):
        qtbot.keyClick(page.table, Qt.Key.Key_F5)


def test_the_months_follow_the_figures_with_a_table_beside_each_chart(qtbot, workspace, open_window):
    _book(workspace)
    window = open_window()
    page = _open_dashboard(qtbot, window)
    qtbot.waitUntil(lambda: page.trends is not None, timeout=10000)
    assert page.stage_table.rowCount() == page.retention_table.rowCount() == 12
    totals = [page.stage_table.item(row, 3).text() for row in range(12)]
    assert "GBP 1,000.00" in totals  # every purchase was a first one, 30 days ago
    assert {page.stage_table.item(row, 2).text() for row in range(12)} == {"GBP 0.00"}
    assert page.retention_table.item(11, 1).text() == "—"  # nobody bought in the year before
    assert page.stage_chart.series() and page.retention_chart.series()

    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert page.views.currentIndex() == 1
    qtbot.keyClick(page, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)
    assert page.views.currentIndex() == 2


def test_the_funnel_by_month_is_read_when_its_tab_is_shown(qtbot, workspace, open_window):
    _book(workspace)  # four customers, all from their first purchase 30 days ago
    window = open_window()
    page = _open_dashboard(qtbot, window)
    qtbot.waitUntil(lambda: page.trends is not None, timeout=10000)
    assert page.funnel is None  # not read until asked for
    qtbot.keyClick(page, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    assert page.views.currentIndex() == 3
    qtbot.waitUntil(lambda: page.funnel is not None, timeout=10000)
    assert page.funnel_table.rowCount() == 12
    assert page.funnel_table.horizontalHeaderItem(2).text() == "Customers"
    customers = [page.funnel_table.item(row, 2).text() for row in range(12)]
    assert customers[:10] == ["0"] * 10 and "4" in customers[10:]  # they became customers a month ago
    assert len(page.funnel_chart.series()) == 3
