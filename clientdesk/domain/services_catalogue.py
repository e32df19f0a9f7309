"""What the business sells and what it has agreed with its clients: services in the catalogue, agreements
(retainers, maintenance contracts), purchases (with refunds as negative amounts) and the requests a client
made beyond what was agreed. Pure value types and their validation.

Money is Decimal in the business's currency, with at most two decimal places; storage keeps it as whole
minor units (pence, cents) — `to_minor` and `from_minor` convert."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from clientdesk.domain.errors import FieldProblem, InvalidInput
from clientdesk.domain.reply import DEFAULT_OUT_OF_SCOPE_REPLY

MINOR_PER_UNIT = 100
CENT = Decimal("0.01")


class BillingPeriod(StrEnum):
    ONE_OFF = "one_off"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


class Decision(StrEnum):
    DECLINED = "declined"
    QUOTED = "quoted"
    ACCEPTED = "accepted"


def parse_amount(text: str, field_name: str = "amount") -> Decimal:
    """'1,234.50', '£12', '-20' → Decimal; a problem for anything else or more than two decimal places."""
    cleaned = text.strip().replace(",", "")
    for symbol in "£$€":
        cleaned = cleaned.replace(symbol, "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput([FieldProblem(field_name, f"“{text}” is not an amount such as 120.50.")]) from None
    _check_money(amount, field_name)
    return amount


def _check_money(amount: Decimal, field_name: str) -> None:
    if not amount.is_finite():
        raise InvalidInput([FieldProblem(field_name, f"“{amount}” is not an amount such as 120.50.")])
    if amount != amount.quantize(CENT):
        raise InvalidInput([FieldProblem(field_name, f"{amount} has more than two decimal places.")])


def _price_problems(amount: Decimal | None, field_name: str, noun: str) -> list[FieldProblem]:
    """An optional price, fee or charge: two decimals at most, and never below zero."""
    if amount is None:
        return []
    try:
        _check_money(amount, field_name)
    except InvalidInput as error:
        return list(error.problems)
    return [FieldProblem(field_name, f"{noun} cannot be negative.")] if amount < 0 else []


def to_minor(amount: Decimal) -> int:
    return int((amount * MINOR_PER_UNIT).to_integral_value())


def from_minor(minor: int | None) -> Decimal | None:
    # scaleb moves the decimal point exactly, giving two places as quantize(CENT) would, at a third of its cost.
    return None if minor is None else Decimal(minor).scaleb(-2)


def money_text(amount: Decimal) -> str:
    """Two decimal places, no grouping: '1234.50'."""
    return f"{amount.quantize(CENT):f}"


@dataclass(frozen=True, slots=True)
class ServiceDraft:
    name: str
    description: str = ""
    price: Decimal | None = None
    unit: str = ""


@dataclass(frozen=True, slots=True)
class Service:
    id: int
    name: str
    description: str
    price: Decimal | None
    unit: str


def validate_service(draft: ServiceDraft) -> ServiceDraft:
    problems = []
    name = " ".join(draft.name.split())
    if not name:
        problems.append(FieldProblem("name", "A service needs a name."))
    elif len(name) > 200:
        problems.append(FieldProblem("name", "A service name has at most 200 characters."))
    problems += _price_problems(draft.price, "price", "A price")
    if len(draft.unit.strip()) > 40:
        problems.append(FieldProblem("unit", "A unit has at most 40 characters (e.g. hour, visit, month)."))
    if problems:
        raise InvalidInput(problems)
    return ServiceDraft(name, draft.description.strip(), draft.price, draft.unit.strip())


@dataclass(frozen=True, slots=True)
class AgreementDraft:
    contact_id: int
    starts_on: date
    ends_on: date | None = None
    renews_on: date | None = None
    fee: Decimal | None = None
    billing_period: BillingPeriod = BillingPeriod.MONTHLY
    review_every_months: int | None = None
    notes: str = ""
    service_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Agreement:
    id: int
    contact_id: int
    starts_on: date
    ends_on: date | None
    renews_on: date | None
    fee: Decimal | None
    billing_period: BillingPeriod
    review_every_months: int | None
    notes: str
    service_names: tuple[str, ...] = ()

    def active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


def validate_agreement(draft: AgreementDraft) -> AgreementDraft:
    problems = []
    if draft.ends_on is not None and draft.ends_on < draft.starts_on:
        problems.append(FieldProblem("end", "The agreement ends before it starts."))
    if draft.renews_on is not None and draft.renews_on < draft.starts_on:
        problems.append(FieldProblem("renews", "The agreement renews before it starts."))
    problems += _price_problems(draft.fee, "fee", "A fee")
    if draft.review_every_months is not None and not 1 <= draft.review_every_months <= 120:
        problems.append(FieldProblem("review_months", "Review every 1 to 120 months."))
    if problems:
        raise InvalidInput(problems)
    names = tuple(dict.fromkeys(" ".join(name.split()) for name in draft.service_names if name.strip()))
    return AgreementDraft(draft.contact_id, draft.starts_on, draft.ends_on, draft.renews_on, draft.fee,
                          BillingPeriod(draft.billing_period), draft.review_every_months, draft.notes.strip(), names)


@dataclass(frozen=True, slots=True)
class PurchaseDraft:
    """A sale, or a refund when the amount is negative."""

    contact_id: int
    on: date
    amount: Decimal
    description: str = ""
    service_name: str | None = None


@dataclass(frozen=True, slots=True)
class PurchaseRecord:
    id: int
    contact_id: int
    on: date
    amount: Decimal
    description: str
    service_id: int | None


def validate_purchase(draft: PurchaseDraft) -> PurchaseDraft:
    if not isinstance(draft.on, date):
        raise InvalidInput([FieldProblem("on", "A purchase needs a date.")])
    _check_money(draft.amount, "amount")
    if draft.amount == 0:
        raise InvalidInput([FieldProblem("amount", "A purchase of nothing is not a purchase; give an amount "
                                                   "(negative for a refund).")])
    service = " ".join(draft.service_name.split()) if draft.service_name else None
    return PurchaseDraft(draft.contact_id, draft.on, draft.amount, draft.description.strip(), service or None)


@dataclass(frozen=True, slots=True)
class OutOfScopeDraft:
    """Something a client asked for beyond what was agreed, and what the business decided."""

    contact_id: int
    at: datetime
    asked: str
    decision: Decision
    extra_charge: Decimal | None = None


def validate_out_of_scope(draft: OutOfScopeDraft) -> OutOfScopeDraft:
    problems = []
    if draft.at.tzinfo is None:
        problems.append(FieldProblem("at", "The time needs a time zone."))
    if not draft.asked.strip():
        problems.append(FieldProblem("asked", "Say what was asked for."))
    try:
        decision = Decision(draft.decision)
    except ValueError:
        problems.append(FieldProblem("decision", "The decision is declined, quoted or accepted."))
        decision = Decision.DECLINED
    problems += _price_problems(draft.extra_charge, "extra_charge", "An extra charge")
    if problems:
        raise InvalidInput(problems)
    return OutOfScopeDraft(draft.contact_id, draft.at, draft.asked.strip(), decision, draft.extra_charge)


@dataclass(frozen=True, slots=True)
class RejectedPurchase:
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class PurchaseImport:
    imported: int
    rejects: tuple[RejectedPurchase, ...] = field(default=())
    dry_run: bool = False


__all__ = [
    "Agreement", "AgreementDraft", "BillingPeriod", "Decision", "OutOfScopeDraft", "PurchaseDraft", "PurchaseImport",
    "PurchaseRecord", "RejectedPurchase", "Service", "ServiceDraft", "from_minor", "money_text", "parse_amount",
    "to_minor", "validate_agreement", "validate_out_of_scope", "validate_purchase", "validate_service",
    "currency_text", "out_of_scope_reply",
]


def currency_text(amount: Decimal, currency: str) -> str:
    """'GBP 1,234.50': the amount with its ISO 4217 code, grouped, two decimal places."""
    return f"{currency} {amount.quantize(CENT):,.2f}"


OUT_OF_SCOPE_PLACEHOLDERS = ("request", "offer", "client", "business")
_OUT_OF_SCOPE_PLACEHOLDER = re.compile(r"\{(" + "|".join(OUT_OF_SCOPE_PLACEHOLDERS) + r")\}")
OFFER_WITH_CHARGE = "we can do it as extra work for {charge}"
OFFER_TO_QUOTE = "we would be glad to quote for it"


def out_of_scope_reply(request: str, charge: Decimal | None, currency: str,
                       template: str = DEFAULT_OUT_OF_SCOPE_REPLY, *, client: str = "", business: str = "") -> str:
    """The business's polite answer to a request beyond the agreement, in its own wording (Settings): without
    a charge (or a zero one) {offer} offers a quote instead of naming a price. Braces other than the
    placeholders are kept as typed, so a wording can never fail to fill in."""
    values = {
        "request": " ".join(request.split()).rstrip(".") or "this",
        "offer": OFFER_WITH_CHARGE.format(charge=currency_text(charge, currency)) if charge else OFFER_TO_QUOTE,
        "client": client.strip() or "there",
        "business": business.strip() or "us",
    }
    return _OUT_OF_SCOPE_PLACEHOLDER.sub(lambda match: values[match.group(1)], template)
