"""Finding a caller from what the receptionist types: words forgiven their typos, best matches first."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

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
    """Every distinct word of the contacts' names, grouped by length: a word within a typo of another
    differs from it in length by at most a third, so only a few lengths are ever compared."""

    def __init__(self, names: Iterable[str]):
        found: set[str] = set()
        for name in names:
            found.update(_WORD.findall(name))
        self._by_length: dict[int, list[str]] = {}
        for word in sorted(found):
            self._by_length.setdefault(len(word), []).append(word)

    def __len__(self) -> int:
        return sum(map(len, self._by_length.values()))

    def near_in_length(self, word: str) -> list[str]:
        slack = int(len(word) * (1 - MIN_SIMILARITY) / MIN_SIMILARITY)
        return [known for length in range(len(word) - slack, len(word) + slack + 1)
                for known in self._by_length.get(length, ())]


def looks_like_phone(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and _PHONE_LIKE.fullmatch(stripped) is not None and sum(map(str.isdigit, stripped)) >= 3


def close_words(word: str, known: Vocabulary) -> list[str]:
    """Known words within a typo of `word` (a swapped, missing, extra or wrong letter), closest first."""
    if len(word) < MIN_TYPO_WORD:
        return []
    matches = process.extract(word, known.near_in_length(word), scorer=DamerauLevenshtein.normalized_similarity,
                              score_cutoff=MIN_SIMILARITY, limit=CLOSE_WORDS + 1)
    return [match for match, _score, _index in matches if match != word][:CLOSE_WORDS]


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
