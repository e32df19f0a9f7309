"""A large import reads and validates in a second process and moves each batch into the tables on a writer
thread: the same summary and the same contacts as reading here and writing at once, and every promise of
an import kept — each bad record with its line, a dry run writing nothing, a cancel, a crash or an error
in either helper leaving the database as it was."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from clientdesk.domain.contacts import Address, Birthday, ContactFields, ContactKind
from clientdesk.domain.duplicates import DuplicateIndex
from clientdesk.domain.emails import Email
from clientdesk.domain.phones import Phone
from clientdesk.interchange.errors import InterchangeError
from clientdesk.services import imports
from clientdesk.services.imports import DuplicateAction, ImportCancelled, ImportOptions, RecordProblem
from clientdesk.storage.contacts_repository import BulkContactWriter
from clientdesk.storage.search.documents import phone_fragments
from tests.helpers import person

# Organisations named by their members, a member repeated (merged), a close name at the same organisation,
# bad phones and emails (kept in the notes), a record without a name (rejected), a bad birthday, tags.
CSV = """Name,Phone,Email,Company,Birthday,Labels,Notes
Ana Silva,07911 123456,ana@acme.example,Acme Ltd,12/04/1980,vip ::: * myContacts,Prefers mornings
Ben Jones,not a phone,ben@example.org,,,,
Cara Lee,,not an email,,1 April,,
,,,,,,
,020 7946 0000,,,,,
Dev Patel,020 7946 0958,dev@example.org,Acme Ltd,31/02/1990,trade,
Ana Silva,+44 7911 123456,ana.home@example.org,Acme Ltd,,newsletter,Side door
Anna Silva,,,Acme Ltd,,,
Eve Stone,0113 496 0000,eve@stone.example,Stone & Co,,local ::: vip,
Finn Ray,,finn@example.org,Stone & Co,1975-06-01,,
Gus Ade,0113 496 0001,gus@example.org,,,,
Gus Ade,0113 496 0001,,,,,
Hana Kim,,hana@example.org,,,,
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    return path


def stored(workspace) -> list[tuple]:
    with workspace.database.reading() as uow:
        ids = list(workspace.contacts.ordered_ids())
        contacts = uow.contacts.many(sorted(ids))
        search = {text: sorted(summary.id for summary in workspace.contacts.find(text))
                  for text in ("7946", "acme", "vip", "stone")}
    return [(contact.id, contact.fields) for contact in contacts] + [tuple(sorted(search.items()))]


def summary_of(summary) -> tuple:
    return (summary.imported, summary.merged, summary.skipped, summary.rejected, summary.rejects, summary.warnings,
            summary.duplicates)


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 2)


@pytest.fixture
def aside(monkeypatch):
    monkeypatch.setattr(imports, "READ_ASIDE_BYTES", 0)


def read_aside_is_used(monkeypatch) -> list:
    started = []
    original = imports._read_aside

    def spied(*arguments):
        started.append(arguments)
        return original(*arguments)

    monkeypatch.setattr(imports, "_read_aside", spied)
    return started


@pytest.mark.parametrize("on_duplicate", list(DuplicateAction))
def test_reading_aside_gives_the_same_summary_and_contacts_as_reading_here(
        tmp_path, small_batches, monkeypatch, on_duplicate):
    from clientdesk.services.workspace import Workspace
    from tests.conftest import GB

    path = write(tmp_path, "people.csv", CSV)
    results = []
    for threshold in (10**12, 0):  # here, then aside
        monkeypatch.setattr(imports, "READ_ASIDE_BYTES", threshold)
        started = read_aside_is_used(monkeypatch)
        workspace = Workspace.open(tmp_path / f"db-{threshold}.sqlite3")
        try:
            workspace.business.save(GB)
            workspace.contacts.create(person("Hana", "Kim"))  # a stored duplicate by name
            summary = workspace.imports.run(path, ImportOptions(on_duplicate=on_duplicate))
            results.append((summary_of(summary), stored(workspace)))
        finally:
            workspace.close()
        assert bool(started) == (threshold == 0)
    here, there = results
    assert there == here
    assert here[0][3] == 1 and here[0][4][0].line == 6  # the nameless record, with its line
    assert len(here[0][6]) >= 2 and here[0][5]  # duplicates found, and warnings


