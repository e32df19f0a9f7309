"""What the full-text index holds for a contact, and how a typed query becomes an FTS5 expression."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from clientdesk.domain.phones import national_digits

MIN_PHONE_FRAGMENT = 3
_PHONE_LIKE = re.compile(r"\+?[\d\s().\-/]+")
# FTS5's unicode61 tokenizer keeps letters and digits together and splits on everything else.
_TOKEN = re.compile(r"[^\W_]+")


def phone_fragments(e164_numbers: Iterable[str]) -> str:
    """Every digit suffix of each number (international and national form), so a fragment typed from
    the middle of a number — "7946 0958" in "+44 20 7946 0958" — is a prefix of some indexed token."""
    return " ".join(dict.fromkeys(
        digits[start:] for e164 in e164_numbers for digits in (e164.lstrip("+"), national_digits(e164))
        for start in range(len(digits) - MIN_PHONE_FRAGMENT + 1)))


def fts_expression(query: str) -> str | None:
    """A prefix query: each word must start some indexed word; a phone-like query matches inside numbers."""
    text = query.strip()
    if not text:
        return None
    if _PHONE_LIKE.fullmatch(text):
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) >= MIN_PHONE_FRAGMENT:
            return f'phone : "{digits}"*'
    tokens = _TOKEN.findall(text)
    if not tokens:
        return None
    return " ".join(f'"{token}"*' for token in tokens)


# A caller is found by who they are, not by a word in a note about someone else.
LOOKUP_COLUMNS = "{name organisation email}"


def lookup_expression(spellings_per_word: Sequence[Sequence[str]]) -> str | None:
    """Each typed word must start a word of the name, organisation or email, in any of its spellings."""
    groups = []
    for spellings in spellings_per_word:
        tokens = dict.fromkeys(token for spelling in spellings for token in _TOKEN.findall(spelling))
        if tokens:
            groups.append(f"{LOOKUP_COLUMNS} : (" + " OR ".join(f'"{token}"*' for token in tokens) + ")")
    return " AND ".join(groups) or None
