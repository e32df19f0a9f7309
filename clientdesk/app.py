"""Composition root: read the command line, then run a command or open the window."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from clientdesk.cli.parser import build_parser
from clientdesk.paths import default_database


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command:
        from clientdesk.cli.main import run

        try:
            code = run(args, args.db or default_database())
            sys.stdout.flush()  # here, where a closed pipe can still be answered quietly
            return code
        except BrokenPipeError:
            # The reader went away (`… --json | head`): stop quietly, as command-line tools do, and keep
            # Python from reporting the same error again when it flushes standard output at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 141  # 128 + SIGPIPE, what a shell reports for a writer cut off this way
    if args.demo:
        return _open_demo()
    from clientdesk.gui.application import run_gui  # the command line never pays for Qt

    return run_gui(args.db or default_database())


def _open_demo() -> int:
    from clientdesk.gui.application import run_gui
    from clientdesk.services import demo
    from clientdesk.services.workspace import Workspace

    folder = Path(tempfile.mkdtemp(prefix="clientdesk-demo-"))
    database = folder / "demo.sqlite3"
    workspace = Workspace.open(database)
    try:
        demo.generate(workspace.database, 2000, seed=1, home_region=workspace.business.region())
    finally:
        workspace.close()
    print(f"Demo database: {database}", file=sys.stderr)
    return run_gui(database, demo=True)
