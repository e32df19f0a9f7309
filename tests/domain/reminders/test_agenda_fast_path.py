"""The agenda's fast path against a straightforward computation of the same agenda, on random items, rules,
handling and clocks: build_agenda (tuples, one sort of keys, the Suggester and its SuggestionMemo carried from one
agenda to the next, as the service does minute after minute) must give exactly what suggest() item by item and a
plain sort give. And the sources' fast paths against their plain forms: round_dues against next_round,
add_months against dateutil."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from clientdesk.domain.boundaries import Channel, ChannelPolicy, ClientBoundaries, ClientWindow
from clientdesk.domain.hours import BusinessCalendar, WeeklyHours
from clientdesk.domain.reminders.agenda import AgendaItem, build_agenda
from clientdesk.domain.reminders.cadences import Cadence, CadenceContact, Cadences, cadence_dues, next_round
from clientdesk.domain.reminders.clock import agenda_end, local_day, morning
from clientdesk.domain.reminders.kinds import KIND_ORDER, Due, Handling, ItemState, ReminderKind
from clientdesk.domain.reminders.plan_reviews import add_months
from clientdesk.domain.reminders.suggestions import SuggestionMemo, suggest
from tests.domain.reminders.common import DST_CHANGES, NY_OFFICE, OFFICE, PROPERTY, UTC
from tests.domain.test_hours import weekly_hours

ZONES = ["Europe/London", "America/New_York"]
CHANNELS = [Channel.PHONE, Channel.EMAIL, Channel.SMS]
CONTACTS = range(1, 7)
NAMES = ["Ann", "ann", "Bo", "Cy", "Dee", "Éva"]


def reference_agenda(dues: list[Due], now: datetime, calendar: BusinessCalendar, handled: dict[str, Handling],
                     boundaries: dict[int, ClientBoundaries], days: int) -> tuple[list, list, list]:
    """The agenda as its docstring states it, one item at a time, with suggest() for each."""
    now = now.astimezone(UTC)
    end = agenda_end(now, calendar, days)
    today_end = calendar.start_of_day(local_day(now, calendar) + timedelta(days=1))
    snapshots = [h.item for h in handled.values() if h.state is ItemState.SNOOZED and h.item is not None]
    items, seen = [], set()
    for item in list(dues) + snapshots:
        if item.id in seen:
            continue
        seen.add(item.id)
        due, snoozed = item.due, False
        handling = handled.get(item.id)
        if handling is not None and handling.settled:
            continue
        if handling is not None and handling.state is ItemState.SNOOZED:
            due, snoozed = handling.snoozed_until, True
        if due >= end:
            continue
        suggested, reason = due, None
        if item.channel is not None and item.contact_id is not None:
            rules = boundaries.get(item.contact_id) or ClientBoundaries.default()
            suggestion = suggest(rules, calendar, item.channel, due, now)
            suggested, reason = suggestion.at, suggestion.reason
        items.append(AgendaItem(item.id, item.kind, item.contact_id, item.contact_name, item.title, due, suggested,
                                item.channel, reason, due < now, snoozed))
    items.sort(key=lambda i: (i.due, i.suggested or i.due, KIND_ORDER[i.kind], i.contact_name.casefold(), i.id))
    return ([i for i in items if i.overdue], [i for i in items if not i.overdue and i.due < today_end],
            [i for i in items if i.due >= today_end])


@st.composite
def client_rules(draw: st.DrawFn) -> ClientBoundaries:
    policies = {channel: draw(st.sampled_from(list(ChannelPolicy))) for channel in CHANNELS}
    window = draw(st.none() | st.builds(ClientWindow, st.sampled_from(ZONES), weekly_hours()))
    if window is None:
        policies = {channel: (ChannelPolicy.BUSINESS_HOURS if policy is ChannelPolicy.CLIENT_WINDOW else policy)
                    for channel, policy in policies.items()}
    until = draw(st.none() | st.sampled_from(DST_CHANGES).map(lambda day: day + timedelta(days=1)))
    return ClientBoundaries(policies, window=window, do_not_contact_until=until)


@st.composite
def scenarios(draw: st.DrawFn):
    calendar = draw(st.sampled_from([OFFICE, NY_OFFICE]) | st.builds(BusinessCalendar, weekly_hours(),
                                                                        st.sampled_from(ZONES)))
    day = draw(st.sampled_from(DST_CHANGES))
    base = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=draw(st.integers(-3 * 1440,
                                                                                                    3 * 1440)))
    # A few clients share their rules (as equal but separate objects, as storage hands them over); the rest have
    # the defaults.
    shared = draw(client_rules())
    boundaries = {}
    for contact_id in CONTACTS:
        choice = draw(st.sampled_from(["default", "shared", "own"]))
        if choice == "shared":
            boundaries[contact_id] = ClientBoundaries.from_json(shared.to_json())
        elif choice == "own":
            boundaries[contact_id] = draw(client_rules())
    dues = []
    for number in range(draw(st.integers(0, 40))):
        contact_id = draw(st.none() | st.sampled_from(CONTACTS))
        kind = draw(st.sampled_from(list(ReminderKind)))
        at = base + timedelta(minutes=draw(st.sampled_from([0, 30, 60 * 9]) | st.integers(-12 * 1440, 12 * 1440)))
        identifier = f"{kind.value}:{draw(st.integers(0, number))}"  # now and then the same id twice
        dues.append(Due(identifier, kind, contact_id, "" if contact_id is None else NAMES[contact_id - 1],
                        f"Item {number}", at, draw(st.none() | st.sampled_from(CHANNELS))))
    handled = {}
    for item in draw(st.lists(st.sampled_from(dues), max_size=8)) if dues else []:
        state = draw(st.sampled_from(list(ItemState)))
        if state is ItemState.SNOOZED:
            until = base + timedelta(minutes=draw(st.integers(-2 * 1440, 10 * 1440)))
            handled[item.id] = Handling(item.id, state, until, item)
        else:
            handled[item.id] = Handling(item.id, state)
    # The service's clock: a few agendas, minutes or hours apart, with the memo carried from one to the next.
    nows, now = [], base
    for _ in range(draw(st.integers(1, 4))):
        now += timedelta(minutes=draw(st.sampled_from([1, 1, 7, 60]) | st.integers(0, 2 * 1440)))
        nows.append(now)
    return calendar, dues, handled, boundaries, nows, draw(st.sampled_from([0, 1, 7]))


@PROPERTY
@given(scenarios())
def test_the_agenda_is_the_straightforward_computation_minute_after_minute(scenario):
    calendar, dues, handled, boundaries, nows, days = scenario
    memo = SuggestionMemo()
    for now in nows:
        agenda = build_agenda(dues, now, calendar, handled=handled, boundaries=boundaries, days=days, memo=memo)
        overdue, today, upcoming = reference_agenda(dues, now, calendar, handled, boundaries, days)
        assert list(agenda.overdue) == overdue
        assert list(agenda.today) == today
        assert list(agenda.upcoming) == upcoming
        # Without the memo, and through a lookup function, the same again.
        assert build_agenda(dues, now, calendar, handled=list(handled.values()), boundaries=boundaries.get,
                            days=days).items == agenda.items


def test_overdue_items_minute_by_minute_across_openings_closings_and_a_clock_change():
    """What the memo remembers of the stretch around now ends exactly where the rules' stretch does."""
    window = ClientWindow("America/New_York", WeeklyHours.from_json({day: [["10:00", "12:30"]] for day in
                                                                    ("mon", "tue", "wed", "thu", "fri")}))
    rules = {1: ClientBoundaries.default(),
             2: ClientBoundaries({Channel.PHONE: ChannelPolicy.CLIENT_WINDOW}, window=window),
             3: ClientBoundaries({Channel.PHONE: ChannelPolicy.BUSINESS_HOURS},
                                 do_not_contact_until=date(2026, 10, 27))}
    start = datetime(2026, 10, 23, 12, 0, tzinfo=UTC)  # the Friday before London's autumn change
    dues = [Due(f"reminder:{contact_id}", ReminderKind.FOLLOW_UP, contact_id, NAMES[contact_id - 1], "Call",
                start - timedelta(days=1), Channel.PHONE) for contact_id in rules]
    memo = SuggestionMemo()
    for step in range(0, 4 * 24 * 60, 5):
        now = start + timedelta(minutes=step)
        agenda = build_agenda(dues, now, OFFICE, boundaries=rules, days=1, memo=memo)
        assert list(agenda.overdue) == reference_agenda(dues, now, OFFICE, {}, rules, 1)[0], now


