"""The contact list's Stage column and its filter: each contact in the stage its purchases give it today,
the filter chosen from the keyboard, Esc showing everyone again."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from PySide6.QtCore import Qt

from clientdesk.domain.contacts import ListColumn
from clientdesk.domain.services_catalogue import PurchaseDraft
from clientdesk.gui.contact_table_model import COLUMNS
from tests.helpers import person


def test_the_stage_column_and_filter(qtbot, workspace, open_window):
    today = workspace.metrics.today()
    ids = {name: workspace.contacts.create(person(name)).contact_id for name in ("Ana", "Ben", "Cleo")}
    workspace.purchases.add_purchase(PurchaseDraft(ids["Ben"], today - timedelta(days=20), Decimal("40")))
    for days in (90, 10):
        workspace.purchases.add_purchase(PurchaseDraft(ids["Cleo"], today - timedelta(days=days), Decimal("70")))
    window = open_window()
    page = window.contacts_page
    stage_column = COLUMNS.index(ListColumn.STAGE)
    shown = {page.model.summary(row).display_name: page.model.index(row, stage_column).data()
             for row in range(page.model.rowCount())}
    assert shown == {"Ana": "Prospect", "Ben": "Customer", "Cleo": "Client"}

    page.table.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    assert page.stage_filter.hasFocus()
    for _ in range(3):  # All stages → Prospects → Customers → Clients
        qtbot.keyClick(page.stage_filter, Qt.Key.Key_Down)
    assert page.stage_filter.currentText() == "Clients"
    assert page.model.rowCount() == 1 and page.model.summary(0).display_name == "Cleo"
    assert window.count_label.text() == "1 of 3 match"

    page.show_stage(None)
    page.stage_filter.setCurrentIndex(page.stage_filter.findText("Former"))
    assert page.model.rowCount() == 0
    assert page.stack.currentWidget() is page.no_match
    assert page.no_match.heading.text() == "No former contacts today"

    qtbot.keyClick(page, Qt.Key.Key_Escape)
    assert page.stage_filter.currentText() == "All stages" and page.model.rowCount() == 3
