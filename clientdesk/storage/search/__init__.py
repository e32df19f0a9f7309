"""Contact search behind one interface, so another database engine can bring its own full-text search."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from clientdesk.domain.contacts import ListColumn


class ContactSearch(Protocol):
    def reindex(self, contact_ids: Iterable[int]) -> None:
        """Bring the index in step with the stored contacts (a missing contact leaves the index)."""

    def rebuild(self) -> None:
        """Index every contact from scratch."""

    def ordered_matches(self, query: str, column: ListColumn, descending: bool) -> Sequence[int]:
        """Ids of the contacts matching `query`, ordered as the list is; every contact for a blank query."""

    def first_matches(self, query: str, column: ListColumn, descending: bool, limit: int) -> Sequence[int]:
        """The first `limit` ids of `ordered_matches`, without computing the rest."""
