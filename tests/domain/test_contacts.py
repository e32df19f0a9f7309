from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientdesk.domain.contacts import Birthday, ContactDraft, ContactKind, clean_line, sort_key, validate
from clientdesk.domain.errors import InvalidContact
from clientdesk.domain.phones import national_digits, normalize_phone


def test_a_phone_typed_the_local_way_takes_the_business_country():
    phone = normalize_phone("020 7946 0958", "GB")
    assert (phone.raw, phone.e164) == ("020 7946 0958", "+442079460958")


def test_a_phone_with_a_country_code_keeps_its_own_country():
    assert normalize_phone("+1 415 555 2671", "GB").e164 == "+14155552671"


@pytest.mark.parametrize("text", ["12", "not a phone", "+44 20 7946", "020 7946 09581234"])
def test_an_invalid_phone_is_refused_with_a_message(text):
    with pytest.raises(ValueError, match="not a"):
        normalize_phone(text, "GB")


def test_national_digits_put_back_the_trunk_prefix():
    assert national_digits("+442079460958") == "02079460958"
    assert national_digits("+390612345678") == "0612345678"  # Italy keeps its 0 inside the number


def test_validation_reports_every_problem_at_once():
    draft = ContactDraft(phones=(("mobile", "12"),), emails=(("work", "not-an-email"),))
    with pytest.raises(InvalidContact) as caught:
        validate(draft, "GB")
    assert {p.field for p in caught.value.problems} == {"name", "phones[0]", "emails[0]"}


def test_blank_phone_and_email_rows_are_ignored():
    fields = validate(ContactDraft(given_name="Ana", phones=(("mobile", "  "),), emails=(("work", ""),)), "GB")
    assert fields.phones == () and fields.emails == ()


def test_display_name_defaults_to_given_and_family():
    assert validate(ContactDraft(given_name=" Zoë ", family_name="Ålström"), "GB").display_name == "Zoë Ålström"


def test_control_characters_never_reach_a_name():
    assert validate(ContactDraft(given_name="Ana\x00\x1b Silva\t"), "GB").display_name == "Ana Silva"


def test_tags_are_trimmed_and_deduplicated_in_order():
    fields = validate(ContactDraft(given_name="Ana", tags=("#vip", " vip ", "retainer", "")), "GB")
    assert fields.tags == ("vip", "retainer")


def test_an_organisation_cannot_belong_to_an_organisation():
    with pytest.raises(InvalidContact):
        validate(ContactDraft(kind=ContactKind.ORGANISATION, display_name="Acme", organisation_id=3), "GB")


def test_sort_key_ignores_case_and_accents():
    assert sort_key("Zoë") == sort_key("zoe") < sort_key("Zz")


def test_birthday_without_a_year_allows_29_february():
    assert Birthday(29, 2).iso() == "--02-29"
    with pytest.raises(ValueError):
        Birthday(29, 2, 2023)


@pytest.mark.parametrize("text,expected", [("1990-03-15", Birthday(15, 3, 1990)), ("--12-01", Birthday(1, 12))])
def test_birthday_parses_its_iso_forms(text, expected):
    assert Birthday.parse(text) == expected


@given(st.text())
def test_clean_line_leaves_no_control_characters_or_double_spaces(text):
    cleaned = clean_line(text)
    assert not any(ord(ch) < 32 for ch in cleaned)
    assert "  " not in cleaned and cleaned == cleaned.strip()


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30))
def test_cleaning_gives_what_collapsing_every_blank_gives(text):
    from clientdesk.domain.contacts import _CONTROL, clean_notes

    assert clean_line(text) == " ".join(text.translate(_CONTROL).split())
    assert clean_notes(text) == text.translate(_CONTROL).replace("\r\n", "\n").replace("\r", "\n").strip()


@pytest.mark.parametrize("text", ["a\u00a0b", " a", "a ", "a  b", "a\tb", "a\u2028b", "a\u3000b", "\x1fa", "a\x85"])
def test_cleaning_still_collapses_unusual_blanks(text):
    assert clean_line(text) == " ".join(text.translate({c: None for c in range(32) if c not in (9, 10)}).split())
