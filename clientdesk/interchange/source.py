"""open_source: a file looked at once (format, encoding, delimiter, header), then read as a stream of
records as often as the caller likes."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import replace
from pathlib import Path

from clientdesk.interchange import detect
from clientdesk.interchange.csv_reader import MappedReader, fit_row, read_rows, suggest_mapping
from clientdesk.interchange.encoding import (SAMPLE, TextFile, decode_head, detect_encoding, known_encoding,
                                             looks_like_text, read_head)
from clientdesk.interchange.errors import InterchangeError
from clientdesk.interchange.google import GoogleReader
from clientdesk.interchange.outlook import OutlookReader
from clientdesk.interchange.records import ColumnMapping, ImportedContact, RejectedRecord, SourceFormat
from clientdesk.interchange.vcard_reader import read_vcards

Record = ImportedContact | RejectedRecord
_DELIMITER_WORDS = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}


class Source:
    """A contacts file as detected (or as the caller said it is)."""

    def __init__(self, path: Path, format: SourceFormat, encoding: str, delimiter: str | None, headers: list[str],
                 size: int, day_first: bool, encoding_given: bool):
        self.path = path
        self.format = format
        self.encoding = encoding
        self.delimiter = delimiter
        self.headers = headers
        self.size = size
        self._day_first = day_first
        self._encoding_given = encoding_given
        self._reading: TextFile | None = None
        self._read_before = 0

    def suggested_mapping(self) -> ColumnMapping:
        if self.format is SourceFormat.VCARD:
            return ColumnMapping()
        return suggest_mapping(self.headers)

    def records(self, mapping: ColumnMapping | None = None) -> Iterator[Record]:
        """The records in file order, read as a stream (memory does not grow with the file)."""
        return self._records(mapping, track=True)

    def preview(self, rows: int = 5) -> list[list[str]]:
        """CSV: the first data rows' cells; vCard: name, organisation, first phone and first email of
        the first cards. Rejected records are left out."""
        found: list[list[str]] = []
        items = self._records(None, track=False) if self.format is SourceFormat.VCARD else self._rows(track=False)
        with closing(items):
            for item in items:
                if len(found) >= rows:
                    break
                if isinstance(item, ImportedContact):
                    found.append(_card_row(item))
                elif isinstance(item, tuple):
                    found.append(item[1])
        return found

    def bytes_read(self) -> int:
        """How far the current (or last) read has got, in bytes of the file."""
        reading = self._reading
        count = reading.bytes_read if reading is not None else self._read_before
        return min(count, self.size)

    # ---- the readers ----

    def _records(self, mapping: ColumnMapping | None, track: bool) -> Iterator[Record]:
        if self.format is SourceFormat.VCARD:
            records = self._vcards(track)
        else:
            records = self._csv_records(self._reader_for(mapping), track)
        if not self._encoding_given:
            return records
        return self._flag_replaced(records)

    def _reader_for(self, mapping: ColumnMapping | None) -> Callable[[int, list[str]], Record]:
        delimiter = self.delimiter or ","
        if mapping is None:
            if self.format is SourceFormat.GOOGLE:
                return GoogleReader(self.headers, delimiter, self._day_first)
            if self.format is SourceFormat.OUTLOOK:
                return OutlookReader(self.headers, delimiter, self._day_first)
            mapping = self.suggested_mapping()
        return MappedReader(self.headers, mapping, delimiter, self._day_first)

    def _vcards(self, track: bool) -> Iterator[Record]:
        with self._open(track) as text:
            yield from read_vcards(text.stream, self._day_first)
            self._finished(text, track)

    def _rows(self, track: bool) -> Iterator[tuple[int, list[str]] | RejectedRecord]:
        """The data rows, each fitted to the header's width (or refused)."""
        delimiter = self.delimiter or ","
        width = len(self.headers)
        with self._open(track) as text:
            header_seen = False
            for item in read_rows(text.stream, delimiter):
                if isinstance(item, RejectedRecord):
                    yield item
                elif not header_seen:
                    header_seen = True
                else:
                    fitted = fit_row(item[0], item[1], width, delimiter)
                    yield fitted if isinstance(fitted, RejectedRecord) else (item[0], fitted)
            self._finished(text, track)

    def _csv_records(self, reader: Callable[[int, list[str]], Record], track: bool) -> Iterator[Record]:
        for item in self._rows(track):
            yield item if isinstance(item, RejectedRecord) else reader(*item)

    def _flag_replaced(self, records: Iterator[Record]) -> Iterator[Record]:
        """With an encoding the user chose, bytes it cannot decode show as �; say so on the record."""
        warning = f"Some characters could not be read as {self.encoding} and show as “\ufffd”."
        for record in records:
            if isinstance(record, ImportedContact) and "\ufffd" in _all_text(record):
                record = replace(record, warnings=(*record.warnings, warning))
            yield record

    def _open(self, track: bool) -> TextFile:
        try:
            text = TextFile(self.path, self.encoding)
        except OSError as error:
            raise _unreadable(self.path, error) from None
        if track:
            self._reading = text
        return text

    def _finished(self, text: TextFile, track: bool) -> None:
        if track and self._reading is text:
            self._read_before = self.size
            self._reading = None


