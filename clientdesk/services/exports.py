"""Exporting contacts to vCard 3.0 or a Google-compatible CSV: every contact, a search's result, the
contacts with a tag, or a selection. Written to a temporary file beside the target and moved into place
at the end, so a cancelled or failed export never leaves half a file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from clientdesk.domain.contacts import ListColumn
from clientdesk.domain.errors import ClientDeskError
from clientdesk.interchange import write_google_csv, write_vcards
from clientdesk.interchange.records import ExportedContact
from clientdesk.storage import Database

CHUNK = 500
Progress = Callable[[int, int], None]


class ExportFormat(StrEnum):
    VCARD = "vcard"
    CSV = "csv"


class ExportCancelled(ClientDeskError):
    def __init__(self) -> None:
        super().__init__("The export was cancelled; no file was written.")


@dataclass(frozen=True, slots=True)
class Exported:
    path: Path
    count: int


class ExportService:
    def __init__(self, database: Database):
        self._db = database

    def ids(self, *, query: str = "", tag: str | None = None) -> list[int]:
        """The contacts a search (and a tag) selects, in the list's name order."""
        with self._db.listing() as listing:
            ids = list(listing.ordered_ids(query, ListColumn.NAME, False))
        if tag is not None:
            with self._db.reading() as uow:
                tagged = set(uow.contacts.ids_tagged(tag))
            ids = [contact_id for contact_id in ids if contact_id in tagged]
        return ids

    def export(self, format: ExportFormat, path: Path, *, query: str = "", tag: str | None = None,
               ids: Sequence[int] | None = None, progress: Progress | None = None,
               cancelled: Callable[[], bool] = lambda: False) -> Exported:
        """`ids` (a selection) when given, else the contacts `query` and `tag` select (all by default)."""
        chosen = list(ids) if ids is not None else self.ids(query=query, tag=tag)
        writer = write_vcards if ExportFormat(format) is ExportFormat.VCARD else write_google_csv
        path = Path(path)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        try:
            # newline="" lets the CSV writer end rows with \r\n as RFC 4180 asks; vCard lines carry their own.
            with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as out:
                count = writer(self._contacts(chosen, progress, cancelled), out)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return Exported(path, count)

    def _contacts(self, ids: list[int], progress: Progress | None,
                  cancelled: Callable[[], bool]) -> Iterator[ExportedContact]:
        for start in range(0, len(ids), CHUNK):
            if cancelled():
                raise ExportCancelled
            with self._db.reading() as uow:
                contacts = uow.contacts.many(ids[start:start + CHUNK])
                organisations = uow.contacts.names({c.fields.organisation_id for c in contacts
                                                    if c.fields.organisation_id is not None})
            for contact in contacts:
                yield ExportedContact(contact.fields, organisations.get(contact.fields.organisation_id, ""))
            if progress:
                progress(min(start + CHUNK, len(ids)), len(ids))
