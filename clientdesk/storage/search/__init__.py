"""Contact search and listing behind one interface, so another database engine can bring its own
full-text search (PostgreSQL's tsvector, say) without the services or the window changing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from clientdesk.domain.contacts import ContactSummary, ListColumn


class ContactList(Protocol):
    """The contact list as the window shows it: filtered by a typed query and a stage, ordered by one column."""

    def count(self, query: str = "", stage: str | None = None) -> int:
        """How many contacts match (in `stage`, when given); every contact for a blank query."""

    def page(self, query: str, column: ListColumn, descending: bool, offset: int, limit: int,
             stage: str | None = None) -> list[ContactSummary]:
        """The rows from `offset`, in list order, without reading the rows before them."""

    def position(self, contact_id: int, query: str, column: ListColumn, descending: bool,
                 stage: str | None = None) -> int | None:
        """Where a contact stands in that order; None when it does not match."""

    def ordered_ids(self, query: str, column: ListColumn, descending: bool, stage: str | None = None) -> Sequence[int]:
        """Every matching id in list order (for exports and batch work, not for painting)."""


class SearchIndex(Protocol):
    def reindex(self, contact_ids: Iterable[int]) -> None:
        """Bring the index in step with the stored contacts (a missing contact leaves the index)."""

    def rebuild(self) -> None:
        """Index every contact from scratch."""