def test_checked_records_cross_between_processes_unchanged():
    fields = ContactFields(
        ContactKind.PERSON, "Ana", "Silva", "Ana Silva", 7, (Phone("07911 123456", "+447911123456", "mobile"),),
        (Email("ana@acme.example", "work"), Email("ana@home.example", "home")),
        (Address("1 High St\nFlat 2", "Leeds", "West Yorkshire", "LS1 1AA", "United Kingdom", "home"),),
        Birthday(12, 4, 1980), ("vip", "trade"), "Prefers mornings", 3)
    checked = imports._Checked(4, "Acme Ltd", fields, ((False, RecordProblem(4, "moved", "")),
                                                       (True, RecordProblem(4, "bad", "Ana")),))
    crossed = imports._checked(imports._plain(checked))
    # What the comparing and the search document would work out from the fields comes made with them.
    assert crossed == dataclasses.replace(checked, probe=DuplicateIndex.probe(fields, "Acme Ltd"),
                                          phone_text=phone_fragments(["+447911123456"]))
    rejected = imports._Checked(9, problems=((True, RecordProblem(9, "no name", ",,,")),))
    assert imports._checked(imports._plain(rejected)) == rejected
    # The plain form lists every field: one added to these classes must be added to it too.
    assert [len(dataclasses.fields(kind)) for kind in (ContactFields, Phone, Email, Address, Birthday,
                                                       RecordProblem, imports._Checked)] == [12, 3, 2, 6, 3, 3, 6]


def test_a_dry_run_aside_writes_nothing(workspace, tmp_path, small_batches, aside, monkeypatch):
    started = read_aside_is_used(monkeypatch)
    summary = workspace.imports.run(write(tmp_path, "people.csv", CSV), dry_run=True)
    assert started and summary.imported > 5
    assert workspace.contacts.count() == 0 and workspace.contacts.find("acme") == []


def test_a_cancel_stops_the_second_process_and_leaves_the_database_as_it_was(
        workspace, tmp_path, small_batches, aside, monkeypatch):
    processes = []
    original = imports.subprocess.Popen

    def recorded(*arguments, **options):
        processes.append(original(*arguments, **options))
        return processes[-1]

    monkeypatch.setattr(imports.subprocess, "Popen", recorded)
    existing = workspace.contacts.create(person("Hana", "Kim")).contact_id
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(ImportCancelled):
        workspace.imports.run(write(tmp_path, "people.csv", CSV), cancelled=cancelled)
    assert [process.poll() is not None for process in processes] == [True]
    assert workspace.contacts.count() == 1 and workspace.contacts.get(existing).display_name == "Hana Kim"


def test_an_error_in_the_writer_thread_rolls_the_whole_import_back(workspace, tmp_path, small_batches, monkeypatch):
    original = BulkContactWriter.stage
    staged = []

    def failing(self, prepared):
        rows, documents = original(self, prepared)
        staged.append(prepared)
        if len(staged) != 3:
            return rows, documents

        def broken():
            documents()
            raise OSError("disk full")
        return rows, broken

    monkeypatch.setattr(BulkContactWriter, "stage", failing)
    with pytest.raises(OSError, match="disk full"):
        workspace.imports.run(write(tmp_path, "people.csv", CSV))
    assert workspace.contacts.count() == 0 and workspace.contacts.find("acme") == []
    # The connection is left fit for the next import, which writes everything.
    monkeypatch.setattr(BulkContactWriter, "stage", original)
    assert workspace.imports.run(write(tmp_path, "people.csv", CSV)).imported > 5


def test_an_error_in_the_second_process_is_raised_as_if_read_here(tmp_path):
    missing = tmp_path / "gone.csv"
    with pytest.raises(InterchangeError) as here:
        imports.open_source(missing)
    with pytest.raises(InterchangeError) as there:
        list(imports._read_aside(missing, ImportOptions(), True, "GB", 2))
    assert str(there.value) == str(here.value)


