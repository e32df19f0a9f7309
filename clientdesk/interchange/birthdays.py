"""Birthdays as other programs write them, with or without the year."""

from __future__ import annotations

import re
from datetime import date, datetime

from clientdesk.domain.contacts import Birthday

_NONE = re.compile(r"0{1,2}[/.-]0{1,2}[/.-]0{2,4}")  # Outlook's "0/0/00" for no birthday
_ISO = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(?:[T ][\d:.]*(?:Z|[+-]\d{2}:?\d{2})?)?")
_NO_YEAR = re.compile(r"--(\d{2})-?(\d{2})")
_YEAR_FIRST = re.compile(r"(\d{4})[./](\d{1,2})[./](\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2}|\d{4}))?\.?")

# Two defaults that differ in every part: a part dateutil filled in from the default comes out
# different in the two results, so a text without a year (or a day) is told apart from one with it.
_DEFAULTS = (datetime(2000, 1, 1), datetime(2004, 2, 2))  # both leap years, for 29 February

UNKNOWN_FORM = "not a date in a form the import knows."


def parse_birthday(text: str, *, day_first: bool = True) -> Birthday | None:
    """None when there is no birthday; ValueError (with a sentence) when the text is not one."""
    text = text.strip()
    if not text or _NONE.fullmatch(text):
        return None
    if match := _ISO.fullmatch(text):
        return Birthday(day=int(match[3]), month=int(match[2]), year=int(match[1]))
    if match := _NO_YEAR.fullmatch(text):
        return Birthday(day=int(match[2]), month=int(match[1]))
    if match := _YEAR_FIRST.fullmatch(text):
        return Birthday(day=int(match[3]), month=int(match[2]), year=int(match[1]))
    if match := _NUMERIC.fullmatch(text):
        first, second = int(match[1]), int(match[2])
        day, month = (first, second) if day_first else (second, first)
        if month > 12 >= day:  # 31/12 read month-first can only be day-first, and the reverse
            day, month = month, day
        return Birthday(day=day, month=month, year=_full_year(match[3]) if match[3] else None)
    if any(ch.isalpha() for ch in text):
        return _words(text, day_first)
    raise ValueError(UNKNOWN_FORM)


def _full_year(digits: str) -> int:
    if len(digits) == 4:
        return int(digits)
    # A birthday is in the past: "05" is 2005 only while that is not in the future.
    year = 2000 + int(digits)
    return year if year <= date.today().year else year - 100


def _words(text: str, day_first: bool) -> Birthday:
    """"April 12, 1980", "12 Apr 1980", "Apr 12": month names, through dateutil."""
    from dateutil import parser  # loaded only for the rare birthday written in words

    try:
        one, two = (parser.parse(text, default=default, dayfirst=day_first) for default in _DEFAULTS)
    except (ValueError, OverflowError):
        raise ValueError(UNKNOWN_FORM) from None
    if one.month != two.month or one.day != two.day or one.time() != two.time():
        raise ValueError(UNKNOWN_FORM)
    return Birthday(day=one.day, month=one.month, year=one.year if one.year == two.year else None)
