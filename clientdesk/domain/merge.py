"""Merging a duplicate into the contact already there: field by field, nothing dropped.

What the contact already has wins; what the incoming record brings is added where the contact has nothing,
or alongside (phones, emails, addresses, tags, notes). Merging the same record again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from clientdesk.domain.contacts import Address, Birthday, ContactFields, ContactKind
from clientdesk.domain.phones import Phone


@dataclass(frozen=True, slots=True)
class Merged:
    fields: ContactFields
    changed: bool  # False when `incoming` added nothing to `existing`
    added: tuple[str, ...]  # what was added, short phrases: "phone +44 20 7946 0958", "email a@b.com", "birthday"


def merge(existing: ContactFields, incoming: ContactFields) -> Merged:
    added: list[str] = []

    names = {}
    for attribute, phrase in (("given_name", "given name"), ("family_name", "family name"),
                              ("display_name", "display name")):
        if not getattr(existing, attribute) and getattr(incoming, attribute):
            names[attribute] = getattr(incoming, attribute)
            added.append(phrase)

    organisation_id = existing.organisation_id
    # An organisation cannot belong to another one (validate refuses it), so it never takes one from a person.
    if organisation_id is None and incoming.organisation_id is not None and existing.kind is ContactKind.PERSON:
        organisation_id = incoming.organisation_id
        added.append("organisation")

    phones = list(existing.phones)
    seen_phones = {_phone_key(p) for p in phones}
    for phone in incoming.phones:
        if _phone_key(phone) not in seen_phones:
            seen_phones.add(_phone_key(phone))
            phones.append(phone)
            added.append(f"phone {_readable(phone)}")

    emails = list(existing.emails)
    seen_emails = {e.address.casefold() for e in emails}
    for email in incoming.emails:
        if email.address.casefold() not in seen_emails:
            seen_emails.add(email.address.casefold())
            emails.append(email)
            added.append(f"email {email.address}")

    addresses = list(existing.addresses)
    seen_addresses = {_address_key(a) for a in addresses}
    new_addresses = 0
    for address in incoming.addresses:
        if not address.is_empty() and _address_key(address) not in seen_addresses:
            seen_addresses.add(_address_key(address))
            addresses.append(address)
            new_addresses += 1
    if new_addresses:
        added.append("address" if new_addresses == 1 else "addresses")

    tags = list(existing.tags)
    seen_tags = {t.casefold() for t in tags}
    new_tags = []
    for tag in incoming.tags:
        if tag and tag.casefold() not in seen_tags:
            seen_tags.add(tag.casefold())
            new_tags.append(tag)
    if new_tags:
        tags += new_tags
        added.append("tags " + ", ".join(new_tags))

    notes = existing.notes
    birthday = existing.birthday
    if incoming.notes.strip() and incoming.notes.strip() not in notes:
        notes = _append(notes, incoming.notes.strip())
    theirs = incoming.birthday
    if theirs is not None and theirs != birthday:
        if birthday is None:
            birthday = theirs
            added.append("birthday")
        elif (birthday.day, birthday.month) == (theirs.day, theirs.month) and None in (birthday.year, theirs.year):
            if birthday.year is None:  # the same day, and now its year
                birthday = theirs
                added.append("birthday")
        elif birthday_note(theirs) not in notes:  # another day, or another year: kept, and noted
            notes = _append(notes, birthday_note(theirs))
    if notes != existing.notes:
        added.append("notes")

    referred_by_id = existing.referred_by_id
    if referred_by_id is None and incoming.referred_by_id is not None:
        referred_by_id = incoming.referred_by_id
        added.append("referred by")

    fields = replace(existing, **names, organisation_id=organisation_id, phones=tuple(phones), emails=tuple(emails),
                     addresses=tuple(addresses), birthday=birthday, tags=tuple(tags), notes=notes,
                     referred_by_id=referred_by_id)
    changed = fields != existing
    return Merged(fields, changed, tuple(added) if changed else ())


def _append(notes: str, text: str) -> str:
    return f"{notes}\n\n{text}" if notes else text


def _phone_key(phone: Phone) -> str:
    return phone.e164 or phone.raw.strip()


def _readable(phone: Phone) -> str:
    """The number as a person reads it, "+44 20 7946 0958"; as typed if it cannot be formatted."""
    if not phone.e164:
        return phone.raw
    import phonenumbers  # only when a merge adds a phone: start-up never needs it

    try:
        return phonenumbers.format_number(phonenumbers.parse(phone.e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return phone.raw or phone.e164


def _address_key(address: Address) -> tuple[str, ...]:
    """The parts that say where, folded: the label ("home", "work") does not make a different address."""
    return tuple(" ".join(part.split()).casefold()
                 for part in (address.street, address.city, address.region, address.postcode, address.country))


def birthday_note(birthday: Birthday) -> str:
    """The line a merge adds to the notes when the incoming record gives another birthday."""
    return f"Birthday also given as {birthday.iso()}"


__all__ = ["Merged", "merge", "birthday_note"]
