"""Backing up and restoring through database_admin: consistent copies of live files, refusals that
change nothing, and the replaced database always kept."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import datetime
from pathlib import Path

import pytest

from clientdesk.domain.errors import ClientDeskError
from clientdesk.services import database_admin
from clientdesk.services.workspace import Workspace
from clientdesk.storage import backup as backup_module
from clientdesk.storage.problems import DamagedDatabase, DatabaseProblem, NewerDatabase, NotADatabase, ReadOnlyDatabase

from .conftest import (
    add_contacts,
    checkpoint,
    contact_names,
    corrupt_schema_entry,
    count_contacts,
    file_state,
    make_database,
    query_closed,
    raw_contact_count,
    side_files,
    truncate_to_half,
)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- backup ----------------------------------------------------------------------------------------------

def test_a_backup_of_an_open_database_includes_changes_still_in_the_wal(tmp_path: Path, open_workspaces):
    live = tmp_path / "clients.sqlite3"
    workspace = Workspace.open(live)
    open_workspaces.append(workspace)
    add_contacts(workspace, contact_names(7))
    wal = live.with_name(live.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0, "the test needs changes that are only in the WAL"

    destination = tmp_path / "copies" / "clients-backup.sqlite3"
    database_admin.backup(live, destination)

    assert mode_of(destination) == 0o600
    assert not destination.with_name(destination.name + ".partial").exists()
    assert query_closed(destination, "PRAGMA integrity_check") == [("ok",)]
    assert raw_contact_count(destination) == 7  # from the main file alone: the backup needs no WAL
    assert count_contacts(destination) == 7
    assert workspace.contacts.count() == 7, "the live database must carry on working"


def test_a_backup_copies_the_search_index_too(tmp_path: Path):
    live = make_database(tmp_path / "clients.sqlite3", count=3)
    destination = tmp_path / "backup.sqlite3"
    database_admin.backup(live, destination)
    workspace = Workspace.open(destination)
    try:
        assert [row.display_name for row in workspace.contacts.find("person002")] == ["Person002"]
    finally:
        workspace.close()


def test_a_backup_never_overwrites_an_existing_file(tmp_path: Path):
    live = make_database(tmp_path / "clients.sqlite3", count=2)
    destination = tmp_path / "precious.sqlite3"
    make_database(destination, count=5)
    before = file_state(destination)
    live_before = file_state(live)

    with pytest.raises(ClientDeskError) as caught:
        database_admin.backup(live, destination)

    message = str(caught.value)
    assert str(destination) in message and "already exists" in message and "new file name" in message
    assert file_state(destination) == before
    assert file_state(live) == live_before
    assert raw_contact_count(destination) == 5


def test_a_backup_of_a_missing_database_says_there_is_nothing_to_back_up(tmp_path: Path):
    with pytest.raises(ClientDeskError) as caught:
        database_admin.backup(tmp_path / "missing.sqlite3", tmp_path / "backup.sqlite3")
    assert "does not exist" in str(caught.value)
    assert not (tmp_path / "missing.sqlite3").exists(), "asking for a backup must not create the database"
    assert not (tmp_path / "backup.sqlite3").exists()


def test_a_backup_of_a_file_that_is_not_a_database_is_refused(tmp_path: Path):
    source = tmp_path / "notes.txt"
    source.write_bytes(b"just some text, not a database at all\n" * 10)
    with pytest.raises(NotADatabase):
        database_admin.backup(source, tmp_path / "backup.sqlite3")
    assert not (tmp_path / "backup.sqlite3").exists()
    assert not (tmp_path / "backup.sqlite3.partial").exists()


# -- restore ---------------------------------------------------------------------------------------------

@pytest.fixture
def three_then_five(tmp_path: Path) -> tuple[Path, Path]:
    """A live database with 5 contacts, and a backup taken when it had 3."""
    live = make_database(tmp_path / "clients.sqlite3", count=3)
    backup = tmp_path / "elsewhere" / "three.sqlite3"
    database_admin.backup(live, backup)
    workspace = Workspace.open(live)
    try:
        add_contacts(workspace, contact_names(2, start=4))
        assert workspace.contacts.count() == 5
    finally:
        workspace.close()
    return live, backup


def test_restoring_brings_back_the_backup_and_keeps_the_replaced_database(tmp_path: Path, three_then_five):
    live, backup = three_then_five
    backup_before = file_state(backup)

    kept = database_admin.restore(live, backup)

    assert count_contacts(live) == 3
    assert kept is not None and kept.parent == tmp_path / "backups"
    assert kept.exists() and mode_of(kept) == 0o600
    assert count_contacts(kept) == 5
    assert file_state(backup) == backup_before, "restoring must not change the backup it restores from"
    workspace = Workspace.open(live)
    try:
        assert workspace.contacts.find("person005") == []
        assert [row.display_name for row in workspace.contacts.find("person003")] == ["Person003"]
    finally:
        workspace.close()


def test_restoring_while_clientdesk_has_the_database_open_is_seen_by_that_window(three_then_five,
                                                                                 open_workspaces):
    live, backup = three_then_five
    workspace = Workspace.open(live)
    open_workspaces.append(workspace)
    assert workspace.contacts.count() == 5
    database_admin.restore(live, backup)
    assert workspace.contacts.count() == 3
    assert workspace.contacts.find("person004") == []
    add_contacts(workspace, ["After Restore"])
    assert workspace.contacts.count() == 4


def test_two_restores_in_the_same_second_keep_both_replaced_databases(three_then_five, monkeypatch):
    live, backup = three_then_five

    class FrozenClock(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2030, 1, 2, 3, 4, 5, tzinfo=tz)

    monkeypatch.setattr(backup_module, "datetime", FrozenClock)
    first = database_admin.restore(live, backup)  # keeps the 5-contact version
    second = database_admin.restore(live, backup)  # keeps the (restored) 3-contact version
    assert first != second
    assert first.exists() and second.exists()
    assert raw_contact_count(first) == 5, "the 5-contact version was lost"


def assert_restore_refused(live: Path, bad_backup: Path, problem: type[Exception], *words: str) -> None:
    checkpoint(live)
    before = file_state(live)
    backup_before = file_state(bad_backup) if bad_backup.exists() else None
    listing = sorted(p.name for p in live.parent.iterdir())
    with pytest.raises(problem) as caught:
        database_admin.restore(live, bad_backup)
    message = str(caught.value).lower()
    for word in words:
        assert word in message, f"{word!r} missing from: {caught.value}"
    assert file_state(live) == before, "the live database was changed by a refused restore"
    assert (file_state(bad_backup) if bad_backup.exists() else None) == backup_before
    assert sorted(p.name for p in live.parent.iterdir()) == listing, "a refused restore left files behind"
    assert not side_files(live)
    assert raw_contact_count(live) == 3


@pytest.fixture
def live(tmp_path: Path) -> Path:
    folder = tmp_path / "live"
    folder.mkdir()
    return make_database(folder / "clients.sqlite3", count=3)


def test_restoring_a_truncated_backup_is_refused(tmp_path: Path, live: Path):
    bad = make_database(tmp_path / "cut.sqlite3", count=6)
    truncate_to_half(bad)
    assert_restore_refused(live, bad, DamagedDatabase, "damaged")


def test_restoring_a_backup_whose_pages_are_corrupt_is_refused(tmp_path: Path, live: Path):
    bad = make_database(tmp_path / "corrupt.sqlite3", count=6)
    page_size = int.from_bytes(bad.read_bytes()[16:18], "big")
    data = bytearray(bad.read_bytes())
    for page in range(1, len(data) // page_size):  # every page but the first (the header)
        data[page * page_size + 100:page * page_size + 200] = b"\xa5" * 100
    bad.write_bytes(bytes(data))
    assert_restore_refused(live, bad, DamagedDatabase, "damaged")


def test_restoring_a_backup_with_a_damaged_schema_entry_is_refused(tmp_path: Path, live: Path):
    bad = make_database(tmp_path / "corrupt.sqlite3", count=2)
    corrupt_schema_entry(bad)
    assert_restore_refused(live, bad, DamagedDatabase, "damaged")


def test_restoring_over_a_read_only_database_is_refused(tmp_path: Path, live: Path):
    source = make_database(tmp_path / "five.sqlite3", count=5)
    os.chmod(live, 0o444)
    try:
        assert_restore_refused(live, source, ReadOnlyDatabase, "read-only")
    finally:
        os.chmod(live, 0o600)


def test_restoring_a_file_that_is_not_a_database_is_refused(tmp_path: Path, live: Path):
    bad = tmp_path / "clients.csv"
    bad.write_bytes(b"name,email\nAna,ana@example.com\n")
    assert_restore_refused(live, bad, NotADatabase, "not an sqlite database")


def test_restoring_another_programs_sqlite_file_is_refused(tmp_path: Path, live: Path):
    bad = tmp_path / "other.sqlite3"
    connection = sqlite3.connect(bad)
    connection.execute("CREATE TABLE things (x)")
    connection.commit()
    connection.close()
    assert_restore_refused(live, bad, NotADatabase, "not one of clientdesk's")


def test_restoring_a_backup_from_a_newer_version_is_refused(tmp_path: Path, live: Path):
    bad = make_database(tmp_path / "newer.sqlite3", count=1)
    connection = sqlite3.connect(bad)
    connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.commit()
    connection.close()
    checkpoint(bad)
    assert_restore_refused(live, bad, NewerDatabase, "newer version", "update clientdesk")


def test_restoring_an_empty_file_is_refused(tmp_path: Path, live: Path):
    bad = tmp_path / "empty.sqlite3"
    bad.touch()
    assert_restore_refused(live, bad, DatabaseProblem, "nothing in it to restore")


def test_restoring_a_missing_backup_is_refused(tmp_path: Path, live: Path):
    assert_restore_refused(live, tmp_path / "nowhere.sqlite3", ClientDeskError, "does not exist")


def test_restoring_into_a_path_that_does_not_exist_yet_just_copies_the_checked_backup(tmp_path: Path):
    source = make_database(tmp_path / "backup.sqlite3", count=4)
    source_before = file_state(source)
    target = tmp_path / "new-home" / "clients.sqlite3"

    kept = database_admin.restore(target, source)

    assert kept is None
    assert mode_of(target) == 0o600
    assert not (target.parent / "backups").exists(), "there was nothing to keep"
    assert count_contacts(target) == 4
    assert file_state(source) == source_before


def test_restoring_into_a_new_path_still_checks_the_backup(tmp_path: Path):
    bad = make_database(tmp_path / "cut.sqlite3", count=6)
    truncate_to_half(bad)
    target = tmp_path / "new-home" / "clients.sqlite3"
    with pytest.raises(DamagedDatabase):
        database_admin.restore(target, bad)
    assert not target.exists()
