"""Importing contacts from a vCard or CSV file: one transaction and one undo step for the whole file.

A run reads the file as a stream, in batches: each record is validated, compared with the contacts
already there (and with the records of the same file before it), then added, merged or skipped. A dry
run does exactly the same work and rolls it back, so its summary is the real one. A bad record never
stops the file: it is reported with its line, and the others are kept."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from itertools import starmap
from pathlib import Path
from typing import TYPE_CHECKING

from clientdesk.domain.contacts import (
    Address,
    Birthday,
    Contact,
    ContactDraft,
    ContactFields,
    ContactKind,
    clean_line,
    sort_key,
    validate,
)
from clientdesk.domain.duplicates import Candidate, DuplicateIndex, Probe, reason_text
from clientdesk.domain.emails import Email
from clientdesk.domain.errors import ClientDeskError, InvalidContact
from clientdesk.domain.merge import merge
from clientdesk.domain.phones import Phone
from clientdesk.interchange import ImportedContact, RejectedRecord, Source, open_source
from clientdesk.interchange.records import ColumnMapping, Field, SourceFormat
from clientdesk.services.changes import Changes
from clientdesk.services.collector import full_collections_rare
from clientdesk.services.undo import UndoStack, UndoStep
from clientdesk.storage import Database
from clientdesk.storage.search.documents import phone_fragments

if TYPE_CHECKING:
    from clientdesk.storage.contacts_repository import PreparedRows

BATCH = 1000
# From this size on, a file is read and validated in a second process while this one compares and writes
# (about 12,000 rows of a Google CSV); below it, starting the process would cost more than it saves.
READ_ASIDE_BYTES = 2 * 2**20
READER_NICENESS = 10
# While an import lasts, a full garbage collection only after this many of the middle generation's (Python's
# default: 10), which does not come within a file of a million rows.
FULL_COLLECTION_EVERY = 1000
# How long a thread may hold the GIL while another waits for it, while an import lasts (Python's default: 5 ms).
IMPORT_SWITCH_INTERVAL = 0.0005
# What the pipe from that process may hold: about five batches of a Google CSV (Linux's limit for a user).
PIPE_BYTES = 2**20
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
        return open_source(path, format=format, encoding=encoding, delimiter=delimiter,
                           day_first=_day_first(self._region()))

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
    """One batch's part of what is compared: the index and the contacts it holds (kept from batch to batch:
    the stored candidates read for this batch, the last batch's new contacts, not in the tables yet, and
    this batch's own); and what the batch will write: contacts to add, contacts written before to merge."""

    def __init__(self, index: DuplicateIndex, known: dict[int, Candidate]):
        self.index = index
        self.known = known
        self.new: dict[int, tuple[int, ContactFields, datetime, datetime]] = {}
        self.merged: dict[int, ContactFields] = {}
        self.phone_texts: dict[int, str] = {}  # new contacts' search documents' phone column, where made already


