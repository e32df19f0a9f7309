"""Helpers shared by the storage tests: real ClientDesk databases, checkpoints and file fingerprints."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

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


def raw_contact_count(path: Path) -> int:
    """Count straight from SQLite, read-only: for files ClientDesk itself must not be asked to open."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT count(*) FROM contact").fetchone()[0]
    finally:
        connection.close()


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


@pytest.fixture
def make_db(tmp_path: Path) -> Callable[..., Path]:
    """make_db(name="clients.sqlite3", count=3) -> path of a closed, checkpointed database."""

    def make(name: str = "clients.sqlite3", count: int = 3) -> Path:
        return make_database(tmp_path / name, count)

    return make


@pytest.fixture
def open_workspaces() -> Iterator[list[Workspace]]:
    """Workspaces appended here are closed after the test even when it fails."""
    workspaces: list[Workspace] = []
    yield workspaces
    for workspace in workspaces:
        workspace.close()


@pytest.fixture
def workspace(tmp_path: Path, open_workspaces: list[Workspace]) -> Workspace:
    """A fresh, empty workspace on a new file; closed after the test."""
    opened = Workspace.open(tmp_path / "clients.sqlite3")
    open_workspaces.append(opened)
    return opened
