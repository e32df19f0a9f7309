"""Files ClientDesk must refuse: the right problem, a message that says what is wrong and what to do,
and the file left exactly as it was (bytes, mode, and no SQLite side files or backups appearing)."""

from __future__ import annotations

import os
import select
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from clientdesk.domain.errors import ClientDeskError
from clientdesk.services.workspace import Workspace
from clientdesk.storage import open_database
from clientdesk.storage.problems import (
    DamagedDatabase,
    DatabaseProblem,
    LockedDatabase,
    NewerDatabase,
    NotADatabase,
    ReadOnlyDatabase,
)

from .conftest import (
    checkpoint,
    corrupt_schema_entry,
    file_state,
    make_database,
    query_closed,
    side_files,
    truncate_to_half,
)


@dataclass(frozen=True)
class BadFile:
    make: Callable[[Path], Path]
    problem: type[DatabaseProblem]
    # Lower-cased fragments the message must contain: what is wrong, then what to do about it.
    says: tuple[str, ...]


def text_file(folder: Path) -> Path:
    path = folder / "clients.csv"
    path.write_bytes(b"name,email\nAna Silva,ana@example.com\nBen Okafor,ben@example.com\n")
    return path


def binary_garbage(folder: Path) -> Path:
    path = folder / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40)
    return path


def foreign_sqlite(folder: Path) -> Path:
    path = folder / "recipes.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE recipe (id INTEGER PRIMARY KEY, title TEXT)")
    connection.execute("INSERT INTO recipe (title) VALUES ('Soup')")
    connection.commit()
    connection.close()
    return path


def truncated(folder: Path) -> Path:
    path = make_database(folder / "clients.sqlite3", count=5)
    truncate_to_half(path)
    return path


def from_newer_version(folder: Path) -> Path:
    path = make_database(folder / "clients.sqlite3", count=2)
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.commit()
    connection.close()
    checkpoint(path)
    return path


def damaged_schema_entry(folder: Path) -> Path:
    path = make_database(folder / "clients.sqlite3", count=2)
    corrupt_schema_entry(path)
    return path


def read_only(folder: Path) -> Path:
    path = make_database(folder / "clients.sqlite3", count=2)
    os.chmod(path, 0o444)
    return path


BAD_FILES = {
    "text file": BadFile(text_file, NotADatabase, ("not an sqlite database", "choose a clientdesk database")),
    "binary garbage": BadFile(binary_garbage, NotADatabase, ("not an sqlite database", "choose a clientdesk database")),
    "another program's sqlite": BadFile(foreign_sqlite, NotADatabase,
                                        ("not one of clientdesk's", "choose a clientdesk database")),
    "truncated database": BadFile(truncated, DamagedDatabase, ("damaged", "cut short", "restore a backup")),
    "newer version": BadFile(from_newer_version, NewerDatabase,
                             ("newer version", "9999_future", "update clientdesk")),
    "read-only file": BadFile(read_only, ReadOnlyDatabase, ("read-only", "make it writable")),
    "damaged schema entry": BadFile(damaged_schema_entry, DamagedDatabase, ("damaged", "restore a backup")),
}

CASES = [pytest.param(case, id=name) for name, case in BAD_FILES.items()]


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    """A folder of its own, so "nothing new appeared beside the file" can be checked by listing it;
    any permission a test took away is given back before tmp_path is cleaned up."""
    folder = tmp_path / "data"
    folder.mkdir()
    yield folder
    os.chmod(folder, 0o755)
    for path in folder.iterdir():
        if path.is_file():
            os.chmod(path, 0o644)


def assert_refused_untouched(path: Path, before: tuple, listing_before: set[str]) -> None:
    assert file_state(path) == before, "the refused file was changed (bytes, size or mode)"
    assert side_files(path) == [], "SQLite side files appeared beside a refused file"
    assert {p.name for p in path.parent.iterdir()} == listing_before, "files appeared beside a refused file"


