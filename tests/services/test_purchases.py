"""The purchase service: the catalogue, agreements, purchases and refunds, ending a relationship by hand,
and importing purchases from CSV with bad rows reported by line."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from clientdesk.domain.errors import InvalidInput, NotFound
from clientdesk.domain.lifecycle import Stage
from clientdesk.domain.services_catalogue import AgreementDraft, PurchaseDraft, ServiceDraft, parse_amount
from tests.helpers import person


@pytest.fixture
def ana(workspace) -> int:
    return workspace.contacts.create(person("Ana", "Silva", emails=(("work", "ana@example.com"),))).contact_id


def _purchases(workspace) -> list[tuple]:
    with workspace.database.reading() as uow:
        return uow.session.connection().exec_driver_sql(
            'SELECT contact_id, "on", amount_minor, description, service_id FROM purchase ORDER BY id').all()


def test_amounts_are_read_with_symbols_and_separators_and_no_more_than_two_decimals():
    assert parse_amount("£1,234.50") == Decimal("1234.50") and parse_amount(" -20 ") == Decimal("-20")
    for bad in ("twelve", "1.234", "", "NaN"):
        with pytest.raises(InvalidInput):
            parse_amount(bad)


def test_services_are_listed_by_name_and_a_second_with_the_same_name_is_refused(workspace):
    workspace.purchases.add_service(ServiceDraft("  Window   cleaning ", price=Decimal("25"), unit="visit"))
    workspace.purchases.add_service(ServiceDraft("Boiler service"))
    with pytest.raises(InvalidInput, match="already a service"):
        workspace.purchases.add_service(ServiceDraft("window cleaning"))
    with pytest.raises(InvalidInput):
        workspace.purchases.add_service(ServiceDraft("Gutters", price=Decimal("-1")))
    assert [s.name for s in workspace.purchases.services()] == ["Boiler service", "Window cleaning"]


def test_a_purchase_needs_an_amount_other_than_zero_and_a_refund_is_negative(workspace, ana):
    with pytest.raises(InvalidInput, match="refund"):
        workspace.purchases.add_purchase(PurchaseDraft(ana, date(2026, 1, 5), Decimal("0")))
    with pytest.raises(InvalidInput, match="no service"):
        workspace.purchases.add_purchase(PurchaseDraft(ana, date(2026, 1, 5), Decimal("10"), service_name="Nope"))
    with pytest.raises(NotFound):
        workspace.purchases.add_purchase(PurchaseDraft(999, date(2026, 1, 5), Decimal("10")))
    workspace.purchases.add_service(ServiceDraft("Repair"))
    workspace.purchases.add_purchase(PurchaseDraft(ana, date(2026, 1, 5), Decimal("99.99"), "Tap", "repair"))
    workspace.purchases.add_purchase(PurchaseDraft(ana, date(2026, 1, 9), Decimal("-10.00"), "Goodwill"))
    assert _purchases(workspace) == [(ana, "2026-01-05", 9999, "Tap", 1), (ana, "2026-01-09", -1000, "Goodwill", None)]


def test_an_agreement_naming_an_unknown_service_writes_nothing(workspace, ana):
    workspace.purchases.add_service(ServiceDraft("Boiler service"))
    with pytest.raises(InvalidInput, match="Gutters"):
        workspace.purchases.add_agreement(AgreementDraft(ana, date(2026, 1, 1), service_names=("Boiler service", "Gutters")))
    with pytest.raises(InvalidInput, match="ends before"):
        workspace.purchases.add_agreement(AgreementDraft(ana, date(2026, 1, 1), ends_on=date(2025, 1, 1)))
    assert workspace.purchases.agreements_for(ana) == []
    made = workspace.purchases.add_agreement(AgreementDraft(ana, date(2026, 1, 1), service_names=("boiler service",)))
    assert made.service_names == ("Boiler service",) and workspace.purchases.agreements_for(ana) == [made]


def test_ending_a_relationship_by_hand_makes_a_client_former_until_undone(workspace, ana):
    workspace.purchases.add_agreement(AgreementDraft(ana, date(2026, 1, 1)))
    assert workspace.metrics.stage_of(ana, date(2026, 6, 1)) is Stage.CLIENT
    workspace.purchases.end_relationship(ana, date(2026, 5, 1), "Moved away")
    assert workspace.purchases.ended(ana) == (date(2026, 5, 1), "Moved away")
    assert workspace.metrics.stage_of(ana, date(2026, 6, 1)) is Stage.FORMER
    assert workspace.metrics.stage_of(ana, date(2026, 4, 30)) is Stage.CLIENT
    assert workspace.purchases.undo_end(ana) is True and workspace.purchases.undo_end(ana) is False
    assert workspace.metrics.stage_of(ana, date(2026, 6, 1)) is Stage.CLIENT


# -- importing ------------------------------------------------------------------------------------------

CSV = """\ufeffdate,contact,amount,description,service
2026-01-05,ana@example.com,120.50,Boiler repair,Repair
2026-13-01,ana@example.com,10,Bad date
2026-01-06,nobody@example.com,10,Unknown
2026-01-07,Ben Jones,ten pounds,Bad amount
2026-01-08,Ben Jones,15
2026-01-09,Ben Jones,"1,200.00","Two
lines"

