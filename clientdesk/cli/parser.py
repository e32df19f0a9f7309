"""The command-line grammar. Documented in README.md; scripts rely on it, so change it only by adding."""

from __future__ import annotations

import argparse
from pathlib import Path

from clientdesk import __version__
from clientdesk.cli import reminder_commands
from clientdesk.cli import review_commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clientdesk",
        description="ClientDesk: a client manager for small businesses. Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"ClientDesk {__version__}")
    parser.add_argument("--db", type=Path, metavar="PATH",
                        help="database file (default: $CLIENTDESK_DB, else clientdesk.sqlite3 in your data folder)")
    parser.add_argument("--demo", action="store_true",
                        help="open the window on a fresh demo database in a temporary folder")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", help="fill the database with realistic demo data")
    demo.add_argument("--contacts", type=_positive, default=1000, metavar="N", help="how many contacts (default 1000)")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="the same seed gives the same data (default 1)")

    contacts = commands.add_parser("contacts", help="add, find and show contacts")
    actions = contacts.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a contact and print its id")
    add.add_argument("name", metavar="NAME", help="full name; the last word is taken as the family name")
    add.add_argument("--email", action="append", default=[], metavar="E")
    add.add_argument("--phone", action="append", default=[], metavar="P")
    add.add_argument("--org", metavar="O", help="organisation (created when it does not exist yet)")
    add.add_argument("--tag", action="append", default=[], metavar="T")
    add.add_argument("--note", default="", metavar="TEXT")
    add.add_argument("--organisation", action="store_true", help="NAME is an organisation, not a person")
    add.add_argument("--json", action="store_true", help='print {"id": N}')

    find = actions.add_parser("find", help="search names, organisations, emails, phones, tags and notes")
    find.add_argument("query", metavar="QUERY")
    find.add_argument("--limit", type=_positive, default=50, metavar="N")
    find.add_argument("--json", action="store_true")

    show = actions.add_parser("show", help="show one contact")
    show.add_argument("id", type=int, metavar="ID")
    show.add_argument("--json", action="store_true")

    business = commands.add_parser("business", help="the business profile: hours, closures, holidays, reply times")
    business_actions = business.add_subparsers(dest="action", metavar="ACTION", required=True)
    business_show = business_actions.add_parser("show", help="print the profile")
    business_show.add_argument("--json", action="store_true")
    business_set = business_actions.add_parser("set", help="change the profile from a JSON file (keys left out keep their values)")
    business_set.add_argument("file", type=Path, metavar="FILE.json")

    boundaries = commands.add_parser("boundaries", help="a client's channels, urgent line, window and do-not-contact date")
    boundaries.add_argument("contact", metavar="CONTACT", help="an id, an email address, or a name that fits one contact")
    boundary_actions = boundaries.add_subparsers(dest="action", metavar="ACTION", required=True)
    boundaries_show = boundary_actions.add_parser("show", help="print the client's rules")
    boundaries_show.add_argument("--json", action="store_true")
    boundaries_set = boundary_actions.add_parser("set", help="replace the client's rules from a JSON file")
    boundaries_set.add_argument("file", type=Path, metavar="FILE.json")
    boundaries_check = boundary_actions.add_parser("check", help="may this client be contacted on a channel at a time?")
    boundaries_check.add_argument("--channel", required=True, metavar="C",
                                  help="phone, sms, email, video, in_person or postal")
    boundaries_check.add_argument("--at", metavar="ISO", help="when (default: now); without an offset, the business's time zone")
    boundaries_check.add_argument("--urgent", action="store_true", help="an urgent matter")
    boundaries_check.add_argument("--json", action="store_true")

    reply = commands.add_parser("reply-by", help="the reply-by target and limit for an inquiry received at a time")
    reply.add_argument("--received", required=True, metavar="ISO",
                       help="when the inquiry came in; without an offset, the business's time zone")
    reply.add_argument("--json", action="store_true")

    log = commands.add_parser("log", help="log a call, email, text or visit")
    log.add_argument("contact", metavar="CONTACT", help="an id, an email address, or a name that fits one contact")
    log.add_argument("--channel", required=True, metavar="C", help="phone, sms, email, video, in_person or postal")
    log.add_argument("--direction", required=True, choices=("in", "out"))
    log.add_argument("--summary", default="", metavar="TEXT")
    log.add_argument("--outcome", default="", metavar="TEXT")
    log.add_argument("--at", metavar="ISO", help="when (default: now); without an offset, the business's time zone")
    log.add_argument("--minutes", type=int, metavar="N", help="how long it took")
    log.add_argument("--urgent", action="store_true")
    log.add_argument("--needs-reply", action="store_true", help="an incoming question: opens an inquiry with its deadlines")
    log.add_argument("--answers", type=int, metavar="INQUIRY_ID", help="this outgoing contact answers that inquiry")
    log.add_argument("--override", default="", metavar="REASON",
                     help="log an outgoing contact the client's boundaries do not allow now, and why")
    log.add_argument("--json", action="store_true")

    inquiries = commands.add_parser("inquiries", help="the reply-by queue")
    inquiries.add_argument("--open", action="store_true", help="only the open ones, most urgent first")
    inquiries.add_argument("--as-of", metavar="ISO", help="judge lateness at this time (default: now)")
    inquiries.add_argument("--json", action="store_true")
    inquiry_actions = inquiries.add_subparsers(dest="action", metavar="ACTION")
    answer = inquiry_actions.add_parser("answer", help="mark an inquiry answered")
    answer.add_argument("id", type=int, metavar="ID")
    answer.add_argument("--at", metavar="ISO", help="when it was answered (default: now)")
    close = inquiry_actions.add_parser("close", help="close an inquiry that needs no reply")
    close.add_argument("id", type=int, metavar="ID")
    close.add_argument("--reason", required=True, metavar="TEXT")

    figures = commands.add_parser("responsiveness", help="how fast inquiries were answered")
    figures.add_argument("--from", dest="start", metavar="DATE", help="first day (default: a year ago)")
    figures.add_argument("--to", dest="end", metavar="DATE", help="last day, included (default: today)")
    figures.add_argument("--contact", metavar="CONTACT")
    figures.add_argument("--json", action="store_true")

    importing = commands.add_parser("import", help="add contacts from a vCard or CSV file (Google, Outlook or any other)")
    importing.add_argument("file", type=Path, metavar="FILE")
    importing.add_argument("--format", choices=("auto", "vcard", "google", "outlook", "csv"), default="auto",
                           help="what the file holds (default: detected)")
    importing.add_argument("--encoding", metavar="E", help="its text encoding, e.g. utf-8 or cp1252 (default: detected)")
    importing.add_argument("--dry-run", action="store_true", help="show what would happen and write nothing")
    importing.add_argument("--on-duplicate", choices=("merge", "skip", "keep"), default="merge",
                           help="a record that matches a contact by email, phone or name at the same organisation: "
                                "add what it brings to that contact (default), leave it out, or keep both")
    importing.add_argument("--json", action="store_true")

    export = commands.add_parser("export", help="write contacts to a vCard 3.0 or Google-compatible CSV file")
    export.add_argument("format", choices=("vcard", "csv", "ics"))  # ics: the reminders, for a calendar
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    export.add_argument("--query", metavar="Q", help="only the contacts this search finds")
    export.add_argument("--tag", metavar="T", help="only the contacts with this tag")

    backup = commands.add_parser("backup", help="write a consistent copy of the database, even while it is open")
    backup.add_argument("--out", type=Path, required=True, metavar="FILE")

    restore = commands.add_parser("restore", help="replace the database with a checked backup (the current one is kept)")
    restore.add_argument("file", type=Path, metavar="FILE")
    _add_purchase_commands(commands)
    reminder_commands.add_parsers(commands)  # remind, cadence, reminders, agenda
    review_commands.add_parsers(commands)  # review
    return parser