@pytest.mark.parametrize("case", CASES)
def test_a_bad_file_is_refused_with_a_useful_message_and_left_byte_for_byte_unchanged(folder: Path, case: BadFile):
    path = case.make(folder)
    before = file_state(path)
    listing = {p.name for p in folder.iterdir()}

    with pytest.raises(ClientDeskError) as caught:
        workspace = Workspace.open(path)
        workspace.close()  # only reached when the file was wrongly accepted

    assert type(caught.value) is case.problem, f"expected {case.problem.__name__}, got {caught.value!r}"
    message = str(caught.value)
    assert str(path) in message, "the message must name the file"
    for words in case.says:
        assert words in message.lower(), f"{words!r} missing from: {message}"
    assert caught.value.path == path
    assert_refused_untouched(path, before, listing)


@pytest.mark.parametrize("case", CASES)
def test_refusing_twice_gives_the_same_answer_and_still_changes_nothing(folder: Path, case: BadFile):
    # A refused file must not be left half-opened (a leftover lock, WAL or journal) by the first attempt.
    path = case.make(folder)
    before = file_state(path)
    listing = {p.name for p in folder.iterdir()}
    for _ in range(2):
        with pytest.raises(case.problem):
            open_database(path).close()
    assert_refused_untouched(path, before, listing)


def test_a_database_in_a_read_only_folder_is_refused_because_sqlite_needs_its_side_files(folder: Path):
    path = make_database(folder / "clients.sqlite3", count=1)
    before = file_state(path)
    listing = {p.name for p in folder.iterdir()}
    os.chmod(folder, 0o555)
    with pytest.raises(ReadOnlyDatabase) as caught:
        open_database(path).close()
    os.chmod(folder, 0o755)
    message = str(caught.value)
    assert "read-only" in message and str(folder) in message
    assert_refused_untouched(path, before, listing)


def test_a_new_database_in_a_read_only_folder_is_refused(folder: Path):
    os.chmod(folder, 0o555)
    try:
        with pytest.raises(ReadOnlyDatabase):
            Workspace.open(folder / "new.sqlite3").close()
        assert list(folder.iterdir()) == []
    finally:
        os.chmod(folder, 0o755)


def test_a_folder_given_as_the_database_is_refused(folder: Path):
    target = folder / "not-a-file.sqlite3"
    target.mkdir()
    with pytest.raises(NotADatabase) as caught:
        open_database(target).close()
    assert "folder" in str(caught.value)
    assert list(target.iterdir()) == []


def test_a_file_too_short_for_an_sqlite_header_is_not_a_database(folder: Path):
    path = folder / "stub.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 20)
    before = file_state(path)
    listing = {p.name for p in folder.iterdir()}
    with pytest.raises(NotADatabase):
        open_database(path).close()
    assert_refused_untouched(path, before, listing)


# -- locked by another process ---------------------------------------------------------------------

LOCKER = r"""
import select, sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
select.select([sys.stdin], [], [], 10)  # hold the lock until stdin closes, 10 s at most
connection.execute("ROLLBACK")
connection.close()
"""


@pytest.fixture
def lock_holder() -> Iterator[Callable[[Path], subprocess.Popen]]:
    processes: list[subprocess.Popen] = []

    def hold(path: Path) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-c", LOCKER, str(path)], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True)
        processes.append(process)
        ready, _, _ = select.select([process.stdout], [], [], 10)
        assert ready, "the locking process did not start in time"
        assert process.stdout.readline().strip() == "locked"
        return process

    yield hold
    for process in processes:
        if process.poll() is None:
            process.stdin.close()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        process.stdout.close()


def release(process: subprocess.Popen) -> None:
    process.stdin.close()
    assert process.wait(timeout=10) == 0


def test_a_database_locked_by_another_process_is_refused_within_seconds_and_left_unchanged(
        folder: Path, lock_holder):
    path = make_database(folder / "clients.sqlite3", count=3)
    before = file_state(path)
    listing = {p.name for p in folder.iterdir()}
    holder = lock_holder(path)

    started = time.monotonic()
    with pytest.raises(LockedDatabase) as caught:
        Workspace.open(path).close()
    elapsed = time.monotonic() - started

    assert elapsed < 5, f"took {elapsed:.1f} s to notice the lock"
    message = str(caught.value).lower()
    assert "locked by another program" in message and "try again" in message
    assert str(path) in str(caught.value)
    release(holder)
    assert_refused_untouched(path, before, listing)

    # Once the other program is done, the same file opens normally.
    workspace = Workspace.open(path)
    try:
        assert workspace.contacts.count() == 3
    finally:
        workspace.close()


