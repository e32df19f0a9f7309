"""`services`, `agreements`, `purchases` and `metrics` from the command line, and the contact's stage and
lifetime value in `contacts show --json`."""

from __future__ import annotations

import json

import pytest

from tests.helpers import run_cli as run


@pytest.fixture
def db(database_path, capsys):
    db = str(database_path)
    assert run(capsys, "--db", db, "contacts", "add", "Ana Silva", "--email", "ana@example.com")[0] == 0
    assert run(capsys, "--db", db, "contacts", "add", "Ben Jones")[0] == 0
    return db


def ok(capsys, db, *args) -> dict | list:
    code, out, err = run(capsys, "--db", db, *args)
    assert code == 0, err
    return json.loads(out)


def test_services_are_added_and_listed(capsys, db):
    added = ok(capsys, db, "services", "add", "Boiler service", "--price", "80", "--unit", "visit",
               "--description", "Annual", "--json")
    assert added == {"id": 1, "name": "Boiler service", "description": "Annual", "price": "80.00", "unit": "visit"}
    ok(capsys, db, "services", "add", "Advice", "--json")
    assert [s["name"] for s in ok(capsys, db, "services", "list", "--json")] == ["Advice", "Boiler service"]
    code, _, err = run(capsys, "--db", db, "services", "add", "boiler SERVICE")
    assert code == 1 and "already a service" in err


def test_a_service_is_edited_keeping_what_is_not_given_and_removed_only_when_unused(capsys, db):
    ok(capsys, db, "services", "add", "Boiler service", "--price", "80", "--unit", "visit", "--json")
    ok(capsys, db, "services", "add", "Advice", "--json")
    changed = ok(capsys, db, "services", "edit", "1", "--name", "Boiler check", "--price", "85.5", "--json")
    assert changed == {"id": 1, "name": "Boiler check", "description": "", "price": "85.50", "unit": "visit"}
    assert ok(capsys, db, "services", "edit", "1", "--price", "none", "--json")["price"] is None
    code, _, err = run(capsys, "--db", db, "services", "edit", "1", "--name", "advice")
    assert code == 1 and "already a service called “advice”" in err

    ok(capsys, db, "purchases", "add", "Ana Silva", "--amount", "40", "--on", "2026-03-01", "--service", "Advice",
       "--json")
    code, _, err = run(capsys, "--db", db, "services", "remove", "2")
    assert code == 1 and "“Advice” stays in the catalogue: 1 purchase names it" in err
    code, out, _ = run(capsys, "--db", db, "services", "remove", "1")
    assert code == 0 and out.strip() == "Removed service 1: Boiler check"
    assert [s["name"] for s in ok(capsys, db, "services", "list", "--json")] == ["Advice"]
    code, _, err = run(capsys, "--db", db, "services", "edit", "9", "--price", "1")
    assert code == 1 and "no service with id 9" in err


def test_an_agreement_and_a_purchase_are_recorded(capsys, db):
    ok(capsys, db, "services", "add", "Boiler service", "--json")
    agreement = ok(capsys, db, "agreements", "add", "ana@example.com", "--start", "2026-01-01", "--renews", "2027-01-01",
                   "--fee", "30", "--period", "yearly", "--review-months", "6", "--service", "Boiler service", "--json")
    assert agreement == {"id": 1, "contact": 1, "starts_on": "2026-01-01", "ends_on": None, "renews_on": "2027-01-01",
                         "fee": "30.00", "billing_period": "yearly", "review_every_months": 6,
                         "services": ["Boiler service"], "notes": ""}
    purchase = ok(capsys, db, "purchases", "add", "Ben Jones", "--amount", "1234.5", "--on", "2026-02-03",
                  "--description", "Install", "--json")
    assert purchase == {"id": 1, "contact": 2, "on": "2026-02-03", "amount": "1234.50", "service": None,
                        "description": "Install"}
    code, _, err = run(capsys, "--db", db, "purchases", "add", "Ben Jones", "--amount", "5", "--on", "03/02/2026")
    assert code == 1 and "--on" in err
    code, _, err = run(capsys, "--db", db, "purchases", "add", "Ben Jones", "--amount", "0", "--on", "2026-02-03")
    assert code == 1 and "amount" in err


