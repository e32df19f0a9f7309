"""Review data for the report tests: a full year of a busy client, and a client with no history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.interactions import Direction, Responsiveness
from clientdesk.domain.lifecycle import Stage
from clientdesk.domain.metrics import LifetimeValue
from clientdesk.domain.review import (
    FollowUp,
    OutOfScopeItem,
    ReviewData,
    ReviewPeriod,
    agreement_dates,
    channel_counts,
    next_plan_review,
    revenue_buckets,
    service_usage,
)
from clientdesk.domain.services_catalogue import Agreement, BillingPeriod, Decision

D = Decimal
PRODUCED = date(2026, 6, 20)
PERIOD = ReviewPeriod.ending(PRODUCED)

AGREEMENT = Agreement(id=1, contact_id=7, starts_on=date(2024, 3, 1), ends_on=None, renews_on=date(2027, 3, 1),
                      fee=D("450.00"), billing_period=BillingPeriod.MONTHLY, review_every_months=6, notes="",
                      service_names=("Bookkeeping", "Payroll", "VAT returns"))

PURCHASES = [  # (date, service, amount)
    (date(2025, 7, 3), "Bookkeeping", D("450.00")), (date(2025, 8, 4), "Bookkeeping", D("450.00")),
    (date(2025, 9, 2), "Bookkeeping", D("450.00")), (date(2025, 9, 30), "Year-end accounts", D("1200.00")),
    (date(2025, 10, 1), "Bookkeeping", D("450.00")), (date(2025, 11, 3), "Bookkeeping", D("450.00")),
    (date(2025, 11, 20), "Payroll", D("180.00")), (date(2025, 12, 1), "Bookkeeping", D("450.00")),
    (date(2026, 1, 5), "Bookkeeping", D("450.00")), (date(2026, 1, 28), "Self-assessment return", D("320.00")),
    (date(2026, 2, 2), "Bookkeeping", D("450.00")), (date(2026, 3, 2), "Bookkeeping", D("450.00")),
    (date(2026, 3, 15), "Payroll", D("180.00")), (date(2026, 3, 16), "Payroll", D("-180.00")),
    (date(2026, 4, 1), "Bookkeeping", D("450.00")), (date(2026, 5, 1), "Bookkeeping", D("450.00")),
    (date(2026, 5, 19), None, D("75.50")), (date(2026, 6, 1), "Bookkeeping", D("450.00")),
    (date(2025, 5, 1), "Bookkeeping", D("450.00")),  # before the period: not in any bucket
]

NOTE = ("Thank you for a good year, Zoë. The move to monthly bookkeeping has made VAT quarters much calmer.\n"
        "For next year I suggest we look at payroll for your two new starters & the pension auto-enrolment "
        "deadline.\n\nWe will also move the review meetings to the first Tuesday of the month.")


def full_review(**changes) -> ReviewData:
    fields = dict(
        business_name="Harbour & Pine Bookkeeping",
        client_name="Zoë Łukasz-Papadopoulou",
        period=PERIOD,
        produced_on=PRODUCED,
        currency="GBP",
        prepared_by="Ελένη Дмитриева",
        stage=Stage.CLIENT,
        client_since=date(2019, 3, 4),
        lifetime_value=LifetimeValue(D("38450.00"), D("5300.69")),
        revenue=revenue_buckets([(on, amount) for on, _, amount in PURCHASES], PERIOD),
        agreements=(AGREEMENT,),
        services_used=service_usage([(service, amount) for on, service, amount in PURCHASES if on in PERIOD]),
        out_of_scope=(
            OutOfScopeItem(date(2025, 9, 12), "Prepare a cash-flow forecast for the bank", Decision.ACCEPTED,
                           D("350.00")),
            OutOfScopeItem(date(2026, 2, 3), "Chase two late-paying customers by phone", Decision.DECLINED),
            OutOfScopeItem(date(2026, 4, 22), "Set up a new online shop's payment reports", Decision.QUOTED,
                           D("600.00")),
        ),
        interactions=channel_counts([
            (Channel.EMAIL, Direction.IN, 31), (Channel.EMAIL, Direction.OUT, 27),
            (Channel.PHONE, Direction.IN, 9), (Channel.PHONE, Direction.OUT, 4),
            (Channel.VIDEO, Direction.OUT, 6), (Channel.IN_PERSON, Direction.IN, 2),
            (Channel.SMS, Direction.IN, 3),
        ]),
        responsiveness=Responsiveness(inquiries=14, within_target=13 / 14, within_limit=1.0, median_hours=3.5),
        boundary_lines=(
            "Phone calls are welcome Monday to Friday, 09:00–17:00.",
            "Emails are answered within one working day; we do not read email at weekends.",
            "Text messages are kept for appointment reminders.",
            "For urgent payroll problems you may call 07700 900123 at any time.",
        ),
        next_plan_review=next_plan_review([AGREEMENT], PRODUCED),
        renewals=agreement_dates([AGREEMENT], PRODUCED),
        follow_ups=(FollowUp("Send the pension auto-enrolment checklist", date(2026, 7, 1)),
                    FollowUp("Introduce the payroll software trial")),
        owner_notes=NOTE,
    )
    fields.update(changes)
    return ReviewData(**fields)


def empty_review(**changes) -> ReviewData:
    fields = dict(business_name="Harbour & Pine Bookkeeping", client_name="Дмитрий Новиков", period=PERIOD,
                  produced_on=PRODUCED)
    fields.update(changes)
    return ReviewData(**fields)


# The figures a reader should find printed, worked out by hand from the data above.
EXPECTED_REVENUE = "GBP 7,175.50"  # 12 × 450 + 1,200 + 180 + 320 + 180 − 180 (a refund) + 75.50
