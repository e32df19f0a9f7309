"""Helpers shared by the storage tests: real ClientDesk databases, checkpoints and file fingerprints."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from clientdesk.domain.business import BusinessProfile
from clientdesk.domain.contacts import ContactDraft
from clientdesk.services.workspace import Workspace

SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_state(path: Path) -> tuple[str, int, int]:
    """What must not change when a file is refused: its bytes, its size and its permission bits."""
    return sha256_of(path), path.stat().st_size, stat.S_IMODE(path.stat().st_mode)


def side_files(path: Path) -> list[Path]:
    """SQLite's companions of `path` (-wal, -shm, -journal) that exist right now."""
    return [p for p in (path.with_name(path.name + s) for s in SIDE_SUFFIXES) if p.exists()]


def checkpoint(path: Path) -> None:
    """Move everything from the WAL into the main file, so the main file alone is the whole database."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        busy, _log, _moved = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0, "the checkpoint could not finish: is another connection still open?"
    finally:
        connection.close()
    assert not side_files(path), f"side files left after the checkpoint: {side_files(path)}"


def add_contacts(workspace: Workspace, names: Sequence[str]) -> list[int]:
    return [workspace.contacts.create(ContactDraft(given_name=name)).contact_id for name in names]


def contact_names(count: int, start: int = 1) -> list[str]:
    return [f"Person{number:03d}" for number in range(start, start + count)]


def make_database(path: Path, count: int = 3) -> Path:
    """A real, closed and checkpointed ClientDesk database holding `count` contacts."""
    workspace = Workspace.open(path)
    try:
        add_contacts(workspace, contact_names(count))
        assert workspace.contacts.count() == count
    finally:
        workspace.close()
    checkpoint(path)
    return path


def count_contacts(path: Path) -> int:
    """Open with ClientDesk itself, count, close (this may of course write to the file)."""
    workspace = Workspace.open(path)
    try:
        return workspace.contacts.count()
    finally:
        workspace.close()


def inspect(path: Path) -> sqlite3.Connection:
    """A look at a closed file without opening it for real: `immutable=1` takes no locks and, unlike a
    plain read-only connection on a WAL file, leaves no -wal/-shm behind. Only for files nobody has open."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def query_closed(path: Path, sql: str) -> list[tuple]:
    connection = inspect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def raw_contact_count(path: Path) -> int:
    """Count straight from SQLite: for files ClientDesk itself must not be asked to open."""
    return query_closed(path, "SELECT count(*) FROM contact")[0][0]


def truncate_to_half(path: Path) -> None:
    """Cut a checkpointed database to half of its pages (a whole number of pages, so only the
    in-header page count or SQLite itself can tell it is short)."""
    with path.open("rb") as handle:
        header = handle.read(100)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = path.stat().st_size // page_size
    assert pages >= 4, f"the database is too small ({pages} pages) to cut meaningfully"
    os.truncate(path, (pages // 2) * page_size)


def corrupt_schema_entry(path: Path) -> None:
    """Damage one entry of a checkpointed database's schema the way a bad disk sector would: its name
    becomes bytes that are not UTF-8 and its SQL no longer parses. Sizes are kept, so the header checks
    pass and only SQLite itself can notice (it reports "malformed database schema (<the name>)")."""
    data = bytearray(path.read_bytes())
    entry = data.find(b"tablecontact_tagcontact_tag")
    assert entry > 0, "schema entry of contact_tag not found in the main file: was it checkpointed?"
    name = entry + len(b"table")
    data[name:name + len(b"contact_tag")] = b"\xa5" * len(b"contact_tag")
    sql = data.find(b"CREATE TABLE contact_tag", entry)
    assert 0 < sql - entry < 64
    data[sql:sql + 6] = b"CRE@TE"
    path.write_bytes(bytes(data))


@pytest.fixture
def open_workspaces() -> Iterator[list[Workspace]]:
    """Workspaces appended here are closed after the test even when it fails."""
    workspaces: list[Workspace] = []
    yield workspaces
    for workspace in workspaces:
        workspace.close()


GB = BusinessProfile(name="Test Ltd", country="GB", time_zone="Europe/London", currency="GBP")


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An upgraded, empty database with a British business profile, built once: copying it is much
    faster than running the migrations for every search test."""
    path = tmp_path_factory.mktemp("template") / "empty.sqlite3"
    workspace = Workspace.open(path)
    try:
        workspace.business.save(GB)
    finally:
        workspace.close()
    checkpoint(path)
    return path


@pytest.fixture
def ws(tmp_path: Path, empty_template: Path, open_workspaces: list[Workspace]) -> Workspace:
    """An empty workspace of its own, its business in Great Britain (so numbers typed without +44 are
    read as British whatever this computer's locale); closed after the test."""
    path = tmp_path / "search.sqlite3"
    shutil.copyfile(empty_template, path)
    os.chmod(path, 0o600)
    opened = Workspace.open(path)
    open_workspaces.append(opened)
    assert opened.business.region() == "GB"
    return opened