def test_a_second_process_that_dies_is_reported_not_waited_for(tmp_path, monkeypatch):
    monkeypatch.setattr(imports, "_READER_BOOT", "import sys; sys.exit(3)")
    with pytest.raises(imports.ClientDeskError, match="ended unexpectedly"):
        list(imports._read_aside(write(tmp_path, "people.csv", CSV), ImportOptions(), True, "GB", 2))


def test_staged_rows_are_the_rows_add_many_writes(tmp_path):
    """The import's staged writes and the demo's direct ones leave the same rows, search documents included."""
    from datetime import UTC, datetime

    from clientdesk.services.workspace import Workspace

    now = datetime(2026, 3, 1, 9, tzinfo=UTC)
    acme = ContactFields(ContactKind.ORGANISATION, "", "", "Acme Ltd", phones=(Phone("020 7946 0000", "+442079460000"),))
    ana = ContactFields(
        ContactKind.PERSON, "Ana", "Silva", "Ana Silva", None,
        (Phone("07911 123456", "+447911123456"), Phone("020 7946 0958", "+442079460958", "work")),
        (Email("ana@acme.example"),), (Address("1 High St", "Leeds", country="United Kingdom"),),
        Birthday(12, 4), ("vip", "Trade"), "Prefers mornings")
    tables = ("contact", "contact_phone", "contact_email", "contact_address", "contact_tag", "tag")
    written = []
    for staged in (False, True):
        workspace = Workspace.open(tmp_path / f"{staged}.sqlite3")
        try:
            with workspace.database.writing() as uow:
                first = uow.bulk.next_id()
                batch = [(first, acme, now, now), (first + 1, dataclasses.replace(ana, organisation_id=first), now, now)]
                if staged:
                    for move in uow.bulk.stage_many(batch):
                        move()
                    uow.bulk.unstage()
                else:
                    uow.bulk.add_many(batch)
            with workspace.database.reading() as uow:
                connection = uow.session.connection()
                written.append({table: connection.exec_driver_sql(f"SELECT * FROM {table} ORDER BY 1, 2").all()
                                for table in tables} | {"fts": connection.exec_driver_sql(
                                    "SELECT rowid, * FROM contact_fts ORDER BY rowid").all()})
        finally:
            workspace.close()
    direct, staged = written
    assert staged == direct
    assert len(direct["fts"]) == 2 and direct["fts"][1][2] == "Acme Ltd" and "7946" in direct["fts"][1][4]


@pytest.mark.parametrize("on_duplicate", list(DuplicateAction))
def test_the_batch_size_changes_nothing(tmp_path, monkeypatch, on_duplicate):
    """A record is compared with the last batch's contacts in memory while they are moved in, and with the
    earlier ones in the tables: whichever way the file is cut, the same duplicates, summary and contacts."""
    from clientdesk.services.workspace import Workspace
    from tests.conftest import GB

    path = write(tmp_path, "people.csv", CSV + "Ana Silva,,ana@acme.example,Acme Ltd,,,\nStone & Co,,,,,,\n"
                                                "Gus Ade,,gus@example.org,Stone & Co,,vip,\nHana Kim,,,,,,\n")
    results = []
    for size in (1000, 1, 2, 3):
        monkeypatch.setattr(imports, "BATCH", size)
        workspace = Workspace.open(tmp_path / f"db-{size}.sqlite3")
        try:
            workspace.business.save(GB)
            workspace.contacts.create(person("Hana", "Kim"))
            summary = workspace.imports.run(path, ImportOptions(on_duplicate=on_duplicate))
            results.append((summary_of(summary), stored(workspace)))
        finally:
            workspace.close()
    assert all(result == results[0] for result in results[1:])
    assert len(results[0][0][6]) >= 4  # duplicates across batches found, whatever the cut


def test_the_interpreter_settings_an_import_tunes_are_put_back(workspace, tmp_path, small_batches, aside):
    import gc
    import sys

    before = (gc.get_threshold(), sys.getswitchinterval())
    workspace.imports.run(write(tmp_path, "people.csv", CSV))
    with pytest.raises(ImportCancelled):
        workspace.imports.run(write(tmp_path, "people.csv", CSV), cancelled=lambda: True)
    assert (gc.get_threshold(), sys.getswitchinterval()) == before
