"""Contact use cases: create, edit, delete and undo, look up, list and search."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from clientdesk.domain.contacts import (
    Contact,
    ContactDraft,
    ContactKind,
    ContactSummary,
    ListColumn,
    check_links,
    clean_line,
    validate,
)
from clientdesk.domain.errors import AmbiguousContact, InvalidContact
from clientdesk.services.changes import Changes
from clientdesk.services.undo import UndoStack, UndoStep
from clientdesk.storage import Database

if TYPE_CHECKING:
    from clientdesk.services.lookup import CallerLookup, LookupResult
    from clientdesk.storage.contacts_repository import DeletedContact


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class ListPage:
    matches: int
    rows: list[ContactSummary]


@dataclass(frozen=True, slots=True)
class Saved:
    contact_id: int
    changes: Changes


class ContactService:
    def __init__(self, database: Database, undo: UndoStack, region: Callable[[], str],
                 clock: Callable[[], datetime] = utc_now):
        self._db = database
        self._undo = undo
        self._region = region
        self._clock = clock
        self._caller_lookup: CallerLookup | None = None

    # -- queries -------------------------------------------------------------------------------

    def get(self, contact_id: int) -> Contact:
        with self._db.reading() as uow:
            return uow.contacts.get(contact_id)

    def count(self) -> int:
        with self._db.listing() as listing:
            return listing.count()

    # `stage` narrows the list to contacts in that life-cycle stage on the day the list was brought to.

    def first_page(self, query: str = "", column: ListColumn = ListColumn.NAME, descending: bool = False,
                   limit: int = 128, stage: str | None = None) -> ListPage:
        """What the list needs to show a search at once: how many match, and the first rows."""
        with self._db.listing() as listing:
            matches = listing.count(query, stage)
            return ListPage(matches, listing.page(query, column, descending, 0, limit, matches=matches, stage=stage))

    def page(self, query: str, column: ListColumn, descending: bool, offset: int, limit: int,
             matches: int | None = None, stage: str | None = None) -> list[ContactSummary]:
        """`matches`, when the caller knows it from `first_page`, spares counting the search again."""
        with self._db.listing() as listing:
            return listing.page(query, column, descending, offset, limit, matches=matches, stage=stage)

    def position(self, contact_id: int, query: str = "", column: ListColumn = ListColumn.NAME,
                 descending: bool = False, stage: str | None = None) -> int | None:
        with self._db.listing() as listing:
            return listing.position(contact_id, query, column, descending, stage)

    def ordered_ids(self, query: str = "", column: ListColumn = ListColumn.NAME,
                    descending: bool = False, stage: str | None = None) -> Sequence[int]:
        with self._db.listing() as listing:
            return listing.ordered_ids(query, column, descending, stage)

    def summaries(self, contact_ids: Sequence[int]) -> list[ContactSummary]:
        with self._db.listing() as listing:
            return listing.summaries(contact_ids)

    def find(self, query: str, limit: int = 50, column: ListColumn = ListColumn.NAME) -> list[ContactSummary]:
        return self.first_page(query, column, False, limit).rows

    def resolve(self, text: str) -> int:
        """CONTACT on the command line: an id, an email address, or a name that fits exactly one contact."""
        text = text.strip()
        with self._db.reading() as uow:
            if text.isdigit():
                return uow.contacts.get(int(text)).id
            ids = uow.contacts.ids_with_email(text) if "@" in text else uow.contacts.ids_named(text)
            if len(ids) == 1:
                return ids[0]
            if ids:
                names = uow.contacts.names(ids)
                raise AmbiguousContact(text, [(cid, names[cid]) for cid in ids[:10]])
        if "@" not in text:
            found = self.first_page(text, limit=11)
            if found.matches == 1:
                return found.rows[0].id
            raise AmbiguousContact(text, [(row.id, row.display_name) for row in found.rows[:10]])
        raise AmbiguousContact(text, [])

    def lookup(self, text: str, limit: int = 10) -> LookupResult:
        """The quick log's search: a name fragment (typos forgiven) or any part of a number, best first."""
        return self.caller_lookup.find(text, limit)

    @property
    def caller_lookup(self) -> CallerLookup:
        if self._caller_lookup is None:
            from clientdesk.services.lookup import CallerLookup  # rapidfuzz is needed only once someone calls

            self._caller_lookup = CallerLookup(self._db, self._region)
        return self._caller_lookup

    def names(self, contact_ids: Iterable[int]) -> dict[int, str]:
        with self._db.reading() as uow:
            return uow.contacts.names(contact_ids)

    def organisations(self, prefix: str = "", limit: int = 50) -> list[tuple[int, str]]:
        with self._db.reading() as uow:
            return uow.contacts.organisations(prefix, limit)

    def validate(self, draft: ContactDraft, contact_id: int | None = None) -> None:
        """Raise InvalidContact with every problem; writes nothing (forms call it as the user types)."""
        fields = validate(draft, self._region())
        problems = check_links(contact_id, fields)
        if problems:
            raise InvalidContact(problems)

    # -- changes -------------------------------------------------------------------------------

    def create(self, draft: ContactDraft, organisation_name: str | None = None) -> Saved:
        """`organisation_name`, when given, links the contact to that organisation (created if new)."""
        fields = validate(draft, self._region())
        with self._db.writing() as uow:
            fields = self._link_organisation(uow, fields, organisation_name)
            contact_id = uow.contacts.add(fields, self._clock())
        self._undo.push(UndoStep(f"New contact “{fields.display_name}”", lambda: self._delete_quietly(contact_id)))
        return Saved(contact_id, self._changed(contact_id))

    def update(self, contact_id: int, draft: ContactDraft, organisation_name: str | None = None) -> Saved:
        fields = validate(draft, self._region())
        with self._db.writing() as uow:
            before = uow.contacts.get(contact_id)
            fields = self._link_organisation(uow, fields, organisation_name)
            uow.contacts.update(contact_id, fields, self._clock())
        self._undo.push(UndoStep(f"Edit “{before.display_name}”", lambda: self._put_back(before)))
        return Saved(contact_id, self._changed(contact_id))

    def _link_organisation(self, uow, fields, organisation_name: str | None):
        if organisation_name is None:
            return fields
        name = clean_line(organisation_name)
        if not name or fields.kind is ContactKind.ORGANISATION:
            return replace(fields, organisation_id=None)
        organisation_id = uow.contacts.organisation_named(name) or uow.contacts.add(
            validate(ContactDraft(kind=ContactKind.ORGANISATION, display_name=name), self._region()), self._clock())
        return replace(fields, organisation_id=organisation_id)

    def delete(self, contact_ids: Sequence[int]) -> Changes:
        """Delete in one transaction and one undo step, however many contacts are selected."""
        with self._db.writing() as uow:
            deleted = [uow.contacts.delete(cid) for cid in contact_ids]
        if not deleted:
            return Changes()
        label = (f"Delete “{deleted[0].contact.display_name}”" if len(deleted) == 1
                 else f"Delete {len(deleted)} contacts")
        self._undo.push(UndoStep(label, lambda: self._restore(deleted)))
        return self._changed(*contact_ids)

    def undo(self) -> Changes | None:
        return self._undo.undo()

    def undo_label(self) -> str | None:
        return self._undo.next_label()

    # -- reverting -----------------------------------------------------------------------------

    def _delete_quietly(self, contact_id: int) -> Changes:
        with self._db.writing() as uow:
            uow.contacts.delete(contact_id)
        return self._changed(contact_id)

    def _put_back(self, before: Contact) -> Changes:
        with self._db.writing() as uow:
            uow.contacts.update(before.id, before.fields, before.updated_at)
        return self._changed(before.id)

    def _restore(self, deleted: list[DeletedContact]) -> Changes:
        with self._db.writing() as uow:
            # Organisations first, so members restored in the same step can point at them again.
            for item in sorted(deleted, key=lambda d: d.contact.fields.organisation_id is not None):
                uow.contacts.restore(item)
            for item in deleted:
                uow.contacts.relink(item)
        return self._changed(*(d.contact.id for d in deleted))

    @staticmethod
    def _changed(*contact_ids: int) -> Changes:
        return Changes(contacts=True, contact_ids=frozenset(contact_ids))
