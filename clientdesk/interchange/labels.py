"""Labels of phones, emails and addresses: the words other programs use, turned into ours and back.

Ours are "mobile", "home", "work", "main", "fax" and "other"; any other text is a custom label and is
kept as written, so a round trip through any format gives back what went in."""

from __future__ import annotations

# Free-text labels (Google's, Apple's X-ABLabel, a custom word) that mean one of ours.
_SYNONYMS = {
    "mobile": "mobile", "cell": "mobile", "iphone": "mobile",
    "home": "home", "work": "work", "main": "main", "other": "other", "pager": "pager",
    "fax": "fax", "work fax": "fax", "home fax": "fax", "other fax": "fax",
    "homefax": "fax", "workfax": "fax", "otherfax": "fax",
}


def free_label(text: str, default: str = "other") -> str:
    """A label written as text: Apple's `_$!<Mobile>!$_`, Google's "* Work" (the star marks the primary
    one), or a custom word kept as it is."""
    text = text.strip()
    if text.startswith("_$!<") and text.endswith(">!$_"):
        text = text[4:-4]
    if text.startswith("* "):
        text = text[2:].strip()
    if not text:
        return default
    return _SYNONYMS.get(text.casefold(), text)


def phone_label_from_types(types: set[str]) -> str:
    """vCard TEL types (upper case) to one label: PREF only marks the preferred number, so any more
    specific type wins over it."""
    if "FAX" in types:
        return "fax"
    if types & {"CELL", "MOBILE", "IPHONE"}:
        return "mobile"
    if "PAGER" in types:
        return "pager"
    if "HOME" in types:
        return "home"
    if "WORK" in types:
        return "work"
    if types & {"MAIN", "MAIN-NUMBER", "PREF"}:
        return "main"
    return "other"


def email_label_from_types(types: set[str]) -> str:
    if "HOME" in types:
        return "home"
    if "WORK" in types:
        return "work"
    return "other"


def address_label_from_types(types: set[str]) -> str:
    return email_label_from_types(types)


# vCard TYPE for each of our labels; a label missing here is written as an Apple custom label.
PHONE_TYPES = {"mobile": "CELL", "home": "HOME", "work": "WORK", "fax": "FAX", "main": "MAIN", "other": "VOICE",
               "pager": "PAGER"}
EMAIL_TYPES = {"work": "INTERNET,WORK", "home": "INTERNET,HOME", "other": "INTERNET"}
ADDRESS_TYPES = {"work": "WORK", "home": "HOME", "other": ""}

# Google's words for ours; a custom label is written as it is (free_label reads it back unchanged).
GOOGLE_WORDS = {"mobile": "Mobile", "home": "Home", "work": "Work", "main": "Main", "fax": "Work Fax",
                "other": "Other", "pager": "Pager"}


def google_word(label: str) -> str:
    return GOOGLE_WORDS.get(label, label)
