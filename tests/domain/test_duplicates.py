"""Duplicate detection: the plain rule (find_duplicates) and the index that answers the same faster."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz

from clientdesk.domain import duplicates
from clientdesk.domain.contacts import ContactFields, ContactKind, sort_key
from clientdesk.domain.duplicates import (
    NAME_THRESHOLD,
    Candidate,
    DuplicateIndex,
    LookupKeys,
    Match,
    MatchReason,
    find_duplicates,
    lookup_keys,
    reason_text,
)
from clientdesk.domain.emails import Email
from clientdesk.domain.phones import Phone

EMAIL, PHONE, NAME = MatchReason.EMAIL, MatchReason.PHONE, MatchReason.NAME


def person(name: str, *, emails=(), phones=(), given="", family="") -> ContactFields:
    return ContactFields(
        kind=ContactKind.PERSON, given_name=given, family_name=family, display_name=name,
        phones=tuple(Phone(raw=p, e164=p) for p in phones), emails=tuple(Email(e) for e in emails),
    )


def organisation(name: str, *, emails=(), phones=()) -> ContactFields:
    return ContactFields(
        kind=ContactKind.ORGANISATION, given_name="", family_name="", display_name=name,
        phones=tuple(Phone(raw=p, e164=p) for p in phones), emails=tuple(Email(e) for e in emails),
    )


def reasons_of(fields, organisation_name, candidates) -> dict[int, frozenset[MatchReason]]:
    return {m.key: m.reasons for m in find_duplicates(fields, organisation_name, candidates)}


def ratio(a: str, b: str) -> float:
    return fuzz.token_sort_ratio(sort_key(a), sort_key(b))


# -- each reason alone ---------------------------------------------------------------------------------------


def test_same_email_ignoring_case_is_a_duplicate_whatever_the_names():
    stored = [Candidate(1, person("Ann Other", emails=["Jo.Bloggs@Example.com"]))]
    matches = find_duplicates(person("Joe Bloggs", emails=["jo.bloggs@example.COM"]), "", stored)
    assert matches == [Match(1, frozenset({EMAIL}), 100.0)]


def test_same_e164_phone_is_a_duplicate_whatever_the_names():
    stored = [Candidate(1, person("Ann Other", phones=["+442079460958"]), "Acme")]
    matches = find_duplicates(person("Joe Bloggs", phones=["+442079460958"]), "Other Ltd", stored)
    assert matches == [Match(1, frozenset({PHONE}), 95.0)]


def test_phones_compare_by_e164_not_as_typed():
    typed = ContactFields(ContactKind.PERSON, "", "", "A", phones=(Phone("020 7946 0958", "+442079460958"),))
    stored = [Candidate(1, typed)]
    incoming = ContactFields(ContactKind.PERSON, "", "", "B", phones=(Phone("+44 (0)20 7946-0958", "+442079460958"),))
    assert reasons_of(incoming, "", stored) == {1: {PHONE}}


def test_close_name_at_the_same_organisation_is_a_duplicate():
    stored = [Candidate(1, person("John Smith"), "Acme Ltd")]
    matches = find_duplicates(person("Jon Smith"), "Acme Ltd", stored)
    assert [m.key for m in matches] == [1]
    assert matches[0].reasons == {NAME}
    assert matches[0].score == pytest.approx(ratio("Jon Smith", "John Smith") - 20)


def test_different_emails_phones_and_names_are_not_duplicates():
    stored = [Candidate(1, person("John Smith", emails=["john@a.com"], phones=["+15551230001"]), "Acme")]
    assert find_duplicates(person("Mary Jones", emails=["mary@a.com"], phones=["+15551230002"]), "Acme", stored) == []


def test_no_candidates_no_matches():
    assert find_duplicates(person("John Smith", emails=["j@a.com"]), "", []) == []


# -- reasons combined ----------------------------------------------------------------------------------------


def test_email_and_phone_together():
    stored = [Candidate(7, person("Someone Else", emails=["j@a.com"], phones=["+15551230001"]))]
    (match,) = find_duplicates(person("John Smith", emails=["J@A.com"], phones=["+15551230001"]), "x", stored)
    assert match.reasons == {EMAIL, PHONE}
    assert match.score == 100.0


def test_email_and_close_name_at_the_same_organisation_adds_the_name_reason():
    stored = [Candidate(7, person("John Smith", emails=["j@a.com"]), "Acme")]
    (match,) = find_duplicates(person("Jon Smith", emails=["j@a.com"]), "ACME", stored)
    assert match.reasons == {EMAIL, NAME}


def test_email_match_with_the_name_at_another_organisation_has_no_name_reason():
    stored = [Candidate(7, person("John Smith", emails=["j@a.com"]), "Acme")]
    (match,) = find_duplicates(person("John Smith", emails=["j@a.com"]), "Globex", stored)
    assert match.reasons == {EMAIL}


def test_all_three_reasons():
    stored = [Candidate(3, person("John Smith", emails=["j@a.com"], phones=["+15551230001"]))]
    (match,) = find_duplicates(person("john smith", emails=["j@a.com"], phones=["+15551230001"]), "", stored)
    assert match.reasons == {EMAIL, PHONE, NAME}
    assert match.score == 100.0


def test_phone_and_name_rank_above_phone_alone_and_below_email():
    stored = [
        Candidate(1, person("Mary Jones", phones=["+15551230001"])),
        Candidate(2, person("John Smith", phones=["+15551230001"])),
        Candidate(3, person("Pat Doe", emails=["j@a.com"])),
    ]
    matches = find_duplicates(person("John Smith", emails=["j@a.com"], phones=["+15551230001"]), "", stored)
    assert [m.key for m in matches] == [3, 2, 1]
    assert matches[1].reasons == {PHONE, NAME} and matches[1].score == 97.0
    assert matches[2].score == 95.0


# -- ranking -------------------------------------------------------------------------------------------------


def test_email_and_phone_matches_rank_above_the_closest_name_only_match():
    stored = [
        Candidate(1, person("John Smith")),  # identical name: the best a name-only match gets
        Candidate(2, person("Other Person", phones=["+15551230001"])),
        Candidate(3, person("Another One", emails=["j@a.com"])),
    ]
    matches = find_duplicates(person("John Smith", emails=["j@a.com"], phones=["+15551230001"]), "", stored)
    assert [m.key for m in matches] == [3, 2, 1]
    assert [m.reasons for m in matches] == [{EMAIL}, {PHONE}, {NAME}]
    assert matches[2].score == 80.0 < matches[1].score < matches[0].score <= 100


def test_name_only_matches_rank_by_closeness():
    stored = [Candidate(1, person("Jon Smith")), Candidate(2, person("John Smith")), Candidate(3, person("Jhn Smith"))]
    matches = find_duplicates(person("John Smith"), "", stored)
    assert [m.key for m in matches][0] == 2
    assert all(0 <= m.score <= 80 for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_more_reasons_rank_first_when_scores_tie():
    stored = [
        Candidate(1, person("Pat Doe", emails=["j@a.com"])),
        Candidate(2, person("Lee Roe", emails=["j@a.com"], phones=["+15551230001"])),
    ]
    matches = find_duplicates(person("John Smith", emails=["j@a.com"], phones=["+15551230001"]), "", stored)
    assert [m.key for m in matches] == [2, 1]
    assert matches[0].score == matches[1].score == 100.0


def test_ties_go_to_the_lower_key():
    stored = [Candidate(key, person(f"Person {key}", emails=["shared@a.com"])) for key in (9, 3, 5)]
    assert [m.key for m in find_duplicates(person("X", emails=["shared@a.com"]), "", stored)] == [3, 5, 9]


def test_scores_stay_between_0_and_100():
    stored = [Candidate(1, person("John Smith", emails=["j@a.com"], phones=["+15551230001"]))]
    for probe in (person("John Smith", emails=["j@a.com"], phones=["+15551230001"]), person("John Smith")):
        for match in find_duplicates(probe, "", stored):
            assert 0 <= match.score <= 100


# -- names: kinds, folding, order ----------------------------------------------------------------------------


def test_a_person_and_an_organisation_never_match_by_name():
    stored = [Candidate(1, organisation("Jordan Smith"))]
    assert find_duplicates(person("Jordan Smith"), "", stored) == []
    stored = [Candidate(1, person("Jordan Smith"))]
    assert find_duplicates(organisation("Jordan Smith"), "", stored) == []


def test_different_kinds_still_match_by_email_or_phone():
    stored = [Candidate(1, organisation("Acme", emails=["info@acme.com"], phones=["+15551230001"]))]
    probe = person("Acme", emails=["info@acme.com"], phones=["+15551230001"])
    assert reasons_of(probe, "", stored) == {1: {EMAIL, PHONE}}


def test_organisations_match_on_their_own_names():
    stored = [Candidate(1, organisation("Acme Widgets Ltd")), Candidate(2, organisation("Globex Corporation"))]
    assert reasons_of(organisation("ACME Widgets Ltd."), "", stored) == {1: {NAME}}


def test_an_organisations_organisation_text_is_ignored():
    stored = [Candidate(1, organisation("Acme Widgets Ltd"), "")]
    assert reasons_of(organisation("Acme Widgets Ltd"), "Something", stored) == {1: {NAME}}
    assert lookup_keys(organisation("Acme"), "Something").organisation == ""


@pytest.mark.parametrize(("stored_name", "incoming_name"), [
    ("John Smith", "Jon Smith"),  # a letter dropped
    ("John Smith", "Smith John"),  # word order
    ("John Smith", "JOHN SMITH"),  # case
    ("Zoë Ünal", "zoe unal"),  # accents and case
    ("José Ramón Núñez", "Jose Ramon Nunez"),
    ("Anne  Marie   Dupont", "Anne Marie Dupont"),  # runs of blanks
])
def test_close_names_match(stored_name, incoming_name):
    stored = [Candidate(1, person(stored_name))]
    assert reasons_of(person(incoming_name), "", stored) == {1: {NAME}}


@pytest.mark.parametrize(("stored_name", "incoming_name"), [
    ("John Smith", "Jane Smith"),  # 80
    ("Dan Lee", "Don Lee"),  # 86: short names have little room for a slip
    ("John Smith", "John Smithson"),
    ("Mary Jones", "Peter Jones"),
])
def test_names_that_are_not_close_do_not_match(stored_name, incoming_name):
    assert ratio(stored_name, incoming_name) < NAME_THRESHOLD
    assert find_duplicates(person(incoming_name), "", [Candidate(1, person(stored_name))]) == []


def test_empty_names_never_match():
    stored = [Candidate(1, person("")), Candidate(2, person("   ")), Candidate(3, organisation(""))]
    assert find_duplicates(person(""), "", stored) == []
    assert find_duplicates(organisation(""), "", stored) == []


def test_empty_email_and_phone_values_never_match():
    blank = ContactFields(ContactKind.PERSON, "", "", "A", phones=(Phone("", ""),), emails=(Email(""),))
    other = ContactFields(ContactKind.PERSON, "", "", "B", phones=(Phone("", ""),), emails=(Email("  "),))
    assert find_duplicates(blank, "", [Candidate(1, other)]) == []


# -- the organisation rule -----------------------------------------------------------------------------------


def test_the_same_name_at_another_organisation_is_not_a_duplicate():
    stored = [Candidate(1, person("John Smith"), "Acme Ltd")]
    assert find_duplicates(person("John Smith"), "Globex", stored) == []


def test_organisation_names_compare_folded():
    stored = [Candidate(1, person("John Smith"), "Café Ünal  Ltd")]
    assert reasons_of(person("John Smith"), "cafe unal ltd", stored) == {1: {NAME}}


def test_two_people_with_no_organisation_count_as_the_same_organisation():
    stored = [Candidate(1, person("John Smith"), "")]
    assert reasons_of(person("Jon Smith"), "", stored) == {1: {NAME}}
    assert reasons_of(person("Jon Smith"), "   ", stored) == {1: {NAME}}


def test_two_people_of_no_organisation_told_apart_by_their_details_are_not_duplicates():
    stored = [Candidate(1, person("Ana Silva", emails=["ana@one.example"]))]
    assert reasons_of(person("Ana Silva", phones=["+447911123456"]), "", stored) == {}
    assert DuplicateIndex(stored).matches(person("Ana Silva", emails=["ana@two.example"]), "") == []


def test_a_name_alone_still_finds_a_person_of_no_organisation_when_one_side_has_no_details():
    detailed = [Candidate(1, person("Ana Silva", emails=["ana@one.example"]))]
    assert reasons_of(person("Ana Silva"), "", detailed) == {1: frozenset({NAME})}
    bare = [Candidate(2, person("Ana Silva"))]
    assert reasons_of(person("Ana Silva", emails=["ana@two.example"]), "", bare) == {2: frozenset({NAME})}


def test_at_the_same_organisation_a_close_name_is_a_duplicate_even_with_other_details():
    stored = [Candidate(1, person("Ana Silva", emails=["ana@one.example"]), "Acme")]
    assert reasons_of(person("Ana Silva", emails=["ana@two.example"]), "Acme", stored) == {1: frozenset({NAME})}


def test_a_person_with_an_organisation_and_one_without_are_not_name_duplicates():
    assert find_duplicates(person("John Smith"), "", [Candidate(1, person("John Smith"), "Acme")]) == []
    assert find_duplicates(person("John Smith"), "Acme", [Candidate(1, person("John Smith"), "")]) == []


# -- threshold edges -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b"), [
    ("John Smith", "Joan Smith"),  # exactly 90
    ("Alexandra Montgomery", "Alexandria Montgomerie"),  # 90.5
    ("Margaret Thompson", "Margret Tomson"),  # 90.3
])
def test_pairs_at_or_just_over_the_threshold_match(a, b):
    assert NAME_THRESHOLD <= ratio(a, b) < NAME_THRESHOLD + 1
    (match,) = find_duplicates(person(b), "", [Candidate(1, person(a))])
    assert match.reasons == {NAME}
    assert match.score == pytest.approx(ratio(a, b) - 20)


@pytest.mark.parametrize(("a", "b"), [
    ("Jonathan Richardson", "Jonathon Richardsen"),  # 89.5
    ("Elizabeth Anderson", "Elisabeth Andersen"),  # 88.9
])
def test_pairs_just_under_the_threshold_do_not_match(a, b):
    assert NAME_THRESHOLD - 1.5 < ratio(a, b) < NAME_THRESHOLD
    assert find_duplicates(person(b), "", [Candidate(1, person(a))]) == []
    assert DuplicateIndex([Candidate(1, person(a))]).matches(person(b), "") == []


def test_the_threshold_is_90():
    assert NAME_THRESHOLD == 90


# -- reason_text ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("reasons", "text"), [
    ({EMAIL}, "same email"),
    ({PHONE}, "same phone"),
    ({NAME}, "similar name at the same organisation"),
    ({EMAIL, PHONE}, "same email and phone"),
    ({EMAIL, NAME}, "same email and similar name"),
    ({PHONE, NAME}, "same phone and similar name"),
    ({EMAIL, PHONE, NAME}, "same email, phone and similar name"),
    ([NAME, PHONE, EMAIL], "same email, phone and similar name"),  # any order in, one order out
    (set(), ""),
])
def test_reason_text(reasons, text):
    assert reason_text(reasons) == text


# -- lookup keys ---------------------------------------------------------------------------------------------


def test_lookup_keys_are_folded():
    fields = person("Zoë  Ünal", emails=["Zoe@Example.COM", "z@b.org"], phones=["+15551230001"])
    assert lookup_keys(fields, "  Café Ltd ") == LookupKeys(
        emails=frozenset({"zoe@example.com", "z@b.org"}), phones=frozenset({"+15551230001"}),
        name="zoe unal", organisation="cafe ltd")


def test_lookup_keys_name_is_the_stored_sort_name_for_a_clean_name():
    assert lookup_keys(person("Zoë Ünal"), "").name == sort_key("Zoë Ünal")


# -- the index -----------------------------------------------------------------------------------------------


def test_index_finds_each_reason():
    index = DuplicateIndex()
    index.add(Candidate(1, person("John Smith", emails=["j@a.com"]), "Acme"))
    index.add(Candidate(2, person("Mary Jones", phones=["+15551230001"])))
    index.add(Candidate(3, organisation("Acme Ltd")))
    assert len(index) == 3
    assert [(m.key, m.reasons) for m in index.matches(person("Someone", emails=["J@A.COM"]), "")] == [(1, {EMAIL})]
    assert [(m.key, m.reasons) for m in index.matches(person("Someone", phones=["+15551230001"]), "")] == [(2, {PHONE})]
    assert [(m.key, m.reasons) for m in index.matches(person("Smith Jon"), "acme")] == [(1, {NAME})]
    assert [(m.key, m.reasons) for m in index.matches(organisation("ACME Ltd"), "")] == [(3, {NAME})]
    assert index.matches(person("Acme Ltd"), "") == []  # a person never name-matches an organisation


def test_index_adds_the_name_reason_to_an_email_match():
    stored = [Candidate(1, person("Jon Smith", emails=["j@a.com"]))]
    probe = person("John Smith", emails=["j@a.com"])
    assert DuplicateIndex(stored).matches(probe, "") == find_duplicates(probe, "", stored)
    assert DuplicateIndex(stored).matches(probe, "")[0].reasons == {EMAIL, NAME}


def test_index_blocking_misses_a_slip_in_a_first_letter_that_the_plain_rule_finds():
    """The documented tradeoff: a first-letter typo moves a name to another block."""
    stored = [Candidate(1, person("Catherine Wilson"))]
    assert ratio("Catherine Wilson", "Katherine Willson") >= NAME_THRESHOLD
    assert [m.key for m in find_duplicates(person("Katherine Willson"), "", stored)] == [1]
    assert DuplicateIndex(stored).matches(person("Katherine Willson"), "") == []
    # ...but not when an email or phone brings the two together.
    stored = [Candidate(1, person("Catherine Wilson", phones=["+15551230001"]))]
    probe = person("Katherine Willson", phones=["+15551230001"])
    assert DuplicateIndex(stored).matches(probe, "") == find_duplicates(probe, "", stored)
    assert DuplicateIndex(stored).matches(probe, "")[0].reasons == {PHONE, NAME}


def test_index_replace_removes_the_old_keys():
    index = DuplicateIndex()
    index.add(Candidate(1, person("John Smith", emails=["old@a.com"], phones=["+15551230001"]), "Acme"))
    index.replace(Candidate(1, person("Mary Jones", emails=["new@a.com"]), "Globex"))
    assert len(index) == 1
    assert index.matches(person("X", emails=["old@a.com"]), "") == []
    assert index.matches(person("X", phones=["+15551230001"]), "") == []
    assert index.matches(person("John Smith"), "Acme") == []
    assert [m.key for m in index.matches(person("X", emails=["NEW@a.com"]), "")] == [1]
    assert [m.key for m in index.matches(person("Mary Jones"), "Globex")] == [1]


def test_index_replace_after_a_merge_keeps_both_sides_keys():
    index = DuplicateIndex([Candidate(1, person("John Smith", emails=["a@a.com"]))])
    index.replace(Candidate(1, person("John Smith", emails=["a@a.com", "b@a.com"])))
    assert [m.key for m in index.matches(person("X", emails=["b@a.com"]), "")] == [1]
    assert [m.key for m in index.matches(person("X", emails=["a@a.com"]), "")] == [1]


def test_index_shared_keys_survive_removing_one_holder():
    index = DuplicateIndex([Candidate(1, person("A B", emails=["s@a.com"])),
                            Candidate(2, person("C D", emails=["s@a.com"]))])
    index.remove(1)
    assert 1 not in index and 2 in index
    assert [m.key for m in index.matches(person("X", emails=["s@a.com"]), "")] == [2]
    index.remove(1)  # removing what is not there is harmless
    assert len(index) == 1


def test_adding_a_key_twice_replaces_it():
    index = DuplicateIndex()
    index.add(Candidate(1, person("John Smith", emails=["a@a.com"])))
    index.add(Candidate(1, person("Mary Jones", emails=["b@a.com"])))
    assert len(index) == 1
    assert index.matches(person("X", emails=["a@a.com"]), "") == []


def test_the_index_leaves_its_internal_tables_empty_when_everything_is_removed():
    index = DuplicateIndex()
    for key in range(20):
        index.add(Candidate(key, person(f"Name{key} Surname", emails=[f"{key}@a.com"], phones=[f"+1555123{key:04d}"])))
    for key in range(20):
        index.remove(key)
    assert len(index) == 0
    assert not index._by_email and not index._by_phone and not index._by_block


# -- the index agrees with the plain rule on generated contacts ----------------------------------------------

GIVEN = ["John", "Jon", "Mary", "Maria", "Zoë", "Zoe", "Catherine", "Katherine", "Ahmed", "Ana", "Anna", "Peter",
         "Pieter", "José", "Jose", "Li", "Sam", "Samantha", "Chris", "Christopher", "Aoife", "Siobhán"]
FAMILY = ["Smith", "Smyth", "Jones", "Ünal", "Unal", "Nguyen", "O'Brien", "Obrien", "García", "Garcia", "Müller",
          "Mueller", "Wilson", "Willson", "Kowalski", "Dubois", "Anderson", "Andersen"]
ORGANISATIONS = ["", "", "", "Acme Ltd", "ACME LTD", "Globex", "Café Ünal", "cafe unal", "Initech"]


def _slip(rng: random.Random, word: str) -> str:
    """A typo anywhere in a word, the first letter included (which blocking misses)."""
    position = rng.randrange(len(word))
    kind = rng.choice(("drop", "double", "swap", "change"))
    if kind == "drop" and len(word) > 2:
        return word[:position] + word[position + 1:]
    if kind == "double":
        return word[:position] + word[position] + word[position:]
    if kind == "swap" and position < len(word) - 1:
        return word[:position] + word[position + 1] + word[position] + word[position + 2:]
    return word[:position] + rng.choice("aeiouxyz") + word[position + 1:]


def _generated(count: int, seed: int) -> list[tuple[ContactFields, str]]:
    rng = random.Random(seed)
    records = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.1:
            name = rng.choice(["Acme Ltd", "Globex Corporation", "Initech", "Café Ünal", "Umbrella plc"])
            if rng.random() < 0.3:
                name = _slip(rng, name)
            kind, organisation_name = ContactKind.ORGANISATION, rng.choice(["", "", "Acme"])
        else:
            words = [rng.choice(GIVEN), rng.choice(FAMILY)]
            if rng.random() < 0.1:
                words.insert(1, rng.choice(["A", "B", "Lee", "Ann"]))  # a middle name or initial
            if rng.random() < 0.2:
                index = rng.randrange(len(words))
                words[index] = _slip(rng, words[index])
            if rng.random() < 0.15:
                words.reverse()
            name = " ".join(w.upper() if rng.random() < 0.1 else w for w in words)
            if rng.random() < 0.02:
                name = rng.choice(["", "X"])  # empty and one-letter names
            kind, organisation_name = ContactKind.PERSON, rng.choice(ORGANISATIONS)
        emails = [rng.choice(("user{}@example.com", "User{}@Example.com")).format(rng.randrange(400))
                  for _ in range(rng.choice((0, 0, 1, 1, 2)))]
        phones = [f"+4420794{rng.randrange(600):05d}" for _ in range(rng.choice((0, 1, 1, 2)))]
        fields = ContactFields(kind, "", "", name, phones=tuple(Phone(p, p) for p in phones),
                               emails=tuple(Email(e) for e in emails))
        records.append((fields, organisation_name))
    return records


def _blocked_out(probe: ContactFields, organisation_name: str, candidate: Candidate) -> bool:
    """A name-only match in no shared name block: what the index gives up by design."""
    a = duplicates._Entry.of(-1, probe, organisation_name)
    b = duplicates._Entry.of(candidate.key, candidate.fields, candidate.organisation)
    return not set(a.name_blocks()) & set(b.name_blocks())


def test_index_equals_the_plain_rule_on_generated_contacts():
    records = _generated(2000, seed=20240611)
    candidates = [Candidate(key, fields, organisation_name) for key, (fields, organisation_name) in enumerate(records)]
    index = DuplicateIndex(candidates)
    assert len(index) == len(candidates)
    probes = _generated(200, seed=7) + records[::25]
    compared = found = missed = 0
    reasons_seen = set()
    for fields, organisation_name in probes:
        expected = find_duplicates(fields, organisation_name, candidates)
        reasons_seen |= {m.reasons for m in expected}
        kept = [m for m in expected
                if m.reasons != {NAME} or not _blocked_out(fields, organisation_name, candidates[m.key])]
        missed += len(expected) - len(kept)
        found += len(kept)
        compared += 1
        assert index.matches(fields, organisation_name) == kept, (fields, organisation_name)
    # The generated set exercises every reason, and blocking gives up only a small share of the matches.
    assert compared == len(probes)
    assert found > 1000
    assert 0 < missed < found * 0.1
    assert {frozenset({EMAIL}), frozenset({PHONE}), frozenset({NAME}), frozenset({EMAIL, PHONE}),
            frozenset({EMAIL, NAME}), frozenset({PHONE, NAME})} <= reasons_seen


def test_index_matches_each_record_against_the_ones_before_it_as_an_import_does():
    records = _generated(800, seed=99)
    index = DuplicateIndex()
    before: list[Candidate] = []
    for key, (fields, organisation_name) in enumerate(records):
        expected = [m for m in find_duplicates(fields, organisation_name, before)
                    if m.reasons != {NAME} or not _blocked_out(fields, organisation_name, before[m.key])]
        assert index.matches(fields, organisation_name) == expected
        candidate = Candidate(key, fields, organisation_name)
        index.add(candidate)
        before.append(candidate)


def test_index_after_replacements_equals_the_plain_rule_over_the_current_candidates():
    rng = random.Random(5)
    records = _generated(600, seed=11)
    candidates = {key: Candidate(key, fields, organisation_name)
                  for key, (fields, organisation_name) in enumerate(records)}
    index = DuplicateIndex(candidates.values())
    replacements = _generated(300, seed=12)
    for fields, organisation_name in replacements:
        key = rng.randrange(len(records))
        candidates[key] = Candidate(key, fields, organisation_name)
        index.replace(candidates[key])
    current = [candidates[key] for key in sorted(candidates)]
    for fields, organisation_name in _generated(150, seed=13) + records[:50]:
        expected = [m for m in find_duplicates(fields, organisation_name, current)
                    if m.reasons != {NAME} or not _blocked_out(fields, organisation_name, candidates[m.key])]
        assert index.matches(fields, organisation_name) == expected


def test_the_index_scores_names_exactly_as_token_sort_ratio_does():
    rng = random.Random(3)
    names = [fields.display_name for fields, _ in _generated(400, seed=3)]
    for _ in range(2000):
        a, b = rng.choice(names), rng.choice(names)
        sorted_a, sorted_b = (" ".join(sorted(sort_key(n).split())) for n in (a, b))
        assert fuzz.ratio(sorted_a, sorted_b) == fuzz.token_sort_ratio(sort_key(a), sort_key(b))


def test_a_probe_made_once_or_sent_plain_files_and_finds_as_the_fields_would():
    """An import works a record's probe out once (in the reading process) to compare and then file it."""
    records = _generated(600, seed=99)
    by_fields, by_probe = DuplicateIndex(), DuplicateIndex()
    for key, (fields, organisation_name) in enumerate(records):
        probe = DuplicateIndex.probe(fields, organisation_name)
        crossed = duplicates.Probe.from_plain(fields.kind, probe.plain())
        assert crossed == probe
        assert by_probe.matches_of(crossed) == by_fields.matches(fields, organisation_name)
        by_fields.add(Candidate(key, fields, organisation_name))
        by_probe.add(Candidate(key, fields, organisation_name), crossed)
        if key % 7 == 0:  # some leave again, as an import's moved batches do
            by_fields.remove(key - 3)
            by_probe.remove(key - 3)
    assert len(by_fields) == len(by_probe)
