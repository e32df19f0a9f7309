"""vCard 2.1, 3.0 and 4.0, one card at a time.

The file is split into cards here, line by line, so a broken card costs only itself and each record
knows its line. Only the properties a contact needs are handed to vobject's line parser: a PHOTO's
base64 block and the many X- properties never reach it. vCard 2.1's
quoted-printable values are joined across soft line breaks and decoded with their CHARSET here too,
because vobject cannot follow a soft break."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TextIO

from clientdesk.domain.contacts import Address
from clientdesk.interchange.build import TEXT_LIMIT, Collected, finish
from clientdesk.interchange.labels import (address_label_from_types, email_label_from_types, free_label,
                                           phone_label_from_types)
from clientdesk.interchange.records import ImportedContact, RejectedRecord
from clientdesk.interchange.vcard_values import quoted_printable, split, unescape

# What a contact needs; everything else is dropped before vobject parses it. VERSION too: vobject reads
# every card by its 3.0 rules whatever the version says, and 2.1's differences are dealt with here.
WANTED = frozenset({"N", "FN", "ORG", "TEL", "EMAIL", "ADR", "BDAY", "CATEGORIES", "NOTE", "KIND",
                    "X-ABSHOWAS", "X-ABLABEL", "X-ADDRESSBOOKSERVER-KIND"})
_OMITTED_YEAR = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")


class _Card:
    __slots__ = ("start", "lines")

    def __init__(self, start: int, begin: str):
        self.start = start
        self.lines = [begin]

    def text(self) -> str:
        return "\n".join(self.lines)[:TEXT_LIMIT]


def split_cards(stream: TextIO) -> Iterator[_Card | RejectedRecord]:
    """Each complete card with the line of its BEGIN, keeping only the wanted properties; a card
    without its END, and a run of lines outside any card, become RejectedRecords."""
    number = 0
    card: _Card | None = None
    skipping = False  # in an unwanted property: its folded lines (a PHOTO's base64) go too
    stray_start = stray_end = 0  # a run of text outside any card
    stray: list[str] = []
    lines = iter(stream)
    for raw in lines:
        number += 1
        line = raw.rstrip("\r\n")
        if card is None:
            if line.strip().lstrip("\ufeff").upper() == "BEGIN:VCARD":
                if stray:
                    yield _stray(stray_start, stray_end, stray)
                    stray = []
                card = _Card(number, "BEGIN:VCARD")
                skipping = False
            elif line.strip():
                if not stray:
                    stray_start = number
                stray_end = number
                if len(stray) < 3:
                    stray.append(line)
            continue
        first = line[:1]
        if first == " " or first == "\t":  # a folded line: unfolded onto its property, as vCard 3.0 says
            if not skipping:
                card.lines[-1] += line[1:]
            continue
        colon = line.find(":")
        if colon < 0:  # blank, or base64 that 2.1 did not indent
            continue
        head = line[:colon]
        semi = head.find(";")
        name = head if semi < 0 else head[:semi]
        dot = name.find(".")
        if dot >= 0:
            name = name[dot + 1:]
        name = name.upper()
        if name == "END":
            if line[colon + 1:].strip().upper() == "VCARD":
                card.lines.append("END:VCARD")
                yield card
                card = None
            continue
        if name == "BEGIN" and line[colon + 1:].strip().upper() == "VCARD":
            yield _unfinished(card)
            card = _Card(number, "BEGIN:VCARD")
            skipping = False
            continue
        if name not in WANTED:
            skipping = True
            continue
        skipping = False
        if semi >= 0 and "QUOTED-PRINTABLE" in head.upper():
            # A soft line break ("=" at the end) continues the value on the next physical line.
            while line.endswith("="):
                following = next(lines, None)
                if following is None:
                    break
                number += 1
                following = following.rstrip("\r\n")
                if following.upper().startswith("END:VCARD"):
                    card.lines.append(quoted_printable(line[:-1], colon))
                    card.lines.append("END:VCARD")
                    yield card
                    card = None
                    break
                line = line[:-1] + following
            if card is None:
                continue
            line = quoted_printable(line, colon)
        card.lines.append(line)
    if card is not None:
        yield _unfinished(card)
    if stray:
        yield _stray(stray_start, stray_end, stray)


def _unfinished(card: _Card) -> RejectedRecord:
    return RejectedRecord(card.start, f"The card starting on line {card.start} has no END:VCARD; "
                                      "it may be cut short.", card.text())


def _stray(start: int, end: int, lines: list[str]) -> RejectedRecord:
    reason = (f"Line {start} is not part of any card and was not read." if start == end
              else f"Lines {start}–{end} are not part of any card and were not read.")
    return RejectedRecord(start, reason, "\n".join(lines)[:TEXT_LIMIT])


def read_vcards(stream: TextIO, day_first: bool) -> Iterator[ImportedContact | RejectedRecord]:
    from vobject.base import parseLine  # loaded on the first vCard read: the window's start never needs it

    for card in split_cards(stream):
        if isinstance(card, RejectedRecord):
            yield card
            continue
        try:
            yield _record(_properties(card.lines, parseLine), card, day_first)
        except Exception as error:  # vobject raises many kinds; any of them costs only this card
            yield RejectedRecord(card.start, f"The card starting on line {card.start} could not be read: "
                                             f"{_reason(error)}", card.text())


class _Property:
    """One content line as vobject's parser reads it: group, parameters and the value."""

    __slots__ = ("group", "params", "singletonparams", "value")

    def __init__(self, group: str | None, params: dict[str, list[str]], singletonparams: list[str], value: str):
        self.group, self.params, self.singletonparams, self.value = group, params, singletonparams, value


