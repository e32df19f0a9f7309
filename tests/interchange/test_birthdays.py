from __future__ import annotations

import pytest

from clientdesk.domain.contacts import Birthday
from clientdesk.interchange.birthdays import parse_birthday


@pytest.mark.parametrize("text, birthday", [
    ("1980-04-12", Birthday(12, 4, 1980)), ("19800412", Birthday(12, 4, 1980)), ("--04-12", Birthday(12, 4)),
    ("--0412", Birthday(12, 4)), ("12/04/1980", Birthday(12, 4, 1980)), ("12.04.1980", Birthday(12, 4, 1980)),
    ("April 12, 1980", Birthday(12, 4, 1980)), ("12 Apr 1980", Birthday(12, 4, 1980)), ("Apr 12", Birthday(12, 4)),
    ("1980-04-12T00:00:00Z", Birthday(12, 4, 1980)), ("1980/4/12", Birthday(12, 4, 1980)),
    ("31/12/1980", Birthday(31, 12, 1980)), ("12/31/1980", Birthday(31, 12, 1980)),  # only one reading fits
    ("12/04/80", Birthday(12, 4, 1980)), ("12/04/05", Birthday(12, 4, 2005)), ("29 Feb", Birthday(29, 2)),
])
def test_the_forms_other_programs_write(text, birthday):
    assert parse_birthday(text) == birthday


def test_day_first_decides_an_ambiguous_date():
    assert parse_birthday("04/05/1980", day_first=True) == Birthday(4, 5, 1980)
    assert parse_birthday("04/05/1980", day_first=False) == Birthday(5, 4, 1980)


@pytest.mark.parametrize("text", ["", "  ", "0/0/00", "0/0/0000", "00.00.0000"])
def test_no_birthday(text):
    assert parse_birthday(text) is None


@pytest.mark.parametrize("text", ["sometime in May", "April", "1980", "12", "April 1980", "foo 12", "31/02/1980",
                                  "1604-04-12", "--13-01", "2999-01-01"])
def test_what_is_not_a_birthday_raises(text):
    with pytest.raises(ValueError):
        parse_birthday(text)
