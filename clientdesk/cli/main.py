"""Runs one command-line command against the services."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from clientdesk.cli import boundaries_commands, interaction_commands, interchange_commands, output, purchase_commands
from clientdesk.cli import reminder_commands
from clientdesk.cli import review_commands
from clientdesk.cli.progress import TerminalProgress
from clientdesk.domain.contacts import ContactDraft, ContactKind
from clientdesk.domain.errors import ClientDeskError, InvalidInput
from clientdesk.services import database_admin, demo
from clientdesk.services.workspace import Workspace


def run(args: argparse.Namespace, database: Path) -> int:
    try:
        if args.command == "backup":
            database_admin.backup(database, args.out)
            print(f"Backed up {database} to {args.out}")
            return 0
        if args.command == "restore":
            kept = database_admin.restore(database, args.file)
            print(f"Restored {database} from {args.file}" + (f"; the replaced database is kept as {kept}" if kept else ""))
            return 0
        workspace = Workspace.open(database)
        try:
            return _COMMANDS[args.command](workspace, args)
        finally:
            workspace.close()
    except InvalidInput as error:
        for problem in error.problems:
            print(f"clientdesk: {problem.field}: {problem.message}", file=sys.stderr)
        return 1
    except ClientDeskError as error:
        print(f"clientdesk: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("clientdesk: interrupted; nothing was changed by the unfinished command.", file=sys.stderr)
        return 130


def _demo(workspace: Workspace, args: argparse.Namespace) -> int:
    bar = TerminalProgress("Generating demo contacts and interactions")
    added = demo.generate(workspace.database, args.contacts, args.seed, workspace.business.region(),
                          progress=bar.update)
    bar.finish()
    print(f"Added {added.contacts:,} demo contacts, {added.interactions:,} interactions and {added.inquiries:,} "
          f"inquiries ({added.open_inquiries:,} still open), {added.purchases:,} purchases, {added.agreements:,} "
          f"agreements and {added.out_of_scope:,} out-of-scope requests to {workspace.path}")
    return 0


def _contacts(workspace: Workspace, args: argparse.Namespace) -> int:
    service = workspace.contacts
    if args.action == "add":
        draft = _draft_from(args)
        saved = service.create(draft, organisation_name=None if args.organisation else args.org)
        print(json.dumps({"id": saved.contact_id}) if args.json else saved.contact_id)
    elif args.action == "find":
        rows = service.find(args.query, limit=args.limit)
        print(json.dumps([output.summary_json(r) for r in rows], ensure_ascii=False, indent=2) if args.json
              else output.summaries_table(rows))
    elif args.action == "show":
        contact = service.get(args.id)
        if args.json:
            today = workspace.metrics.today()
            print(json.dumps(output.contact_json(contact, workspace.metrics.stage_of(contact.id, today).value,
                                                 workspace.metrics.lifetime_value(contact.id, today).total),
                             ensure_ascii=False, indent=2))
        else:
            print(output.contact_text(contact))
    return 0


def _draft_from(args: argparse.Namespace) -> ContactDraft:
    if args.organisation:
        return ContactDraft(kind=ContactKind.ORGANISATION, display_name=args.name,
                            phones=tuple(("work", p) for p in args.phone),
                            emails=tuple(("work", e) for e in args.email), tags=tuple(args.tag), notes=args.note)
    given, _, family = args.name.strip().rpartition(" ")
    if not given:
        given, family = family, ""
    return ContactDraft(given_name=given, family_name=family, display_name=args.name,
                        phones=tuple(("mobile", p) for p in args.phone),
                        emails=tuple(("work", e) for e in args.email), tags=tuple(args.tag), notes=args.note)


_COMMANDS = {"demo": _demo, "contacts": _contacts, "business": boundaries_commands.business,
             "boundaries": boundaries_commands.boundaries, "reply-by": boundaries_commands.reply_by,
             "log": interaction_commands.log, "inquiries": interaction_commands.inquiries,
             "responsiveness": interaction_commands.responsiveness, "import": interchange_commands.import_file,
             "export": interchange_commands.export_file, "services": purchase_commands.services,
             "agreements": purchase_commands.agreements, "purchases": purchase_commands.purchases,
             "metrics": purchase_commands.metrics, **reminder_commands.COMMANDS,
             **review_commands.COMMANDS}
