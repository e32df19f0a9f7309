from __future__ import annotations

import pytest

from tests.helpers import person


@pytest.fixture
def people(workspace):
    ids = {}
    for given, family, phone in (("John", "Smith", "020 7946 0958"), ("Joan", "Smithers", "0161 496 0123"),
                                 ("Adam", "Johnson", ""), ("Zoë", "Ålström", "+33 1 42 68 53 00"),
                                 ("Maria", "García", "")):
        phones = (("mobile", phone),) if phone else ()
        ids[given] = workspace.contacts.create(person(given, family, phones=phones)).contact_id
    return ids


@pytest.mark.parametrize("said", ["0207 946", "+44 20 7946 0958", "7946-0958", "(020) 7946 0958", "2079460958"])
def test_a_number_is_found_however_it_was_said(workspace, people, said):
    found = workspace.contacts.lookup(said)
    assert [s.id for s in found.matches] == [people["John"]]
    assert found.new_number is None


def test_typos_in_a_name_still_find_the_caller(workspace, people):
    found = workspace.contacts.lookup("Jonh Smtih")
    assert found.matches[0].id == people["John"]
    assert found.close_only


def test_accents_need_not_be_typed(workspace, people):
    assert workspace.contacts.lookup("zoe al").matches[0].id == people["Zoë"]
    assert workspace.contacts.lookup("garcia").matches[0].id == people["Maria"]


def test_a_name_that_starts_as_typed_comes_first(workspace, people):
    found = workspace.contacts.lookup("jo")
    assert [s.display_name for s in found.matches][:2] == ["Joan Smithers", "John Smith"]
    assert found.matches[2].id == people["Adam"]  # "Johnson" starts with it too, but not the name


def test_an_unknown_valid_number_is_offered_as_a_new_contact(workspace, people):
    found = workspace.contacts.lookup("0113 496 0000")
    assert found.matches == []
    assert found.new_number is not None and found.new_number.e164 == "+441134960000"
    assert workspace.contacts.lookup("0113 49").new_number is None  # not a whole number yet


def test_a_new_name_is_found_after_it_is_added(workspace, people):
    assert not workspace.contacts.lookup("Ptolmey").matches
    created = workspace.contacts.create(person("Ptolemy", "Ward")).contact_id
    assert workspace.contacts.lookup("Ptolmey").matches[0].id == created  # the vocabulary was refreshed


def test_more_matches_than_shown_are_counted(workspace):
    for number in range(15):
        workspace.contacts.create(person("Jo", f"Tester{number:02d}"))
    found = workspace.contacts.lookup("jo", limit=10)
    assert len(found.matches) == 10 and found.more == 5


def test_nothing_typed_finds_nothing(workspace, people):
    assert workspace.contacts.lookup("   ").matches == []
    assert workspace.contacts.lookup("\"*:()").matches == []
