"""Repeat rules in plain words, both ways, and the messages for words that are not understood."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given
from hypothesis import strategies as st

from clientdesk.domain.errors import InvalidInput
from clientdesk.domain.reminders.plain_words import describe_rule, is_plain, rule_from_text, rule_from_words
from clientdesk.domain.reminders.recurrence import Recurrence, normalise_rule
from tests.domain.reminders.common import LONDON, PROPERTY

# Words as the grammar writes them, and their rules: each way round.
BOTH_WAYS = [
    ("every 3 months on the 1st", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1"),
    ("yearly on 15 March", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15"),
    ("every week on Tuesday", "FREQ=WEEKLY;BYDAY=TU"),
    ("every 2 weeks on Monday and Thursday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH"),
    ("every day", "FREQ=DAILY"),
    ("every month on the last day", "FREQ=MONTHLY;BYMONTHDAY=-1"),
    ("every week on Tuesday until 31 December 2027", "FREQ=WEEKLY;BYDAY=TU;UNTIL=20271231T235959"),
    ("every day, 10 times", "FREQ=DAILY;COUNT=10"),
    ("every month on the 1st, 15th and last day", "FREQ=MONTHLY;BYMONTHDAY=1,15,-1"),
    ("every month on the first Monday", "FREQ=MONTHLY;BYDAY=1MO"),
    ("every 2 months on the last Friday", "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR"),
    ("every weekday", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ("every 2 years on 29 February, once", "FREQ=YEARLY;INTERVAL=2;BYMONTH=2;BYMONTHDAY=29;COUNT=1"),
    ("every week", "FREQ=WEEKLY"),
    ("yearly", "FREQ=YEARLY"),
    ("every 10 days until 1 January 2030", "FREQ=DAILY;INTERVAL=10;UNTIL=20300101T235959"),
]


@pytest.mark.parametrize("words, rule", BOTH_WAYS)
def test_words_become_the_rule(words, rule):
    assert rule_from_words(words) == rule


@pytest.mark.parametrize("words, rule", BOTH_WAYS)
def test_the_rule_reads_back_as_the_same_words(words, rule):
    assert describe_rule(rule) == words
    assert is_plain(rule)


@pytest.mark.parametrize("typed, rule", [
    ("Every Monday, Wednesday and Friday", "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
    ("every mondays and thurs.", "FREQ=WEEKLY;BYDAY=MO,TH"),
    ("weekly on tue", "FREQ=WEEKLY;BYDAY=TU"),
    ("every other week on Sunday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU"),
    ("fortnightly", "FREQ=WEEKLY;INTERVAL=2"),
    ("every two weeks on Thursday and Monday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH"),
    ("monthly on the 15th, until 2027-12-31", "FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20271231T235959"),
    ("quarterly on the 1st", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1"),
    ("every month on the 1st and the 15th", "FREQ=MONTHLY;BYMONTHDAY=1,15"),
    ("annually on March 15th", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15"),
    ("every year on the 15th of March", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15"),
    ("  EVERY   DAY  ,  for 3 times ", "FREQ=DAILY;COUNT=3"),
    ("every week on Monday until December 31, 2027", "FREQ=WEEKLY;BYDAY=MO;UNTIL=20271231T235959"),
    ("daily once", "FREQ=DAILY;COUNT=1"),
])
def test_other_ways_of_saying_it_are_understood(typed, rule):
    assert rule_from_words(typed) == rule


@pytest.mark.parametrize("typed, wording", [
    ("", "Say how often it repeats"),
    ("every fortnite", "does not understand “fortnite” in “every fortnite”"),
    ("sometimes", "does not understand “sometimes”"),
    ("every week on Tusday", "“Tusday” is not a day of the week."),
    ("every month on the 32nd", "“32nd” is not a day of the month"),
    ("every month on the 6th Monday", "at most five of each weekday"),
    ("every day on Monday", "“every day” cannot be on a particular day"),
    ("yearly on 30 February", "30 February never happens."),
    ("yearly on 15 Marchember", "“Marchember” is not a month."),
    ("every week until 31 February 2027", "“31 February 2027” is not a date."),
    ("every week until 31 December", "Give the year of the last day"),
    ("every 0 days", "“0” is too few"),
    ("every week on Monday, 10 times please", "does not understand “please”"),
    ("every 1000 days", "INTERVAL is a whole number from 1 to 999"),
])
def test_words_not_understood_get_a_sentence_for_the_user(typed, wording):
    with pytest.raises(InvalidInput) as error:
        rule_from_words(typed)
    assert [problem.field for problem in error.value.problems] == ["repeat"]
    assert wording in error.value.sentence()


@pytest.mark.parametrize("rule", [
    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",  # the last working day: valid, but not in the grammar
    "FREQ=DAILY;UNTIL=20270101T120000",  # an end at a time of day
    "FREQ=MONTHLY;BYMONTHDAY=-2",
    "FREQ=YEARLY;BYMONTH=3",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU;WKST=SU",
    "FREQ=DAILY;BYDAY=MO",
])
def test_a_rule_outside_the_grammar_is_shown_as_its_text(rule):
    assert describe_rule(rule) == normalise_rule(rule)
    assert not is_plain(rule)


def test_text_that_is_not_a_rule_is_shown_as_it_was_given():
    assert describe_rule(" FREQ=SOMETIMES ") == "FREQ=SOMETIMES"
    assert not is_plain("FREQ=SOMETIMES")


def test_a_raw_rule_can_be_typed_instead_of_words():
    assert rule_from_text("RRULE:FREQ=WEEKLY;BYDAY=FR") == "FREQ=WEEKLY;BYDAY=FR"
    assert rule_from_text("every Friday") == "FREQ=WEEKLY;BYDAY=FR"
    assert rule_from_text("FREQ=DAILY;UNTIL=20270630T225959Z", LONDON) == "FREQ=DAILY;UNTIL=20270630T235959"
    with pytest.raises(InvalidInput, match="not a frequency"):
        rule_from_text("FREQ=SOMETIMES")


def test_the_words_mean_what_they_say_on_the_calendar():
    # From Wednesday 3 June 2026: the next three Mondays and Thursdays of every other week, as dateutil has them.
    rule = rule_from_words("every 2 weeks on Monday and Thursday")
    recurrence = Recurrence(rule, date(2026, 6, 3), time(9), "Europe/London")
    assert [moment.astimezone(LONDON).date() for moment in recurrence.next_after(
        datetime(2026, 6, 3, tzinfo=LONDON), count=3)] == [date(2026, 6, 4), date(2026, 6, 15), date(2026, 6, 18)]
    assert [d.date() for d in rrulestr(rule, dtstart=datetime(2026, 6, 3, 9))[:3]] == [
        date(2026, 6, 4), date(2026, 6, 15), date(2026, 6, 18)]


# --- property: every rule the grammar can say comes back the same -----------------------------------------

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@st.composite
def sayable_rules(draw: st.DrawFn) -> str:
    frequency = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))
    parts = [f"FREQ={frequency}"]
    interval = draw(st.integers(1, 12) | st.integers(1, 999))
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if frequency == "WEEKLY" and draw(st.booleans()):
        parts.append("BYDAY=" + ",".join(draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, unique=True))))
    elif frequency == "MONTHLY":
        shape = draw(st.sampled_from(["plain", "monthdays", "nth"]))
        if shape == "monthdays":
            days = draw(st.lists(st.integers(1, 31) | st.just(-1), min_size=1, max_size=4, unique=True))
            parts.append("BYMONTHDAY=" + ",".join(map(str, days)))
        elif shape == "nth":
            parts.append(f"BYDAY={draw(st.sampled_from([1, 2, 3, 4, 5, -1]))}{draw(st.sampled_from(WEEKDAYS))}")
    elif frequency == "YEARLY" and draw(st.booleans()):
        month = draw(st.integers(1, 12))
        parts.append(f"BYMONTH={month};BYMONTHDAY={draw(st.integers(1, DAYS_IN_MONTH[month - 1]))}")
    ending = draw(st.sampled_from(["none", "count", "until"]))
    if ending == "count":
        parts.append(f"COUNT={draw(st.integers(1, 1000))}")
    elif ending == "until":
        parts.append(f"UNTIL={draw(st.dates(date(2000, 1, 1), date(2100, 12, 31))):%Y%m%d}T235959")
    return ";".join(parts)


@PROPERTY
@given(sayable_rules())
def test_every_rule_the_grammar_can_say_reads_back_as_the_same_rule(rule):
    canonical = normalise_rule(rule)
    words = describe_rule(canonical)
    assert words != canonical and not words.startswith("FREQ=")
    assert rule_from_words(words) == canonical
    assert rule_from_words(words.upper()) == canonical  # case does not matter


@PROPERTY
@given(st.text(alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz ,.0123456789-")), max_size=40))
def test_any_text_either_becomes_a_valid_rule_or_gets_a_sentence(text):
    try:
        rule = rule_from_words(text)
    except InvalidInput as error:
        assert error.problems and all(problem.field == "repeat" for problem in error.problems)
        assert error.sentence().strip()
    else:
        assert normalise_rule(rule) == rule
