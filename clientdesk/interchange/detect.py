"""What kind of file this is, from its first few kilobytes: vCard, or a CSV with its delimiter,
its header and whether Google or Outlook wrote it."""

from __future__ import annotations

import csv
import io

from clientdesk.interchange.records import SourceFormat

DELIMITERS = (",", ";", "\t")


def looks_like_vcard(sample: str, lines: int = 5) -> bool:
    """BEGIN:VCARD among the first non-blank lines (a stray line before the first card is forgiven)."""
    seen = 0
    for line in io.StringIO(sample.lstrip("\ufeff"), newline=""):
        line = line.strip()
        if not line:
            continue
        if line[:11].upper() == "BEGIN:VCARD":
            return True
        seen += 1
        if seen >= lines:
            return False
    return False


def header_text(sample: str) -> str:
    """The first non-blank record as written, a quoted cell's line breaks included."""
    text = sample.lstrip("\ufeff\r\n \t")
    quoted = False
    for index, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch in "\r\n" and not quoted:
            return text[:index]
    return text


def detect_delimiter(header: str) -> str:
    """The most frequent of comma, semicolon and tab outside quotes; a comma on a tie."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    return max(DELIMITERS, key=lambda d: counts[d])  # max keeps the first of equals: the comma


def read_header(sample: str, delimiter: str) -> list[str]:
    reader = csv.reader(io.StringIO(header_text(sample), newline=""), delimiter=delimiter, skipinitialspace=True)
    for row in reader:
        # A BOM left by an encoding the user chose ("utf-8" for a file that has one) is not a name.
        return [cell.strip().lstrip("\ufeff").strip() for cell in row]
    return []


def csv_flavour(headers: list[str]) -> SourceFormat:
    names = {h.strip().casefold() for h in headers}
    if {"given name", "family name"} <= names and names & {"group membership", "e-mail 1 - type",
                                                             "phone 1 - type", "name"}:
        return SourceFormat.GOOGLE
    if {"first name", "last name"} <= names and names & {"labels", "e-mail 1 - label", "phone 1 - label",
                                                           "file as"}:
        return SourceFormat.GOOGLE
    if {"first name", "last name", "e-mail address"} <= names and names & {"business phone", "mobile phone",
                                                                             "home phone"}:
        return SourceFormat.OUTLOOK
    return SourceFormat.CSV
