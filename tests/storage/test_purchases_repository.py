"""Services, agreements, purchases, out-of-scope requests and ended relationships: round trips through the
database, what cascades, and that a failed transaction leaves nothing behind."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from clientdesk.domain.services_catalogue import (
    AgreementDraft,
    BillingPeriod,
    Decision,
    OutOfScopeDraft,
    PurchaseDraft,
    ServiceDraft,
    from_minor,
    to_minor,
)
from tests.helpers import person

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def contact_id(workspace) -> int:
    return workspace.contacts.create(person("Ana", "Silva")).contact_id


def _count(workspace, table: str) -> int:
    with workspace.database.reading() as uow:
        return uow.session.connection().exec_driver_sql(f"SELECT COUNT(*) FROM {table}").scalar()


def test_money_goes_to_minor_units_and_back_exactly():
    assert to_minor(Decimal("1234.50")) == 123450 and to_minor(Decimal("-0.01")) == -1
    assert from_minor(123450) == Decimal("1234.50") and from_minor(None) is None


def test_a_service_an_agreement_and_purchases_come_back_as_saved(workspace, contact_id):
    with workspace.database.writing() as uow:
        boiler = uow.purchases.add_service(ServiceDraft("Boiler service", "Annual check", Decimal("80.00"), "visit"), NOW)
        gutter = uow.purchases.add_service(ServiceDraft("Gutters", price=None), NOW)
        agreement_id = uow.purchases.add_agreement(AgreementDraft(
            contact_id, date(2026, 1, 1), date(2026, 12, 31), date(2026, 12, 1), Decimal("30.00"),
            BillingPeriod.QUARTERLY, 6, "Keys with neighbour"), [boiler.id, gutter.id], NOW)
        uow.purchases.add_purchase(PurchaseDraft(contact_id, date(2026, 2, 3), Decimal("120.55"), "Repair"), boiler.id, NOW)
        uow.purchases.add_purchase(PurchaseDraft(contact_id, date(2026, 2, 1), Decimal("-20.00"), "Refund"), None, NOW)
        uow.purchases.add_out_of_scope(OutOfScopeDraft(contact_id, NOW, "Paint the fence", Decision.QUOTED,
                                                       Decimal("150")), NOW)
        uow.purchases.set_ended(contact_id, date(2026, 10, 1), "Moved away")
    with workspace.database.reading() as uow:
        assert [(s.name, s.price, s.unit) for s in uow.purchases.services()] == [
            ("Boiler service", Decimal("80.00"), "visit"), ("Gutters", None, "")]
        assert uow.purchases.service_named("BOILER SERVICE").id == boiler.id
        (agreement,) = uow.purchases.agreements_for(contact_id)
        assert agreement.id == agreement_id and agreement.fee == Decimal("30.00")
        assert (agreement.starts_on, agreement.ends_on, agreement.renews_on) == (
            date(2026, 1, 1), date(2026, 12, 31), date(2026, 12, 1))
        assert agreement.billing_period is BillingPeriod.QUARTERLY and agreement.review_every_months == 6
        assert agreement.service_names == ("Boiler service", "Gutters") and agreement.notes == "Keys with neighbour"
        purchases = uow.purchases.purchases_for(contact_id)
        assert [(p.on, p.amount, p.service_id) for p in purchases] == [
            (date(2026, 2, 1), Decimal("-20.00"), None), (date(2026, 2, 3), Decimal("120.55"), boiler.id)]
        assert uow.purchases.purchases_for(contact_id, until=date(2026, 2, 2))[0].amount == Decimal("-20.00")
        ((_, at, asked, decision, charge),) = uow.purchases.out_of_scope_for(contact_id)
        assert (at, asked, decision, charge) == (NOW, "Paint the fence", "quoted", Decimal("150.00"))
        assert uow.purchases.ended(contact_id) == (date(2026, 10, 1), "Moved away")
    with workspace.database.writing() as uow:
        assert uow.purchases.clear_ended(contact_id) is True
        assert uow.purchases.clear_ended(contact_id) is False


def test_service_names_are_unique_whatever_their_case_and_a_failed_save_leaves_nothing(workspace, contact_id):
    with workspace.database.writing() as uow:
        uow.purchases.add_service(ServiceDraft("Boiler service"), NOW)
    with pytest.raises(IntegrityError):
        with workspace.database.writing() as uow:
            uow.purchases.add_purchase(PurchaseDraft(contact_id, date(2026, 2, 3), Decimal("10")), None, NOW)
            uow.purchases.set_ended(contact_id, date(2026, 3, 1), "")
            uow.purchases.add_service(ServiceDraft("BOILER SERVICE"), NOW)
    assert _count(workspace, "service") == 1
    assert _count(workspace, "purchase") == 0 and _count(workspace, "contact_ended") == 0


def test_the_database_refuses_an_unknown_billing_period_and_decision(workspace, contact_id):
    with pytest.raises(IntegrityError):
        with workspace.database.writing() as uow:
            uow.session.connection().exec_driver_sql(
                "INSERT INTO agreement (contact_id, starts_on, billing_period, notes, created_at) "
                "VALUES (?, '2026-01-01', 'fortnightly', '', '2026-01-01 00:00:00.000000')", (contact_id,))
    with pytest.raises(IntegrityError):
        with workspace.database.writing() as uow:
            uow.session.connection().exec_driver_sql(
                "INSERT INTO out_of_scope_request (contact_id, at, asked, decision, created_at) "
                "VALUES (?, '2026-01-01 00:00:00.000000', 'x', 'maybe', '2026-01-01 00:00:00.000000')", (contact_id,))
    assert _count(workspace, "agreement") == 0 and _count(workspace, "out_of_scope_request") == 0


def test_deleting_a_contact_takes_its_records_and_deleting_a_service_keeps_the_purchases(workspace, contact_id):
    with workspace.database.writing() as uow:
        service = uow.purchases.add_service(ServiceDraft("Visit"), NOW)
        uow.purchases.add_agreement(AgreementDraft(contact_id, date(2026, 1, 1)), [service.id], NOW)
        uow.purchases.add_purchase(PurchaseDraft(contact_id, date(2026, 2, 3), Decimal("10")), service.id, NOW)
    keeper = workspace.contacts.create(person("Ben", "Jones")).contact_id
    with workspace.database.writing() as uow:
        uow.purchases.add_purchase(PurchaseDraft(keeper, date(2026, 2, 3), Decimal("5")), service.id, NOW)
        uow.session.connection().exec_driver_sql("DELETE FROM service")
    with workspace.database.reading() as uow:
        assert [p.service_id for p in uow.purchases.purchases_for(keeper)] == [None]
    assert _count(workspace, "agreement_service") == 0
    workspace.contacts.delete([contact_id])
    assert _count(workspace, "purchase") == 1 and _count(workspace, "agreement") == 0