class _Run:
    """One pass over the file inside the caller's transaction.

    A record is compared with the stored contacts — those of earlier batches of the same file included — by
    the database's indexes, and with the last batch's new contacts, which are still held in memory while the
    writer thread moves them into the tables: only two batches are held in memory at any time.

    The connection is the one thing the steps must take turns at, so each batch's turn is short: the
    last batch's rows are staged (made in Python beforehand) and this batch's candidates read; then, while the
    writer thread moves the last batch in (SQLite's work, without the GIL), this batch is compared and its
    rows made, and the next batch is taken over from the reader."""

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
        self._day_first = _day_first(region)
        self._organisations: dict[str, int] = {}  # folded name → id, found or created in this import
        self._writer: ThreadPoolExecutor | None = None
        self._moving: Future | None = None  # what the writer thread is moving into the tables
        self._prepared: PreparedRows | None = None  # the last batch's rows, made but not staged yet
        # What records are compared with: the stored candidates of the batch (`_stored`) and the new contacts
        # of the last batch (`_unmoved`: in memory only) and of this one. Entries of contacts moved in since
        # (`_moved`) leave it before the next batch's candidates come, so it holds two batches at most.
        self._index = DuplicateIndex()
        self._known: dict[int, Candidate] = {}
        self._stored: list[int] = []
        self._unmoved: list[int] = []
        self._moved: list[int] = []
        record.first_id = record.end_id = uow.bulk.next_id()

    def go(self) -> None:
        total = max(self._source.size, 1)
        with _tuned_for_importing(), self._uow.bulk.roomy_cache(), \
                ThreadPoolExecutor(1, thread_name_prefix="import-writer") as writer:
            self._writer = writer
            batches = self._checked_batches()
            try:
                for batch, read in batches:
                    if self._cancelled():
                        raise ImportCancelled
                    self._take(batch)
                    if self._progress:
                        self._progress(min(read, total), total)
                self._written()
                self._move_prepared(wait=True)
            finally:
                batches.close()  # a second process reading ahead is stopped
                self._written(raising=False)
            self._uow.bulk.unstage()

    def _checked_batches(self) -> Iterator[tuple[list[_Checked], int]]:
        """The file's records, read and validated, a batch at a time with how far into the file it ends. A
        large file is read and validated by a second process meanwhile (`_read_aside`), so that work runs
        beside this process's comparing and writing; a small one here, sparing the process's start-up."""
        options = self._options
        # Not from a frozen bundle, whose executable is the application rather than Python.
        if self._source.size >= READ_ASIDE_BYTES and sys.executable and not getattr(sys, "frozen", False):
            return _read_aside(self._source.path, options, self._day_first, self._region, BATCH)
        return _read_here(self._source, options.mapping, self._region, BATCH)

    def _written(self, raising: bool = True) -> None:
        """Waits for the batch being moved into the tables on the writer thread: nothing else may use the
        connection meanwhile. Its error, if any, is raised — unless another is already on its way out."""
        moving, self._moving = self._moving, None
        if moving is not None:
            error = moving.exception()
            if error is not None and raising:
                raise error

    def _move_prepared(self, wait: bool) -> None:
        """The last batch's prepared rows staged, and moved in by the writer thread (or here, when `wait`)."""
        prepared, self._prepared = self._prepared, None
        if prepared is None:
            return
        rows, documents = self._uow.bulk.stage(prepared)

        def move() -> None:
            rows()
            documents()

        if wait:
            move()
        else:
            self._moving = self._writer.submit(move)

    def _take(self, records: Sequence[_Checked]) -> None:
        valid: list[tuple[_Checked, ContactFields]] = []
        for item in records:
            for rejected, problem in item.problems:
                if rejected:
                    self._summary.rejected += 1
                    self._summary.rejects.append(problem)
                else:
                    self._summary.warnings.append(problem)
            if item.fields is not None:
                valid.append((item, item.fields))
        # The connection's turn: the batch before the last is in the tables by now; the last one is staged
        # after this batch's candidates are read (so they are not among them: they are compared in memory).
        looked_for = self._uow.contacts.candidate_keys([(fields, item.organisation) for item, fields in valid])
        self._written()
        bulk = self._uow.bulk
        stored = self._uow.contacts.candidates_for(looked_for)
        unknown = {clean_line(item.organisation) for item, fields in valid
                   if item.organisation and sort_key(clean_line(item.organisation)) not in self._organisations}
        if unknown:
            found = self._uow.contacts.organisations_named(unknown)
            self._organisations.update(found)
            bulk.learn_organisation_names(found.values())  # copied into their members' rows without the connection
        self._move_prepared(wait=False)
        # The writer thread's turn, and this thread's comparing.
        for key in (*self._stored, *self._moved):
            self._index.remove(key)
            del self._known[key]
        for candidate in stored:
            self._index.add(candidate)
            self._known[candidate.key] = candidate
        self._stored = [candidate.key for candidate in stored]
        batch = _Batch(self._index, self._known)
        for item, fields in valid:
            organisation_id = self._organisation_id(item.organisation, fields, batch)
            if organisation_id != fields.organisation_id:
                fields = _with_organisation(fields, organisation_id)
            # Compared, then filed if added (the organisation's id is no part of it).
            probe = item.probe or batch.index.probe(fields, item.organisation)
            # A person sharing the company's switchboard number is not the company: kinds must agree.
            matches = [m for m in batch.index.matches_of(probe) if batch.known[m.key].fields.kind is fields.kind]
            if matches:
                self._duplicate(item, fields, batch.known[matches[0].key], matches[0].reasons, batch, probe)
                continue
            self._add(Candidate(0, fields, item.organisation), batch, probe, item.phone_text)
            self._summary.imported += 1
        new = list(batch.new.values())
        # The last batch will be moved in by the next batch's candidates; this one is in memory only till then.
        self._moved, self._unmoved = self._unmoved, list(batch.new)
        self._prepared = bulk.prepare_many(new, batch.phone_texts) if new else None
        if batch.merged:
            # Merged contacts may name an organisation of this batch, or be of the last one: every row must be
            # in first. This batch is then moved in at once, and the next one compared with the tables only.
            self._written()
            self._move_prepared(wait=True)
            self._moved, self._unmoved = self._moved + self._unmoved, []
            first_time = [key for key in batch.merged
                          if key < self._record.first_id and key not in self._record.merged_before]
            for contact in self._uow.contacts.many(first_time):
                self._record.merged_before[contact.id] = contact
            bulk.replace_many([(key, fields, self._now) for key, fields in batch.merged.items()])

    def _add(self, candidate: Candidate, batch: _Batch, probe: Probe | None = None,
             phone_text: str | None = None) -> int:
        candidate = Candidate(self._record.end_id, candidate.fields, candidate.organisation)
        self._record.end_id += 1
        if phone_text is not None:
            batch.phone_texts[candidate.key] = phone_text
        batch.new[candidate.key] = (candidate.key, candidate.fields, self._now, self._now)
        if candidate.fields.kind is ContactKind.ORGANISATION:
            # Members further down the file belong to it rather than to a second one of the same name.
            self._organisations.setdefault(sort_key(candidate.fields.display_name), candidate.key)
        batch.index.add(candidate, probe)
        batch.known[candidate.key] = candidate
        return candidate.key

    def _duplicate(self, item: _Checked, fields: ContactFields, target: Candidate, reasons,
                   batch: _Batch, probe: Probe) -> None:
        action = self._options.decisions.get(item.line, self._options.on_duplicate)
        of_this_file = target.key >= self._record.first_id
        self._summary.duplicates.append(DuplicateFound(
            item.line, fields.display_name, None if of_this_file else target.key, target.fields.display_name,
            reason_text(reasons), action))
        if action is DuplicateAction.KEEP:
            self._add(Candidate(0, fields, item.organisation), batch, probe, item.phone_text)
            self._summary.imported += 1
            return
        if action is DuplicateAction.SKIP:
            self._summary.skipped += 1
            return
        result = merge(target.fields, fields)
        if not result.changed:
            self._summary.skipped += 1
            return
        updated = replace(target, fields=result.fields)
        batch.index.replace(updated)
        batch.known[target.key] = updated
        if target.key in batch.new:  # not written yet: this batch's own
            batch.new[target.key] = (target.key, result.fields, self._now, self._now)
            batch.phone_texts.pop(target.key, None)  # its numbers may have changed
        else:
            batch.merged[target.key] = result.fields
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


