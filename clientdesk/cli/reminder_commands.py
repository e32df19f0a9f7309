"""`remind`, `cadence`, `reminders` and `agenda`: reminders, stay-in-touch cadences and the Today agenda from
scripts. Instants are printed in the business's time zone with their offset (ISO 8601).

Only argparse is imported at the top: build_parser runs at every start, the window's too, and the reminder
engine loads after the first paint."""

from __future__ import annotations

import argparse
import json

SNOOZE_CHOICES = ("hour", "tomorrow", "next_week")


def add_parsers(commands) -> None:
    """The grammar of the four commands (documented in README.md)."""
    remind = commands.add_parser("remind", help="set a follow-up or call-back, or a repeating reminder")
    remind.add_argument("contact", metavar="CONTACT", help="an id, an email address, or a name that fits one contact")
    remind.add_argument("--on", required=True, metavar="ISO",
                        help="when it is due (a repeating one: its first time); without an offset, the business's "
                             "time zone")
    remind.add_argument("--title", required=True, metavar="TEXT")
    remind.add_argument("--channel", metavar="C", help="how to get in touch: phone, sms, email, video, in_person or postal")
    remind.add_argument("--rrule", metavar="RRULE",
                        help='repeat: an RFC 5545 rule (FREQ=MONTHLY;BYMONTHDAY=1) or plain words ("every 3 months '
                             'on the 1st")')
    remind.add_argument("--notes", default="", metavar="TEXT")
    remind.add_argument("--json", action="store_true")

    cadence = commands.add_parser("cadence", help="keep in touch with a contact, or everyone with a tag, every N days")
    cadence.add_argument("contact", nargs="?", metavar="CONTACT", help="an id, an email address, or a name")
    cadence.add_argument("--tag", metavar="T", help="every contact with this tag, instead of one contact")
    cadence.add_argument("--every", type=int, metavar="DAYS", help="at least every DAYS days")
    cadence.add_argument("--channel", default="phone", metavar="C", help="how to get in touch (default phone)")
    cadence.add_argument("--remove", action="store_true", help="remove the cadence instead")
    cadence.add_argument("--json", action="store_true")

    reminders = commands.add_parser("reminders", help="mark agenda items done, snooze or skip them")
    actions = reminders.add_subparsers(dest="action", metavar="ACTION", required=True)
    done = actions.add_parser("done", help="mark items done")
    done.add_argument("ids", nargs="+", metavar="ID", help="agenda item ids, e.g. reminder:12 or birthday:345:2027")
    done.add_argument("--log", action="store_true",
                      help="also log an outgoing contact now, on the item's channel, with its title as the summary")
    done.add_argument("--override", default="", metavar="REASON",
                      help="with --log: log it although the client's boundaries do not allow it now, and why")
    done.add_argument("--json", action="store_true")
    snooze = actions.add_parser("snooze", help="bring items back later")
    snooze.add_argument("ids", nargs="+", metavar="ID")
    when = snooze.add_mutually_exclusive_group(required=True)
    when.add_argument("--until", metavar="ISO", help="when they come back; without an offset, the business's time zone")
    when.add_argument("--for", dest="choice", choices=SNOOZE_CHOICES,
                      help="an hour, tomorrow morning, or the same weekday next week")
    snooze.add_argument("--json", action="store_true")
    skip = actions.add_parser("skip", help="skip this occurrence of items")
    skip.add_argument("ids", nargs="+", metavar="ID")
    skip.add_argument("--json", action="store_true")

    agenda = commands.add_parser("agenda", help="what is overdue, due today and due in the next days")
    agenda.add_argument("--on", metavar="DATE", help="the agenda as of this day (or ISO instant; default: now)")
    agenda.add_argument("--days", type=int, default=7, metavar="N", help="today and the next N days (default 7)")
    agenda.add_argument("--json", action="store_true")


