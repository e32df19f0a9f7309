"""`log`, `inquiries` and `responsiveness`: the call log and the reply-by queue from scripts."""

from __future__ import annotations

import argparse
import getpass
import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from clientdesk.cli.boundaries_commands import parse_channel, parse_instant
from clientdesk.domain.errors import FieldProblem, InvalidInput
from clientdesk.domain.interactions import Direction, Inquiry, InteractionDraft, overdue
from clientdesk.services.workspace import Workspace


def log(workspace: Workspace, args: argparse.Namespace) -> int:
    zone = _zone(workspace)
    contact_id = workspace.contacts.resolve(args.contact)
    draft = InteractionDraft(
        contact_id=contact_id, channel=parse_channel(args.channel), direction=Direction(args.direction),
        at=parse_instant(args.at, zone, "--at") if args.at else datetime.now(zone), summary=args.summary,
        outcome=args.outcome, duration_minutes=args.minutes, urgent=args.urgent, logged_by=_user(),
        needs_reply=args.needs_reply, answers_inquiry_id=args.answers, override_reason=args.override)
    logged = workspace.interactions.log(draft)
    name = workspace.contacts.names([contact_id]).get(contact_id, "")
    result = {
        "interaction": {"id": logged.interaction_id, "contact": contact_id, "channel": draft.channel.value,
                        "direction": draft.direction.value, "at": draft.at.astimezone(zone).isoformat(),
                        "urgent": draft.urgent, "override_reason": draft.override_reason or None},
        "inquiry": _inquiry_json(logged.opened, zone, datetime.now(zone), name) if logged.opened else None,
        "answered": _inquiry_json(logged.answered, zone, datetime.now(zone), name) if logged.answered else None,
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"Logged interaction {logged.interaction_id}")
        if logged.opened:
            print(f"Opened inquiry {logged.opened.id}: reply by {result['inquiry']['target']}, "
                  f"at the latest {result['inquiry']['limit']}")
        if logged.answered:
            print(f"Answered inquiry {logged.answered.id}")
    return 0


def inquiries(workspace: Workspace, args: argparse.Namespace) -> int:
    zone = _zone(workspace)
    if args.action == "answer":
        at = parse_instant(args.at, zone, "--at") if args.at else None
        inquiry = workspace.interactions.answer(args.id, at)
        print(f"Inquiry {inquiry.id} answered at {inquiry.answered_at.astimezone(zone).isoformat()}")
        return 0
    if args.action == "close":
        inquiry = workspace.interactions.close(args.id, args.reason)
        print(f"Inquiry {inquiry.id} closed: {inquiry.close_reason}")
        return 0
    as_of = parse_instant(args.as_of, zone, "--as-of") if args.as_of else datetime.now(zone)
    found = workspace.interactions.inquiries(open_only=args.open, as_of=as_of)
    names = workspace.contacts.names({inquiry.contact_id for inquiry in found})
    rows = [_inquiry_json(inquiry, zone, as_of, names.get(inquiry.contact_id, "")) for inquiry in found]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        print("No open inquiries." if args.open else "No inquiries.")
    else:
        for row in rows:
            late = {"limit": "  PAST THE LIMIT", "target": "  past the target"}.get(row["overdue"], "")
            print(f"{row['id']:>6}  {row['status']:<8}  {row['contact']['name']:<30}  reply by {row['target']}{late}")
    return 0


def responsiveness(workspace: Workspace, args: argparse.Namespace) -> int:
    zone = _zone(workspace)
    today = datetime.now(zone).date()
    first = _date(args.start, "--from") if args.start else today - timedelta(days=365)
    last = _date(args.end, "--to") if args.end else today
    if last < first:
        raise InvalidInput([FieldProblem("--to", "The period ends before it starts.")])
    contact_id = workspace.contacts.resolve(args.contact) if args.contact else None
    start = datetime.combine(first, time(), zone)
    end = datetime.combine(last + timedelta(days=1), time(), zone)
    figures = workspace.interactions.responsiveness(start, end, contact_id)
    result = {"inquiries": figures.inquiries, "within_target": figures.within_target,
              "within_limit": figures.within_limit, "median_hours": figures.median_hours}
    if args.json:
        print(json.dumps(result, indent=2))
    elif not figures.inquiries:
        print(f"No inquiries to judge from {first} to {last}.")
    else:
        median = f"{figures.median_hours:.1f} h" if figures.median_hours is not None else "none answered"
        print(f"{figures.inquiries} inquiries from {first} to {last}: {figures.within_target:.0%} within target, "
              f"{figures.within_limit:.0%} within limit, median time to answer {median}")
    return 0


def _inquiry_json(inquiry: Inquiry, zone: ZoneInfo, as_of: datetime, name: str) -> dict:
    def moment(value: datetime | None) -> str | None:
        return value.astimezone(zone).isoformat() if value else None

    return {"id": inquiry.id, "contact": {"id": inquiry.contact_id, "name": name},
            "received": moment(inquiry.received), "target": moment(inquiry.target), "limit": moment(inquiry.limit),
            "status": inquiry.status.value, "answered_at": moment(inquiry.answered_at),
            "overdue": overdue(inquiry, as_of).value}


def _zone(workspace: Workspace) -> ZoneInfo:
    return ZoneInfo(workspace.business.profile().time_zone)


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput([FieldProblem(option, f"“{text}” is not a date such as 2026-11-23.")]) from None


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""
