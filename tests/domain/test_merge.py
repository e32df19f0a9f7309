"""Merging a duplicate into the contact already there: field by field, nothing dropped, idempotent."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from clientdesk.domain.contacts import Address, Birthday, ContactFields, ContactKind
from clientdesk.domain.emails import Email
from clientdesk.domain.merge import Merged, merge
from clientdesk.domain.phones import Phone

LONDON = Phone("020 7946 0958", "+442079460958", "work")
LONDON_AS_TYPED_ELSEWHERE = Phone("+44 (0)20 7946-0958", "+442079460958", "mobile")
NEW_YORK = Phone("(212) 555-0134", "+12125550134", "mobile")
HOME = Address(street="1 High Street", city="London", postcode="N1 1AA", country="United Kingdom", label="home")


def person(**values) -> ContactFields:
    base = dict(kind=ContactKind.PERSON, given_name="", family_name="", display_name="Someone")
    return ContactFields(**{**base, **values})


FULL = person(
    given_name="Ann", family_name="Lee", display_name="Ann Lee", organisation_id=4, phones=(LONDON,),
    emails=(Email("ann@example.com"),), addresses=(HOME,), birthday=Birthday(3, 5, 1980), tags=("vip", "Friend"),
    notes="Prefers mornings.", referred_by_id=9,
)


# -- nothing to add ------------------------------------------------------------------------------------------


def test_merging_a_record_with_itself_changes_nothing():
    assert merge(FULL, FULL) == Merged(FULL, False, ())


def test_merging_an_empty_record_changes_nothing():
    assert merge(FULL, person(display_name="Ann Lee")) == Merged(FULL, False, ())


def test_merging_what_is_already_there_in_another_case_or_form_changes_nothing():
    incoming = person(
        display_name="ANN LEE", phones=(LONDON_AS_TYPED_ELSEWHERE,), emails=(Email("ANN@Example.com", "home"),),
        addresses=(replace(HOME, street="1 high  street", city="LONDON", label="work"),), tags=("VIP", "friend"),
        notes="Prefers mornings.", birthday=Birthday(3, 5, 1980),
    )
    merged = merge(FULL, incoming)
    assert merged.changed is False
    assert merged.fields == FULL
    assert merged.added == ()


# -- field by field ------------------------------------------------------------------------------------------


def test_names_keep_existing_and_fill_the_empty_ones():
    existing = person(given_name="", family_name="Lee", display_name="Lee")
    merged = merge(existing, person(given_name="Ann", family_name="Leigh", display_name="Ann Leigh"))
    assert (merged.fields.given_name, merged.fields.family_name, merged.fields.display_name) == ("Ann", "Lee", "Lee")
    assert merged.added == ("given name",)


def test_kind_stays_the_existing_contacts():
    existing = ContactFields(ContactKind.ORGANISATION, "", "", "Acme")
    merged = merge(existing, person(display_name="Acme", emails=(Email("info@acme.com"),)))
    assert merged.fields.kind is ContactKind.ORGANISATION
    assert merged.fields.emails == (Email("info@acme.com"),)


def test_organisation_is_kept_or_filled():
    assert merge(person(organisation_id=4), person(organisation_id=5)).fields.organisation_id == 4
    merged = merge(person(), person(organisation_id=5))
    assert merged.fields.organisation_id == 5
    assert merged.added == ("organisation",)


def test_an_organisation_never_takes_an_organisation():
    existing = ContactFields(ContactKind.ORGANISATION, "", "", "Acme")
    merged = merge(existing, person(display_name="Acme", organisation_id=5))
    assert merged.fields.organisation_id is None
    assert merged.changed is False


def test_phones_existing_first_then_new_ones_by_e164():
    merged = merge(person(phones=(LONDON,)), person(phones=(LONDON_AS_TYPED_ELSEWHERE, NEW_YORK)))
    assert merged.fields.phones == (LONDON, NEW_YORK)  # the existing one keeps how it was typed and labelled
    assert merged.added == ("phone +1 212-555-0134",)


def test_the_added_phone_reads_as_an_international_number():
    assert merge(person(), person(phones=(LONDON,))).added == ("phone +44 20 7946 0958",)


def test_emails_existing_first_then_new_ones_ignoring_case():
    existing = person(emails=(Email("Ann@Example.com", "work"),))
    merged = merge(existing, person(emails=(Email("ann@example.com", "home"), Email("a@b.com", "home"))))
    assert merged.fields.emails == (Email("Ann@Example.com", "work"), Email("a@b.com", "home"))
    assert merged.added == ("email a@b.com",)


def test_incoming_duplicates_among_themselves_are_added_once():
    incoming = person(emails=(Email("a@b.com"), Email("A@B.com")), phones=(LONDON, LONDON_AS_TYPED_ELSEWHERE),
                      tags=("vip", "VIP"))
    merged = merge(person(), incoming)
    assert merged.fields.emails == (Email("a@b.com"),)
    assert merged.fields.phones == (LONDON,)
    assert merged.fields.tags == ("vip",)


def test_addresses_compare_folded_and_ignore_the_label():
    other = Address(street="5 Rue de la Paix", city="Paris", country="France")
    same_elsewhere = replace(HOME, street="1 HIGH STREET", postcode="n1 1aa", label="work")
    merged = merge(person(addresses=(HOME,)), person(addresses=(same_elsewhere, other)))
    assert merged.fields.addresses == (HOME, other)
    assert merged.added == ("address",)


def test_an_address_differing_in_one_part_is_another_address():
    moved = replace(HOME, postcode="N1 1AB")
    assert merge(person(addresses=(HOME,)), person(addresses=(moved,))).fields.addresses == (HOME, moved)


def test_several_new_addresses():
    a, b = Address(street="1 A St", city="X"), Address(street="2 B St", city="Y")
    assert merge(person(), person(addresses=(a, b))).added == ("addresses",)


def test_birthday_is_kept_or_filled():
    merged = merge(person(), person(birthday=Birthday(3, 5, 1980)))
    assert merged.fields.birthday == Birthday(3, 5, 1980)
    assert merged.added == ("birthday",)


def test_a_birthday_without_its_year_takes_the_year_of_the_same_day():
    merged = merge(person(birthday=Birthday(3, 5)), person(birthday=Birthday(3, 5, 1980)))
    assert merged.fields.birthday == Birthday(3, 5, 1980)
    assert merged.added == ("birthday",)
    assert merged.fields.notes == ""


def test_a_birthday_without_its_year_adds_nothing_to_the_same_day_with_one():
    assert merge(person(birthday=Birthday(3, 5, 1980)), person(birthday=Birthday(3, 5))).changed is False


def test_a_different_birthday_is_kept_out_and_noted():
    existing = person(birthday=Birthday(3, 5, 1980), notes="Met at the fair.")
    merged = merge(existing, person(birthday=Birthday(4, 6, 1981)))
    assert merged.fields.birthday == Birthday(3, 5, 1980)
    assert merged.fields.notes == "Met at the fair.\n\nBirthday also given as 1981-06-04"
    assert merged.added == ("notes",)


def test_a_different_year_on_the_same_day_is_noted_too():
    merged = merge(person(birthday=Birthday(3, 5, 1980)), person(birthday=Birthday(3, 5, 1981)))
    assert merged.fields.birthday == Birthday(3, 5, 1980)
    assert merged.fields.notes == "Birthday also given as 1981-05-03"


def test_a_different_birthday_without_a_year_is_noted_in_its_own_form():
    merged = merge(person(birthday=Birthday(3, 5, 1980)), person(birthday=Birthday(4, 5)))
    assert merged.fields.notes == "Birthday also given as --05-04"


def test_tags_existing_order_then_new_ones_ignoring_case():
    merged = merge(person(tags=("vip", "Friend")), person(tags=("friend", "golf", "VIP", "Board")))
    assert merged.fields.tags == ("vip", "Friend", "golf", "Board")
    assert merged.added == ("tags golf, Board",)


def test_notes_are_appended_after_a_blank_line():
    merged = merge(person(notes="Prefers mornings."), person(notes="Has a dog."))
    assert merged.fields.notes == "Prefers mornings.\n\nHas a dog."
    assert merged.added == ("notes",)


def test_notes_fill_empty_notes_without_a_blank_line():
    assert merge(person(), person(notes="Has a dog.")).fields.notes == "Has a dog."


def test_notes_already_contained_are_not_repeated():
    existing = person(notes="Prefers mornings.\n\nHas a dog. Walks at noon.")
    assert merge(existing, person(notes="Has a dog.")).changed is False
    assert merge(existing, person(notes="  Has a dog.\n")).changed is False


def test_referrer_is_kept_or_filled():
    assert merge(person(referred_by_id=9), person(referred_by_id=10)).fields.referred_by_id == 9
    assert merge(person(), person(referred_by_id=10)).fields.referred_by_id == 10


def test_everything_added_at_once_is_listed_in_field_order():
    merged = merge(person(display_name="Ann Lee"), replace(FULL, display_name="Ann Lee"))
    assert merged.changed is True
    assert merged.fields == replace(FULL, display_name="Ann Lee")
    assert merged.added == ("given name", "family name", "organisation", "phone +44 20 7946 0958",
                            "email ann@example.com", "address", "tags vip, Friend", "birthday", "notes", "referred by")


def test_existing_values_never_change_even_when_both_sides_have_one():
    other = person(
        given_name="Anne", family_name="Leigh", display_name="Anne Leigh", organisation_id=5, referred_by_id=10,
        birthday=Birthday(1, 1, 1990),
    )
    fields = merge(FULL, other).fields
    assert (fields.given_name, fields.family_name, fields.display_name, fields.organisation_id, fields.referred_by_id,
            fields.birthday, fields.kind) == ("Ann", "Lee", "Ann Lee", 4, 9, Birthday(3, 5, 1980), ContactKind.PERSON)


# -- idempotence and nothing dropped, on generated contacts --------------------------------------------------


def test_merging_twice_changes_nothing_the_second_time():
    incoming = person(phones=(NEW_YORK,), emails=(Email("x@y.com"),), tags=("new",), notes="More.",
                      birthday=Birthday(1, 1, 1990), addresses=(Address(city="Paris"),))
    once = merge(FULL, incoming)
    assert once.changed is True
    twice = merge(once.fields, incoming)
    assert twice == Merged(once.fields, False, ())


def _random_fields(rng: random.Random) -> ContactFields:
    def some(values, most=3):
        return tuple(rng.sample(values, rng.randint(0, min(most, len(values)))))

    phones = [Phone(f"0{n}", f"+4420794600{n:02d}", rng.choice(["work", "mobile"])) for n in range(8)]
    emails = [Email(rng.choice([f"user{n}@example.com", f"User{n}@EXAMPLE.com"]), "work") for n in range(8)]
    addresses = [Address(street=f"{n} High Street", city=rng.choice(["London", "LONDON"]),
                         label=rng.choice(["home", "work"])) for n in range(5)]
    tags = [rng.choice([t, t.upper()]) for t in ("vip", "golf", "board", "friend", "press")]
    birthday = rng.choice([None, Birthday(3, 5, 1980), Birthday(3, 5), Birthday(4, 6, 1981), Birthday(3, 5, 1981)])
    return ContactFields(
        kind=ContactKind.PERSON, given_name=rng.choice(["", "Ann"]), family_name=rng.choice(["", "Lee"]),
        display_name=rng.choice(["Ann Lee", "A. Lee"]), organisation_id=rng.choice([None, 4, 5]),
        phones=some(phones), emails=some(emails), addresses=some(addresses, 2), birthday=birthday, tags=some(tags),
        notes=rng.choice(["", "Has a dog.", "Prefers mornings.", "Has a dog.\n\nPrefers mornings."]),
        referred_by_id=rng.choice([None, 9, 10]),
    )


@pytest.mark.parametrize("seed", range(5))
def test_merge_on_generated_pairs_drops_nothing_and_is_idempotent(seed):
    rng = random.Random(seed)
    for _ in range(300):
        a, b = _random_fields(rng), _random_fields(rng)
        merged = merge(a, b)
        fields = merged.fields
        # The existing contact is all there, in its order, and first.
        assert fields.phones[:len(a.phones)] == a.phones
        assert fields.emails[:len(a.emails)] == a.emails
        assert fields.addresses[:len(a.addresses)] == a.addresses
        assert fields.tags[:len(a.tags)] == a.tags
        assert fields.notes.startswith(a.notes)
        assert fields.kind is a.kind
        # Every phone, email, address and tag of the incoming one is there too, in some form.
        assert {p.e164 for p in b.phones} <= {p.e164 for p in fields.phones}
        assert {e.address.casefold() for e in b.emails} <= {e.address.casefold() for e in fields.emails}
        assert {(x.street.casefold(), x.city.casefold()) for x in b.addresses} <= {
            (x.street.casefold(), x.city.casefold()) for x in fields.addresses}
        assert {t.casefold() for t in b.tags} <= {t.casefold() for t in fields.tags}
        assert b.notes in fields.notes
        for attribute in ("given_name", "family_name", "display_name", "organisation_id", "referred_by_id"):
            assert getattr(fields, attribute) == (getattr(a, attribute) or getattr(b, attribute))
        # A birthday given by either side is kept or noted.
        if b.birthday is not None and fields.birthday != b.birthday:
            same_day = fields.birthday is not None and (fields.birthday.day, fields.birthday.month) == (
                b.birthday.day, b.birthday.month)
            noted = f"Birthday also given as {b.birthday.iso()}" in fields.notes
            assert (same_day and b.birthday.year is None) or noted
        if a.birthday is not None:
            assert fields.birthday == a.birthday or (a.birthday.year is None and fields.birthday.year is not None)
        # Nothing repeated that was not repeated before.
        repeated_before = len(a.phones) - len({p.e164 for p in a.phones})
        assert len({p.e164 for p in fields.phones}) == len(fields.phones) - repeated_before
        # changed says whether anything is new, and added names each thing.
        assert merged.changed is (fields != a)
        assert bool(merged.added) is merged.changed
        assert merge(fields, b) == Merged(fields, False, ())
        assert merge(a, a) == Merged(a, False, ())