_STRUCTURED = frozenset({"N", "ADR", "ORG", "CATEGORIES"})


def _properties(lines: list[str], parse_line) -> dict[str, list[_Property]]:
    """The card's properties by lower-case name. Each line goes through vobject's own line parser; building
    its component objects on top would cost three times as much as everything else an import does with a
    card, so values are unescaped here instead: single text values now, structured ones (N, ADR, ORG,
    CATEGORIES) part by part when they are split, so an escaped separator stays text. vCard 2.1 never
    escapes a comma, and vobject would cut such a single value at it; this way the comma stays."""
    contents: dict[str, list[_Property]] = {}
    for number, line in enumerate(lines[1:-1], start=1):  # between BEGIN:VCARD and END:VCARD
        name, raw_params, value, group = parse_line(line, number)
        name = name.upper()
        params: dict[str, list[str]] = {}
        singletons: list[str] = []
        for param in raw_params:
            if len(param) == 1:  # vCard 2.1's bare TEL;CELL;VOICE
                singletons.append(param[0])
            else:
                params.setdefault(param[0].upper(), []).extend(param[1:])
        contents.setdefault(name.lower(), []).append(
            _Property(group, params, singletons, value if name in _STRUCTURED else unescape(value)))
    return contents


def _reason(error: Exception) -> str:
    message = getattr(error, "msg", None) or str(error) or type(error).__name__
    message = " ".join(str(message).split())
    return (message[:150] + "…" if len(message) > 150 else message).rstrip(".") + "."


def _types(line) -> set[str]:
    types = {t.strip().strip('"').upper() for value in line.params.get("TYPE", ()) for t in value.split(",")}
    types.update(p.upper() for p in line.singletonparams)
    return types


def _uri(line, scheme: str) -> str:
    value = line.value.strip()
    if value[:len(scheme)].lower() == scheme:  # vCard 4.0: tel:+44…, and mailto: now and then
        value = value[len(scheme):]
    return value


def _record(contents: dict, card: _Card, day_first: bool) -> ImportedContact | RejectedRecord:
    # Single text values come unescaped; N, ADR, ORG and CATEGORIES are split (and unescaped) here.
    for kind in (*contents.get("kind", ()), *contents.get("x-addressbookserver-kind", ())):
        if kind.value.strip().lower() == "group":
            return RejectedRecord(card.start, "The card is a group of contacts, not a contact.", card.text())
    c = Collected()
    labels = {line.group.lower(): line.value for line in contents.get("x-ablabel", ()) if line.group}

    def label_of(line, from_types) -> str:
        if line.group and line.group.lower() in labels:
            return free_label(labels[line.group.lower()], from_types(_types(line)))
        return from_types(_types(line))

    if "n" in contents:
        family, given, additional = (split(contents["n"][0].value, ";") + ["", ""])[:3]
        c.family = family.strip()
        c.given = " ".join(p for p in (given.strip(), additional.strip()) if p)
    if "fn" in contents:
        c.display = contents["fn"][0].value.strip()
    if "org" in contents:
        c.organisation = split(contents["org"][0].value, ";")[0].strip()  # the name; units after it
    for line in (*contents.get("kind", ()), *contents.get("x-abshowas", ())):
        if line.value.strip().lower() in ("org", "organization", "company"):
            c.is_organisation = True
    for line in contents.get("tel", ()):
        c.phone(label_of(line, phone_label_from_types), _uri(line, "tel:"))
    for line in contents.get("email", ()):
        c.email(label_of(line, email_label_from_types), _uri(line, "mailto:"))
    for line in contents.get("adr", ()):
        c.address(_address(line.value, label_of(line, address_label_from_types)))
    if "bday" in contents:
        c.birthday_text = _birthday_text(contents["bday"][0])
    for line in contents.get("categories", ()):
        c.tags.extend(split(line.value, ","))
    for line in contents.get("note", ()):
        c.note(line.value)
    return finish(c, card.start, card.text, day_first)


def _address(value: str, label: str) -> Address:
    box, extended, street, city, region, code, country = (p.strip() for p in (split(value, ";") + [""] * 7)[:7])
    return Address(street="\n".join(p for p in (street, extended, box) if p), city=city, region=region,
                   postcode=code, country=country, label=label)


def _birthday_text(line) -> str:
    text = line.value.strip()
    omitted = line.params.get("X-APPLE-OMIT-YEAR")
    if omitted:
        # Apple writes a birthday without its year in a placeholder year (1604) and says so.
        match = _OMITTED_YEAR.match(text)
        if match and match[1] == omitted[0].strip():
            return f"--{match[2]}-{match[3]}"
    return text