@dataclass(frozen=True, slots=True)
class _Checked:
    """A record read and validated: the contact it makes (None: rejected), and what the summary is told
    about it — (rejected?, problem) in order. Made in a second process for a large file, so it carries
    only what the comparing and writing need — and, from there, what they would otherwise work out from the
    fields here: what the record is compared by, and its search document's phone column."""

    line: int
    organisation: str = ""
    fields: ContactFields | None = None
    problems: tuple[tuple[bool, RecordProblem], ...] = ()
    probe: Probe | None = None  # DuplicateIndex.probe(fields, organisation)
    phone_text: str | None = None  # phone_fragments of the fields' numbers


def _check(item: ImportedContact | RejectedRecord, region: str) -> _Checked:
    """The record as a valid contact. A phone or email that is not valid does not cost the whole record:
    it is moved to the notes (as written), with a warning."""
    if isinstance(item, RejectedRecord):
        return _Checked(item.line, problems=((True, RecordProblem(item.line, item.reason, item.text)),))
    problems = [(False, RecordProblem(item.line, warning)) for warning in item.warnings]
    draft = item.draft
    shown = draft.display_name or " ".join(filter(None, (draft.given_name, draft.family_name)))
    try:
        return _Checked(item.line, item.organisation, validate(draft, region), tuple(problems))
    except InvalidContact as error:
        fields = {problem.field for problem in error.problems}
        bad_phones = {int(f[7:-1]) for f in fields if f.startswith("phones[")}
        bad_emails = {int(f[7:-1]) for f in fields if f.startswith("emails[")}
        if not bad_phones and not bad_emails:
            problems.append((True, RecordProblem(item.line, error.sentence(), shown[:80])))
            return _Checked(item.line, item.organisation, None, tuple(problems))
        moved = [f"{label or 'phone'}: {text}" for n, (label, text) in enumerate(draft.phones) if n in bad_phones]
        moved += [f"{label or 'email'}: {text}" for n, (label, text) in enumerate(draft.emails) if n in bad_emails]
        note = "As imported, not valid: " + "; ".join(moved)
        draft = replace(
            draft, phones=tuple(p for n, p in enumerate(draft.phones) if n not in bad_phones),
            emails=tuple(e for n, e in enumerate(draft.emails) if n not in bad_emails),
            notes=f"{draft.notes}\n\n{note}".strip())
        try:
            fields = validate(draft, region)
        except InvalidContact as again:
            problems.append((True, RecordProblem(item.line, again.sentence(), shown[:80])))
            return _Checked(item.line, item.organisation, None, tuple(problems))
        problems.append((False, RecordProblem(item.line, f"Kept in the notes: {'; '.join(moved)}")))
        return _Checked(item.line, item.organisation, fields, tuple(problems))