def remind(workspace, args: argparse.Namespace) -> int:
    from clientdesk.cli.boundaries_commands import parse_channel, parse_instant
    from clientdesk.domain.reminders import ReminderDraft

    zone = _zone(workspace)
    contact_id = workspace.contacts.resolve(args.contact)
    draft = ReminderDraft(args.title, parse_instant(args.on, zone, "--on"), args.rrule or "", contact_id,
                          parse_channel(args.channel) if args.channel else None, args.notes)
    saved = workspace.reminders.add(draft)
    reminder = saved.reminder
    result = {
        "id": saved.item_id, "reminder": reminder.id,
        "contact": {"id": contact_id, "name": reminder.contact_name},
        "title": reminder.title,
        "due": None if reminder.due is None else reminder.due.astimezone(zone).isoformat(),
        "rrule": None if reminder.recurrence is None else reminder.recurrence.rule,
        "next_due": None if saved.next_due_at is None else saved.next_due_at.astimezone(zone).isoformat(),
        "channel": None if reminder.channel is None else reminder.channel.value,
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        repeat = f", repeating {result['rrule']}" if result["rrule"] else ""
        print(f"Added reminder {saved.item_id}: {reminder.title}, next due {result['next_due']}{repeat}")
    return 0


def cadence(workspace, args: argparse.Namespace) -> int:
    from clientdesk.domain.errors import FieldProblem, InvalidInput

    if (args.contact is None) == (args.tag is None):
        raise InvalidInput([FieldProblem("CONTACT", "Name one contact, or give --tag, not both.")])
    contact_id = workspace.contacts.resolve(args.contact) if args.contact is not None else None
    if args.remove:
        workspace.reminders.remove_cadence(contact_id=contact_id, tag=args.tag)
        result = {"contact": contact_id, "tag": args.tag, "every_days": None, "removed": True}
    else:
        if args.every is None:
            raise InvalidInput([FieldProblem("--every", "Say how often: --every DAYS (or --remove).")])
        saved = workspace.reminders.set_cadence(args.every, contact_id=contact_id, tag=args.tag, channel=args.channel)
        cadence = saved.cadence
        result = {"id": cadence.id, "contact": cadence.contact_id, "tag": cadence.tag, "every_days": cadence.every_days,
                  "starts_on": cadence.starts_on.isoformat(),
                  "channel": None if cadence.channel is None else cadence.channel.value, "removed": False}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        whom = f"everyone tagged {args.tag}" if args.tag else f"contact {contact_id}"
        print(f"Removed the cadence for {whom}" if args.remove
              else f"Keep in touch with {whom} at least every {result['every_days']} days")
    return 0


def reminders(workspace, args: argparse.Namespace) -> int:
    from datetime import datetime

    from clientdesk.cli.boundaries_commands import parse_instant
    from clientdesk.domain.interactions import Direction, InteractionDraft

    zone = _zone(workspace)
    service = workspace.reminders
    results = []
    for item_id in args.ids:
        item_id = item_id.strip()
        if args.action == "done":
            log = None
            if args.log:
                prefill = service.log_prefill(item_id)
                if prefill.channel is None:
                    from clientdesk.domain.errors import FieldProblem, InvalidInput

                    raise InvalidInput([FieldProblem("--log", f"{item_id} has no channel to log a contact on.")])
                log = InteractionDraft(prefill.contact_id, prefill.channel, Direction.OUT, datetime.now(zone),
                                       summary=prefill.summary, answers_inquiry_id=prefill.answers_inquiry_id,
                                       override_reason=args.override)
            handled = service.done(item_id, log=log)
        elif args.action == "skip":
            handled = service.skip(item_id)
        else:
            until = parse_instant(args.until, zone, "--until") if args.until else args.choice
            handled = service.snooze(item_id, until)
        results.append({"id": handled.item_id, "state": handled.state.value,
                        "snoozed_until": None if handled.snoozed_until is None
                        else handled.snoozed_until.astimezone(zone).isoformat(),
                        "interaction": handled.interaction_id})
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for result in results:
            until = f" until {result['snoozed_until']}" if result["snoozed_until"] else ""
            logged = f" (logged interaction {result['interaction']})" if result["interaction"] else ""
            print(f"{result['id']}: {result['state']}{until}{logged}")
    return 0


def agenda(workspace, args: argparse.Namespace) -> int:
    from datetime import date, datetime

    from clientdesk.cli.boundaries_commands import parse_instant
    from clientdesk.domain.errors import FieldProblem, InvalidInput

    zone = _zone(workspace)
    if not 0 <= args.days <= 366:
        raise InvalidInput([FieldProblem("--days", "Give 0 to 366 days.")])
    now = datetime.now(zone)
    if args.on:
        try:
            day = date.fromisoformat(args.on.strip())
        except ValueError:
            now = parse_instant(args.on, zone, "--on")
        else:
            if day != now.date():  # another day: the agenda as that day begins
                now = workspace.business.calendar().start_of_day(day)
    found = workspace.reminders.agenda(now, args.days)
    items = [item.to_json(zone) for item in found.items]
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return 0
    counts = found.counts
    print(f"{counts.overdue} overdue, {counts.today} today, {counts.upcoming} in the next {args.days} days")
    for heading, group in (("Overdue", found.overdue), ("Today", found.today), ("Upcoming", found.upcoming)):
        if group:
            print(f"{heading}:")
        for item in group:
            due = item.due.astimezone(zone).strftime("%a %d %b %H:%M")
            why = f"  ({item.reason})" if item.reason else ""
            print(f"  {due}  {item.title}  [{item.id}]{why}")
    return 0


def _zone(workspace):
    from zoneinfo import ZoneInfo

    return ZoneInfo(workspace.business.profile().time_zone)


COMMANDS = {"remind": remind, "cadence": cadence, "reminders": reminders, "agenda": agenda}
