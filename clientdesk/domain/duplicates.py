"""Duplicate contacts: which stored contacts a new or imported record is probably the same as.

Two contacts are duplicates when they share an email address (ignoring case), an E.164 phone number, or
when their names are close and they belong to the same organisation — or both to none, as long as one of
them has no email or phone to tell them apart. `find_duplicates` is the rule,
written plainly over a list of candidates; `DuplicateIndex` gives the same answers over many candidates
without comparing every pair, for an import that checks each record against all the ones before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from itertools import combinations

from clientdesk.domain.contacts import ContactFields, ContactKind, clean_line, sort_key

# token_sort_ratio of the folded names, 0..100. At 90 a one-letter slip in an ordinary name still matches
# ("Jon Smith" ~ "John Smith" scores 95, "Joan Smith" 90) while names that differ in a whole syllable do not
# ("Jane Smith" scores 80). Lower, and colleagues with similar names (Dan/Don Lee at one firm: 86) would be
# offered for merging; higher, and a single typo in a short name would be missed.
NAME_THRESHOLD = 90.0

EMAIL_SCORE = 100.0
PHONE_SCORE = 95.0
# A name-only match ranks below any email or phone match: at best 100 - 20 = 80 < 95.
NAME_MARGIN = 20.0
# Each reason beyond the first makes a match a little surer (the score is capped at 100; among equal
# scores the match with more reasons comes first).
EXTRA_REASON_BONUS = 2.0
# At most this many name tokens make name blocks (pairs of their initials), so a long name costs a few keys.
BLOCK_TOKENS = 4


class MatchReason(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    NAME = "name"


_REASON_ORDER = (MatchReason.EMAIL, MatchReason.PHONE, MatchReason.NAME)


@dataclass(frozen=True, slots=True)
class Candidate:
    key: int  # the contact's id (or a provisional id)
    fields: ContactFields
    organisation: str = ""  # the organisation's name as text ("" for none); for an organisation contact, ""


@dataclass(frozen=True, slots=True)
class Match:
    key: int
    reasons: frozenset[MatchReason]
    score: float  # 0..100, higher is surer; email/phone matches rank above name-only ones


@dataclass(frozen=True, slots=True)
class LookupKeys:
    """What a contact can be matched on, folded: for a store to fetch the candidates worth comparing."""

    emails: frozenset[str]  # casefolded addresses
    phones: frozenset[str]  # E.164
    name: str  # sort_key of the display name
    organisation: str  # sort_key of the organisation's name; "" for none and for an organisation contact


@lru_cache(maxsize=4096)  # bounded: an import must not grow with its file
def fold(text: str) -> str:
    """Case, accents and runs of blanks ignored: "  Zoë  Ünal " → "zoe unal". Cached: an import folds the
    same names and organisations over and over."""
    return sort_key(clean_line(text))


def lookup_keys(fields: ContactFields, organisation: str) -> LookupKeys:
    return LookupKeys(
        emails=frozenset(e.address.strip().casefold() for e in fields.emails if e.address.strip()),
        phones=frozenset(p.e164 for p in fields.phones if p.e164),
        name=fold(fields.display_name),
        # An organisation is compared by its own name; whatever organisation text came with it is ignored.
        organisation="" if fields.kind is ContactKind.ORGANISATION else fold(organisation),
    )


@dataclass(frozen=True, slots=True)
class _Entry:
    """A contact prepared for comparison: its lookup keys, kind, name with its tokens sorted, and the name
    blocks it is filed under. Made once per record: an import compares a record, then files the same one."""

    key: int
    kind: ContactKind
    keys: LookupKeys
    sorted_name: str  # the folded name's tokens sorted, as token_sort_ratio compares them
    blocks: tuple[tuple[str, str, str, str], ...]  # see `_name_blocks`

    @classmethod
    def of(cls, key: int, fields: ContactFields, organisation: str) -> _Entry:
        keys = lookup_keys(fields, organisation)
        sorted_name = " ".join(sorted(keys.name.split()))
        return cls(key, fields.kind, keys, sorted_name, _name_blocks(fields.kind, keys.organisation, sorted_name))

    def keyed(self, key: int) -> _Entry:
        """The same entry filed under another key (a probe, once its record is added)."""
        return _Entry(key, self.kind, self.keys, self.sorted_name, self.blocks)

    def plain(self) -> tuple:
        """Plain values (kind aside), for a probe made in another process: `from_plain` undoes it."""
        keys = self.keys
        return tuple(keys.emails), tuple(keys.phones), keys.name, keys.organisation, self.sorted_name, self.blocks

    @classmethod
    def from_plain(cls, kind: ContactKind, plain: tuple) -> _Entry:
        emails, phones, name, organisation, sorted_name, blocks = plain
        return cls(-1, kind, LookupKeys(frozenset(emails), frozenset(phones), name, organisation), sorted_name, blocks)

    def name_blocks(self) -> tuple[tuple[str, str, str, str], ...]:
        return self.blocks


def _name_blocks(kind: ContactKind, organisation: str, sorted_name: str) -> tuple[tuple[str, str, str, str], ...]:
    """The name blocks an entry is filed under; two entries are name-compared only if they share one.

    A block is (kind, organisation, and the initials of two of the first few sorted name tokens). Word
    order does not matter ("Smith John" shares "john smith"'s block), nor do accents or case, and a
    typo past a word's first letter keeps its block ("Jon Smith" and "John Smith": both j+s). The
    tradeoff: a slip in a word's *first* letter ("Hohn Smith" for "John Smith", 90 by the ratio) moves
    a two-word name to another block, and a one-word name never meets a two-word one, so the index misses
    those name-only matches that the plain rule would find. An email or phone match is never missed, and
    for it the name is compared in full. In exchange each record is compared with a few dozen names
    sharing its initials instead of with every contact at its organisation (or, for the many people
    with no organisation, with every such person).
    """
    tokens = sorted_name.split()[:BLOCK_TOKENS]
    if not tokens:
        return ()
    kind_value = kind.value
    if len(tokens) == 1:
        return ((kind_value, organisation, tokens[0][0], ""),)
    if len(tokens) == 2:  # most names: one block
        return ((kind_value, organisation, tokens[0][0], tokens[1][0]),)
    return tuple(dict.fromkeys((kind_value, organisation, a[0], b[0]) for a, b in combinations(tokens, 2)))


def _name_ratio(a: _Entry, b: _Entry) -> float:
    """token_sort_ratio of the two names (0 when they may not be compared), as the plain rule computes it."""
    if a.kind is not b.kind or a.keys.organisation != b.keys.organisation or not a.keys.name or not b.keys.name:
        return 0.0
    from rapidfuzz import fuzz  # here, not at the top: storage imports Candidate at start-up

    return fuzz.token_sort_ratio(a.keys.name, b.keys.name, processor=None)


def _match(probe: _Entry, candidate: _Entry, name_ratio: float) -> Match | None:
    scores: dict[MatchReason, float] = {}
    if probe.keys.emails & candidate.keys.emails:
        scores[MatchReason.EMAIL] = EMAIL_SCORE
    if probe.keys.phones & candidate.keys.phones:
        scores[MatchReason.PHONE] = PHONE_SCORE
    if name_ratio >= NAME_THRESHOLD and (scores or not _reached_apart(probe, candidate)):
        scores[MatchReason.NAME] = name_ratio - NAME_MARGIN
    if not scores:
        return None
    score = min(100.0, max(scores.values()) + EXTRA_REASON_BONUS * (len(scores) - 1))
    return Match(candidate.key, frozenset(scores), score)


def close_names(name: str, names: dict[int, str]) -> list[int]:
    """The keys of `names` (folded names, e.g. an organisation's members as stored) close enough to `name`
    for the name rule, so that only those need reading in full."""
    from rapidfuzz import fuzz, process

    probe = fold(name)
    if not probe or not names:
        return []
    return [key for _name, _ratio, key in process.extract(
        probe, names, scorer=fuzz.token_sort_ratio, processor=None, score_cutoff=NAME_THRESHOLD, limit=None)]


@lru_cache(maxsize=1)
def _rapidfuzz():
    """rapidfuzz's extract and ratio, imported once (not at the top: storage imports Candidate at start-up),
    rather than at each of an import's hundred thousand look-ups."""
    from rapidfuzz import fuzz, process

    return process.extract, fuzz.ratio


def _reached_apart(a: _Entry, b: _Entry) -> bool:
    """Two people of no organisation, each with an email or phone and none in common: a shared name alone
    does not make them one (a city has many Ana Silvas). Without details on one side, the name is all
    there is to go on, so a re-imported name-only record still finds itself."""
    return (a.kind is ContactKind.PERSON and not a.keys.organisation and not b.keys.organisation
            and bool(a.keys.emails or a.keys.phones) and bool(b.keys.emails or b.keys.phones))


def _best_first(matches: Iterable[Match]) -> list[Match]:
    return sorted(matches, key=lambda m: (-m.score, -len(m.reasons), m.key))


def find_duplicates(fields: ContactFields, organisation: str, candidates: Iterable[Candidate]) -> list[Match]:
    """The candidates that `fields` (at `organisation`) duplicates, best first; [] when none."""
    probe = _Entry.of(-1, fields, organisation)
    found = []
    for candidate in candidates:
        entry = _Entry.of(candidate.key, candidate.fields, candidate.organisation)
        match = _match(probe, entry, _name_ratio(probe, entry))
        if match is not None:
            found.append(match)
    return _best_first(found)


def reason_text(reasons: Iterable[MatchReason]) -> str:
    """Why two contacts look the same, for a person: "same email and phone", "similar name at the same
    organisation"."""
    present = set(reasons)
    if present == {MatchReason.NAME}:
        return "similar name at the same organisation"
    same = [reason.value for reason in _REASON_ORDER if reason in present and reason is not MatchReason.NAME]
    parts = []
    if same:
        parts = ["same " + same[0], *same[1:]]
    if MatchReason.NAME in present:
        parts.append("similar name")
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


class DuplicateIndex:
    """In-memory index of candidates by email, phone and name block, so checking each of n records against
    the ones before it is not O(n²).

    `matches` answers as `find_duplicates` would over every candidate added, except for the name-only
    matches that name blocking gives up (see `_name_blocks`)."""

    def __init__(self, candidates: Iterable[Candidate] = ()) -> None:
        self._entries: dict[int, _Entry] = {}
        self._by_email: dict[str, set[int]] = {}
        self._by_phone: dict[str, set[int]] = {}
        # name block → {key: sorted name}; a dict, so rapidfuzz scores a whole block in one call.
        self._by_block: dict[tuple[str, str, str, str], dict[int, str]] = {}
        for candidate in candidates:
            self.add(candidate)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def add(self, candidate: Candidate, probe: Probe | None = None) -> None:
        """File a candidate; one whose key is already there replaces the one filed before. `probe`, when
        given, is `self.probe(candidate.fields, candidate.organisation)`, made already to look for matches."""
        if candidate.key in self._entries:
            self.remove(candidate.key)
        entry = (_Entry.of(candidate.key, candidate.fields, candidate.organisation) if probe is None
                 else probe.keyed(candidate.key))
        key = entry.key
        self._entries[key] = entry
        for email in entry.keys.emails:
            self._by_email.setdefault(email, set()).add(key)
        for phone in entry.keys.phones:
            self._by_phone.setdefault(phone, set()).add(key)
        for block in entry.blocks:
            self._by_block.setdefault(block, {})[key] = entry.sorted_name

    def replace(self, candidate: Candidate) -> None:
        """The same contact with new fields (after a merge): what it was filed under before is removed."""
        self.add(candidate)

    def remove(self, key: int) -> None:
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        for index, values in ((self._by_email, entry.keys.emails), (self._by_phone, entry.keys.phones)):
            for value in values:
                keys = index[value]
                keys.discard(key)
                if not keys:
                    del index[value]
        for block in entry.blocks:
            names = self._by_block[block]
            del names[key]
            if not names:
                del self._by_block[block]

    @staticmethod
    def probe(fields: ContactFields, organisation: str) -> Probe:
        """What `matches_of` compares and `add` files, worked out once for a record that is both."""
        return _Entry.of(-1, fields, organisation)

    def matches(self, fields: ContactFields, organisation: str) -> list[Match]:
        return self.matches_of(self.probe(fields, organisation))

    def matches_of(self, probe: Probe) -> list[Match]:
        ratios: dict[int, float] = {}
        if probe.keys.name:
            for block in probe.blocks:
                names = self._by_block.get(block)
                if not names:
                    continue
                extract, ratio_scorer = _rapidfuzz()
                # Only names at or over the threshold come back, scored in C without a Python call each.
                for _name, ratio, key in extract(probe.sorted_name, names, scorer=ratio_scorer,
                                                 processor=None, score_cutoff=NAME_THRESHOLD, limit=None):
                    ratios[key] = ratio
        keys = set(ratios)
        for email in probe.keys.emails:
            found_keys = self._by_email.get(email)
            if found_keys:
                keys |= found_keys
        for phone in probe.keys.phones:
            found_keys = self._by_phone.get(phone)
            if found_keys:
                keys |= found_keys
        if not keys:  # most records of an import: nothing like them yet
            return []
        found = []
        for key in keys:
            entry = self._entries[key]
            ratio = ratios[key] if key in ratios else _name_ratio(probe, entry)
            match = _match(probe, entry, ratio)
            if match is not None:
                found.append(match)
        return _best_first(found)


# A record prepared for `DuplicateIndex.matches_of` and `DuplicateIndex.add`.
Probe = _Entry


__all__ = [
    "NAME_THRESHOLD", "Candidate", "DuplicateIndex", "LookupKeys", "Match", "MatchReason", "Probe",
    "close_names", "find_duplicates", "fold", "lookup_keys", "reason_text",
]