def _read_here(source: Source, mapping: ColumnMapping | None, region: str,
               size: int) -> Iterator[tuple[list[_Checked], int]]:
    for batch in _batches(source.records(mapping), size):
        yield [_check(item, region) for item in batch], source.bytes_read()


def _read_aside(path: Path, options: ImportOptions, day_first: bool, region: str,
                size: int) -> Iterator[tuple[list[_Checked], int]]:
    """`_read_here` in a second Python process, handing the batches back pickled through a pipe. The pipe
    is the bound on memory: the process waits while this one has not taken what it wrote, so it is never
    more than a batch or so ahead. A fresh interpreter (no fork: nothing of this process's threads, Qt or
    open database goes with it), started by its own command rather than multiprocessing's, which would
    run the script that started this process again in it. Closing the generator (done, cancelled, or
    failed) stops the process; an error it meets is raised here, as if the file had been read here."""
    process = subprocess.Popen([sys.executable, "-c", _READER_BOOT], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    _widen(process.stdout)
    try:
        try:
            pickle.dump(list(sys.path), process.stdin)
            pickle.dump((path, options.format, options.encoding, options.delimiter, day_first, options.mapping,
                         region, size), process.stdin)
            process.stdin.close()
        except BrokenPipeError:  # it ended at once: said below, when nothing comes back
            pass
        while True:
            try:
                kind, value = pickle.load(process.stdout)
            except (EOFError, pickle.UnpicklingError):
                raise ClientDeskError("The import stopped: the process reading the file ended unexpectedly.") from None
            if kind == "batch":
                yield [_checked(item) for item in value[0]], value[1]
            elif kind == "error":
                raise value
            else:
                return
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()
            except OSError:  # what was left unwritten can no longer go
                pass


def _widen(pipe) -> None:
    """A pipe holds 64 KiB by default, under half a batch: the second process would wait for this one to read
    before it could finish the next batch, and so work only while this one reads. Where the pipe can be
    widened (Linux), it holds a few batches; the bound on memory stays the pipe's."""
    try:
        import fcntl

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):  # another system, or a lower limit set for the machine
        pass


# The second process's first statements: the first process's import path, then the work.
_READER_BOOT = ("import pickle, sys; sys.path[:] = pickle.load(sys.stdin.buffer); "
                "from clientdesk.services.imports import _reader_process; _reader_process()")


def _reader_process() -> None:
    """The second process's work: the file opened as the first process opened it, read and validated, each
    batch written to standard output as soon as it is ready."""
    if hasattr(os, "nice") and READER_NICENESS:
        try:
            # The first process's writing is the longest chain of the import; this one, ahead by a few
            # batches, can make do with what it leaves of the machine.
            os.nice(READER_NICENESS)
        except OSError:
            pass
    with _tuned_for_importing():
        _read_for_the_first_process()


