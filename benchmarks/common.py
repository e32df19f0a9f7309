"""Shared helpers for the benchmarks: the cached 100,000-contact database, timing and child processes."""

from __future__ import annotations

import os
import select
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
if str(ROOT) not in sys.path:  # run as a script: make the checkout importable even without `pip install -e`
    sys.path.insert(0, str(ROOT))

CACHE_DIR = BENCH_DIR / ".cache"
CONTACTS = 100_000
SEED = 1
HOME_REGION = "GB"
DEMO_DB = CACHE_DIR / "demo-100k.sqlite3"
RESULTS = BENCH_DIR / "results.json"
PROBE = BENCH_DIR / "start_probe.py"

SIDE_FILES = ("-wal", "-shm", "-journal")


def own_peak_kib() -> int:
    """This process's peak resident memory in KiB. On Linux, getrusage's ru_maxrss survives exec, so a
    child started from a large parent would report the parent's size at the fork; the kernel's high-water
    mark of the process's own memory (VmHWM) starts afresh at exec, so it is read where there is one."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS


def report(name: str, result: dict) -> None:
    """One figure on a line, as a script run alone prints it: its text, target and verdict."""
    print(f"{name}: {result['display']}   target {result['target']}   {'PASS' if result['ok'] else 'FAIL'}",
          flush=True)


def median(values) -> float:
    return statistics.median(values)


def ms(seconds: float) -> float:
    return seconds * 1000.0


# -- the cached demo database -----------------------------------------------------------------------

def stored_revision(path: Path) -> str | None:
    """The file's alembic revision, or None when it is missing or unreadable."""
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def contact_count(path: Path) -> int:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT count(*) FROM contact").fetchone()[0]
    finally:
        connection.close()


def interaction_count(path: Path) -> int:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT count(*) FROM interaction").fetchone()[0]
    finally:
        connection.close()


def purchase_count(path: Path) -> int:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT count(*) FROM purchase").fetchone()[0]
    finally:
        connection.close()


def cache_is_current() -> tuple[bool, str]:
    from clientdesk.storage.schema import HEAD_REVISION

    revision = stored_revision(DEMO_DB)
    if revision is None:
        return False, "missing" if not DEMO_DB.exists() else "unreadable"
    if revision != HEAD_REVISION:
        return False, f"schema revision {revision} != {HEAD_REVISION}"
    try:
        count = contact_count(DEMO_DB)
        interactions = interaction_count(DEMO_DB)
        purchases = purchase_count(DEMO_DB)
    except sqlite3.DatabaseError as error:
        return False, f"unreadable ({error})"
    if count != CONTACTS:
        return False, f"holds {count:,} contacts, not {CONTACTS:,}"
    # The demo writes ten years of interactions since it learnt to; a file from before holds none.
    if interactions == 0:
        return False, "holds no interactions (made by an older demo)"
    # Likewise purchases, agreements and out-of-scope requests, which the metrics figures read.
    if purchases == 0:
        return False, "holds no purchases (made by an older demo)"
    return True, f"current (revision {revision}, {interactions:,} interactions, {purchases:,} purchases)"


def remove_with_side_files(path: Path) -> None:
    for suffix in ("", *SIDE_FILES):
        Path(str(path) + suffix).unlink(missing_ok=True)


@dataclass(frozen=True)
class DemoRun:
    seconds: float  # in demo.generate alone: opening and migrating the file are not counted
    contacts_seconds: float  # of which on the contacts, before their interactions began
    added: object  # demo.DemoAdded: how many contacts, interactions and inquiries


def generate_demo(path: Path) -> DemoRun:
    """Create a fresh database at `path` and fill it, timing `demo.generate` by its stages. The file is
    closed and its WAL checkpointed into the main file before returning."""
    from clientdesk.services import demo
    from clientdesk.services.workspace import Workspace

    remove_with_side_files(path)
    workspace = Workspace.open(path)
    try:
        marks: dict[str, float] = {}
        start = time.perf_counter()
        added = demo.generate(workspace.database, CONTACTS, seed=SEED, home_region=HOME_REGION,
                              stage=lambda name: marks.setdefault(name, time.perf_counter()))
        elapsed = time.perf_counter() - start
    finally:
        workspace.close()
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return DemoRun(elapsed, marks["interactions"] - start, added)


