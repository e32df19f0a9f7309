"""`review`: a client review PDF from scripts, one client at a time or the plan reviews due in a month.

    clientdesk --db DB review CONTACT [--from DATE --to DATE] [--notes TEXT] --out FILE.pdf
    clientdesk --db DB review --due [--month YYYY-MM] [--overdue] --out-dir DIR [--combined]

Each file written is printed on its own line on standard output (a progress bar goes to standard error), and
each review is recorded on its client's timeline. Ctrl+C stops a batch after the review being made: the
files already written are complete and stay.

Only argparse is imported at the top: build_parser runs at every start, the window's too."""

from __future__ import annotations

import argparse
import signal
import sys
from datetime import date
from pathlib import Path


def add_parsers(commands) -> None:
    """The grammar of `review` (documented in README.md)."""
    review = commands.add_parser(
        "review", help="a client review PDF for one client, or for every client whose plan review is due",
        description="Write a client review PDF and record it on the client's timeline. Give CONTACT and --out "
                    "for one client, or --due and --out-dir for the clients whose plan review falls in a month.")
    review.add_argument("contact", nargs="?", metavar="CONTACT",
                        help="an id, an email address, or a name that fits one contact")
    review.add_argument("--from", dest="first", metavar="DATE", help="the period's first day (default: 12 months "
                        "before --to, from the start of that month)")
    review.add_argument("--to", dest="last", metavar="DATE", help="the period's last day (default: today)")
    review.add_argument("--notes", default="", metavar="TEXT", help="the owner's notes, printed in the review")
    review.add_argument("--prepared-by", default="", metavar="NAME", help="who prepared the review (signs the notes)")
    review.add_argument("--logo", type=Path, metavar="IMAGE", help="the business's logo for the cover (PNG or JPEG)")
    review.add_argument("--out", type=Path, metavar="FILE.pdf", help="where to write one client's review")
    review.add_argument("--due", action="store_true", help="every client whose plan review falls in --month")
    review.add_argument("--month", metavar="YYYY-MM", help="with --due: the month (default: this month)")
    review.add_argument("--overdue", action="store_true",
                        help="with --due: also the plan reviews that fell earlier and were not made")
    review.add_argument("--out-dir", type=Path, metavar="DIR", help="with --due: the folder to write the reviews to")
    review.add_argument("--combined", action="store_true",
                        help="with --due: one PDF holding every review (to print), instead of one PDF each")


def review(workspace, args: argparse.Namespace) -> int:
    from clientdesk.domain.errors import FieldProblem, InvalidInput
    from clientdesk.services.reviews import ReviewOptions

    problems = _grammar_problems(args)
    if problems:
        raise InvalidInput(problems)
    service = workspace.reviews
    period = _period(service, args.first, args.last)
    options = ReviewOptions(notes=args.notes, prepared_by=args.prepared_by, logo=args.logo)
    if args.logo is not None and not args.logo.is_file():
        raise InvalidInput([FieldProblem("--logo", f"{args.logo} is not a file.")])
    if not args.due:
        produced = service.produce(workspace.contacts.resolve(args.contact), period, args.out, options)
        print(produced.path)
        return 0
    return _due(workspace, service, args, period, options)


def _grammar_problems(args: argparse.Namespace) -> list:
    from clientdesk.domain.errors import FieldProblem

    problems = []
    if args.due:
        if args.contact is not None:
            problems.append(FieldProblem("CONTACT", "Give either a CONTACT or --due, not both."))
        if args.out_dir is None:
            problems.append(FieldProblem("--out-dir", "--due needs --out-dir: the folder to write the reviews to."))
        if args.out is not None:
            problems.append(FieldProblem("--out", "--due writes into --out-dir; --out is for one CONTACT."))
    else:
        if args.contact is None:
            problems.append(FieldProblem("CONTACT", "Name the client (an id, an email address or a name), "
                                                    "or give --due for the plan reviews due."))
        if args.out is None:
            problems.append(FieldProblem("--out", "Give the file to write, e.g. --out review.pdf."))
        for flag, given in (("--month", args.month), ("--out-dir", args.out_dir), ("--combined", args.combined),
                            ("--overdue", args.overdue)):
            if given:
                problems.append(FieldProblem(flag, f"{flag} goes with --due."))
    return problems


def _period(service, first: str | None, last: str | None):
    from clientdesk.domain.errors import FieldProblem, InvalidInput
    from clientdesk.domain.review import ReviewPeriod

    end = _date(last, "--to") if last else service.today()
    if first is None:
        return service.default_period(end)
    start = _date(first, "--from")
    if end < start:
        raise InvalidInput([FieldProblem("--to", f"The period ends ({end}) before it starts ({start}).")])
    return ReviewPeriod(start, end)


def _date(text: str, option: str) -> date:
    from clientdesk.domain.errors import FieldProblem, InvalidInput

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput([FieldProblem(option, f"“{text}” is not a date such as 2026-06-30.")]) from None


def _due(workspace, service, args: argparse.Namespace, period, options) -> int:
    from clientdesk.cli.progress import TerminalProgress
    from clientdesk.services.reviews import month_of

    month = month_of(args.month) if args.month else service.today().replace(day=1)
    due = service.reviews_due(month, overdue=args.overdue)
    if not due:
        earlier = " or earlier" if args.overdue else ""
        print(f"No plan reviews fall in {month:%B %Y}{earlier}; nothing was written.", file=sys.stderr)
        return 0
    bar = TerminalProgress(f"Writing {len(due):,} client review{'s' if len(due) != 1 else ''}")
    stop = _Interrupt()
    with stop:
        result = service.produce_many([item.contact_id for item in due], period, args.out_dir,
                                      combined=args.combined, progress=bar.update, cancelled=stop.is_set,
                                      options=options)
    bar.finish()
    for path in result.files:
        print(path)
    if result.cancelled:
        kept = (f"the {result.produced:,} review{'s' if result.produced != 1 else ''} written before it are "
                "complete and kept" if result.files else "nothing was written")
        print(f"clientdesk: interrupted after {result.produced:,} of {result.requested:,}; {kept}.", file=sys.stderr)
        return 130
    return 0


class _Interrupt:
    """Ctrl+C asks the batch to stop after the review being made, rather than killing it half-way."""

    def __init__(self):
        self._set = False
        self._previous = None

    def is_set(self) -> bool:
        return self._set

    def _handle(self, _signal, _frame) -> None:
        self._set = True

    def __enter__(self):
        try:
            self._previous = signal.signal(signal.SIGINT, self._handle)
        except ValueError:  # not the main thread: leave Ctrl+C as it is
            self._previous = None
        return self

    def __exit__(self, *exc_info) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)


COMMANDS = {"review": review}

__all__ = ["COMMANDS", "add_parsers", "review"]