# -- files that are fine ---------------------------------------------------------------------------

def test_an_empty_file_is_taken_as_a_new_empty_database(folder: Path):
    path = folder / "empty.sqlite3"
    path.touch()
    workspace = Workspace.open(path)
    try:
        assert workspace.contacts.count() == 0
        assert workspace.contacts.find("anything") == []
    finally:
        workspace.close()
    assert query_closed(path, "SELECT count(*) FROM alembic_version") == [(1,)]
    assert not (folder / "backups").exists(), "an empty file has nothing worth backing up"


def test_a_new_database_file_is_readable_by_its_owner_only(folder: Path):
    path = folder / "nested" / "new.sqlite3"
    old_umask = os.umask(0o022)  # the usual umask, which would leave a plainly created file world-readable
    try:
        workspace = Workspace.open(path)
    finally:
        os.umask(old_umask)
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        # SQLite gives its side files the mode of the database file.
        for side in side_files(path):
            assert stat.S_IMODE(side.stat().st_mode) == 0o600, side
        assert workspace.contacts.count() == 0
    finally:
        workspace.close()


@pytest.mark.parametrize("problem", [DatabaseProblem, NotADatabase, DamagedDatabase, NewerDatabase,
                                     ReadOnlyDatabase, LockedDatabase])
def test_every_database_problem_is_a_clientdesk_error_so_the_user_sees_its_message(problem):
    assert issubclass(problem, ClientDeskError)


def test_a_change_blocked_by_another_process_fails_with_locked_database_and_changes_nothing(
        folder: Path, lock_holder, monkeypatch):
    from clientdesk.domain.contacts import ContactDraft
    from clientdesk.storage import connection as connection_module

    monkeypatch.setattr(connection_module, "BUSY_TIMEOUT_MS", 300)  # read when each connection is set up
    path = make_database(folder / "clients.sqlite3", count=2)
    workspace = Workspace.open(path)
    try:
        holder = lock_holder(path)
        started = time.monotonic()
        with pytest.raises(LockedDatabase) as caught:
            workspace.contacts.create(ContactDraft(given_name="Blocked"))
        assert time.monotonic() - started < 5
        assert "try again" in str(caught.value)
        release(holder)
        assert workspace.contacts.count() == 2
        assert workspace.contacts.find("blocked") == []
        workspace.contacts.create(ContactDraft(given_name="Later"))  # and once the lock is gone it works
        assert workspace.contacts.count() == 3
    finally:
        workspace.close()


# -- a crash in the middle of a checkpoint ---------------------------------------------------------

def test_a_database_whose_checkpoint_was_interrupted_is_recovered_from_its_wal(folder: Path):
    from clientdesk.domain.contacts import ContactDraft

    path = make_database(folder / "clients.sqlite3", count=3)
    before_checkpoint = path.read_bytes()
    workspace = Workspace.open(path)
    try:
        for number in range(40):
            workspace.contacts.create(ContactDraft(given_name=f"New{number:02d}", notes="a long note " * 250))
        wal = path.with_name(path.name + "-wal").read_bytes()
    finally:
        workspace.close()  # checkpoints: the main file now has the new page 1 and grew
    after_checkpoint = path.read_bytes()
    page_size = int.from_bytes(after_checkpoint[16:18], "big")
    assert len(after_checkpoint) > len(before_checkpoint)

    # The files as a crash would leave them after SQLite wrote page 1 and nothing else.
    crashed = folder / "crashed" / "clients.sqlite3"
    crashed.parent.mkdir()
    crashed.write_bytes(after_checkpoint[:page_size] + before_checkpoint[page_size:])
    crashed.with_name(crashed.name + "-wal").write_bytes(wal)

    recovered = Workspace.open(crashed)
    try:
        assert recovered.contacts.count() == 43
    finally:
        recovered.close()
