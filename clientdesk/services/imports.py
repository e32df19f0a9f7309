"""Importing contacts from a vCard or CSV file: one transaction and one undo step for the whole file.

A run reads the file as a stream, in batches: each record is validated, compared with the contacts
already there (and with the records of the same file before it), then added, merged or skipped. A dry
run does exactly the same work and rolls it back, so its summary is the real one. A bad record never
stops the file: it is reported with its line, and the others are kept."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from clientdesk.domain.contacts import (
    Contact,
    ContactDraft,
    ContactFields,
    ContactKind,
    clean_line,
    sort_key,
    validate,
)
from clientdesk.domain.duplicates import Candidate, DuplicateIndex, reason_text
from clientdesk.domain.errors import ClientDeskError, InvalidContact
from clientdesk.domain.merge import merge
from clientdesk.interchange import ImportedContact, RejectedRecord, Source, open_source
from clientdesk.interchange.records import ColumnMapping, Field, SourceFormat
from clientdesk.services.changes import Changes
from clientdesk.services.undo import UndoStack, UndoStep
from clientdesk.storage import Database

BATCH = 1000
# Where 04/05/1980 means April the 5th; everywhere else a numeric birthday is read day first.
MONTH_FIRST_REGIONS = frozenset({"US", "CA", "PH"})
Progress = Callable[[int, int], None]


class DuplicateAction(StrEnum):
    MERGE = "merge"  # add what the record brings to the contact already there
    SKIP = "skip"  # leave the contact as it is; the record is not imported
    KEEP = "keep"  # import the record as a contact of its own


class ImportCancelled(ClientDeskError):
    def __init__(self) -> None:
        super().__init__("The import was cancelled; nothing was imported.")


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


@dataclass(frozen=True, slots=True)
class ImportOptions:
    format: SourceFormat = SourceFormat.AUTO
    encoding: str | None = None  # None: detected
    delimiter: str | None = None  # None: detected (CSV)
    mapping: ColumnMapping | None = None  # None: the format's own, or a guess from the headers (CSV)
    on_duplicate: DuplicateAction = DuplicateAction.MERGE
    decisions: Mapping[int, DuplicateAction] = field(default_factory=dict)  # by line: what the user chose


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """What the import dialog shows before anything is read in full."""

    format: SourceFormat
    encoding: str
    delimiter: str | None
    headers: list[str]
    preview: list[list[str]]
    mapping: ColumnMapping


@dataclass(frozen=True, slots=True)
class RecordProblem:
    line: int
    reason: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class DuplicateFound:
    line: int
    incoming: str  # the record's name
    existing_id: int | None  # None: an earlier record of the same file
    existing: str
    reasons: str  # "same email and phone"
    action: DuplicateAction  # what was (or, in a dry run, would be) done


@dataclass(slots=True)
class ImportSummary:
    file: str
    format: SourceFormat
    encoding: str
    dry_run: bool
    imported: int = 0
    merged: int = 0
    skipped: int = 0  # duplicates skipped, and records that added nothing to their duplicate
    rejected: int = 0
    rejects: list[RecordProblem] = field(default_factory=list)
    warnings: list[RecordProblem] = field(default_factory=list)  # kept, with something moved to the notes
    duplicates: list[DuplicateFound] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)

    def rejects_report(self) -> str:
        """The rejected records as a text file: one line per record, with its line number and reason."""
        lines = [f"{self.file}: {self.rejected:,} rejected record(s)"]
        for problem in self.rejects:
            lines.append(f"line {problem.line}: {problem.reason}" + (f"\n    {problem.text}" if problem.text else ""))
        return "\n".join(lines) + "\n"


@dataclass(slots=True)
class _Undo:
    """What one import changed, to put back. Every contact it added has an id from `first_id` up to
    `end_id` (ids are handed out in order inside the one writing transaction), so the record stays
    small however long the file; merged contacts are kept as they were before."""

    first_id: int = 0
    end_id: int = 0
    merged_before: dict[int, Contact] = field(default_factory=dict)
    done: bool = False

    @property
    def added(self) -> range:
        return range(self.first_id, self.end_id)

    def changed_anything(self) -> bool:
        return bool(self.added) or bool(self.merged_before)


class ImportService:
    def __init__(self, database: Database, undo: UndoStack, region: Callable[[], str],
                 clock: Callable[[], datetime]):
        self._db = database
        self._undo = undo
        self._region = region
        self._clock = clock
        self._last: tuple[str, _Undo] | None = None

    def inspect(self, path: Path, format: SourceFormat = SourceFormat.AUTO, encoding: str | None = None,
                delimiter: str | None = None) -> SourceInfo:
        """The detected format, encoding and columns, and the first rows (raises InterchangeError)."""
        source = self._open(path, format, encoding, delimiter)
        return SourceInfo(source.format, source.encoding, source.delimiter, list(source.headers),
                          source.preview(), source.suggested_mapping())

    def run(self, path: Path, options: ImportOptions = ImportOptions(), *, dry_run: bool = False,
            progress: Progress | None = None, cancelled: Callable[[], bool] = lambda: False) -> ImportSummary:
        """Import the file in one transaction (a dry run rolls it back); raises ImportCancelled when
        `cancelled()` turns true, with nothing written."""
        source = self._open(path, options.format, options.encoding, options.delimiter)
        summary = ImportSummary(path.name, source.format, source.encoding, dry_run)
        record = _Undo()
        try:
            with self._db.writing() as uow:
                _Run(uow, source, options, summary, record, self._region(), self._clock(), progress, cancelled).go()
                if dry_run:
                    raise _DryRun
        except _DryRun:
            return summary
        if record.changed_anything():
            label = f"Import “{path.name}”"
            self._last = (label, record)
            self._undo.push(UndoStep(label, lambda: self._revert(record)))
            summary.changes = Changes(contacts=True, everything=True)
        return summary

    def last_import_label(self) -> str | None:
        """“Import “file.vcf”” while the latest import can still be undone."""
        if self._last is None or self._last[1].done:
            return None
        return self._last[0]

    def undo_last(self) -> Changes:
        """Remove what the latest import added and put back what it merged."""
        if self._last is None or self._last[1].done:
            raise ClientDeskError("There is no import to undo.")
        return self._revert(self._last[1])

    def _open(self, path: Path, format: SourceFormat, encoding: str | None, delimiter: str | None) -> Source:
        day_first = self._region().upper() not in MONTH_FIRST_REGIONS
        return open_source(path, format=format, encoding=encoding, delimiter=delimiter, day_first=day_first)

    def _revert(self, record: _Undo) -> Changes:
        if record.done:  # undone already, through the other path (Edit → Undo or Undo last import)
            return Changes()
        with self._db.writing() as uow:
            still_there = {contact.id for contact in uow.contacts.many(list(record.merged_before))}
            # One deleted since has nothing to put back. A merge never renames, so no member needs refreshing.
            uow.bulk.replace_many([(contact_id, before.fields, before.updated_at)
                                   for contact_id, before in record.merged_before.items() if contact_id in still_there])
            uow.contacts.delete_many(record.added)
        record.done = True
        return Changes(contacts=True, everything=True)


class _Batch:
    """What one batch is compared with and what it will write: the stored candidates and the batch's own
    records, indexed together; contacts to add; stored contacts to merge into."""

    def __init__(self, stored: list[Candidate]):
        self.known: dict[int, Candidate] = {candidate.key: candidate for candidate in stored}
        self.index = DuplicateIndex(stored)
        self.new: dict[int, tuple[int, ContactFields, datetime, datetime]] = {}
        self.merged: dict[int, ContactFields] = {}


class _Run:
    """One pass over the file inside the caller's transaction.

    Each batch is written before the next is read, so a record is compared with the stored contacts —
    those of earlier batches of the same file included — by the database's indexes, and only the
    current batch is held in memory."""

    def __init__(self, uow, source: Source, options: ImportOptions, summary: ImportSummary, record: _Undo,
                 region: str, now: datetime, progress: Progress | None, cancelled: Callable[[], bool]):
        self._uow = uow
        self._source = source
        self._options = options
        self._summary = summary
        self._record = record
        self._region = region
        self._now = now
        self._progress = progress
        self._cancelled = cancelled
        self._organisations: dict[str, int] = {}  # folded name → id, found or created in this import
        record.first_id = record.end_id = uow.bulk.next_id()

    def go(self) -> None:
        total = max(self._source.size, 1)
        with self._uow.bulk.roomy_cache():
            for batch in _batches(self._source.records(self._options.mapping), BATCH):
                if self._cancelled():
                    raise ImportCancelled
                self._take(batch)
                if self._progress:
                    self._progress(min(self._source.bytes_read(), total), total)

    def _take(self, records: Sequence[ImportedContact | RejectedRecord]) -> None:
        valid: list[tuple[ImportedContact, ContactFields]] = []
        for item in records:
            if isinstance(item, RejectedRecord):
                self._reject(item.line, item.reason, item.text)
                continue
            fields = self._validated(item)
            if fields is not None:
                valid.append((item, fields))
        batch = _Batch(self._uow.contacts.duplicate_candidates([(fields, item.organisation) for item, fields in valid]))
        unknown = {clean_line(item.organisation) for item, fields in valid
                   if item.organisation and sort_key(clean_line(item.organisation)) not in self._organisations}
        if unknown:
            self._organisations.update(self._uow.contacts.organisations_named(unknown))
        for item, fields in valid:
            organisation_id = self._organisation_id(item.organisation, fields, batch)
            if organisation_id != fields.organisation_id:
                fields = replace(fields, organisation_id=organisation_id)
            # A person sharing the company's switchboard number is not the company: kinds must agree.
            matches = [m for m in batch.index.matches(fields, item.organisation)
                       if batch.known[m.key].fields.kind is fields.kind]
            if matches:
                self._duplicate(item, fields, batch.known[matches[0].key], matches[0].reasons, batch)
                continue
            self._add(Candidate(0, fields, item.organisation), batch)
            self._summary.imported += 1
        if batch.new:
            self._uow.bulk.add_many(list(batch.new.values()))
        if batch.merged:
            first_time = [key for key in batch.merged
                          if key < self._record.first_id and key not in self._record.merged_before]
            for contact in self._uow.contacts.many(first_time):
                self._record.merged_before[contact.id] = contact
            self._uow.bulk.replace_many([(key, fields, self._now) for key, fields in batch.merged.items()])

    def _add(self, candidate: Candidate, batch: _Batch) -> int:
        candidate = replace(candidate, key=self._record.end_id)
        self._record.end_id += 1
        batch.new[candidate.key] = (candidate.key, candidate.fields, self._now, self._now)
        if candidate.fields.kind is ContactKind.ORGANISATION:
            # Members further down the file belong to it rather than to a second one of the same name.
            self._organisations.setdefault(sort_key(candidate.fields.display_name), candidate.key)
        batch.index.add(candidate)
        batch.known[candidate.key] = candidate
        return candidate.key

    def _duplicate(self, item: ImportedContact, fields: ContactFields, target: Candidate, reasons,
                   batch: _Batch) -> None:
        action = self._options.decisions.get(item.line, self._options.on_duplicate)
        of_this_file = target.key >= self._record.first_id
        self._summary.duplicates.append(DuplicateFound(
            item.line, fields.display_name, None if of_this_file else target.key, target.fields.display_name,
            reason_text(reasons), action))
        if action is DuplicateAction.KEEP:
            self._add(Candidate(0, fields, item.organisation), batch)
            self._summary.imported += 1
            return
        if action is DuplicateAction.SKIP:
            self._summary.skipped += 1
            return
        result = merge(target.fields, fields)
        if not result.changed:
            self._summary.skipped += 1
            return
        if target.key in batch.new:  # not written yet: this batch's own
            batch.new[target.key] = (target.key, result.fields, self._now, self._now)
        else:
            batch.merged[target.key] = result.fields
        updated = replace(target, fields=result.fields)
        batch.index.replace(updated)
        batch.known[target.key] = updated
        self._summary.merged += 1

    def _organisation_id(self, name: str, fields: ContactFields, batch: _Batch) -> int | None:
        """The organisation named in the file: one already there, or one this import creates (once),
        written with the batch ahead of its members."""
        name = clean_line(name)
        if not name or fields.kind is ContactKind.ORGANISATION:
            return fields.organisation_id
        key = sort_key(name)
        if key not in self._organisations:  # neither stored (looked up for the whole batch) nor made yet
            organisation = validate(ContactDraft(kind=ContactKind.ORGANISATION, display_name=name), self._region)
            self._organisations[key] = self._add(Candidate(0, organisation, ""), batch)
        return self._organisations[key]

    def _validated(self, item: ImportedContact) -> ContactFields | None:
        """The record as a valid contact. A phone or email that is not valid does not cost the whole
        record: it is moved to the notes (as written), with a warning."""
        for warning in item.warnings:
            self._summary.warnings.append(RecordProblem(item.line, warning))
        draft = item.draft
        shown = draft.display_name or " ".join(filter(None, (draft.given_name, draft.family_name)))
        try:
            return validate(draft, self._region)
        except InvalidContact as error:
            fields = {problem.field for problem in error.problems}
            bad_phones = {int(f[7:-1]) for f in fields if f.startswith("phones[")}
            bad_emails = {int(f[7:-1]) for f in fields if f.startswith("emails[")}
            if not bad_phones and not bad_emails:
                self._reject(item.line, error.sentence(), shown[:80])
                return None
            moved = [f"{label or 'phone'}: {text}" for n, (label, text) in enumerate(draft.phones) if n in bad_phones]
            moved += [f"{label or 'email'}: {text}" for n, (label, text) in enumerate(draft.emails) if n in bad_emails]
            note = "As imported, not valid: " + "; ".join(moved)
            draft = replace(
                draft, phones=tuple(p for n, p in enumerate(draft.phones) if n not in bad_phones),
                emails=tuple(e for n, e in enumerate(draft.emails) if n not in bad_emails),
                notes=f"{draft.notes}\n\n{note}".strip())
            try:
                fields = validate(draft, self._region)
            except InvalidContact as again:
                self._reject(item.line, again.sentence(), shown[:80])
                return None
            self._summary.warnings.append(RecordProblem(item.line, f"Kept in the notes: {'; '.join(moved)}"))
            return fields

    def _reject(self, line: int, reason: str, text: str) -> None:
        self._summary.rejected += 1
        self._summary.rejects.append(RecordProblem(line, reason, text))


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


__all__ = ["ColumnMapping", "DuplicateAction", "Field", "SourceFormat", "DuplicateFound", "ImportCancelled", "ImportOptions", "ImportService",
           "ImportSummary", "RecordProblem", "SourceInfo"]
