"""Phone numbers: keep what the user typed, and its E.164 form for matching and dialling."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Phone:
    raw: str
    e164: str
    label: str = "mobile"


class InvalidPhone(ValueError):
    pass


# "+44 20 7946 0958", "+1-415-555-2671": a plus, ASCII digits, spaces or hyphens between them. Such a
# number, in the business's own country, is read by `_home_international` without a full parse.
_PLAIN_INTERNATIONAL = re.compile(r"\+[0-9][0-9 \-]*[0-9]")
_MAX_PLAIN_LENGTH = 40  # well under phonenumbers' own bound on what it reads (250)


def normalize_phone(raw: str, default_region: str, label: str = "mobile") -> Phone:
    """Parse `raw` with the business's country as the region for numbers typed without +code."""
    text = raw.strip()
    if not text:
        raise InvalidPhone("Enter a phone number.")
    label = label.strip() or "mobile"
    home = default_region.upper()
    e164 = _home_international(text, home) if home else None
    if e164 is not None:
        return Phone(raw=text, e164=e164, label=label)
    import phonenumbers  # imported here: it costs start-up time the contact list does not need

    try:
        parsed = phonenumbers.parse(text, home or None)
    except phonenumbers.NumberParseException:
        raise InvalidPhone(f"“{text}” is not a phone number.") from None
    # Most numbers belong to the business's own country: checking that region alone costs half as much
    # as the full check, which tries every region sharing the country code (+44: GB, GG, IM, JE).
    in_home_region = (home and parsed.country_code == phonenumbers.country_code_for_region(home)
                      and phonenumbers.is_valid_number_for_region(parsed, home))
    if not in_home_region and not phonenumbers.is_valid_number(parsed):
        where = phonenumbers.region_code_for_number(parsed) or home
        raise InvalidPhone(
            f"“{text}” is not a valid number for {where}; include the country code (+…) for a number abroad."
        )
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return Phone(raw=text, e164=e164, label=label)


def _home_international(text: str, home: str) -> str | None:
    """The E.164 form of a number written as +code and digits in the home region, as phonenumbers' parse and
    `is_valid_number_for_region` would give it — but with the home region's patterns compiled once, where
    phonenumbers works the number out step by step and looks each pattern up again (a third of the time an
    import of a large file spends on its records). None for anything else, which takes the full path: another
    country, a national prefix or a leading zero to strip, an invalid number (for its message)."""
    if len(text) > _MAX_PLAIN_LENGTH or not _PLAIN_INTERNATIONAL.fullmatch(text):
        return None
    rules = _home_rules(home)
    if rules is None:
        return None
    code, strips_prefix, general, types = rules
    digits = text[1:].replace(" ", "").replace("-", "")
    if _country_code(digits) != code:
        return None
    national = digits[len(code):]
    if not 2 <= len(national) <= 17 or national[0] == "0" or (strips_prefix and strips_prefix(national)):
        return None
    if not _matches(national, general) or not any(_matches(national, desc) for desc in types):
        return None
    return f"+{code}{national}"


def _matches(national: str, desc: tuple[frozenset[int], re.Pattern]) -> bool:
    lengths, pattern = desc
    return (not lengths or len(national) in lengths) and pattern.fullmatch(national) is not None


@lru_cache(maxsize=8)
def _home_rules(home: str):
    """The home region's country code (text), its national-prefix matcher (None when it has none), its
    general pattern and its number types' patterns, in the form phonenumbers checks them: a number is valid
    for the region when it fits the general pattern and that of one type."""
    import phonenumbers

    metadata = phonenumbers.PhoneMetadata.metadata_for_region(home, None)
    if metadata is None or not metadata.country_code:
        return None
    code = metadata.country_code
    # The prefix is stripped with the rules of the country code's main region, as phonenumbers' parse does.
    main = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(
        code, phonenumbers.region_code_for_country_code(code))
    prefix = main.national_prefix_for_parsing if main is not None else None

    def desc(d) -> tuple[frozenset[int], re.Pattern] | None:
        if d is None or not d.national_number_pattern:
            return None
        return frozenset(d.possible_length or ()), re.compile(d.national_number_pattern)

    # Which type matches does not matter, only that one does: the commonest are tried first.
    kinds = [metadata.fixed_line, metadata.premium_rate, metadata.toll_free, metadata.shared_cost, metadata.voip,
             metadata.personal_number, metadata.pager, metadata.uan, metadata.voicemail]
    if not metadata.same_mobile_and_fixed_line_pattern:
        kinds.insert(1, metadata.mobile)
    general = desc(metadata.general_desc)
    if general is None:
        return None
    return (str(code), re.compile(prefix).match if prefix else None, general,
            tuple(d for d in map(desc, kinds) if d is not None))


def _country_code(digits: str) -> str | None:
    """The leading country calling code, as phonenumbers finds it: the shortest prefix that is one."""
    import phonenumbers

    if not digits or digits[0] == "0":
        return None
    for length in (1, 2, 3):
        if len(digits) >= length and int(digits[:length]) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return digits[:length]
    return None


def national_digits(e164: str) -> str:
    """The digits as dialled inside the number's own country (e.g. 020… for London), for search.

    Worked out from the country-code table rather than by parsing: the index computes it for every
    stored number, and a full parse costs a hundred times more."""
    digits = e164.lstrip("+")
    for length in (1, 2, 3):
        trunk = _trunk_prefix(digits[:length])
        if trunk is not None:
            return trunk + digits[length:]
    return ""


@lru_cache(maxsize=1024)  # one entry per leading 1, 2 or 3 digits met: a few hundred at most
def _trunk_prefix(code: str) -> str | None:
    """The trunk prefix dialled before a national number of this country code ("0" for 44); None when the
    digits are no country code."""
    import phonenumbers

    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(int(code or 0))
    if not regions:
        return None
    return phonenumbers.ndd_prefix_for_region(regions[0], True) or ""
