"""`import` and `export`: contacts in and out of vCard and CSV files from scripts."""

from __future__ import annotations

import argparse
import json
import sys

from clientdesk.cli.progress import TerminalProgress
from clientdesk.services.exports import ExportFormat
from clientdesk.services.imports import DuplicateAction, ImportOptions, ImportSummary, SourceFormat
from clientdesk.services.workspace import Workspace

FORMAT_NAMES = {SourceFormat.VCARD: "vCard", SourceFormat.GOOGLE: "Google CSV",
                SourceFormat.OUTLOOK: "Outlook CSV", SourceFormat.CSV: "CSV"}


def import_file(workspace: Workspace, args: argparse.Namespace) -> int:
    options = ImportOptions(format=SourceFormat(args.format), encoding=args.encoding,
                            on_duplicate=DuplicateAction(args.on_duplicate))
    # The bar only on a terminal: a script reading standard error gets the rejected records alone.
    bar = TerminalProgress(f"Importing {args.file.name}") if sys.stderr.isatty() else None
    summary = workspace.imports.run(args.file, options, dry_run=args.dry_run,
                                    progress=bar.update if bar else None)
    if bar:
        bar.finish()
    for problem in summary.rejects:
        print(f"{args.file}:{problem.line}: rejected: {problem.reason}", file=sys.stderr)
    for problem in summary.warnings:
        print(f"{args.file}:{problem.line}: warning: {problem.reason}", file=sys.stderr)
    if args.json:
        print(json.dumps(summary_json(summary), ensure_ascii=False, indent=2))
    else:
        print(summary_text(summary))
    return 0


def export_file(workspace: Workspace, args: argparse.Namespace) -> int:
    if args.format == "ics":
        return _export_calendar(workspace, args)
    exported = workspace.exports.export(ExportFormat(args.format), args.out, query=args.query or "", tag=args.tag)
    noun = "contact" if exported.count == 1 else "contacts"
    print(f"Exported {exported.count:,} {noun} to {exported.path}")
    return 0


def _export_calendar(workspace: Workspace, args: argparse.Namespace) -> int:
    """`export ics --out FILE.ics`: every open or repeating reminder as a VEVENT with its alarm (--query and --tag
    are for contacts and do not apply)."""
    if args.query or args.tag:
        print("clientdesk: export ics writes every reminder; --query and --tag apply to contacts only.",
              file=sys.stderr)
        return 2
    exported = workspace.calendar_export.export(args.out)
    noun = "reminder" if exported.reminders == 1 else "reminders"
    print(f"Exported {exported.reminders:,} {noun} to {exported.path}")
    return 0


def summary_text(summary: ImportSummary) -> str:
    verb = "Would import" if summary.dry_run else "Imported"
    text = (f"{verb} {summary.imported:,}, merged {summary.merged:,}, skipped {summary.skipped:,}, "
            f"rejected {summary.rejected:,} from {summary.file} ({FORMAT_NAMES[summary.format]}, {summary.encoding})")
    return text + (" — dry run, nothing was written." if summary.dry_run else ".")


def summary_json(summary: ImportSummary) -> dict:
    return {
        "file": summary.file, "format": summary.format.value, "encoding": summary.encoding,
        "dry_run": summary.dry_run, "imported": summary.imported, "merged": summary.merged,
        "skipped": summary.skipped, "rejected": summary.rejected,
        "rejects": [{"line": p.line, "reason": p.reason} for p in summary.rejects],
        "warnings": [{"line": p.line, "message": p.reason} for p in summary.warnings],
        "duplicates": [{"line": d.line, "name": d.incoming, "existing_id": d.existing_id, "existing": d.existing,
                        "reasons": d.reasons, "action": d.action.value} for d in summary.duplicates],
    }
