"""The reminder engine: what falls due, when to act on it, and the Today agenda. Pure rules, no storage.

One module per job:

- kinds.py        Due (what a source has due), Handling (done / skipped / snoozed), kinds, item ids
- clock.py        local dates, wall times as instants, a day's morning, where the agenda ends
- recurrence.py   RFC 5545 repeat rules: checked, canonical, expanded at a wall time across DST
- plain_words.py  "every 2 weeks on Monday and Thursday" <-> FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH
- follow_ups.py   reminders the user sets up: one-off follow-ups and repeating reminders
- cadences.py     stay in touch at least every N days, per contact or per tag
- occasions.py    birthdays (29 February on 28 February in common years) and holiday greetings
- thank_yous.py   after a first purchase, after a purchase above an amount
- plan_reviews.py an agreement's periodic review
- reply_deadlines.py  open inquiries' reply-by deadlines
- suggestions.py  the first moment the client's boundaries allow the item's channel, and why
- snooze.py       the snooze menu's instants
- agenda.py       grouping into overdue / today / upcoming, with counts and the command line's JSON

Each source's docstring says what storage must query so the engine only sees already-narrowed rows.
"""

from clientdesk.domain.reminders.agenda import Agenda, AgendaCounts, AgendaItem, build_agenda
from clientdesk.domain.reminders.cadences import (
    Cadence, CadenceContact, CadenceCutoff, Cadences, cadence_cutoff, cadence_dues, last_contact_at, next_round,
    round_due_on, validate_cadence,
)
from clientdesk.domain.reminders.clock import agenda_end, local_day, morning, opening_time
from clientdesk.domain.reminders.follow_ups import (
    Reminder, ReminderDraft, first_open_occurrence, occurrence_id, reminder_dues, reminder_item_id,
    validate_reminder,
)
from clientdesk.domain.reminders.kinds import (
    KIND_LABELS, Due, Handling, ItemState, ReminderKind, instant_token, item_id, kind_of,
)
from clientdesk.domain.reminders.occasions import (
    BirthdayContact, BirthdayRule, HolidayGreetingRule, available_holidays, birthday_days, birthday_dues,
    birthday_in, birthday_keys, holiday_dues, validate_holiday_rule,
)
from clientdesk.domain.reminders.plain_words import describe_rule, is_plain, rule_from_text, rule_from_words
from clientdesk.domain.reminders.plan_reviews import PlanReviewFacts, add_months, plan_review_due_on, plan_review_dues
from clientdesk.domain.reminders.recurrence import Recurrence, normalise_rule, recurrence_of, validate_rule
from clientdesk.domain.reminders.reply_deadlines import InquiryFacts, reply_by_dues
from clientdesk.domain.reminders.snooze import SNOOZE_LABELS, SnoozeChoice, snooze_menu, snooze_until
from clientdesk.domain.reminders.suggestions import Suggester, Suggestion, suggest
from clientdesk.domain.reminders.thank_yous import PurchaseFacts, ThankYouRule, thank_you_dues, thank_you_purchases

__all__ = [
    "KIND_LABELS", "SNOOZE_LABELS", "Agenda", "AgendaCounts", "AgendaItem", "BirthdayContact", "BirthdayRule",
    "Cadence", "CadenceContact", "CadenceCutoff", "Cadences", "Due", "Handling", "HolidayGreetingRule",
    "InquiryFacts", "ItemState", "PlanReviewFacts", "PurchaseFacts", "Recurrence", "Reminder", "ReminderDraft",
    "ReminderKind", "SnoozeChoice", "Suggester", "Suggestion", "ThankYouRule", "add_months", "agenda_end",
    "available_holidays", "birthday_days", "birthday_dues", "birthday_in", "birthday_keys", "build_agenda",
    "cadence_cutoff", "cadence_dues", "describe_rule", "first_open_occurrence", "holiday_dues", "instant_token",
    "is_plain", "item_id", "kind_of", "last_contact_at", "local_day", "morning", "next_round", "normalise_rule",
    "occurrence_id", "opening_time", "plan_review_due_on", "plan_review_dues", "recurrence_of", "reminder_dues",
    "reminder_item_id", "reply_by_dues", "round_due_on", "rule_from_text", "rule_from_words", "snooze_menu",
    "snooze_until", "suggest", "thank_you_dues", "thank_you_purchases", "validate_cadence", "validate_holiday_rule",
    "validate_reminder", "validate_rule",
]
