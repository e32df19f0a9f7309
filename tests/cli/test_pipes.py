"""The command line in a pipeline: a reader that stops early (`clientdesk … --json | head`) ends the command
quietly, with the shell's status for it, and no Python error on standard error."""

from __future__ import annotations

import subprocess
import sys


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path):
    run = [sys.executable, "-m", "clientdesk", "--db", str(tmp_path / "pipe.sqlite3")]
    for name in ("Ana Silva", "Ana Jones", "Anabel Smith"):
        subprocess.run([*run, "contacts", "add", name], check=True, capture_output=True)
    writer = subprocess.Popen([*run, "contacts", "find", "Ana", "--json"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    writer.stdout.close()  # the reader is gone before anything is written
    _out, err = writer.communicate(timeout=60)
    assert err == b"" and writer.returncode == 141