2026-01-10,ANA SILVA,-20,Refund,
2026-01-11,Chris Twin,5,Ambiguous
2026-01-12,Ben Jones,5,Unknown service,Roofing
2026-01-13,Ben Jones,0,Nothing
"""


@pytest.fixture
def csv_file(workspace, ana, tmp_path: Path) -> Path:
    workspace.contacts.create(person("Ben", "Jones"))
    workspace.contacts.create(person("Chris", "Twin"))
    workspace.contacts.create(person("Chris", "Twin"))
    workspace.purchases.add_service(ServiceDraft("Repair"))
    path = tmp_path / "purchases.csv"
    path.write_bytes(CSV.encode("utf-8"))
    return path


EXPECTED_REJECTS = [(3, "date"), (4, "nobody@example.com"), (5, "ten pounds"), (6, "columns"), (11, "fits 2"),
                    (12, "Roofing"), (13, "refund")]


def test_an_import_keeps_the_good_rows_and_reports_each_bad_one_with_its_line(workspace, ana, csv_file):
    result = workspace.purchases.import_csv(csv_file)
    assert result.imported == 3 and not result.dry_run
    assert [reject.line for reject in result.rejects] == [line for line, _ in EXPECTED_REJECTS]
    for reject, (_, words) in zip(result.rejects, EXPECTED_REJECTS):
        assert words in reject.reason, reject
    assert _purchases(workspace) == [(ana, "2026-01-05", 12050, "Boiler repair", 1),
                                     (2, "2026-01-09", 120000, "Two\nlines", None),
                                     (ana, "2026-01-10", -2000, "Refund", None)]


def test_a_dry_run_reports_the_same_and_writes_nothing(workspace, csv_file):
    result = workspace.purchases.import_csv(csv_file, dry_run=True)
    assert result.dry_run and result.imported == 3
    assert [reject.line for reject in result.rejects] == [line for line, _ in EXPECTED_REJECTS]
    assert _purchases(workspace) == []


def test_a_file_that_cannot_be_read_is_a_clear_error(workspace, tmp_path):
    from clientdesk.domain.errors import ClientDeskError

    with pytest.raises(ClientDeskError, match="Cannot read"):
        workspace.purchases.import_csv(tmp_path / "missing.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("2026-01-01,Zoë,5,x\n".encode("latin-1"))
    with pytest.raises(ClientDeskError, match="UTF-8"):
        workspace.purchases.import_csv(latin)


def test_a_contacts_overview_lists_agreements_in_force_and_everything_newest_first(workspace, ana):
    from datetime import UTC, datetime

    from clientdesk.domain.services_catalogue import Decision, OutOfScopeDraft

    for name in ("Boiler service", "Annual check"):
        workspace.purchases.add_service(ServiceDraft(name))
    workspace.purchases.add_agreement(AgreementDraft(ana, date(2025, 1, 1), ends_on=date(2025, 12, 31),
                                                     service_names=("Annual check",)))
    workspace.purchases.add_agreement(AgreementDraft(ana, date(2026, 1, 1), service_names=("Boiler service",
                                                                                           "Annual check")))
    workspace.purchases.add_purchase(PurchaseDraft(ana, date(2026, 1, 5), Decimal("100"), "Tap", "Boiler service"))
    workspace.purchases.add_purchase(PurchaseDraft(ana, date(2026, 2, 5), Decimal("-20"), "Goodwill"))
    workspace.purchases.record_out_of_scope(OutOfScopeDraft(ana, datetime(2026, 3, 1, 9, tzinfo=UTC), "A tap",
                                                            Decision.QUOTED, Decimal("85")))
    workspace.purchases.record_out_of_scope(OutOfScopeDraft(ana, datetime(2026, 3, 2, 9, tzinfo=UTC), "A shed",
                                                            Decision.DECLINED))

    overview = workspace.purchases.contact_overview(ana, date(2026, 6, 1))
    assert [a.starts_on for a in overview.agreements] == [date(2026, 1, 1)]  # the 2025 one has ended
    assert overview.in_scope == ("Annual check", "Boiler service")
    assert [(p.on, p.amount, p.service_name) for p in overview.purchases] == [
        (date(2026, 2, 5), Decimal("-20.00"), None), (date(2026, 1, 5), Decimal("100.00"), "Boiler service")]
    assert [(r.asked, r.decision, r.extra_charge) for r in overview.out_of_scope] == [
        ("A shed", Decision.DECLINED, None), ("A tap", Decision.QUOTED, Decimal("85.00"))]
    assert workspace.purchases.in_scope(ana, date(2026, 6, 1)) == ("Annual check", "Boiler service")
    assert workspace.purchases.in_scope(ana, date(2025, 6, 1)) == ("Annual check",)
    assert workspace.purchases.in_scope(ana, date(2024, 6, 1)) == ()
    with pytest.raises(NotFound):
        workspace.purchases.contact_overview(999, date(2026, 6, 1))


def test_the_out_of_scope_reply_names_the_charge_in_the_business_currency_or_offers_a_quote():
    from clientdesk.domain.services_catalogue import out_of_scope_reply

    assert out_of_scope_reply(" a new  kitchen tap. ", Decimal("1250"), "GBP") == (
        "Thank you for asking about a new kitchen tap. It is outside our agreement with you; "
        "we can do it as extra work for GBP 1,250.00.")
    for charge in (None, Decimal("0")):
        assert out_of_scope_reply("a shed", charge, "EUR") == (
            "Thank you for asking about a shed. It is outside our agreement with you; we would be glad to quote for it.")


def test_the_business_words_the_out_of_scope_reply_itself_and_unknown_braces_stay_as_typed(workspace):
    from clientdesk.domain.reply import ReplyPolicy

    profile = workspace.business.profile()
    wording = "Hello {client}, {request} is not in your plan ({offer}). {business} {unknown}"
    workspace.business.save(replace(profile, name="Tap & Co", currency="EUR",
                                    reply=replace(profile.reply, out_of_scope=wording)))
    assert isinstance(workspace.business.profile().reply, ReplyPolicy)
    assert workspace.business.out_of_scope_reply("a shed", Decimal("40"), "Ana Silva") == (
        "Hello Ana Silva, a shed is not in your plan (we can do it as extra work for EUR 40.00). Tap & Co {unknown}")
    assert workspace.business.out_of_scope_reply("a shed", None) == (
        "Hello there, a shed is not in your plan (we would be glad to quote for it). Tap & Co {unknown}")


def test_a_request_beyond_the_agreement_is_logged_with_its_call_in_one_transaction(workspace):
    from datetime import UTC, datetime

    from clientdesk.domain.boundaries import Channel
    from clientdesk.domain.interactions import Direction, InteractionDraft
    from clientdesk.domain.services_catalogue import Decision, OutOfScopeDraft

    ana = workspace.contacts.create(person("Ana", "Silva")).contact_id
    at = datetime.now(UTC)
    call = InteractionDraft(contact_id=ana, channel=Channel.PHONE, direction=Direction.IN, at=at,
                            summary="Asked for a new tap")
    unfinished = OutOfScopeDraft(ana, at, "   ", Decision.QUOTED, None)
    with pytest.raises(InvalidInput):
        workspace.interactions.log(call, "key-1", out_of_scope=unfinished)
    assert workspace.timeline.count(ana) == 0 and workspace.purchases.out_of_scope_for(ana) == []

    request = OutOfScopeDraft(ana, at, "a new tap", Decision.ACCEPTED, Decimal("85"))
    logged = workspace.interactions.log(call, "key-2", out_of_scope=request)
    assert logged.changes.purchases and ana in logged.changes.contact_ids
    again = workspace.interactions.log(call, "key-2", out_of_scope=request)  # Save pressed twice
    assert again.repeated
    assert [(asked, decision, charge) for _id, _at, asked, decision, charge in workspace.purchases.out_of_scope_for(ana)] \
        == [("a new tap", "accepted", Decimal("85"))]


def test_a_purchase_line_names_the_service_and_its_description_once():
    from clientdesk.services.purchases import PurchaseLine

    def what(description: str, service: str | None) -> str:
        return PurchaseLine(1, date(2026, 3, 1), Decimal("80"), description, service).what

    assert what("annual visit", "Boiler service") == "Boiler service — annual visit"
    assert what("Boiler service", "Boiler service") == "Boiler service"
    assert what("boiler SERVICE", "Boiler service") == "Boiler service"
    assert what("Spare parts", None) == "Spare parts"
    assert what("", None) == "—"