def test_a_memo_on_a_new_day_words_times_from_that_day():
    rules = {1: ClientBoundaries({Channel.PHONE: ChannelPolicy.BUSINESS_HOURS})}
    saturday = datetime(2026, 6, 6, 10, tzinfo=UTC)
    due = Due("reminder:1", ReminderKind.FOLLOW_UP, 1, "Ann", "Call", saturday + timedelta(days=7), Channel.PHONE)
    memo = SuggestionMemo()
    first = build_agenda([due], saturday, OFFICE, boundaries=rules, days=7, memo=memo)
    tuesday = saturday + timedelta(days=3)
    later = build_agenda([due], tuesday, OFFICE, boundaries=rules, days=7, memo=memo)
    assert first.items[0].reason == "Call — 15 Jun, business hours"  # nine days ahead
    assert later.items[0].reason == "Call — Mon 09:00, business hours"  # within the week
    assert later.items[0].reason == suggest(rules[1], OFFICE, Channel.PHONE, due.due, tuesday).reason


# --- the sources' fast paths -----------------------------------------------------------------------------------

moments = st.datetimes(datetime(2025, 1, 1), datetime(2027, 6, 1), timezones=st.just(UTC))


@st.composite
def covered_contacts(draw: st.DrawFn):
    tags = draw(st.lists(st.sampled_from(["vip", "VIP", "retainer", "new"]), max_size=3))
    cadences = [Cadence(number + 1, draw(st.integers(1, 400)), draw(st.dates(date(2024, 1, 1), date(2027, 1, 1))),
                        None, tag, draw(st.none() | st.sampled_from(CHANNELS)))
                for number, tag in enumerate(["vip", "retainer", "other"])]
    if draw(st.booleans()):
        cadences.append(Cadence(9, draw(st.integers(1, 400)), date(2025, 6, 1), 1, None, Channel.PHONE))
    contact = CadenceContact(1, "Ann", tuple(tags), draw(st.none() | moments),
                             draw(st.none() | st.dates(date(2025, 1, 1), date(2027, 6, 1))))
    return contact, cadences


@PROPERTY
@given(covered_contacts(), moments, st.integers(0, 30), st.sampled_from([OFFICE, NY_OFFICE]))
def test_a_rounds_item_is_the_one_next_round_names(covered, now, days, calendar):
    contact, cadences = covered
    end = agenda_end(now, calendar, days)
    found = cadence_dues([contact], cadences, calendar, end)
    chosen = next_round(contact, Cadences(cadences).covering(contact), calendar)
    if chosen is None or morning(calendar, chosen[0]) >= end:
        assert found == []
    else:
        day, cadence = chosen
        assert found == [Due(f"cadence:1:{day.isoformat()}", ReminderKind.CADENCE, 1, "Ann",
                             f"Keep in touch with Ann (every {cadence.every_days} days)", morning(calendar, day),
                             cadence.channel)]


@given(st.dates(date(1900, 1, 1), date(2200, 12, 31)), st.integers(-1200, 1200))
def test_months_are_added_as_dateutil_adds_them(day, months):
    assert add_months(day, months) == day + relativedelta(months=months)
