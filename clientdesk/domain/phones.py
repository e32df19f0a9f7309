"""Phone numbers: keep what the user typed, and its E.164 form for matching and dialling."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Phone:
    raw: str
    e164: str
    label: str = "mobile"


class InvalidPhone(ValueError):
    pass


def normalize_phone(raw: str, default_region: str, label: str = "mobile") -> Phone:
    """Parse `raw` with the business's country as the region for numbers typed without +code."""
    import phonenumbers  # imported here: it costs start-up time the contact list does not need

    text = raw.strip()
    if not text:
        raise InvalidPhone("Enter a phone number.")
    try:
        parsed = phonenumbers.parse(text, default_region.upper() or None)
    except phonenumbers.NumberParseException:
        raise InvalidPhone(f"“{text}” is not a phone number.") from None
    # Most numbers belong to the business's own country: checking that region alone costs half as much
    # as the full check, which tries every region sharing the country code (+44: GB, GG, IM, JE).
    home = default_region.upper()
    in_home_region = (home and parsed.country_code == phonenumbers.country_code_for_region(home)
                      and phonenumbers.is_valid_number_for_region(parsed, home))
    if not in_home_region and not phonenumbers.is_valid_number(parsed):
        where = phonenumbers.region_code_for_number(parsed) or default_region.upper()
        raise InvalidPhone(
            f"“{text}” is not a valid number for {where}; include the country code (+…) for a number abroad."
        )
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return Phone(raw=text, e164=e164, label=label.strip() or "mobile")


def national_digits(e164: str) -> str:
    """The digits as dialled inside the number's own country (e.g. 020… for London), for search.

    Worked out from the country-code table rather than by parsing: the index computes it for every
    stored number, and a full parse costs a hundred times more."""
    import phonenumbers

    digits = e164.lstrip("+")
    for length in (1, 2, 3):
        regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(int(digits[:length] or 0))
        if regions:
            trunk = phonenumbers.ndd_prefix_for_region(regions[0], True) or ""
            return trunk + digits[length:]
    return ""
