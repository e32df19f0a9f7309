"""The quick reading of a +code number in the home region gives exactly what phonenumbers' full parse gives."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from clientdesk.domain.phones import InvalidPhone, _home_international, normalize_phone

REGIONS = ("GB", "US", "CA", "DE", "FR", "IT", "AU", "IE", "IN", "AR", "BR", "NL", "JE", "SG")


def _full_parse(text: str, home: str) -> str | None:
    """What normalize_phone gave before the quick reading: its E.164, or None when it refused the text."""
    try:
        parsed = phonenumbers.parse(text, home)
    except phonenumbers.NumberParseException:
        return None
    valid = ((parsed.country_code == phonenumbers.country_code_for_region(home)
              and phonenumbers.is_valid_number_for_region(parsed, home)) or phonenumbers.is_valid_number(parsed))
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) if valid else None


def _texts(count: int, seed: int):
    """+code numbers written in the shapes the quick reading takes: example numbers of every type of many
    regions, the same with a digit changed, added or dropped, and random digits after common codes."""
    rng = random.Random(seed)
    for region in REGIONS:
        for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE,
                     phonenumbers.PhoneNumberType.TOLL_FREE, phonenumbers.PhoneNumberType.PREMIUM_RATE,
                     phonenumbers.PhoneNumberType.VOIP, phonenumbers.PhoneNumberType.UAN):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                written = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
                yield written
                yield written.replace(" ", "-")
                digits = written.replace(" ", "").replace("-", "")
                for _ in range(5):
                    at = rng.randrange(3, len(digits))
                    yield digits[:at] + str(rng.randrange(10)) + digits[at + 1:]
                    yield digits[:at] + str(rng.randrange(10)) + digits[at:]
                    yield digits[:at] + digits[at + 1:]
    for _ in range(count):
        code = rng.choice(("44", "1", "49", "33", "39", "61", "353", "91", "54", "55", "31", "65", "4", "7"))
        body = "".join(str(rng.randrange(10)) for _ in range(rng.randrange(1, 14)))
        separator = rng.choice(("", " ", "-"))
        yield f"+{code}{separator}{body}"


@pytest.mark.parametrize("home", REGIONS)
def test_the_quick_reading_agrees_with_the_full_parse(home):
    taken = 0
    for text in _texts(3000, seed=len(home) * 7 + ord(home[0])):
        expected = _full_parse(text, home)
        quick = _home_international(text, home)
        if quick is not None:
            taken += 1
            assert quick == expected, text
        try:
            got = normalize_phone(text, home).e164
        except InvalidPhone:
            got = None
        assert got == expected, text
    if home not in ("AR",):  # Argentina's national prefix may be empty: its numbers always take the full path
        assert taken > 0


def test_a_number_the_quick_reading_leaves_still_keeps_its_raw_text_and_label():
    phone = normalize_phone(" +44 (0)20 7946 0958 ", "GB", " work ")
    assert (phone.raw, phone.e164, phone.label) == ("+44 (0)20 7946 0958", "+442079460958", "work")
    assert normalize_phone("+44 20 7946 0958", "gb", "").label == "mobile"