def _card_row(record: ImportedContact) -> list[str]:
    d = record.draft
    return [d.display_name, record.organisation, d.phones[0][1] if d.phones else "", d.emails[0][1] if d.emails else ""]


def _all_text(record: ImportedContact) -> str:
    d = record.draft
    parts = [d.given_name, d.family_name, d.display_name, d.notes, record.organisation, *d.tags]
    parts += [text for _, text in d.phones] + [text for _, text in d.emails]
    for a in d.addresses:
        parts += [a.street, a.city, a.region, a.postcode, a.country]
    return "\n".join(parts)


def _unreadable(path: Path, error: OSError) -> InterchangeError:
    if isinstance(error, FileNotFoundError):
        return InterchangeError(f"The file “{path.name}” was not found.")
    if isinstance(error, IsADirectoryError):
        return InterchangeError(f"“{path.name}” is a folder, not a file of contacts.")
    if isinstance(error, PermissionError):
        return InterchangeError(f"“{path.name}” could not be read: permission denied.")
    return InterchangeError(f"“{path.name}” could not be read: {error.strerror or error}.")


def open_source(path: str | os.PathLike, *, format: SourceFormat = SourceFormat.AUTO, encoding: str | None = None,
                delimiter: str | None = None, day_first: bool = True) -> Source:
    """Look at the file and say what it is; raises InterchangeError when it cannot be read at all.
    `day_first` reads 04/05/1980 as 4 May (False: as April 5, for US and Canadian businesses)."""
    path = Path(path)
    try:
        if path.is_dir():
            raise IsADirectoryError(path)
        size = path.stat().st_size
        head = read_head(path)
    except OSError as error:
        raise _unreadable(path, error) from None
    if not head:
        raise InterchangeError(f"“{path.name}” is empty.")
    format = SourceFormat(format)
    given = bool(encoding and encoding.strip())
    chosen = known_encoding(encoding) if given else detect_encoding(path, head)
    if not looks_like_text(head, chosen):
        raise InterchangeError(f"“{path.name}” does not look like a text file of contacts (vCard or CSV).")
    sample = decode_head(head, chosen)
    if size <= SAMPLE and not sample.strip(" \t\r\n\ufeff\x00"):
        raise InterchangeError(f"“{path.name}” is empty.")

    if format is SourceFormat.VCARD or (format is SourceFormat.AUTO and detect.looks_like_vcard(sample)):
        if format is SourceFormat.VCARD and not _has_vcard(path, chosen, sample):
            raise InterchangeError(f"“{path.name}” has no vCard in it (no line says BEGIN:VCARD).")
        return Source(path, SourceFormat.VCARD, chosen, None, [], size, day_first, given)

    if delimiter:
        delimiter = _DELIMITER_WORDS.get(delimiter.strip().lower(), delimiter)
        if len(delimiter) != 1:
            raise InterchangeError(f"“{delimiter}” cannot separate columns: give one character, such as a comma.")
    else:
        delimiter = detect.detect_delimiter(detect.header_text(sample))
    headers = detect.read_header(sample, delimiter)
    if format is SourceFormat.AUTO:
        format = detect.csv_flavour(headers)
    return Source(path, format, chosen, delimiter, headers, size, day_first, given)


def _has_vcard(path: Path, encoding: str, sample: str) -> bool:
    if "BEGIN:VCARD" in sample.upper():
        return True
    with TextFile(path, encoding) as text:  # line by line: a big file that is not a vCard stays cheap
        return any(line.lstrip()[:11].upper() == "BEGIN:VCARD" for line in text.stream)