def ensure_demo_db() -> str:
    """Build the cached database when it is not current (as run_all's first figure does); says what it found."""
    current, why = cache_is_current()
    if current:
        return why
    print(f"Building the cached database ({why}); this takes about a minute…", file=sys.stderr, flush=True)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    partial = CACHE_DIR / "demo-100k.partial.sqlite3"
    try:
        generate_demo(partial)
        install_as_cache(partial)
    except BaseException:
        remove_with_side_files(partial)
        raise
    return f"rebuilt ({why})"


def copy_database(source: Path, target: Path) -> None:
    """A scratch copy to measure writes on, through the backup API: never a file copy of a database that
    may have a WAL."""
    reading = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    writing = sqlite3.connect(target)
    try:
        reading.backup(writing)
    finally:
        writing.close()
        reading.close()


def install_as_cache(generated: Path) -> None:
    """Move a complete, checkpointed database into the cache. Old side files go first: a stale WAL
    next to the new main file would be replayed into it."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    for suffix in SIDE_FILES:
        Path(str(DEMO_DB) + suffix).unlink(missing_ok=True)
        Path(str(generated) + suffix).unlink(missing_ok=True)
    os.replace(generated, DEMO_DB)


# -- child processes --------------------------------------------------------------------------------

@contextmanager
def private_environment():
    """Environment for a GUI child: offscreen, and its own config, runtime and temp folders so
    QSettings and the single-instance socket never collide with a real session or another run."""
    with tempfile.TemporaryDirectory(prefix="clientdesk-bench-") as base:
        base_path = Path(base)
        folders = {name: base_path / name for name in ("config", "runtime", "tmp")}
        for folder in folders.values():
            folder.mkdir(mode=0o700)
        env = dict(os.environ)
        env.update({
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": str(folders["config"]),
            "XDG_RUNTIME_DIR": str(folders["runtime"]),
            "TMPDIR": str(folders["tmp"]),
        })
        # The checkout must be importable whether or not it is pip-installed (editable) in the venv.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))
        yield env, base_path


class ProbeFailed(RuntimeError):
    pass


def run_probe(args: list[str], *, until: str | None = "painted", timeout: float = 120.0) -> tuple[float, list[str]]:
    """Start the probe and return (seconds from just before Popen to the `until` line, all stdout lines).
    With until=None, waits for the child to exit and returns its lifetime."""
    with private_environment() as (env, base):
        stderr_path = base / "stderr.txt"
        with stderr_path.open("wb") as stderr:
            t0 = time.perf_counter()
            process = subprocess.Popen([sys.executable, str(PROBE), *args], stdout=subprocess.PIPE,
                                       stderr=stderr, stdin=subprocess.DEVNULL, env=env, bufsize=0)
            t1 = None
            lines: list[str] = []
            buffer = b""
            deadline = t0 + timeout
            fd = process.stdout.fileno()
            try:
                while True:
                    remaining = deadline - time.perf_counter()
                    if remaining <= 0:
                        raise ProbeFailed(f"probe {args[0]} timed out after {timeout:.0f} s")
                    ready, _, _ = select.select([fd], [], [], remaining)
                    if not ready:
                        continue
                    chunk = os.read(fd, 65536)
                    now = time.perf_counter()
                    if not chunk:
                        break
                    buffer += chunk
                    while b"\n" in buffer:
                        raw, buffer = buffer.split(b"\n", 1)
                        line = raw.decode(errors="replace").strip()
                        lines.append(line)
                        if until is not None and t1 is None and line == until:
                            t1 = now
                if buffer.strip():
                    lines.append(buffer.decode(errors="replace").strip())
                process.wait(timeout=max(1.0, deadline - time.perf_counter()))
                end = time.perf_counter()
            except BaseException:
                process.kill()
                process.wait()
                raise
        errors = stderr_path.read_text(errors="replace").strip()
        if until is None:
            if process.returncode != 0:
                raise ProbeFailed(f"probe {args[0]} exited with {process.returncode}: {errors[-2000:]}")
            return end - t0, lines
        if t1 is None:
            raise ProbeFailed(f"probe {args[0]} never printed {until!r} (exit {process.returncode}); "
                              f"stdout={lines[-5:]!r} stderr={errors[-2000:]!r}")
        return t1 - t0, lines


def run_alone(argv: list[str], figures: dict) -> int:
    """A benchmark module run by itself: each figure on the database named, else on the cached one."""
    if argv:
        path = Path(argv[0])
    else:
        print(f"cached database: {ensure_demo_db()}", flush=True)
        path = DEMO_DB
    for name, bench in figures.items():
        report(name, bench(path))
    return 0
