"""Finding a caller from what the receptionist types: words forgiven their typos, best matches first."""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Iterable

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from clientdesk.domain.contacts import ContactSummary, sort_key

# FTS5's unicode61 tokenizer keeps letters and digits together and splits on everything else.
_WORD = re.compile(r"[^\W_]+")
_PHONE_LIKE = re.compile(r"\+?[\d\s().\-/]+")
MIN_TYPO_WORD = 3        # shorter words are still being typed: a prefix search serves them better
CLOSE_WORDS = 4          # spellings tried for each mistyped word
# A swap or one wrong letter in four or five ("jonh", "smtih") is a typo; more than that is another name.
MIN_SIMILARITY = 0.7


def words(text: str) -> list[str]:
    """The words of a name as the index holds them: case and accents folded."""
    return _WORD.findall(sort_key(text))


class Vocabulary:
    """Every distinct word of the contacts' names. A word within a typo of another differs from it in
    length by at most a third, so only words of a few lengths are ever compared (lists kept per length)."""

    def __init__(self, names: Iterable[str]):
        found: set[str] = set()
        for name in names:
            found.update(_WORD.findall(name))
        self._sorted = sorted(found)
        self._by_length: dict[int, list[str]] = {}
        for word in self._sorted:
            self._by_length.setdefault(len(word), []).append(word)
        self._near: dict[int, list[str]] = {}

    def __len__(self) -> int:
        return len(self._sorted)

    def starts_a_word(self, prefix: str) -> bool:
        """Some known word starts with `prefix`: it is being typed correctly, so far."""
        index = bisect.bisect_left(self._sorted, prefix)
        return index < len(self._sorted) and self._sorted[index].startswith(prefix)

    def near_in_length(self, word: str) -> list[str]:
        length = len(word)
        if length not in self._near:
            slack = int(length * (1 - MIN_SIMILARITY) / MIN_SIMILARITY)
            self._near[length] = [known for size in range(length - slack, length + slack + 1)
                                  for known in self._by_length.get(size, ())]
        return self._near[length]


def looks_like_phone(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and _PHONE_LIKE.fullmatch(stripped) is not None and sum(map(str.isdigit, stripped)) >= 3


def close_words(word: str, known: Vocabulary) -> list[str]:
    """Known words within a typo of `word` (a swapped, missing, extra or wrong letter), closest first.
    None for a word that starts a known word: it is being typed as it should be."""
    if len(word) < MIN_TYPO_WORD or known.starts_a_word(word):
        return []
    # OSA counts a swap of two neighbours as one edit, as Damerau–Levenshtein does, at a quarter of the cost.
    matches = process.extract(word, known.near_in_length(word), scorer=OSA.normalized_similarity,
                              score_cutoff=MIN_SIMILARITY, limit=CLOSE_WORDS)
    return [match for match, _score, _index in matches]


def rank(query: str, candidates: Iterable[ContactSummary], first: Collection[int] = ()) -> list[ContactSummary]:
    """Best first: contacts in `first` (matched as typed) before the others; among them, names that
    start as typed, alphabetically — what the caller said — then the rest by how closely they read
    like the query."""
    typed = " ".join(words(query))

    def key(summary: ContactSummary) -> tuple:
        name = sort_key(summary.display_name)
        starts = bool(typed) and name.startswith(typed)
        closeness = 0.0 if starts else fuzz.token_sort_ratio(typed, name) + fuzz.partial_ratio(typed, name) / 2
        return (summary.id not in first, not starts, -closeness, name, summary.id)

    return sorted(candidates, key=key)