def test_an_import_prints_each_rejected_row_and_a_summary(capsys, db, tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text("date,contact,amount,description\n2026-01-05,ana@example.com,10,A\n"
                    "2026-01-06,Zed,10,B\n2026-01-07,Ben Jones,x,C\n2026-01-08,Ben Jones,20,D\n", encoding="utf-8")
    code, out, err = run(capsys, "--db", db, "purchases", "import", str(path), "--dry-run", "--json")
    assert code == 0
    summary = json.loads(out)
    assert set(summary) == {"imported", "rejected", "rejects", "dry_run"}
    assert (summary["imported"], summary["rejected"], summary["dry_run"]) == (2, 2, True)
    assert [reject["line"] for reject in summary["rejects"]] == [3, 4]
    assert err.splitlines()[0].startswith(f"{path}:3: rejected: ") and f"{path}:4: rejected: " in err
    assert ok(capsys, db, "metrics", "--as-of", "2026-06-30", "--json")["revenue_12m"] == "0.00"
    summary = ok(capsys, db, "purchases", "import", str(path), "--json")
    assert (summary["imported"], summary["dry_run"]) == (2, False)
    assert ok(capsys, db, "metrics", "--as-of", "2026-06-30", "--json")["revenue_12m"] == "30.00"


def test_metrics_have_exactly_the_documented_shape(capsys, db):
    empty = ok(capsys, db, "metrics", "--as-of", "2026-06-30", "--json")
    assert empty == {"revenue_12m": "0.00", "top20_share": None,
                     "concentration": {"largest_share": None, "top3_share": None, "at_risk": False},
                     "stages": {"prospect": 0, "customer": 0, "client": 0, "lapsed": 0, "former": 0},
                     "retention_rate": None, "repeat_rate": None, "conversion_rate": None,
                     "ltv": {"median": None, "mean": None}}
    ok(capsys, db, "purchases", "add", "1", "--amount", "100", "--on", "2026-03-01", "--json")
    ok(capsys, db, "purchases", "add", "1", "--amount", "100", "--on", "2026-04-01", "--json")
    ok(capsys, db, "purchases", "add", "2", "--amount", "50.5", "--on", "2026-05-01", "--json")
    figures = ok(capsys, db, "metrics", "--as-of", "2026-06-30", "--json")
    assert figures["revenue_12m"] == "250.50"
    assert figures["top20_share"] == round(200 / 250.5, 4) == figures["concentration"]["largest_share"]
    assert figures["concentration"]["top3_share"] == 1.0 and figures["repeat_rate"] == 0.5
    assert figures["ltv"] == {"median": "125.25", "mean": "125.25"}
    # Both contacts were added today, after the day asked, but their purchases put them in a stage then.
    assert figures["stages"] == {"prospect": 0, "customer": 1, "client": 1, "lapsed": 0, "former": 0}
    assert figures["conversion_rate"] == 0.5 and figures["retention_rate"] is None
    code, out, _ = run(capsys, "--db", db, "metrics", "--as-of", "2026-06-30")
    assert code == 0 and "250.50" in out


def test_contacts_show_gains_the_stage_and_lifetime_value(capsys, db):
    before = ok(capsys, db, "contacts", "show", "1", "--json")
    assert before["stage"] == "prospect" and before["lifetime_value"] == "0.00"
    ok(capsys, db, "purchases", "add", "1", "--amount", "99.90", "--on", "2020-01-01", "--json")
    after = ok(capsys, db, "contacts", "show", "1", "--json")
    assert after["stage"] == "lapsed" and after["lifetime_value"] == "99.90"
    assert set(after) - {"stage", "lifetime_value"} == set(before) - {"stage", "lifetime_value"}
    assert {"id", "display_name", "emails", "created_at", "updated_at"} <= set(after)
