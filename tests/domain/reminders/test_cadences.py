"""Stay-in-touch cadences: due N days after the last contact either way, one item per contact, and the
cut-off storage queries with."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.errors import InvalidInput
from clientdesk.domain.interactions import Direction
from clientdesk.domain.reminders.cadences import (
    Cadence, CadenceContact, Cadences, cadence_cutoff, cadence_dues, last_contact_at, next_round, round_due_on,
    validate_cadence,
)
from clientdesk.domain.reminders.clock import agenda_end, local_day, morning
from clientdesk.domain.reminders.kinds import ReminderKind
from tests.domain.reminders.common import NY_OFFICE, OFFICE, PROPERTY, london, utc

START = date(2026, 1, 1)
NOW = london(2026, 6, 3, 12)  # a Wednesday
END = agenda_end(NOW, OFFICE)  # the start of Thursday 11 June


def contact(contact_id: int = 1, last: datetime | None = None, tags: tuple[str, ...] = (),
            skipped: date | None = None) -> CadenceContact:
    return CadenceContact(contact_id, f"Client {contact_id}", tags, last, skipped)


def test_a_contact_falls_due_n_days_after_the_last_contact_at_that_days_morning():
    every_30 = Cadence(1, 30, START, contact_id=1)
    [item] = cadence_dues([contact(last=london(2026, 5, 5, 16, 45))], [every_30], OFFICE, END)
    assert item.id == "cadence:1:2026-06-04" and item.kind is ReminderKind.CADENCE
    assert item.due == london(2026, 6, 4, 9) == morning(OFFICE, date(2026, 6, 4))
    assert item.title == "Keep in touch with Client 1 (every 30 days)" and item.channel is Channel.PHONE


def test_the_last_contact_counts_on_its_local_date():
    # 23:30 in New York on 5 May is 5 May there, though it is already 6 May in UTC.
    every_10 = Cadence(1, 10, START, contact_id=1)
    assert round_due_on(contact(last=utc(2026, 5, 6, 3, 30)), every_10, NY_OFFICE) == date(2026, 5, 15)
    assert round_due_on(contact(last=utc(2026, 5, 6, 3, 30)), every_10, OFFICE) == date(2026, 5, 16)


@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize("channel", [Channel.PHONE, Channel.EMAIL, Channel.POSTAL])
def test_any_logged_contact_resets_the_clock_whichever_way_and_however_it_went(direction, channel):
    every_30 = Cadence(1, 30, START, contact_id=1)
    history = [(london(2026, 4, 1, 10), Direction.OUT, Channel.PHONE), (london(2026, 5, 20, 11), direction, channel)]
    last = last_contact_at(at for at, _, _ in history)
    assert last == london(2026, 5, 20, 11)
    assert cadence_dues([contact(last=last)], [every_30], OFFICE, END) == []  # due 19 June now, not 1 May
    assert round_due_on(contact(last=last), every_30, OFFICE) == date(2026, 6, 19)


def test_a_contact_never_contacted_counts_from_the_cadences_start():
    assert round_due_on(contact(), Cadence(1, 14, date(2026, 5, 25), contact_id=1), OFFICE) == date(2026, 6, 8)


def test_a_skipped_round_moves_the_next_one_on_by_a_whole_cadence():
    every_30 = Cadence(1, 30, START, contact_id=1)
    skipped = contact(last=london(2026, 4, 1, 10), skipped=date(2026, 5, 1))
    assert round_due_on(skipped, every_30, OFFICE) == date(2026, 5, 31)
    # A contact logged after the skipped round counts from itself again.
    assert round_due_on(contact(last=london(2026, 5, 10, 10), skipped=date(2026, 5, 1)), every_30, OFFICE) == \
        date(2026, 6, 9)


def test_a_contact_covered_several_times_gets_one_item_from_the_earliest_cadence():
    cadences = [Cadence(1, 90, START, contact_id=1), Cadence(2, 30, START, tag="VIP"),
                Cadence(3, 60, START, tag="retainer", channel=Channel.EMAIL)]
    client = contact(last=london(2026, 3, 1, 10), tags=("vip", "Retainer"))
    items = cadence_dues([client, client], cadences, OFFICE, END)
    assert [(item.id, item.title) for item in items] == [
        ("cadence:1:2026-03-31", "Keep in touch with Client 1 (every 30 days)")]


def test_on_a_tie_the_shortest_cadence_is_the_one_named():
    client = contact(tags=("a", "b"))
    tied = [Cadence(7, 40, date(2026, 1, 1), tag="a"), Cadence(8, 10, date(2026, 1, 31), tag="b")]
    assert next_round(client, tied, OFFICE) == (date(2026, 2, 10), tied[1])
    assert next_round(client, [], OFFICE) is None


def test_a_contact_not_covered_by_any_cadence_is_never_due():
    assert cadence_dues([contact(2, tags=("other",))], [Cadence(1, 30, START, tag="vip")], OFFICE, END) == []


def test_a_round_after_the_agenda_ends_is_left_out():
    every_30 = Cadence(1, 30, START, contact_id=1)
    assert cadence_dues([contact(last=london(2026, 5, 12, 10))], [every_30], OFFICE, END) == []  # due 11 June
    assert len(cadence_dues([contact(last=london(2026, 5, 11, 10))], [every_30], OFFICE, END)) == 1  # 10 June


def test_a_cadence_covers_a_contact_or_a_tag_and_a_sensible_number_of_days():
    with pytest.raises(ValueError):
        Cadence(1, 30, START)
    with pytest.raises(ValueError):
        Cadence(1, 30, START, contact_id=1, tag="vip")
    with pytest.raises(ValueError):
        Cadence(1, 0, START, contact_id=1)
    assert validate_cadence("30", tag=" #vip ") == (30, "vip")
    with pytest.raises(InvalidInput) as error:
        validate_cadence("soon")
    assert {problem.field for problem in error.value.problems} == {"every_days", "tag"}


def test_the_cutoff_is_a_date_n_days_before_the_agendas_last_day():
    cutoff = cadence_cutoff(30, END, OFFICE)  # the agenda's last day is 10 June
    assert cutoff.day == date(2026, 5, 11)
    assert cutoff.before == london(2026, 5, 12)


# --- properties ------------------------------------------------------------------------------------------------

moments = st.integers(0, 900 * 24 * 60).map(lambda minutes: utc(2025, 1, 1) + timedelta(minutes=minutes))
history = st.lists(st.tuples(moments, st.sampled_from(list(Direction)), st.sampled_from(list(Channel))),
                   max_size=6)
calendars = st.sampled_from([OFFICE, NY_OFFICE])


@PROPERTY
@given(history, st.tuples(moments, st.sampled_from(list(Direction)), st.sampled_from(list(Channel))),
       st.integers(1, 120), calendars)
def test_logging_any_contact_resets_the_cadence(earlier, logged, every_days, calendar):
    cadence = Cadence(1, every_days, date(2024, 6, 1), contact_id=1)
    logged_at = max([logged[0], *(at for at, _, _ in earlier)]) + timedelta(minutes=1)  # the newest contact
    before = contact(last=last_contact_at(at for at, _, _ in earlier))
    after = contact(last=last_contact_at([logged_at, *(at for at, _, _ in earlier)]))
    # Due N days after the new contact, whatever its direction and channel; never earlier than before it.
    assert round_due_on(after, cadence, calendar) == local_day(logged_at, calendar) + timedelta(days=every_days)
    assert round_due_on(after, cadence, calendar) >= round_due_on(before, cadence, calendar)
    # Right after logging it the contact is not due in an agenda that ends before that day.
    agenda_stop = calendar.start_of_day(round_due_on(after, cadence, calendar))
    assert cadence_dues([after], [cadence], calendar, agenda_stop) == []
    assert len(cadence_dues([after], [cadence], calendar, agenda_stop + timedelta(days=1))) == 1


@st.composite
def cadence_sets(draw: st.DrawFn) -> list[Cadence]:
    cadences = []
    for index in range(draw(st.integers(1, 4))):
        scope = draw(st.sampled_from(["own", "a", "b"]))
        cadences.append(Cadence(index, draw(st.integers(1, 200)), draw(st.dates(date(2024, 1, 1), date(2027, 6, 1))),
                                contact_id=1 if scope == "own" else None, tag=None if scope == "own" else scope))
    return cadences


@PROPERTY
@given(cadence_sets(), st.none() | moments, st.none() | st.dates(date(2025, 1, 1), date(2027, 6, 1)),
       st.lists(st.sampled_from(["a", "A", "b", "c"]), max_size=3), moments, st.integers(0, 30), calendars)
def test_storages_cutoff_selects_exactly_the_contacts_that_are_due(cadences, last, skipped, tags, now, days,
                                                                  calendar):
    client = contact(last=last, tags=tuple(tags), skipped=skipped)
    end = agenda_end(now, calendar, days)
    due = cadence_dues([client], cadences, calendar, end)

    def passes(cadence: Cadence) -> bool:  # the SQL of the cadences module's docstring, in Python
        cutoff = cadence_cutoff(cadence.every_days, end, calendar)
        in_time = last < cutoff.before if last is not None else cadence.starts_on <= cutoff.day
        return in_time and (skipped is None or skipped <= cutoff.day)

    selected = any(passes(cadence) for cadence in Cadences(cadences).covering(client))
    assert bool(due) == selected
    assert len(due) <= 1
    if due:
        round_day, _ = next_round(client, Cadences(cadences).covering(client), calendar)
        assert due[0].id == f"cadence:1:{round_day.isoformat()}" and due[0].due == morning(calendar, round_day)


@PROPERTY
@given(cadence_sets(), st.none() | moments, moments, st.integers(0, 30), st.integers(0, 23 * 60))
def test_for_any_end_the_cutoff_never_leaves_out_a_due_contact(cadences, last, now, days, minutes):
    end = agenda_end(now, OFFICE, days) - timedelta(minutes=minutes)  # an end in the middle of a day
    client = contact(last=last, tags=("a", "b"))
    if cadence_dues([client], cadences, OFFICE, end):
        assert any((last < cadence_cutoff(c.every_days, end, OFFICE).before) if last is not None
                   else c.starts_on <= cadence_cutoff(c.every_days, end, OFFICE).day
                   for c in Cadences(cadences).covering(client))
