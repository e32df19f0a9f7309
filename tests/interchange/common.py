"""Shared by the interchange tests: where the sample files are, and reading one in full."""

from __future__ import annotations

from pathlib import Path

from clientdesk.interchange import ImportedContact, RejectedRecord, open_source

DATA = Path(__file__).resolve().parents[1] / "data" / "interchange"


def read(path: Path, **options) -> list[ImportedContact | RejectedRecord]:
    return list(open_source(path, **options).records())


def imported(records) -> list[ImportedContact]:
    return [r for r in records if isinstance(r, ImportedContact)]


def rejected(records) -> list[RejectedRecord]:
    return [r for r in records if isinstance(r, RejectedRecord)]