def _add_purchase_commands(commands) -> None:
    """`services`, `agreements`, `purchases` and `metrics`."""
    services = commands.add_parser("services", help="the catalogue of services the business sells")
    service_actions = services.add_subparsers(dest="action", metavar="ACTION", required=True)
    service_add = service_actions.add_parser("add", help="add a service to the catalogue")
    service_add.add_argument("name", metavar="NAME")
    service_add.add_argument("--price", metavar="P", help="the usual price, in the business's currency")
    service_add.add_argument("--unit", default="", metavar="U", help='what the price is for, e.g. "hour" or "visit"')
    service_add.add_argument("--description", default="", metavar="TEXT")
    service_add.add_argument("--json", action="store_true")
    service_list = service_actions.add_parser("list", help="list the catalogue")
    service_list.add_argument("--json", action="store_true")
    service_edit = service_actions.add_parser("edit", help="change a service's name, price, unit or description")
    service_edit.add_argument("id", type=int, metavar="ID")
    service_edit.add_argument("--name", metavar="NAME")
    service_edit.add_argument("--price", metavar="P", help='the usual price; "none" leaves it without one')
    service_edit.add_argument("--unit", metavar="U")
    service_edit.add_argument("--description", metavar="TEXT")
    service_edit.add_argument("--json", action="store_true")
    service_remove = service_actions.add_parser("remove", help="remove a service no agreement or purchase names")
    service_remove.add_argument("id", type=int, metavar="ID")

    agreements = commands.add_parser("agreements", help="what clients have agreed to: retainers, contracts")
    agreement_actions = agreements.add_subparsers(dest="action", metavar="ACTION", required=True)
    agreement_add = agreement_actions.add_parser("add", help="record an agreement with a client")
    agreement_add.add_argument("contact", metavar="CONTACT", help="an id, an email address, or a name that fits one contact")
    agreement_add.add_argument("--start", required=True, metavar="DATE")
    agreement_add.add_argument("--end", metavar="DATE")
    agreement_add.add_argument("--renews", metavar="DATE")
    agreement_add.add_argument("--fee", metavar="AMOUNT")
    agreement_add.add_argument("--period", default="monthly",
                               choices=("one_off", "weekly", "monthly", "quarterly", "yearly"))
    agreement_add.add_argument("--review-months", type=_positive, metavar="N")
    agreement_add.add_argument("--service", action="append", default=[], metavar="NAME",
                               help="a service from the catalogue the agreement covers (repeatable)")
    agreement_add.add_argument("--notes", default="", metavar="TEXT")
    agreement_add.add_argument("--json", action="store_true")

    purchases = commands.add_parser("purchases", help="record purchases and refunds, or import them from CSV")
    purchase_actions = purchases.add_subparsers(dest="action", metavar="ACTION", required=True)
    purchase_add = purchase_actions.add_parser("add", help="record a purchase (a negative amount is a refund)")
    purchase_add.add_argument("contact", metavar="CONTACT", help="an id, an email address, or a name that fits one contact")
    purchase_add.add_argument("--amount", required=True, metavar="A")
    purchase_add.add_argument("--on", required=True, metavar="DATE")
    purchase_add.add_argument("--service", metavar="S")
    purchase_add.add_argument("--description", default="", metavar="TEXT")
    purchase_add.add_argument("--json", action="store_true")
    purchase_import = purchase_actions.add_parser(
        "import", help="import purchases from CSV: date,contact,amount,description[,service]")
    purchase_import.add_argument("file", type=Path, metavar="FILE.csv")
    purchase_import.add_argument("--dry-run", action="store_true", help="check every row and write nothing")
    purchase_import.add_argument("--json", action="store_true")

    metrics = commands.add_parser("metrics", help="revenue, concentration, stages, retention and lifetime value")
    metrics.add_argument("--as-of", metavar="DATE", help="the day to compute for (default: today)")
    metrics.add_argument("--json", action="store_true")


def _positive(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive whole number")
    return value
