"""Searching and ordering the contact list through the contact service, on a real SQLite database."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from clientdesk.domain.contacts import ContactDraft, ContactKind, ContactSummary, ListColumn
from clientdesk.services.workspace import Workspace


def new(ws: Workspace, given: str = "", family: str = "", *, organisation: str | None = None, **fields) -> int:
    return ws.contacts.create(ContactDraft(given_name=given, family_name=family, **fields),
                              organisation_name=organisation).contact_id


def found(ws: Workspace, query: str) -> set[int]:
    return set(ws.contacts.ordered_ids(query))


def found_names(ws: Workspace, query: str) -> set[str]:
    return {row.display_name for row in ws.contacts.find(query, limit=1000)}


# -- names: case, accents, prefixes ----------------------------------------------------------------

@pytest.mark.parametrize("query", ["zoe", "ZOË", "Zoë", "zoë", "ålst", "alst", "ALST", "Ålström", "alstrom",
                                   "zoe alst", "  zoe   ", "alström zo"])
def test_a_name_is_found_whatever_the_case_and_accents_typed(ws: Workspace, query: str):
    zoe = new(ws, "Zoë", "Ålström")
    new(ws, "Zara", "Olsen")
    new(ws, "Chloé", "Lasting")
    assert found(ws, query) == {zoe}


def test_a_name_stored_without_accents_is_found_by_a_query_typed_with_them(ws: Workspace):
    zoe = new(ws, "Zoe", "Alstrom")
    assert found(ws, "Zoë Ålst") == {zoe}


def test_each_word_typed_matches_the_start_of_a_word_not_its_middle(ws: Workspace):
    john = new(ws, "John", "Smith")
    new(ws, "Anna", "Goldsmith")
    assert found(ws, "smi") == {john}
    assert found(ws, "s") == {john}
    assert found(ws, "mith") == set()
    assert found(ws, "ohn") == set()
    assert found(ws, "johnny") == set()


# -- phones ------------------------------------------------------------------------------------------

@pytest.fixture
def phones(ws: Workspace) -> dict[str, int]:
    return {
        "london": new(ws, "Lon", "Don", phones=(("work", "+44 20 7946 0958"),)),
        "typed_nationally": new(ws, "Nat", "Ional", phones=(("home", "0161 496 0123"),)),  # Manchester, GB region
        "paris": new(ws, "Par", "Is", phones=(("mobile", "+33 1 42 68 53 00"),)),
    }


@pytest.mark.parametrize("query", ["7946 0958", "79460958", "020 7946", "+44 20 79", "+442079460958",
                                   "020 7946 0958", "(020) 7946-0958", "946 09", "0958"])
def test_a_phone_number_is_found_from_any_part_of_it_however_it_is_spaced(ws, phones, query):
    assert found(ws, query) == {phones["london"]}


@pytest.mark.parametrize("query", ["7946 0959", "+33 20 7946", "020 7947", "44 20 7946 09580"])
def test_a_phone_fragment_that_is_not_in_the_number_does_not_match(ws, phones, query):
    assert phones["london"] not in found(ws, query)


def test_a_number_typed_without_country_code_is_found_in_both_forms(ws, phones):
    assert found(ws, "0161 496") == {phones["typed_nationally"]}
    assert found(ws, "+44 161 496 0123") == {phones["typed_nationally"]}
    assert found(ws, "+33 1 42") == {phones["paris"]}
    assert found(ws, "01 42 68 53") == {phones["paris"]}


# -- other fields --------------------------------------------------------------------------------------

@pytest.fixture
def people(ws: Workspace) -> dict[str, int]:
    ids = {
        "john": new(ws, "John", "Smith", organisation="Acme Ltd", emails=(("work", "john.smith@example.com"),),
                    tags=("VIP", "#golf-club"), notes="Prefers morning calls.\nAllergic to peanuts."),
        "john_doe": new(ws, "John", "Doe", emails=(("home", "jd@mail.org"),), tags=("newsletter",)),
        "jane": new(ws, "Jane", "Roe", organisation="Acme Ltd", notes="Met at the Harrogate fair"),
        "other": new(ws, "Peter", "Pan", organisation="Neverland Trading"),
    }
    with ws.database.reading() as uow:
        ids["acme"] = uow.contacts.organisation_named("Acme Ltd")
        ids["neverland"] = uow.contacts.organisation_named("Neverland Trading")
    assert ids["acme"] and ids["neverland"]
    return ids


@pytest.mark.parametrize("query", ["john.smith@ex", "example", "john.smith@example.com", "example.com",
                                   "JOHN.SMITH@EXAMPLE.COM"])
def test_an_email_address_is_found_by_its_beginning_or_its_domain(ws, people, query):
    assert found(ws, query) == {people["john"]}


@pytest.mark.parametrize(("query", "who"), [("vip", "john"), ("golf", "john"), ("golf-club", "john"),
                                            ("club", "john"), ("newsl", "john_doe")])
def test_a_tag_finds_the_contacts_carrying_it(ws, people, query, who):
    assert found(ws, query) == {people[who]}


@pytest.mark.parametrize(("query", "who"), [("peanut", "john"), ("morning calls", "john"),
                                            ("allergic", "john"), ("harrogate", "jane")])
def test_words_in_the_notes_are_found(ws, people, query, who):
    assert found(ws, query) == {people[who]}


def test_an_organisation_name_finds_the_organisation_and_its_members(ws, people):
    assert found(ws, "acme") == {people["acme"], people["john"], people["jane"]}
    assert found(ws, "acme ltd") == {people["acme"], people["john"], people["jane"]}
    assert found(ws, "neverland") == {people["neverland"], people["other"]}


def test_several_words_must_all_match_though_in_any_field(ws, people):
    assert found(ws, "john acme") == {people["john"]}
    assert found(ws, "acme john") == {people["john"]}
    assert found(ws, "john smith") == {people["john"]}
    assert found(ws, "john") == {people["john"], people["john_doe"]}
    assert found(ws, "jane peanut") == set()
    assert found(ws, "john vip peanut example acme") == {people["john"]}


def test_an_empty_query_lists_everyone(ws, people):
    assert found(ws, "") == set(people.values())
    assert found(ws, "   ") == set(people.values())


# -- what people really type -----------------------------------------------------------------------

ODD_QUERIES = ['"', '""', "'", "*", "(", ")", "()", "-", "^", ":", "+", "AND OR NOT", "AND", "OR", "NOT",
               "name:x", "name : john", "{name email}: john", "NEAR(john smith)", "john*", "*john", '"john',
               'john"', '"john smith"', "john AND", "AND john", "john OR jane", "NOT john", "-john", "john -smith",
               "^john", "john^", "%", "_", "\\", "\x00", "john\x00", "😀", "john 😀", "a" * 5000, "+" * 50,
               "0", "00", "+0", "0-0", "1/2/3", "  .  ", "@", "@@example", "#vip", "c++", "o'brien", "‘smith’"]


@pytest.mark.parametrize("query", ODD_QUERIES, ids=[repr(q)[:30] for q in ODD_QUERIES])
def test_search_syntax_and_stray_punctuation_never_raise(ws, people, query):
    ordered = ws.contacts.ordered_ids(query)
    rows = ws.contacts.find(query)
    assert set(ordered) <= set(people.values())
    assert all(isinstance(row, ContactSummary) for row in rows)
    assert [row.id for row in rows] == list(ordered)[:50]


@pytest.mark.parametrize("query", ['"', "*", "(", "()", "-", ":", "  .  ", "😀", "+" * 50, "\x00"])
def test_a_query_with_no_letters_or_digits_matches_nothing(ws, people, query):
    assert ws.contacts.ordered_ids(query) == []


@pytest.mark.parametrize("query", ['"john"', "john*", "(john)", "john:", "'john'", "‘john’", "john,", "john!"])
def test_quotes_and_operators_around_a_word_are_ignored(ws, people, query):
    assert found(ws, query) == {people["john"], people["john_doe"]}


def test_fts_keywords_are_searched_as_ordinary_words(ws, people):
    andrea = new(ws, "Andrea", "Orwell", notes="Lives near Nottingham")
    assert found(ws, "AND OR NOT") == {andrea}
    assert found(ws, "near") == {andrea}
    assert found(ws, "NEAR(andrea orwell)") == {andrea}


def test_an_apostrophe_in_a_name_does_not_stop_it_being_found(ws):
    obrien = new(ws, "Seán", "O'Brien")
    assert found(ws, "o'brien") == {obrien}
    assert found(ws, "sean o") == {obrien}


# -- order of the list ---------------------------------------------------------------------------------

def nocase(text: str) -> str:
    """SQLite's NOCASE: folds ASCII letters only."""
    return text.translate(str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"))


@pytest.fixture
def listed(ws: Workspace) -> dict[str, int]:
    """Values chosen so that binary order and the wanted order differ on every column."""
    ids = {}
    ids["emile"] = new(ws, "Émile", "Zola", organisation="Beta Corp", phones=(("w", "+44 20 7946 0001"),),
                       emails=(("w", "Zed@zola.fr"),), tags=("writer",))
    ids["alice"] = new(ws, "alice", "Brown", organisation="alpha Ltd", phones=(("w", "020 7946 0003"),),
                       emails=(("w", "amy@brown.net"),), tags=("b-tag", "Zeta"))
    ids["zoe"] = new(ws, "Zoe", "Carter", emails=(("w", "Bob@carter.org"),), tags=("Alpha",))
    ids["zoe2"] = new(ws, "zoë", "carter", organisation="Alpha Ltd", phones=(("w", "+33 1 42 68 53 00"),))
    ids["bob"] = new(ws, "Bob", "Ó Briain", tags=("alpha", "beta"))
    with ws.database.reading() as uow:
        ids["alpha"] = uow.contacts.organisation_named("alpha ltd")
        ids["beta"] = uow.contacts.organisation_named("beta corp")
    # The most recently changed contact is the first one created.
    ws.contacts.update(ids["emile"], replace(ws.contacts.get(ids["emile"]).to_draft(), notes="edited"))
    return ids


def test_the_name_column_sorts_ignoring_case_and_accents_with_ties_in_creation_order(ws, listed):
    order = ws.contacts.ordered_ids("", ListColumn.NAME, False)
    names = [row.display_name for row in ws.contacts.summaries(order)]
    assert names == ["alice Brown", "alpha Ltd", "Beta Corp", "Bob Ó Briain", "Émile Zola", "Zoe Carter",
                     "zoë carter"]
    assert order.index(listed["zoe"]) < order.index(listed["zoe2"])  # equal names: the older id first
    assert order[-2:] == [listed["zoe"], listed["zoe2"]]


VALUE_OF = {
    ListColumn.ORGANISATION: lambda row: nocase(row.organisation),
    ListColumn.PHONE: lambda row: row.phone,
    ListColumn.EMAIL: lambda row: nocase(row.email),
    ListColumn.TAGS: lambda row: nocase(row.tags),
    ListColumn.UPDATED: lambda row: row.updated_at,
}


@pytest.mark.parametrize("column", list(VALUE_OF), ids=[c.value for c in VALUE_OF])
def test_every_other_column_sorts_by_what_the_list_shows_then_by_id(ws, listed, column):
    rows = ws.contacts.summaries(sorted(listed.values()))
    expected = [row.id for row in sorted(rows, key=lambda row: (VALUE_OF[column](row), row.id))]
    assert expected != sorted(listed.values()), "the data should not already be in id order"
    assert list(ws.contacts.ordered_ids("", column, False)) == expected


def test_the_list_shows_each_contact_as_entered(ws, listed):
    by_id = {row.id: row for row in ws.contacts.summaries(list(listed.values()))}
    alice = by_id[listed["alice"]]
    assert (alice.organisation, alice.phone, alice.email, alice.tags) == (
        "alpha Ltd", "020 7946 0003", "amy@brown.net", "b-tag, Zeta")
    assert by_id[listed["zoe2"]].organisation == "alpha Ltd"  # "Alpha Ltd" typed: the same organisation
    assert by_id[listed["bob"]].tags == "alpha, beta"
    assert max(by_id.values(), key=lambda row: row.updated_at).id == listed["emile"]


@pytest.mark.parametrize("column", list(ListColumn), ids=[c.value for c in ListColumn])
def test_descending_is_exactly_the_reverse_of_ascending(ws, listed, column):
    ascending = list(ws.contacts.ordered_ids("", column, False))
    assert sorted(ascending) == sorted(listed.values())
    assert list(ws.contacts.ordered_ids("", column, True)) == ascending[::-1]


@pytest.mark.parametrize("column", list(ListColumn), ids=[c.value for c in ListColumn])
def test_a_filtered_list_keeps_the_column_order(ws, listed, column):
    everyone = list(ws.contacts.ordered_ids("", column, False))
    matching = list(ws.contacts.ordered_ids("carter", column, False))
    assert set(matching) == {listed["zoe"], listed["zoe2"]}
    assert matching == [cid for cid in everyone if cid in matching]
    assert list(ws.contacts.ordered_ids("carter", column, True)) == matching[::-1]


def test_find_returns_list_rows_in_name_order_up_to_the_limit(ws, listed):
    rows = ws.contacts.find("carter")
    assert [type(row) for row in rows] == [ContactSummary, ContactSummary]
    assert [row.id for row in rows] == [listed["zoe"], listed["zoe2"]]
    zoe2 = rows[1]
    assert zoe2.display_name == "zoë carter"
    assert zoe2.kind is ContactKind.PERSON
    assert isinstance(zoe2.updated_at, datetime) and zoe2.updated_at.utcoffset().total_seconds() == 0
    kinds = {row.display_name: row.kind for row in ws.contacts.find("alpha ltd")}
    assert kinds == {"alice Brown": ContactKind.PERSON, "alpha Ltd": ContactKind.ORGANISATION,
                     "zoë carter": ContactKind.PERSON}
    assert len(ws.contacts.find("", limit=3)) == 3
    assert [row.id for row in ws.contacts.find("", limit=3)] == list(ws.contacts.ordered_ids(""))[:3]


# -- the index follows every change ----------------------------------------------------------------

def test_renaming_a_contact_replaces_the_old_name_in_the_index(ws):
    john = new(ws, "John", "Smith")
    ws.contacts.update(john, ContactDraft(given_name="Jonathan", family_name="Smythe"))
    assert found(ws, "smith") == set()
    assert found(ws, "john") == set()
    assert found(ws, "smythe") == {john}
    assert found(ws, "jonathan") == {john}
    ws.contacts.undo()
    assert found(ws, "john smith") == {john}
    assert found(ws, "smythe") == set()


def test_changing_a_phone_or_email_replaces_it_in_the_index(ws):
    ana = new(ws, "Ana", phones=(("w", "+44 20 7946 0958"),), emails=(("w", "ana@old.org"),))
    ws.contacts.update(ana, ContactDraft(given_name="Ana", phones=(("w", "+44 161 496 0123"),),
                                         emails=(("w", "ana@new.org"),)))
    assert found(ws, "7946 0958") == set()
    assert found(ws, "old.org") == set()
    assert found(ws, "496 0123") == {ana}
    assert found(ws, "ana@new") == {ana}


def test_a_deleted_contact_is_not_found_and_undo_brings_it_back_to_the_index(ws):
    john = new(ws, "John", "Smith", phones=(("w", "+44 20 7946 0958"),), emails=(("w", "john@smith.org"),),
               tags=("vip",), notes="likes tea")
    keep = new(ws, "Jane", "Smith")
    ws.contacts.delete([john])
    for query in ("john", "7946 0958", "john@smith", "vip", "tea"):
        assert found(ws, query) == set(), query
    assert found(ws, "smith") == {keep}
    ws.contacts.undo()
    for query in ("john", "7946 0958", "john@smith", "vip", "tea"):
        assert found(ws, query) == {john}, query
    assert found(ws, "smith") == {john, keep}


def test_undoing_a_new_contact_removes_it_from_the_index(ws):
    john = new(ws, "John", "Smith")
    assert found(ws, "john") == {john}
    ws.contacts.undo()
    assert found(ws, "john") == set()
    assert ws.contacts.find("john") == []


def test_renaming_an_organisation_makes_its_members_findable_by_the_new_name(ws):
    john = new(ws, "John", "Smith", organisation="Acme Ltd")
    jane = new(ws, "Jane", "Roe", organisation="Acme Ltd")
    with ws.database.reading() as uow:
        acme = uow.contacts.organisation_named("Acme Ltd")
    ws.contacts.update(acme, replace(ws.contacts.get(acme).to_draft(), display_name="Globex"))
    assert found(ws, "acme") == set()
    assert found(ws, "globex") == {acme, john, jane}
    assert found(ws, "john globex") == {john}
    assert {row.organisation for row in ws.contacts.summaries([john, jane])} == {"Globex"}
    ws.contacts.undo()
    assert found(ws, "globex") == set()
    assert found(ws, "acme") == {acme, john, jane}


def test_deleting_an_organisation_unlinks_its_members_in_the_index_and_undo_relinks_them(ws):
    john = new(ws, "John", "Smith", organisation="Acme Ltd")
    with ws.database.reading() as uow:
        acme = uow.contacts.organisation_named("Acme Ltd")
    ws.contacts.delete([acme])
    assert found(ws, "acme") == set()
    assert ws.contacts.summaries([john])[0].organisation == ""
    ws.contacts.undo()
    assert found(ws, "acme") == {acme, john}
    assert ws.contacts.summaries([john])[0].organisation == "Acme Ltd"


def test_moving_a_member_to_another_organisation_updates_the_index(ws):
    john = new(ws, "John", "Smith", organisation="Acme Ltd")
    ws.contacts.update(john, ContactDraft(given_name="John", family_name="Smith"), organisation_name="Initech")
    assert john not in found(ws, "acme")
    assert john in found(ws, "initech")
