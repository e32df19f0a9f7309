"""Quick-log lookup: who is calling, from a fragment of a name or of a number, typos forgiven."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from clientdesk.domain.contacts import ContactSummary, ListColumn
from clientdesk.domain.lookup import MIN_TYPO_WORD, Vocabulary, close_words, looks_like_phone, rank, words
from clientdesk.domain.phones import InvalidPhone, Phone, normalize_phone
from clientdesk.storage import Database
from clientdesk.storage.search.contact_list import LOOKUP_COUNT_CAP

# Matches read before ranking: enough that the best of a common first name are among them.
CANDIDATES = 60


@dataclass(frozen=True, slots=True)
class LookupResult:
    query: str
    matches: list[ContactSummary]          # best first
    exact: frozenset[int]                  # matched as typed; the others are close spellings
    more: int = 0                          # further matches as typed that are not shown: keep typing
    more_or_above: bool = False            # `more` is a lower bound: only so many were counted
    new_number: Phone | None = None        # a valid number nobody has: offer to create its contact

    @property
    def close_only(self) -> bool:
        return bool(self.matches) and not self.exact


class CallerLookup:
    def __init__(self, database: Database, region: Callable[[], str]):
        self._db = database
        self._region = region
        self._known = Vocabulary(())
        self._known_version: tuple | None = None
        # The dialog reads the vocabulary ahead on a thread of its own; a keystroke may need it meanwhile.
        self._vocabulary_lock = threading.Lock()
        self._warming = False

    def find(self, text: str, limit: int = 10) -> LookupResult:
        text = text.strip()
        if not text:
            return LookupResult(text, [], frozenset())
        if looks_like_phone(text):
            return self._by_number(text, limit)
        typed = words(text)
        if not typed:
            return LookupResult(text, [], frozenset())  # only punctuation: nothing can match it
        with self._db.listing() as listing:
            matches, exact = listing.lookup([[word] for word in typed], CANDIDATES)
            # Those whose name starts as typed come first whatever the alphabet says ("jo" → Joanna Adams
            # before Adam Jones), and need not be among the first matches by name.
            starting = listing.names_starting(" ".join(typed), CANDIDATES // 2)
            exact = starting + [summary for summary in exact if summary.id not in {s.id for s in starting}]
            close: list[ContactSummary] = []
            if matches < limit and any(len(word) >= MIN_TYPO_WORD for word in typed):
                known = self._vocabulary(listing)
                spellings = [[word, *close_words(word, known)] for word in typed]
                if any(len(options) > 1 for options in spellings):
                    _count, close = listing.lookup(spellings, CANDIDATES)
        exact_ids = frozenset(summary.id for summary in exact)
        candidates = exact + [summary for summary in close if summary.id not in exact_ids]
        shown = rank(text, candidates, exact_ids)[:limit]
        return LookupResult(text, shown, exact_ids & {s.id for s in shown},
                            more=max(0, matches - sum(s.id in exact_ids for s in shown)),
                            more_or_above=matches >= LOOKUP_COUNT_CAP)

    def warm_up(self) -> None:
        """Read the name vocabulary ahead of the first typo, and load the phone library ahead of the
        first number: both take a few hundred milliseconds on a large file."""
        import phonenumbers  # noqa: F401 - loaded once, here, rather than on a keystroke

        with self._db.listing() as listing:
            self._vocabulary(listing)

    def warm_up_in_background(self) -> None:
        """`warm_up` on a thread of its own, once, while the receptionist starts typing."""
        with self._vocabulary_lock:
            if self._warming or self._known_version is not None:
                return
            self._warming = True

        def read_ahead() -> None:
            try:
                self.warm_up()
            except Exception:  # noqa: BLE001 - e.g. the file closed meanwhile: the first typo reads it instead
                pass

        threading.Thread(target=read_ahead, name="caller-lookup-warm-up", daemon=True).start()

    def _by_number(self, text: str, limit: int) -> LookupResult:
        with self._db.listing() as listing:
            matches = listing.count(text)
            rows = listing.page(text, ListColumn.NAME, False, 0, limit, matches=matches) if matches else []
        new_number = None if matches else self._valid_number(text)
        return LookupResult(text, rows, frozenset(r.id for r in rows), max(0, matches - len(rows)),
                            new_number=new_number)

    def _valid_number(self, text: str) -> Phone | None:
        try:
            return normalize_phone(text, self._region())
        except InvalidPhone:
            return None

    def _vocabulary(self, listing) -> Vocabulary:
        with self._vocabulary_lock:
            version = listing.names_version()
            if version != self._known_version:
                self._known = Vocabulary(listing.sort_names())
                self._known_version = version
            return self._known
