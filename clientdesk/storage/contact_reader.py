"""Whole contacts read by the hundred in plain SQL: an export, or an import comparing its records, reads
thousands, where the ORM's objects (a dozen per contact) would cost more than the reading."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.engine import Connection

from clientdesk.domain.contacts import Address, Birthday, Contact, ContactFields, ContactKind
from clientdesk.domain.emails import Email
from clientdesk.domain.phones import Phone
from clientdesk.storage.types import from_utc_text

IDS_PER_QUERY = 10_000  # under SQLite's 32,766 bound variables

CONTACT_SQL = ("SELECT id, kind, given_name, family_name, display_name, organisation_id, referred_by_id, "
               "birthday_day, birthday_month, birthday_year, notes, created_at, updated_at FROM contact WHERE id IN ({})")
PHONE_SQL = "SELECT contact_id, label, raw, e164 FROM contact_phone WHERE contact_id IN ({}) ORDER BY contact_id, position"
EMAIL_SQL = "SELECT contact_id, label, address FROM contact_email WHERE contact_id IN ({}) ORDER BY contact_id, position"
ADDRESS_SQL = ("SELECT contact_id, label, street, city, region, postcode, country FROM contact_address "
               "WHERE contact_id IN ({}) ORDER BY contact_id, position")
# By name, as the ORM's relationship orders them, so both ways of reading give equal contacts.
TAG_SQL = ("SELECT contact_tag.contact_id, tag.name FROM contact_tag JOIN tag ON tag.id = contact_tag.tag_id "
           "WHERE contact_tag.contact_id IN ({}) ORDER BY contact_tag.contact_id, tag.name")


def read_contacts(connection: Connection, contact_ids: Sequence[int]) -> list[Contact]:
    """The contacts in the order asked; ids that do not exist are left out. Fields only: no organisation
    or referrer names, no member counts."""
    found: dict[int, Contact] = {}
    for start in range(0, len(contact_ids), IDS_PER_QUERY):
        chunk = tuple(contact_ids[start:start + IDS_PER_QUERY])
        found.update(_read(connection, chunk))
    return [found[contact_id] for contact_id in contact_ids if contact_id in found]


def _read(connection: Connection, ids: tuple[int, ...]) -> dict[int, Contact]:
    marks = ",".join("?" * len(ids))

    def rows(sql: str):
        return connection.exec_driver_sql(sql.format(marks), ids).all()

    phones, emails, addresses, tags = defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(list)
    for contact_id, label, raw, e164 in rows(PHONE_SQL):
        phones[contact_id].append(Phone(raw=raw, e164=e164, label=label))
    for contact_id, label, address in rows(EMAIL_SQL):
        emails[contact_id].append(Email(address=address, label=label))
    for contact_id, label, street, city, region, postcode, country in rows(ADDRESS_SQL):
        addresses[contact_id].append(Address(street=street, city=city, region=region, postcode=postcode,
                                             country=country, label=label))
    for contact_id, name in rows(TAG_SQL):
        tags[contact_id].append(name)
    contacts = {}
    for (contact_id, kind, given, family, display, organisation_id, referred_by_id, day, month, year, notes,
         created_at, updated_at) in rows(CONTACT_SQL):
        fields = ContactFields(
            kind=ContactKind(kind), given_name=given, family_name=family, display_name=display,
            organisation_id=organisation_id, phones=tuple(phones[contact_id]), emails=tuple(emails[contact_id]),
            addresses=tuple(addresses[contact_id]),
            birthday=Birthday(day, month, year) if day and month else None, tags=tuple(tags[contact_id]),
            notes=notes, referred_by_id=referred_by_id)
        contacts[contact_id] = Contact(id=contact_id, fields=fields, created_at=from_utc_text(created_at),
                                       updated_at=from_utc_text(updated_at))
    return contacts
