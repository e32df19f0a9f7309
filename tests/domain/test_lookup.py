from __future__ import annotations

from datetime import UTC, datetime

from clientdesk.domain.contacts import ContactSummary
from clientdesk.domain.lookup import Vocabulary, close_words, looks_like_phone, rank, words

WHEN = datetime(2026, 1, 1, tzinfo=UTC)


def summary(contact_id: int, name: str) -> ContactSummary:
    return ContactSummary(contact_id, name, "", "", "", "", WHEN)


def test_words_are_folded_like_the_index():
    assert words("  Zoë O'Brien-Smith ") == ["zoe", "o", "brien", "smith"]


def test_a_swapped_or_missing_letter_is_forgiven_but_another_name_is_not():
    known = Vocabulary(["john smith", "joan smithers", "jon snow", "ann", "johanna"])
    assert "john" in close_words("jonh", known)
    assert close_words("smtih", known)[0] == "smith"
    assert "smith" in close_words("smih", known)
    assert close_words("brown", known) == []
    assert close_words("jo", known) == []  # still being typed: the prefix search serves it


def test_the_vocabulary_compares_only_words_of_a_near_length():
    known = Vocabulary(["al", "alan", "alanna", "alexandrina"])
    assert set(known.near_in_length("alan")) == {"alan"}
    assert "alanna" in known.near_in_length("alanna")
    assert len(known) == 4


def test_phone_like_text_needs_three_digits():
    assert looks_like_phone("0207 946")
    assert looks_like_phone("+44 20 7946 0958")
    assert looks_like_phone("(020) 7946-0958")
    assert not looks_like_phone("02")
    assert not looks_like_phone("john 0207")


def test_names_as_typed_come_first_then_those_starting_so_then_the_closest():
    candidates = [summary(1, "Adam Johnson"), summary(2, "John Smith"), summary(3, "Johnny Smithers"),
                  summary(4, "Jon Smith")]
    ranked = rank("john smith", candidates, first={1, 2, 3})
    assert [s.id for s in ranked] == [2, 3, 1, 4]  # 4 is a close spelling only, so last


def test_a_word_still_being_typed_correctly_is_left_alone():
    known = Vocabulary(["john smith", "joan smithers"])
    assert known.starts_a_word("smit") and not known.starts_a_word("smti")
    assert close_words("smit", known) == []
    assert close_words("smtih", known) == ["smith"]
