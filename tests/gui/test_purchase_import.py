"""File → Import purchases…: the good rows of a sales CSV are kept and the bad ones listed with their line."""

from __future__ import annotations

from tests.helpers import person


def test_importing_purchases_keeps_the_good_rows_and_lists_the_bad(qtbot, workspace, open_window, tmp_path):
    ana = workspace.contacts.create(person("Ana", "Silva")).contact_id
    sales = tmp_path / "sales.csv"
    sales.write_text("date,contact,amount,description\n"
                     "2026-03-01,Ana Silva,120.00,Spring check\n"
                     "2026-03-02,Nobody Known,50.00,Lost row\n", encoding="utf-8")
    window = open_window()
    window.import_purchases(sales)
    qtbot.waitUntil(lambda: getattr(window, "purchase_import_box", None) is not None, timeout=10000)
    box = window.purchase_import_box
    assert box.text().startswith("1 purchase imported from sales.csv; 1 row was left out")
    assert box.detailedText().startswith("Line 3: ")
    assert [p.amount for p in workspace.purchases.purchases_for(ana)] == [120]
    box.close()