def _read_for_the_first_process() -> None:
    out = sys.stdout.buffer
    try:
        path, format, encoding, delimiter, day_first, mapping, region, size = pickle.load(sys.stdin.buffer)
        source = open_source(path, format=format, encoding=encoding, delimiter=delimiter, day_first=day_first)
        for batch, read in _read_here(source, mapping, region, size):
            pickle.dump(("batch", ([_plain(item) for item in batch], read)), out, pickle.HIGHEST_PROTOCOL)
            out.flush()
        message = ("end", None)
    except BaseException as error:  # handed to the first process, which raises it
        try:
            pickle.dumps(error)
        except Exception:
            error = ClientDeskError(f"The file could not be read: {type(error).__name__}: {error}")
        message = ("error", error)
    try:
        pickle.dump(message, out, pickle.HIGHEST_PROTOCOL)
        out.flush()
    except BrokenPipeError:  # the first process stopped reading (cancelled)
        pass


def _plain(item: _Checked) -> tuple:
    """A checked record as nested tuples of plain values, which pickle and unpickle many times faster than
    the dataclasses themselves (whose unpickling runs Python code for every field)."""
    f = item.fields
    fields = None if f is None else (
        f.kind.value, f.given_name, f.family_name, f.display_name, f.organisation_id,
        tuple((p.raw, p.e164, p.label) for p in f.phones), tuple((e.address, e.label) for e in f.emails),
        tuple((a.street, a.city, a.region, a.postcode, a.country, a.label) for a in f.addresses),
        None if f.birthday is None else (f.birthday.day, f.birthday.month, f.birthday.year),
        f.tags, f.notes, f.referred_by_id)
    # Worked out here, in the second process, rather than in the first, which has more to do.
    extra = None if f is None else (DuplicateIndex.probe(f, item.organisation).plain(),
                                    phone_fragments(p.e164 for p in f.phones))
    return (item.line, item.organisation, fields,
            tuple((rejected, p.line, p.reason, p.text) for rejected, p in item.problems), extra)


def _checked(plain: tuple) -> _Checked:
    """`_plain` undone."""
    line, organisation, fields, problems, extra = plain
    probe = phone_text = None
    if fields is not None:
        kind, given, family, display, organisation_id, phones, emails, addresses, birthday, tags, notes, referrer = fields
        fields = ContactFields(
            ContactKind(kind), given, family, display, organisation_id, tuple(starmap(Phone, phones)),
            tuple(starmap(Email, emails)), tuple(starmap(Address, addresses)),
            None if birthday is None else Birthday(*birthday), tags, notes, referrer)
        probe, phone_text = Probe.from_plain(fields.kind, extra[0]), extra[1]
    return _Checked(line, organisation, fields, tuple(
        (rejected, RecordProblem(at, reason, text)) for rejected, at, reason, text in problems) if problems else (),
        probe, phone_text)


@contextmanager
def _tuned_for_importing() -> Iterator[None]:
    """Two of the interpreter's settings changed while an import lasts, and put back after.

    Full garbage collections made rare (services/collector.py): each batch's records live on while the next is
    compared, long enough to reach the oldest generation, and its collections were a quarter of the first
    process's time on a large file. The import makes no cycles of its own, so memory stays as flat as before.

    A thread waiting for the GIL gets it sooner: the writer thread takes it back after each statement it
    runs, and would otherwise wait up to 5 ms for the comparing thread to let go each time — with the
    connection idle meanwhile, when the connection is what the whole import waits on."""
    switching = sys.getswitchinterval()
    sys.setswitchinterval(min(switching, IMPORT_SWITCH_INTERVAL))
    try:
        with full_collections_rare(FULL_COLLECTION_EVERY):
            yield
    finally:
        if sys.getswitchinterval() == min(switching, IMPORT_SWITCH_INTERVAL):  # unless changed meanwhile
            sys.setswitchinterval(switching)


def _with_organisation(f: ContactFields, organisation_id: int | None) -> ContactFields:
    """`replace(f, organisation_id=…)`, spelt out: a third of an import's records have an organisation, and
    `replace` works out the fields' names each time."""
    return ContactFields(f.kind, f.given_name, f.family_name, f.display_name, organisation_id, f.phones, f.emails,
                         f.addresses, f.birthday, f.tags, f.notes, f.referred_by_id)


def _day_first(region: str) -> bool:
    return region.upper() not in MONTH_FIRST_REGIONS


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
