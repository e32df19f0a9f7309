"""Contacts as vCard 3.0: what Apple Contacts, Google, Outlook and phones all read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from clientdesk.domain.contacts import ContactKind
from clientdesk.interchange.labels import ADDRESS_TYPES, EMAIL_TYPES, PHONE_TYPES, free_label
from clientdesk.interchange.records import ExportedContact
from clientdesk.interchange.vcard_values import escape

LINE_OCTETS = 75  # RFC 2426: longer lines are folded


def fold(line: str) -> str:
    """The line in pieces of at most 75 octets of UTF-8, each after the first starting with a space;
    never inside a character, nor between a backslash and the character it escapes."""
    if len(line) <= LINE_OCTETS and line.isascii():
        return line + "\r\n"
    encoded = line.encode("utf-8")
    if len(encoded) <= LINE_OCTETS:
        return line + "\r\n"
    pieces: list[str] = []
    start = 0
    size = 0
    limit = LINE_OCTETS
    index = 0
    while index < len(line):
        ch = line[index]
        width = len(ch.encode("utf-8"))
        step = 1
        if ch == "\\" and index + 1 < len(line):  # keep an escape pair together
            width += len(line[index + 1].encode("utf-8"))
            step = 2
        if size + width > limit:
            pieces.append(line[start:index])
            start = index
            size = 0
            limit = LINE_OCTETS - 1  # the leading space takes one octet
        size += width
        index += step
    pieces.append(line[start:])
    return "\r\n ".join(pieces) + "\r\n"


def write_vcards(contacts: Iterable[ExportedContact], out: TextIO) -> int:
    """Write each contact as a vCard 3.0 (CRLF line ends, folded lines); returns how many."""
    count = 0
    for contact in contacts:
        out.write("".join(fold(line) for line in card_lines(contact)))
        count += 1
    return count


def card_lines(contact: ExportedContact) -> list[str]:
    f = contact.fields
    lines = ["BEGIN:VCARD", "VERSION:3.0"]
    item = 0

    def typed(prop: str, types: str | None, value: str, label: str) -> None:
        nonlocal item
        if types is None:  # a label vCard has no type for: Apple's custom label, which others ignore
            item += 1
            lines.append(f"item{item}.{prop}" + (";TYPE=INTERNET:" if prop == "EMAIL" else ":") + value)
            lines.append(f"item{item}.X-ABLabel:{escape(label)}")
        elif types:
            lines.append(f"{prop};TYPE={types}:{value}")
        else:
            lines.append(f"{prop}:{value}")

    if f.kind is ContactKind.ORGANISATION:
        lines.append("N:;;;;")
        lines.append(f"FN:{escape(f.display_name)}")
        lines.append(f"ORG:{escape(f.display_name)}")
        lines.append("X-ABShowAs:COMPANY")
    else:
        lines.append(f"N:{escape(f.family_name)};{escape(f.given_name)};;;")
        lines.append(f"FN:{escape(f.display_name)}")
        if contact.organisation:
            lines.append(f"ORG:{escape(contact.organisation)}")
    for phone in f.phones:
        label = free_label(phone.label, "mobile")
        typed("TEL", PHONE_TYPES.get(label), escape(phone.raw), label)
    for email in f.emails:
        label = free_label(email.label, "work")
        typed("EMAIL", EMAIL_TYPES.get(label), escape(email.address), label)
    for address in f.addresses:
        label = free_label(address.label, "work")
        parts = ";".join(escape(p) for p in ("", "", address.street, address.city, address.region,
                                             address.postcode, address.country))
        typed("ADR", ADDRESS_TYPES.get(label), parts, label)
    if f.birthday is not None:
        lines.append(f"BDAY:{f.birthday.iso()}")
    if f.tags:
        lines.append("CATEGORIES:" + ",".join(escape(tag) for tag in f.tags))
    if f.notes:
        lines.append(f"NOTE:{escape(f.notes)}")
    lines.append("END:VCARD")
    return lines
