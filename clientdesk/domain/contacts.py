"""Contacts: people and organisations, and the rules that turn what a user typed into a valid record."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from clientdesk.domain.emails import Email, InvalidEmail, normalize_email
from clientdesk.domain.errors import FieldProblem, InvalidContact
from clientdesk.domain.phones import InvalidPhone, Phone, normalize_phone

MAX_NAME_LENGTH = 200
MAX_NOTES_LENGTH = 100_000
MAX_TAG_LENGTH = 60


class ListColumn(StrEnum):
    """The columns of the contact list, in display order; each sorts in SQL."""

    NAME = "name"
    ORGANISATION = "organisation"
    PHONE = "phone"
    EMAIL = "email"
    TAGS = "tags"
    STAGE = "stage"
    UPDATED = "updated"


class ContactKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


@dataclass(frozen=True, slots=True)
class Address:
    street: str = ""
    city: str = ""
    region: str = ""
    postcode: str = ""
    country: str = ""
    label: str = "work"

    def is_empty(self) -> bool:
        return not any((self.street, self.city, self.region, self.postcode, self.country))

    def one_line(self) -> str:
        return ", ".join(part for part in (self.street.replace("\n", ", "), self.city, self.region,
                                           self.postcode, self.country) if part)


@dataclass(frozen=True, slots=True)
class Birthday:
    """Day and month always; the year only when the person shared it."""

    day: int
    month: int
    year: int | None = None

    def __post_init__(self) -> None:
        import calendar  # only when a birthday is built: start-up never needs it

        # 2000 is a leap year, so 29 February is valid when the year is unknown.
        probe_year = self.year if self.year is not None else 2000
        if not 1 <= self.month <= 12:
            raise ValueError(f"Month {self.month} does not exist.")
        if not 1 <= self.day <= calendar.monthrange(probe_year, self.month)[1]:
            raise ValueError(f"{self.day}/{self.month} is not a date" + (f" in {self.year}." if self.year else "."))
        if self.year is not None and not 1850 <= self.year <= date.today().year:
            raise ValueError(f"Birth year {self.year} is out of range.")

    def iso(self) -> str:
        """ISO 8601, with the year left out as `--MM-DD` when unknown."""
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}" if self.year else f"--{self.month:02d}-{self.day:02d}"

    @classmethod
    def parse(cls, text: str) -> Birthday:
        text = text.strip()
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if match:
            return cls(day=int(match[3]), month=int(match[2]), year=int(match[1]))
        match = re.fullmatch(r"--(\d{1,2})-(\d{1,2})", text)
        if match:
            return cls(day=int(match[2]), month=int(match[1]))
        raise ValueError(f"“{text}” is not a birthday; write YYYY-MM-DD, or --MM-DD without the year.")


@dataclass(frozen=True, slots=True)
class ContactDraft:
    """What a form, the command line or an import supplies; phones and emails still as typed."""

    kind: ContactKind = ContactKind.PERSON
    given_name: str = ""
    family_name: str = ""
    display_name: str = ""
    organisation_id: int | None = None
    phones: tuple[tuple[str, str], ...] = ()  # (label, text as typed)
    emails: tuple[tuple[str, str], ...] = ()  # (label, address as typed)
    addresses: tuple[Address, ...] = ()
    birthday: Birthday | None = None
    tags: tuple[str, ...] = ()
    notes: str = ""
    referred_by_id: int | None = None


@dataclass(frozen=True, slots=True)
class ContactFields:
    """A validated contact, ready to be stored."""

    kind: ContactKind
    given_name: str
    family_name: str
    display_name: str
    organisation_id: int | None = None
    phones: tuple[Phone, ...] = ()
    emails: tuple[Email, ...] = ()
    addresses: tuple[Address, ...] = ()
    birthday: Birthday | None = None
    tags: tuple[str, ...] = ()
    notes: str = ""
    referred_by_id: int | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    """A stored contact as the rest of the application sees it."""

    id: int
    fields: ContactFields
    created_at: datetime
    updated_at: datetime
    organisation_name: str | None = None
    referred_by_name: str | None = None
    member_count: int = 0

    @property
    def display_name(self) -> str:
        return self.fields.display_name

    def to_draft(self) -> ContactDraft:
        f = self.fields
        return ContactDraft(
            kind=f.kind, given_name=f.given_name, family_name=f.family_name, display_name=f.display_name,
            organisation_id=f.organisation_id, phones=tuple((p.label, p.raw) for p in f.phones),
            emails=tuple((e.label, e.address) for e in f.emails), addresses=f.addresses,
            birthday=f.birthday, tags=f.tags, notes=f.notes, referred_by_id=f.referred_by_id,
        )


@dataclass(frozen=True, slots=True)
class ContactSummary:
    """One row of the contact list: only what the list shows."""

    id: int
    display_name: str
    organisation: str
    phone: str
    email: str
    tags: str
    updated_at: datetime
    kind: ContactKind = ContactKind.PERSON
    stage: str = "prospect"  # the life-cycle stage on the day the list was last brought to


_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10))


def clean_line(text: str) -> str:
    """One-line text: control characters and runs of blanks (pasted from elsewhere) collapse to a space."""
    if _already_clean(text) and "  " not in text:  # most text: an import cleans a dozen fields a record
        return text
    return " ".join(text.translate(_CONTROL).split())


def clean_notes(text: str) -> str:
    if _already_clean(text):
        return text
    return text.translate(_CONTROL).replace("\r\n", "\n").replace("\r", "\n").strip()


def _already_clean(text: str) -> bool:
    """No control character, no blank but the space, and none at either end. Every other character
    Python splits or strips on (tabs, line breaks, no-break and other Unicode spaces) is one that
    `isprintable` refuses, so such text is its own cleaned form."""
    return text.isprintable() and text[:1] != " " and text[-1:] != " "


def compose_display_name(given: str, family: str) -> str:
    return " ".join(part for part in (given, family) if part)


def sort_key(name: str) -> str:
    """Folded for ordering: case and accents ignored, so Zoë sorts with Zoe, not after Zz."""
    if name.isascii():  # most names: nothing to decompose, and an import folds every one
        return name.casefold().strip()
    import unicodedata  # only when writing: the list's first screen never needs it

    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


def normalize_tag(tag: str) -> str:
    return clean_line(tag).lstrip("#")[:MAX_TAG_LENGTH]


def validate(draft: ContactDraft, default_region: str) -> ContactFields:
    """Check every field at once, so a form can show all its problems together."""
    problems: list[FieldProblem] = []
    kind = ContactKind(draft.kind)
    given = clean_line(draft.given_name)
    family = clean_line(draft.family_name)
    display = clean_line(draft.display_name) or compose_display_name(given, family)
    if not display:
        wording = "a name" if kind is ContactKind.ORGANISATION else "a given or family name"
        problems.append(FieldProblem("name", f"Enter {wording}."))
    for name, value in (("given_name", given), ("family_name", family), ("display_name", display)):
        if len(value) > MAX_NAME_LENGTH:
            problems.append(FieldProblem(name, f"Keep names under {MAX_NAME_LENGTH} characters."))

    phones: list[Phone] = []
    for index, (label, raw) in enumerate(draft.phones):
        if not raw.strip():
            continue
        try:
            phones.append(normalize_phone(raw, default_region, label))
        except InvalidPhone as error:
            problems.append(FieldProblem(f"phones[{index}]", str(error)))

    emails: list[Email] = []
    for index, (label, address) in enumerate(draft.emails):
        if not address.strip():
            continue
        try:
            emails.append(normalize_email(address, label))
        except InvalidEmail as error:
            problems.append(FieldProblem(f"emails[{index}]", str(error)))

    notes = clean_notes(draft.notes)
    if len(notes) > MAX_NOTES_LENGTH:
        problems.append(FieldProblem("notes", f"Notes are limited to {MAX_NOTES_LENGTH:,} characters."))

    tags = tuple(dict.fromkeys(t for t in (normalize_tag(tag) for tag in draft.tags) if t))
    addresses = tuple(
        Address(street=clean_notes(a.street), city=clean_line(a.city), region=clean_line(a.region),
                postcode=clean_line(a.postcode), country=clean_line(a.country), label=clean_line(a.label) or "work")
        for a in draft.addresses if not a.is_empty()
    )
    if kind is ContactKind.ORGANISATION and draft.organisation_id is not None:
        problems.append(FieldProblem("organisation", "An organisation cannot belong to another organisation."))
    if problems:
        raise InvalidContact(problems)
    return ContactFields(
        kind=kind, given_name=given, family_name=family, display_name=display,
        organisation_id=draft.organisation_id, phones=tuple(phones), emails=tuple(emails),
        addresses=addresses, birthday=draft.birthday, tags=tags, notes=notes,
        referred_by_id=draft.referred_by_id,
    )


def check_links(contact_id: int | None, fields: ContactFields) -> list[FieldProblem]:
    """Links that would point a contact at itself."""
    problems = []
    if contact_id is not None and fields.referred_by_id == contact_id:
        problems.append(FieldProblem("referred_by", "A contact cannot refer themselves."))
    if contact_id is not None and fields.organisation_id == contact_id:
        problems.append(FieldProblem("organisation", "A contact cannot be their own organisation."))
    return problems


__all__ = [
    "Address", "Birthday", "ListColumn", "Contact", "ContactDraft", "ContactFields", "ContactKind", "ContactSummary",
    "clean_line", "compose_display_name", "sort_key", "validate", "check_links",
]
