"""What every reader collects for one record, and the rules that turn it into an ImportedContact:
the kind, the display name, a birthday that cannot be read, and a record with no name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from clientdesk.domain.contacts import Address, ContactDraft, ContactKind, compose_display_name
from clientdesk.interchange.birthdays import parse_birthday
from clientdesk.interchange.records import ImportedContact, RejectedRecord

NO_NAME = "The record has no name."
TEXT_LIMIT = 200  # how much of a rejected record the rejects report shows


@dataclass(slots=True)
class Collected:
    given: str = ""
    family: str = ""
    display: str = ""
    organisation: str = ""
    is_organisation: bool = False  # said so by the file (vCard X-ABShowAs:COMPANY, KIND:org)
    phones: list[tuple[str, str]] = field(default_factory=list)
    emails: list[tuple[str, str]] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    birthday_text: str = ""  # as written; read here, so that every format treats a bad one alike
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def phone(self, label: str, text: str) -> None:
        text = text.strip()
        if text:
            self.phones.append((label, text))

    def email(self, label: str, text: str) -> None:
        text = text.strip()
        if text:
            self.emails.append((label, text))

    def address(self, address: Address) -> None:
        if not address.is_empty():
            self.addresses.append(address)

    def note(self, text: str) -> None:
        text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
        if text:
            self.notes.append(text)


def finish(c: Collected, line: int, text: Callable[[], str], day_first: bool) -> ImportedContact | RejectedRecord:
    """`text` gives the record as written, for the rejects report: built only for a rejected record."""
    given, family, display, organisation = c.given.strip(), c.family.strip(), c.display.strip(), c.organisation.strip()
    if not (given or family or display or organisation):
        return RejectedRecord(line, NO_NAME, text()[:TEXT_LIMIT])
    # A company as its own contact: said so, or a record whose only name is the organisation's.
    is_organisation = c.is_organisation or (not given and not family and bool(organisation)
                                            and display in ("", organisation))
    if is_organisation:
        kind = ContactKind.ORGANISATION
        display = display or organisation or compose_display_name(given, family)
        organisation = ""  # the record is the organisation; it belongs to no other
    else:
        kind = ContactKind.PERSON
        display = display or compose_display_name(given, family)

    notes = list(c.notes)
    warnings = list(c.warnings)
    birthday = None
    if c.birthday_text.strip():
        written = c.birthday_text.strip()
        try:
            birthday = parse_birthday(written, day_first=day_first)
        except ValueError as error:
            notes.append(f"Birthday (as imported): {written}")
            warnings.append(f"Birthday “{written}” kept in the notes: {error}")

    tags = tuple(dict.fromkeys(t for t in (tag.strip() for tag in c.tags) if t))
    draft = ContactDraft(
        kind=kind, given_name=given, family_name=family, display_name=display,
        phones=tuple(c.phones), emails=tuple(c.emails), addresses=tuple(c.addresses), birthday=birthday,
        tags=tags, notes="\n\n".join(notes),
    )
    return ImportedContact(line, draft, organisation, tuple(warnings))
