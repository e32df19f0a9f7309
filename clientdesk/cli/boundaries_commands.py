"""`business`, `boundaries` and `reply-by`: the rules the business keeps, read and applied from scripts."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from clientdesk.domain.boundaries import Channel
from clientdesk.domain.business import profile_to_json
from clientdesk.domain.errors import ClientDeskError, FieldProblem, InvalidInput
from clientdesk.services.workspace import Workspace


def business(workspace: Workspace, args: argparse.Namespace) -> int:
    if args.action == "set":
        workspace.business.update_from_json(read_json(args.file))
        print(f"Updated the business profile from {args.file}")
        return 0
    shown = profile_to_json(workspace.business.profile())
    print(json.dumps(shown, ensure_ascii=False, indent=2) if args.json else _profile_text(shown))
    return 0


def boundaries(workspace: Workspace, args: argparse.Namespace) -> int:
    contact_id = workspace.contacts.resolve(args.contact)
    if args.action == "set":
        workspace.boundaries.save_json(contact_id, read_json(args.file))
        print(f"Updated the boundaries of contact {contact_id} from {args.file}")
    elif args.action == "show":
        rules = workspace.boundaries.get(contact_id).to_json()
        print(json.dumps(rules, ensure_ascii=False, indent=2) if args.json else _rules_text(rules))
    else:
        zone = ZoneInfo(workspace.business.profile().time_zone)
        at = parse_instant(args.at, zone, "--at") if args.at else datetime.now(zone)
        check = workspace.boundaries.check(contact_id, parse_channel(args.channel), at, args.urgent)
        result = {"allowed": check.allowed, "reasons": list(check.reasons),
                  "next_allowed": check.next_allowed.astimezone(zone).isoformat() if check.next_allowed else None}
        if args.json:
            print(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            print(("Allowed. " if check.allowed else "Not allowed. ") + " ".join(check.reasons))
            if not check.allowed:
                print(f"Next allowed: {result['next_allowed'] or 'never on this channel'}")
    return 0


def reply_by(workspace: Workspace, args: argparse.Namespace) -> int:
    zone = ZoneInfo(workspace.business.profile().time_zone)
    deadline = workspace.boundaries.reply_by(parse_instant(args.received, zone, "--received"))
    result = {
        "received": deadline.received.astimezone(zone).isoformat(),
        "target": deadline.target.astimezone(zone).isoformat() if deadline.target else None,
        "limit": deadline.limit.astimezone(zone).isoformat() if deadline.limit else None,
        "clock": deadline.clock.value,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"Reply by {result['target']} (target), {result['limit']} at the latest ({result['clock']} clock)")
    return 0


def read_json(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ClientDeskError(f"Cannot read {path}: {error.strerror or error}.") from None
    except UnicodeDecodeError:
        raise ClientDeskError(f"{path} is not UTF-8 text.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ClientDeskError(f"{path} line {error.lineno}, column {error.colno}: {error.msg}.") from None


def parse_instant(text: str, zone: ZoneInfo, option: str) -> datetime:
    """ISO 8601; a time without an offset is read in the business's time zone."""
    try:
        instant = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput([FieldProblem(option, f"“{text}” is not an ISO date and time such as 2026-11-23T14:30.")]) from None
    return instant.replace(tzinfo=zone) if instant.tzinfo is None else instant


def parse_channel(text: str) -> Channel:
    try:
        return Channel(text.strip().lower())
    except ValueError:
        choices = ", ".join(channel.value for channel in Channel)
        raise InvalidInput([FieldProblem("--channel", f"“{text}” is not a channel; use one of {choices}.")]) from None


def _profile_text(shown: dict) -> str:
    lines = [f"{shown['name'] or '(no name set)'} — {shown['country']}{'/' + shown['subdivision'] if shown['subdivision'] else ''}, "
             f"{shown['timezone']}, {shown['currency']}"]
    for day, ranges in shown["hours"].items():
        lines.append(f"  {day}: " + (", ".join(f"{start}–{end}" for start, end in ranges) or "closed"))
    for closure in shown["closures"]:
        lines.append(f"  closed {closure['start']} to {closure['end']}" + (f" ({closure['reason']})" if closure["reason"] else ""))
    lines.append(f"  public holidays: {'observed' if shown['public_holidays'] else 'not observed'}")
    reply = shown["reply"]
    lines.append(f"  reply within {reply['target_hours']:g} h (at most {reply['limit_hours']:g} h), {reply['clock']} clock")
    return "\n".join(lines)


def _rules_text(rules: dict) -> str:
    lines = [f"  {channel}: {policy}" for channel, policy in rules["channels"].items()]
    if rules.get("urgent_channels"):
        lines.append(f"  urgent: {', '.join(rules['urgent_channels'])} at any time")
    if rules.get("client_window"):
        window = rules["client_window"]
        lines.append(f"  client's window ({window['timezone']}): " + "; ".join(
            f"{day} " + ", ".join(f"{a}–{b}" for a, b in ranges) for day, ranges in window["hours"].items() if ranges))
    if rules.get("do_not_contact_until"):
        lines.append(f"  do not contact until {rules['do_not_contact_until']}")
    if rules.get("notes"):
        lines.append(f"  notes: {rules['notes']}")
    return "\n".join(lines)
