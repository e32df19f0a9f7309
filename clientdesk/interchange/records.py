"""What reading a file yields and what writing one takes: the contract between the interchange layer and
the import and export services."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from clientdesk.domain.contacts import ContactDraft, ContactFields


class SourceFormat(StrEnum):
    AUTO = "auto"
    VCARD = "vcard"
    GOOGLE = "google"
    OUTLOOK = "outlook"
    CSV = "csv"  # any other CSV, read through a ColumnMapping


class Field(StrEnum):
    """What a CSV column can hold; a mapping sends each column to one of these (or to nothing)."""

    GIVEN_NAME = "given_name"
    FAMILY_NAME = "family_name"
    DISPLAY_NAME = "display_name"  # the full name in one column
    ORGANISATION = "organisation"
    PHONE = "phone"
    MOBILE = "mobile"
    HOME_PHONE = "home_phone"
    WORK_PHONE = "work_phone"
    EMAIL = "email"
    HOME_EMAIL = "home_email"
    WORK_EMAIL = "work_email"
    STREET = "street"
    CITY = "city"
    REGION = "region"
    POSTCODE = "postcode"
    COUNTRY = "country"
    BIRTHDAY = "birthday"
    TAGS = "tags"
    NOTES = "notes"


@dataclass(frozen=True, slots=True)
class ImportedContact:
    """One record read from a file. `draft` has phones and emails as written (the service validates them
    with the business's region); its organisation_id and referred_by_id are None: `organisation` names
    the organisation as the file wrote it, and the service finds or creates it."""

    line: int  # where the record starts in the file, counting from 1
    draft: ContactDraft
    organisation: str = ""
    # What could not be read as written and was kept in the notes instead, a sentence each
    # (e.g. a birthday in no known form): the record is kept, and the import summary lists these.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RejectedRecord:
    """A record that could not be read, with a sentence for the user."""

    line: int
    reason: str
    text: str = ""  # the start of the record as it was in the file, for the rejects report


@dataclass(frozen=True, slots=True)
class ExportedContact:
    """A contact to write, with the name of its organisation (the file has no ids)."""

    fields: ContactFields
    organisation: str = ""


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """For a CSV: which Field each column holds, by column index; columns not named are left out."""

    columns: dict[int, Field] = field(default_factory=dict)
