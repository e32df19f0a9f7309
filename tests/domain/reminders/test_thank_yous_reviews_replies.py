"""Thank-yous after purchases, plan reviews from agreements, and reply-by deadlines on the agenda."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.errors import InvalidInput
from clientdesk.domain.interactions import Inquiry, InquiryStatus
from clientdesk.domain.reminders.clock import agenda_end
from clientdesk.domain.reminders.plan_reviews import PlanReviewFacts, add_months, plan_review_due_on, plan_review_dues
from clientdesk.domain.reminders.reply_deadlines import InquiryFacts, reply_by_dues
from clientdesk.domain.reminders.thank_yous import PurchaseFacts, ThankYouRule, thank_you_dues, thank_you_purchases
from clientdesk.domain.services_catalogue import Agreement, BillingPeriod
from tests.domain.reminders.common import OFFICE, london

NOW = london(2026, 6, 3, 12)  # Wednesday
END = agenda_end(NOW, OFFICE)
RULE = ThankYouRule(date(2026, 1, 1), first_purchase=True, above=Decimal("500.00"))


def purchase(purchase_id: int, on: date, amount: str, first: bool = False, contact_id: int = 1) -> PurchaseFacts:
    return PurchaseFacts(purchase_id, contact_id, f"Client {contact_id}", on, Decimal(amount), first)


# --- thank-yous --------------------------------------------------------------------------------------------------

def test_a_first_purchase_is_thanked_the_next_morning():
    [item] = thank_you_dues([purchase(10, date(2026, 6, 1), "40.00", first=True)], RULE, OFFICE, END)
    assert (item.id, item.due, item.title, item.channel) == (
        "thank_you:10", london(2026, 6, 2, 9), "Thank Client 1 for their first purchase", Channel.EMAIL)


def test_a_purchase_above_the_amount_is_thanked_with_the_amount():
    items = thank_you_dues([purchase(11, date(2026, 6, 1), "500.01"), purchase(12, date(2026, 6, 1), "500.00")],
                           RULE, OFFICE, END, currency="GBP")
    assert [(item.id, item.title) for item in items] == [("thank_you:11", "Thank Client 1 for their purchase of "
                                                                          "GBP 500.01")]


def test_a_first_purchase_that_is_also_large_is_thanked_once_and_refunds_never():
    items = thank_you_dues([purchase(13, date(2026, 6, 1), "900.00", first=True),
                            purchase(14, date(2026, 6, 1), "-900.00", contact_id=2),
                            purchase(15, date(2026, 6, 1), "20.00", first=True)], RULE, OFFICE, END)
    assert [(item.id, item.title) for item in items] == [("thank_you:13", "Thank Client 1 for their first purchase")]


def test_only_purchases_since_the_rule_was_switched_on_and_due_before_the_end_are_thanked():
    items = thank_you_dues([purchase(16, date(2025, 12, 31), "40.00", first=True, contact_id=3),
                            purchase(17, date(2026, 6, 10), "40.00", first=True, contact_id=4),
                            purchase(18, date(2026, 6, 9), "40.00", first=True, contact_id=5)], RULE, OFFICE, END)
    assert [item.id for item in items] == ["thank_you:18"]
    assert thank_you_purchases(RULE, END, OFFICE) == (date(2026, 1, 1), date(2026, 6, 9))
    assert thank_you_purchases(ThankYouRule(date(2026, 7, 1)), END, OFFICE) is None


def test_a_thank_you_rule_needs_something_to_thank_for():
    with pytest.raises(InvalidInput, match="first purchases, for purchases above an amount, or both"):
        ThankYouRule(date(2026, 1, 1), first_purchase=False)
    with pytest.raises(InvalidInput, match="not an amount"):
        ThankYouRule(date(2026, 1, 1), above=Decimal("-1"))
    only_large = ThankYouRule(date(2026, 1, 1), first_purchase=False, above=Decimal("100"), days_after=0)
    [item] = thank_you_dues([purchase(19, date(2026, 6, 1), "150", first=True)], only_large, OFFICE, END)
    assert item.title == "Thank Client 1 for their purchase of 150.00" and item.due == london(2026, 6, 1, 9)


# --- plan reviews ------------------------------------------------------------------------------------------------

def agreement(starts_on: date, months: int | None, ends_on: date | None = None,
              services: tuple[str, ...] = ()) -> Agreement:
    return Agreement(7, 3, starts_on, ends_on, None, Decimal("100"), BillingPeriod.MONTHLY, months, "", services)


def test_a_review_falls_due_that_many_months_after_the_start():
    facts = PlanReviewFacts(agreement(date(2026, 3, 4), 3, services=("Bookkeeping", "Payroll")), "Ann")
    [item] = plan_review_dues([facts], OFFICE, END)
    assert (item.id, item.due, item.title, item.contact_id) == (
        "plan_review:7:2026-06-04", london(2026, 6, 4, 9), "Review the plan with Ann (Bookkeeping, Payroll)", 3)


def test_recording_a_review_is_what_moves_the_next_one_on():
    facts = PlanReviewFacts(agreement(date(2025, 1, 15), 6), "Ann", last_review_on=date(2026, 5, 20))
    assert plan_review_due_on(facts) == date(2026, 11, 20)
    stale = PlanReviewFacts(agreement(date(2025, 1, 15), 6), "Ann", last_review_on=date(2024, 12, 1))
    assert plan_review_due_on(stale) == date(2025, 7, 15)  # a review before the agreement does not count


def test_a_skipped_review_moves_the_next_one_on_by_the_frequency():
    facts = PlanReviewFacts(agreement(date(2025, 1, 15), 6), "Ann", skipped_through=date(2025, 7, 15))
    assert plan_review_due_on(facts) == date(2026, 1, 15)


def test_no_review_without_a_frequency_or_after_the_agreement_ends():
    assert plan_review_due_on(PlanReviewFacts(agreement(date(2026, 1, 1), None), "Ann")) is None
    assert plan_review_due_on(PlanReviewFacts(agreement(date(2026, 1, 1), 12, ends_on=date(2026, 12, 31)), "Ann")) \
        is None


def test_months_are_calendar_months_kept_within_the_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


# --- reply-by --------------------------------------------------------------------------------------------------

def inquiry(inquiry_id: int, target_days: float | None, limit_days: float | None,
            status: InquiryStatus = InquiryStatus.OPEN) -> Inquiry:
    received = london(2026, 6, 1, 10)
    return Inquiry(inquiry_id, 9, received,
                   None if target_days is None else received + timedelta(days=target_days),
                   None if limit_days is None else received + timedelta(days=limit_days), status,
                   answered_at=received + timedelta(hours=1) if status is InquiryStatus.ANSWERED else None)


def test_an_open_inquiry_is_due_at_its_target_or_else_its_limit():
    items = reply_by_dues([InquiryFacts(inquiry(1, 1, 2), "Bo", Channel.EMAIL),
                           InquiryFacts(inquiry(2, None, 3), "Cy"),
                           InquiryFacts(inquiry(3, None, None), "Di"),
                           InquiryFacts(inquiry(4, 1, 2, InquiryStatus.ANSWERED), "Ed"),
                           InquiryFacts(inquiry(5, 30, 40), "Fi")], END)
    assert [(item.id, item.due, item.title, item.channel) for item in items] == [
        ("reply_by:1", london(2026, 6, 2, 10), "Reply to Bo", Channel.EMAIL),
        ("reply_by:2", london(2026, 6, 4, 10), "Reply to Cy", None)]
