"""The catalogue of services, clients' agreements, purchases (and refunds), out-of-scope requests, ending
a relationship by hand, and importing purchases from a CSV file. Each public method is one transaction."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from clientdesk.domain.errors import ClientDeskError, FieldProblem, InvalidInput, NotFound
from clientdesk.domain.services_catalogue import (
    Agreement,
    AgreementDraft,
    Decision,
    OutOfScopeDraft,
    PurchaseDraft,
    PurchaseImport,
    PurchaseRecord,
    RejectedPurchase,
    Service,
    ServiceDraft,
    parse_amount,
    validate_agreement,
    validate_out_of_scope,
    validate_purchase,
    validate_service,
)
from clientdesk.storage import Database

CSV_COLUMNS = ("date", "contact", "amount", "description", "service")


@dataclass(frozen=True, slots=True)
class PurchaseLine:
    id: int
    on: date
    amount: Decimal  # negative for a refund
    description: str
    service_name: str | None

    @property
    def what(self) -> str:
        """ "Boiler service — annual visit": the service and the description, the description left out when it
        only repeats the service's name; "—" when there is neither."""
        parts = [self.service_name] if self.service_name else []
        if self.description and self.description.casefold() != (self.service_name or "").casefold():
            parts.append(self.description)
        return " — ".join(parts) or "—"


@dataclass(frozen=True, slots=True)
class OutOfScopeLine:
    id: int
    at: datetime
    asked: str
    decision: Decision
    extra_charge: Decimal | None


@dataclass(frozen=True, slots=True)
class ContactPurchases:
    """What one contact has agreed and bought, as the contact form shows it."""

    agreements: tuple[Agreement, ...]  # in force on the day asked about, earliest start first
    purchases: tuple[PurchaseLine, ...]  # newest first
    out_of_scope: tuple[OutOfScopeLine, ...]  # newest first
    client_name: str = ""  # for the {client} of the business's out-of-scope reply

    @property
    def in_scope(self) -> tuple[str, ...]:
        """The services of every agreement in force, each once, in the agreements' order."""
        return tuple(dict.fromkeys(name for agreement in self.agreements for name in agreement.service_names))


@dataclass(frozen=True, slots=True)
class CatalogueLine:
    service: Service
    agreements: int  # how many agreements cover it


def _counted(count: int, noun: str) -> str:
    return "" if not count else f"{count:,} {noun}{'' if count == 1 else 's'}"


class PurchaseService:
    def __init__(self, database: Database, clock: Callable[[], datetime]):
        self._db = database
        self._clock = clock

    # -- the catalogue ------------------------------------------------------------------------------------

    def add_service(self, draft: ServiceDraft) -> Service:
        draft = validate_service(draft)
        with self._db.writing() as uow:
            if uow.purchases.service_named(draft.name) is not None:
                raise InvalidInput([FieldProblem("name", f"There is already a service called “{draft.name}”.")])
            return uow.purchases.add_service(draft, self._clock())

    def services(self) -> list[Service]:
        """By name."""
        with self._db.reading() as uow:
            return uow.purchases.services()

    def catalogue(self) -> list[CatalogueLine]:
        """Every service by name, with how many agreements cover it: what the catalogue window lists."""
        with self._db.reading() as uow:
            covered = uow.purchases.agreements_per_service()
            return [CatalogueLine(service, covered.get(service.id, 0)) for service in uow.purchases.services()]

    def update_service(self, service_id: int, draft: ServiceDraft) -> Service:
        """A new name, description, price or unit. Agreements and purchases keep pointing at the service, so
        a renamed service is renamed everywhere; a new price applies to what is sold from now on."""
        draft = validate_service(draft)
        with self._db.writing() as uow:
            same_name = uow.purchases.service_named(draft.name)
            if same_name is not None and same_name.id != service_id:
                raise InvalidInput([FieldProblem("name", f"There is already a service called “{draft.name}”.")])
            service = uow.purchases.update_service(service_id, draft)
            if service is None:
                raise NotFound(f"Service {service_id} is no longer in the catalogue.")
            return service

    def remove_service(self, service_id: int) -> None:
        """Only a service nothing refers to leaves the catalogue: an agreement's scope or a purchase's record
        would otherwise change behind the owner's back."""
        with self._db.writing() as uow:
            name = next((s.name for s in uow.purchases.services() if s.id == service_id), None)
            if name is None:
                raise NotFound(f"Service {service_id} is no longer in the catalogue.")
            agreements, purchases = uow.purchases.service_use(service_id)
            if agreements or purchases:
                uses = " and ".join(part for part in (_counted(agreements, "agreement"), _counted(purchases, "purchase"))
                                    if part)
                verb = "names" if agreements + purchases == 1 else "name"
                raise InvalidInput([FieldProblem("service", f"“{name}” stays in the catalogue: {uses} {verb} it. "
                                                            f"Rename it or change its price instead.")])
            uow.purchases.remove_service(service_id)

    # -- agreements ---------------------------------------------------------------------------------------

    def add_agreement(self, draft: AgreementDraft, add_missing_services: bool = False) -> Agreement:
        """The services are named; every name must be in the catalogue, unless `add_missing_services`
        adds the new ones to it (without a price) in the same transaction."""
        draft = validate_agreement(draft)
        with self._db.writing() as uow:
            uow.contacts.require(draft.contact_id)
            service_ids = []
            for name in draft.service_names:
                service = uow.purchases.service_named(name)
                if service is None and add_missing_services:
                    service = uow.purchases.add_service(validate_service(ServiceDraft(name)), self._clock())
                if service is None:
                    raise InvalidInput([FieldProblem("service", f"There is no service called “{name}”.")])
                service_ids.append(service.id)
            agreement_id = uow.purchases.add_agreement(draft, service_ids, self._clock())
            return next(agreement for agreement in uow.purchases.agreements_for(draft.contact_id)
                        if agreement.id == agreement_id)

    def agreements_for(self, contact_id: int) -> list[Agreement]:
        with self._db.reading() as uow:
            return uow.purchases.agreements_for(contact_id)

    # -- purchases ----------------------------------------------------------------------------------------

    def add_purchase(self, draft: PurchaseDraft) -> int:
        """A sale, or a refund with a negative amount; never zero."""
        draft = validate_purchase(draft)
        with self._db.writing() as uow:
            uow.contacts.require(draft.contact_id)
            service_id = None
            if draft.service_name is not None:
                service = uow.purchases.service_named(draft.service_name)
                if service is None:
                    raise InvalidInput([FieldProblem("service", f"There is no service called “{draft.service_name}”.")])
                service_id = service.id
            return uow.purchases.add_purchase(draft, service_id, self._clock())

    def purchases_for(self, contact_id: int) -> list[PurchaseRecord]:
        """Oldest first."""
        with self._db.reading() as uow:
            return uow.purchases.purchases_for(contact_id)

    # -- out-of-scope requests ----------------------------------------------------------------------------

    def record_out_of_scope(self, draft: OutOfScopeDraft) -> int:
        draft = validate_out_of_scope(draft)
        with self._db.writing() as uow:
            uow.contacts.require(draft.contact_id)
            return uow.purchases.add_out_of_scope(draft, self._clock())

    def out_of_scope_for(self, contact_id: int) -> list:
        """(id, at, asked, decision, extra charge), oldest first."""
        with self._db.reading() as uow:
            return uow.purchases.out_of_scope_for(contact_id)

    # -- one contact at a glance --------------------------------------------------------------------------

    def contact_overview(self, contact_id: int, day: date) -> ContactPurchases:
        """The agreements in force on `day`, every purchase and every out-of-scope request, newest first,
        in one read."""
        with self._db.reading() as uow:
            client_name = uow.contacts.get(contact_id).display_name
            agreements = [a for a in uow.purchases.agreements_for(contact_id) if a.active_on(day)]
            names = {service.id: service.name for service in uow.purchases.services()}
            bought = uow.purchases.purchases_for(contact_id)
            asked = uow.purchases.out_of_scope_for(contact_id)
        agreements.sort(key=lambda a: (a.starts_on, a.id))
        purchases = sorted((PurchaseLine(p.id, p.on, p.amount, p.description, names.get(p.service_id))
                            for p in bought), key=lambda line: (line.on, line.id), reverse=True)
        requests = sorted((OutOfScopeLine(row_id, at, text, Decision(decision), charge)
                           for row_id, at, text, decision, charge in asked),
                          key=lambda line: (line.at, line.id), reverse=True)
        return ContactPurchases(tuple(agreements), tuple(purchases), tuple(requests), client_name)

    def in_scope(self, contact_id: int, day: date) -> tuple[str, ...]:
        """The services the contact's agreements in force on `day` cover; empty without one."""
        with self._db.reading() as uow:
            agreements = [a for a in uow.purchases.agreements_for(contact_id) if a.active_on(day)]
        agreements.sort(key=lambda a: (a.starts_on, a.id))
        return ContactPurchases(tuple(agreements), (), ()).in_scope

    # -- ending a relationship by hand --------------------------------------------------------------------

    def end_relationship(self, contact_id: int, on: date, reason: str = "") -> None:
        """The contact is "former" from `on`, whatever else happens; ending again moves the day."""
        with self._db.writing() as uow:
            uow.contacts.require(contact_id)
            uow.purchases.set_ended(contact_id, on, reason.strip())

    def undo_end(self, contact_id: int) -> bool:
        """False when the relationship had not been ended by hand."""
        with self._db.writing() as uow:
            return uow.purchases.clear_ended(contact_id)

    def ended(self, contact_id: int) -> tuple[date, str] | None:
        with self._db.reading() as uow:
            return uow.purchases.ended(contact_id)

    # -- importing ----------------------------------------------------------------------------------------

    def import_csv(self, path: Path, dry_run: bool = False) -> PurchaseImport:
        """Rows of `date,contact,amount,description[,service]` (a first row starting with "date" is taken as
        the header). CONTACT is an email address or a contact's exact name. Every good row is kept and every
        bad one reported with its line; all of it in one transaction, and nothing written in a dry run."""
        try:
            handle = path.open(encoding="utf-8-sig", newline="")
        except OSError as error:
            raise ClientDeskError(f"Cannot read {path}: {error.strerror or error}.") from None
        with handle:
            try:
                return self._import(csv.reader(handle), dry_run)
            except UnicodeDecodeError:
                raise ClientDeskError(f"{path} is not UTF-8 text; save it as UTF-8 CSV and try again.") from None
            except csv.Error as error:
                raise ClientDeskError(f"{path} is not a readable CSV file: {error}.") from None

    def _import(self, reader, dry_run: bool) -> PurchaseImport:
        rejects: list[RejectedPurchase] = []
        imported = 0
        with (self._db.reading() if dry_run else self._db.writing()) as uow:
            contacts: dict[str, int | str] = {}  # the text → an id, or why it fits none
            services: dict[str, int | None] = {}
            now = self._clock()
            line = 1
            for record in reader:
                first_line, line = line, reader.line_num + 1
                if not any(cell.strip() for cell in record):
                    continue
                if first_line == 1 and record[0].strip().lower() == "date":
                    continue
                try:
                    draft, service_id = self._row(uow, record, contacts, services)
                except InvalidInput as error:
                    rejects.append(RejectedPurchase(first_line, "; ".join(p.message for p in error.problems)))
                    continue
                if not dry_run:
                    uow.purchases.add_purchase(draft, service_id, now)
                imported += 1
        return PurchaseImport(imported, tuple(rejects), dry_run)

    def _row(self, uow, record: list[str], contacts: dict, services: dict) -> tuple[PurchaseDraft, int | None]:
        if not 4 <= len(record) <= 5:
            raise InvalidInput([FieldProblem("row", f"expected 4 or 5 columns ({','.join(CSV_COLUMNS)}), "
                                                    f"found {len(record)}")])
        day_text, contact_text, amount_text, description = (cell.strip() for cell in record[:4])
        service_text = record[4].strip() if len(record) == 5 else ""
        problems = []
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            problems.append(FieldProblem("date", f"“{day_text}” is not a date such as 2026-11-23"))
            day = None
        key = contact_text.lower()
        if key not in contacts:
            contacts[key] = _contact_for(uow, contact_text)
        contact = contacts[key]
        if isinstance(contact, str):
            problems.append(FieldProblem("contact", contact))
        amount = None
        try:
            amount = parse_amount(amount_text)
        except InvalidInput as error:
            problems += error.problems
        service_id = None
        if service_text:
            if service_text.lower() not in services:
                found = uow.purchases.service_named(service_text)
                services[service_text.lower()] = None if found is None else found.id
            service_id = services[service_text.lower()]
            if service_id is None:
                problems.append(FieldProblem("service", f"there is no service called “{service_text}”"))
        if problems:
            raise InvalidInput(problems)
        draft = validate_purchase(PurchaseDraft(contact, day, amount, description))
        return draft, service_id


def _contact_for(uow, text: str) -> int | str:
    """The one contact with this email address, else with exactly this name; otherwise why not."""
    if not text:
        return "no contact given"
    ids = uow.contacts.ids_with_email(text) if "@" in text else []
    if not ids:
        ids = uow.contacts.ids_named(text)
    if len(ids) == 1:
        return ids[0]
    if ids:
        return f"“{text}” fits {len(ids)} contacts"
    return f"no contact has the email address or name “{text}”"
