"""ClientDesk's performance figures on a 100,000-contact demo database.

    make bench        (= QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/run_all.py)

Prints each figure with its target and PASS/FAIL, writes them all to benchmarks/results.json and exits 0
even when a target is missed: it reports, it does not assert. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import sys
import time
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import boundaries_bench  # noqa: E402
import import_bench  # noqa: E402
import interactions_bench  # noqa: E402
import metrics_bench  # noqa: E402
import quick_log_bench  # noqa: E402
import reminders_bench  # noqa: E402
import review_bench  # noqa: E402
import timeline_bench  # noqa: E402
import common  # noqa: E402  (after the path set-up above)
from common import CACHE_DIR, CONTACTS, DEMO_DB, RESULTS, median, ms  # noqa: E402

# Targets
SEARCH_MAX_RATIO = 2.0
SEARCH_MAX_MS = 16.0
START_MAX_RATIO = 1.5
SCROLL_MAX_MS = 16.0
MEMORY_MAX_MB = 250.0

SEARCH_PREFIXES = ("j", "jo", "joh", "smi")
SEARCH_WARMUP = 3
SEARCH_RUNS = 21
FIRST_PAGE = 128  # ContactTableModel.BLOCK: the model reads its first block of rows right after a search

SCROLL_ROWS = (90_000, 45_000, 99_950, 12_345, 70_000)  # far apart; 90,000 is the headline
SCROLL_SCREEN = 40
SCROLL_WARMUP = 3
SCROLL_ROUNDS = 15

START_RUNS = 7

results: dict[str, dict] = {}


def say(text: str = "") -> None:
    print(text, flush=True)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def record(name: str, entry: dict) -> None:
    results[name] = entry
    say(f"  -> {name}: {entry['display']}   target {entry['target']}   {verdict(entry['ok'])}")


def record_error(name: str, target: str, unit: str) -> None:
    message = traceback.format_exc()
    say(message)
    results[name] = {"value": None, "unit": unit, "target": target, "ok": False,
                     "error": message.strip().splitlines()[-1], "display": "error"}
    say(f"  -> {name}: ERROR   target {target}   FAIL")


# -- 1. demo generation -----------------------------------------------------------------------------

def bench_generation() -> None:
    say(f"[figure 1/5] Demo generation of {CONTACTS:,} contacts and ten years of their interactions")
    current, why = common.cache_is_current()
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    if current:
        say(f"  cached database {DEMO_DB.relative_to(common.ROOT)} is {why}; generating into a scratch file")
        scratch = CACHE_DIR / "demo-100k.discard.sqlite3"
    else:
        say(f"  cached database is {why}; generating it")
        scratch = CACHE_DIR / "demo-100k.partial.sqlite3"
    try:
        run = common.generate_demo(scratch)
        if current:
            common.remove_with_side_files(scratch)
        else:
            common.install_as_cache(scratch)
    except BaseException:
        common.remove_with_side_files(scratch)
        raise
    record("demo_generation", interactions_bench.generation_figure(run, why))


# -- 2. search --------------------------------------------------------------------------------------

def phone_fragment(path: Path) -> str:
    """4-6 digits from the middle of a stored number, typed with a space, e.g. "7946 09"."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        count = connection.execute("SELECT count(*) FROM contact_phone").fetchone()[0]
        rng = random.Random(20240601)
        while True:
            (e164,) = connection.execute("SELECT e164 FROM contact_phone ORDER BY rowid LIMIT 1 OFFSET ?",
                                         (rng.randrange(count),)).fetchone()
            digits = e164.lstrip("+")
            if len(digits) >= 9:
                break
    finally:
        connection.close()
    start = (len(digits) - 6) // 2
    fragment = digits[start:start + 6]
    return f"{fragment[:4]} {fragment[4:]}"


def bench_search(workspace) -> None:
    from clientdesk.domain.contacts import ListColumn
    from clientdesk.storage.search.contact_list import (
        COUNT_ALL_SQL,
        COUNT_MATCHES_SQL,
        INDEX_WALK_SHARE,
        MATCHING,
        page_sql,
    )
    from clientdesk.storage.search.documents import fts_expression

    say("[figure 2/5] Search: query string -> first page of results (ours vs the same SQL through raw sqlite3)")
    contacts = workspace.contacts
    raw = sqlite3.connect(workspace.path, isolation_level=None)
    queries = (*SEARCH_PREFIXES, phone_fragment(workspace.path))

    def ours(query: str) -> tuple[int, int]:
        # What the window does on a keystroke: ContactTableModel.reload() -> ContactService.first_page().
        page = contacts.first_page(query, ListColumn.NAME, False, FIRST_PAGE)
        return page.matches, len(page.rows)

    def plain(query: str) -> tuple[int, int]:
        # The same statements, in the same read transaction, through a bare sqlite3 connection.
        expression = fts_expression(query)
        raw.execute("BEGIN")
        try:
            if expression is None:
                matches = raw.execute(COUNT_ALL_SQL).fetchone()[0]
                rows = raw.execute(page_sql(ListColumn.NAME, False, "", False), (FIRST_PAGE, 0)).fetchall()
            else:
                matches = raw.execute(COUNT_MATCHES_SQL, (expression,)).fetchone()[0]
                total = raw.execute(COUNT_ALL_SQL).fetchone()[0]
                walk = matches >= FIRST_PAGE and matches >= INDEX_WALK_SHARE * total
                rows = raw.execute(page_sql(ListColumn.NAME, False, MATCHING, walk),
                                   (expression, FIRST_PAGE, 0)).fetchall()
        finally:
            raw.execute("ROLLBACK")
        return matches, len(rows)

    per_query: dict[str, dict] = {}
    try:
        for query in queries:
            for _ in range(SEARCH_WARMUP):
                found_ours, found_raw = ours(query), plain(query)
            if found_ours != found_raw:
                raise AssertionError(f"{query!r}: ours found {found_ours}, raw sqlite3 found {found_raw}")
            timings: dict[str, list[float]] = {"ours": [], "raw": []}
            for run in range(SEARCH_RUNS):
                order = (("ours", ours), ("raw", plain)) if run % 2 == 0 else (("raw", plain), ("ours", ours))
                for label, function in order:
                    start = time.perf_counter()
                    function(query)
                    timings[label].append(time.perf_counter() - start)
            ours_ms, raw_ms = ms(median(timings["ours"])), ms(median(timings["raw"]))
            ratio = ours_ms / raw_ms
            ok = ratio <= SEARCH_MAX_RATIO and ours_ms < SEARCH_MAX_MS
            per_query[query] = {"ours_ms": round(ours_ms, 3), "raw_ms": round(raw_ms, 3), "ratio": round(ratio, 3),
                                "matches": found_ours[0], "runs": SEARCH_RUNS, "ok": ok}
            say(f"  {query!r:>10}: {found_ours[0]:>6,} matches   ours {ours_ms:7.2f} ms   raw {raw_ms:7.2f} ms   "
                f"ratio {ratio:5.2f}   {verdict(ok)}")
    finally:
        raw.close()
    worst_ms = max(per_query.values(), key=lambda q: q["ours_ms"])
    worst_ratio = max(per_query.values(), key=lambda q: q["ratio"])
    ok = all(q["ok"] for q in per_query.values())
    record("search", {
        "value": worst_ms["ours_ms"], "unit": "ms",
        "target": f"ratio <= {SEARCH_MAX_RATIO:g} and < {SEARCH_MAX_MS:g} ms for every query",
        "limit": SEARCH_MAX_MS, "ratio_limit": SEARCH_MAX_RATIO,
        "baseline": worst_ratio["raw_ms"], "ratio": worst_ratio["ratio"], "ok": ok,
        "value_is": "slowest per-query median of ours", "baseline_is": "raw median of the worst-ratio query",
        "queries": per_query,
        "display": f"worst {worst_ms['ours_ms']:.2f} ms, worst ratio {worst_ratio['ratio']:.2f}",
    })


# -- 4. scroll --------------------------------------------------------------------------------------

def bench_scroll(workspace) -> None:
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([sys.argv[0]])
    from clientdesk.gui.contact_table_model import ContactTableModel

    say(f"[figure 4/5] Scroll: data() for one screen ({SCROLL_SCREEN} rows x every column) after a jump, cold cache")
    model = ContactTableModel(workspace.contacts)
    columns = model.columnCount()
    reloads: list[float] = []

    def one_screen(first_row: int) -> float:
        start = time.perf_counter()
        model.reload()  # empties the block cache; outside the timed region
        reloads.append(time.perf_counter() - start)
        start = time.perf_counter()
        for row in range(first_row, first_row + SCROLL_SCREEN):
            for column in range(columns):
                model.data(model.index(row, column))
        return time.perf_counter() - start

    for row in SCROLL_ROWS[:SCROLL_WARMUP]:
        one_screen(row)
    if model.rowCount() < max(SCROLL_ROWS) + SCROLL_SCREEN:
        raise AssertionError(f"the model has only {model.rowCount():,} rows")
    timings: dict[int, list[float]] = {row: [] for row in SCROLL_ROWS}
    for _ in range(SCROLL_ROUNDS):
        for row in SCROLL_ROWS:
            timings[row].append(one_screen(row))
    per_row = {str(row): round(ms(median(values)), 3) for row, values in timings.items()}
    for row, value in per_row.items():
        say(f"  row {int(row):>6,}: median {value:6.2f} ms over {SCROLL_ROUNDS} runs")
    headline = per_row[str(SCROLL_ROWS[0])]
    record("scroll", {
        "value": headline, "unit": "ms", "target": f"< {SCROLL_MAX_MS:g} ms", "limit": SCROLL_MAX_MS,
        "ok": headline < SCROLL_MAX_MS, "row": SCROLL_ROWS[0], "rows": SCROLL_SCREEN, "columns": columns,
        "runs": SCROLL_ROUNDS, "display": f"{headline:.2f} ms (row {SCROLL_ROWS[0]:,})",
    })
    everything = ms(median([value for values in timings.values() for value in values]))
    record("scroll_far_rows", {
        "value": round(everything, 3), "unit": "ms", "target": f"< {SCROLL_MAX_MS:g} ms", "limit": SCROLL_MAX_MS,
        "ok": everything < SCROLL_MAX_MS and max(per_row.values()) < SCROLL_MAX_MS,
        "per_row_ms": per_row, "runs": SCROLL_ROUNDS * len(SCROLL_ROWS),
        "reload_ms_median": round(ms(median(reloads)), 1),
        "display": f"{everything:.2f} ms median of {SCROLL_ROUNDS * len(SCROLL_ROWS)} runs, "
                   f"worst row {max(per_row.values()):.2f} ms",
    })


# -- 3. start ---------------------------------------------------------------------------------------

def bench_start() -> None:
    # Measured as installed: pip byte-compiles a package on install, and an editable checkout run with
    # PYTHONDONTWRITEBYTECODE would otherwise compile every module from source at every start.
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "clientdesk"), quiet=1)
    say(f"[figure 3/5] Start: process start -> first painted contact list, vs a bare PySide6 window "
        f"({START_RUNS} runs each, alternating, after one warm-up each)")
    clientdesk_args, bare_args = ["start", str(DEMO_DB)], ["bare"]
    common.run_probe(bare_args)
    common.run_probe(clientdesk_args)
    times: dict[str, list[float]] = {"clientdesk": [], "bare": []}
    for run in range(START_RUNS):
        order = (("bare", bare_args), ("clientdesk", clientdesk_args))
        for label, args in (order if run % 2 == 0 else order[::-1]):
            seconds, _ = common.run_probe(args)
            times[label].append(seconds)
        say(f"  run {run + 1}: ClientDesk {ms(times['clientdesk'][-1]):7.1f} ms   bare {ms(times['bare'][-1]):7.1f} ms")
    ours, bare = median(times["clientdesk"]), median(times["bare"])
    ratio = ours / bare
    record("start", {
        "value": round(ms(ours), 1), "unit": "ms", "target": f"ratio <= {START_MAX_RATIO:g} vs a bare PySide6 window",
        "ratio_limit": START_MAX_RATIO, "baseline": round(ms(bare), 1), "ratio": round(ratio, 3),
        "ok": ratio <= START_MAX_RATIO, "runs": START_RUNS,
        "samples_ms": {label: [round(ms(value), 1) for value in values] for label, values in times.items()},
        "display": f"{ms(ours):.0f} ms vs bare {ms(bare):.0f} ms = ratio {ratio:.2f}",
    })


# -- 5. memory --------------------------------------------------------------------------------------

def bench_memory() -> None:
    say("[figure 5/5] Memory: peak RSS with the window open on the 100k database (scrolled to the end and back, searched)")
    _, lines = common.run_probe(["memory", str(DEMO_DB)], until=None)
    values = dict(line.split(" ", 1) for line in lines if " " in line)
    if "maxrss_kib" not in values:
        raise AssertionError(f"the memory probe printed no figure: {lines!r}")
    peak_mb = int(values["maxrss_kib"]) / 1024
    record("memory", {
        "value": round(peak_mb, 1), "unit": "MB", "target": f"< {MEMORY_MAX_MB:g} MB", "limit": MEMORY_MAX_MB,
        "ok": peak_mb < MEMORY_MAX_MB,
        "rows_at_start": int(values.get("rows_at_start", -1)),
        "rows_after_search": int(values.get("rows_after_search", -1)),
        "rss_at_end_mb": round(int(values.get("current_rss_kib", -1)) / 1024, 1),
        "display": f"{peak_mb:.1f} MB peak RSS",
    })


# -- report -----------------------------------------------------------------------------------------

def write_results() -> None:
    clean = {name: {key: value for key, value in entry.items() if key != "display"} for name, entry in results.items()}
    temporary = RESULTS.with_name(RESULTS.name + ".tmp")
    temporary.write_text(json.dumps(clean, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temporary, RESULTS)


def print_table(total_seconds: float) -> None:
    # Figures kept from an earlier run (--only) have no display text: their value and unit stand in.
    rows = [(name, entry.get("display") or f"{entry.get('value')} {entry.get('unit', '')}".rstrip(), entry["target"],
             verdict(entry["ok"])) for name, entry in results.items()]
    headers = ("figure", "value", "target", "result")
    widths = [max(len(headers[i]), *(len(row[i]) for row in rows)) for i in range(4)]
    line = "  ".join("-" * width for width in widths)
    say()
    say("  ".join(header.ljust(width) for header, width in zip(headers, widths)))
    say(line)
    for row in rows:
        say("  ".join(cell.ljust(width) for cell, width in zip(row, widths)))
    say(line)
    passed = sum(entry["ok"] for entry in results.values())
    failed = [name for name, entry in results.items() if not entry["ok"]]
    say(f"SUMMARY: {passed}/{len(results)} figures within target"
        + (f"; missed: {', '.join(failed)}" if failed else "; all targets met")
        + f"  (total {total_seconds:.0f} s; results in {RESULTS.relative_to(common.ROOT)})")


def bench_boundaries(workspace) -> None:
    say(f"[boundaries] {boundaries_bench.CALLS:,} checks and {boundaries_bench.CALLS:,} reply-by computations "
        "(mixed rules, clocks and zones); the indicator's refresh for one screen")
    engine = boundaries_bench.bench_engine()
    record("boundaries_check", {"value": round(engine["check_us"], 2), "unit": "µs per call", "target": "reported",
                                "ok": True, "calls": boundaries_bench.CALLS,
                                "display": f"{engine['check_us']:.1f} µs per check"})
    record("reply_by", {"value": round(engine["reply_by_us"], 2), "unit": "µs per call", "target": "reported",
                        "ok": True, "calls": boundaries_bench.CALLS,
                        "display": f"{engine['reply_by_us']:.1f} µs per reply-by"})
    screen = boundaries_bench.bench_indicator(workspace)
    ok = screen["indicator_ms"] < boundaries_bench.INDICATOR_MAX_MS
    record("boundaries_indicator", {"value": round(screen["indicator_ms"], 3), "unit": "ms",
                                    "target": f"< {boundaries_bench.INDICATOR_MAX_MS:g} ms",
                                    "limit": boundaries_bench.INDICATOR_MAX_MS, "ok": ok,
                                    "worst_ms": round(screen["worst_ms"], 3),
                                    "display": f"{screen['indicator_ms']:.2f} ms per screen ({boundaries_bench.SCREEN} rows)"})


def bench_interactions() -> None:
    """Issue 5's figures: the quick log's lookup and save, opening a long timeline, the Inquiries page with
    10,000 open, and logging a call."""
    say("[interactions] quick-log lookup per keystroke; Ctrl+Enter to saved; a 5,000-interaction timeline; "
        "the Inquiries page with 10,000 open; logging a call")
    for name, target, run in (
            ("quick_log_lookup", f"< {quick_log_bench.TARGET_MS:g} ms", lambda: quick_log_bench.bench_lookup(DEMO_DB)),
            ("quick_log_save", f"< {quick_log_bench.SAVE_TARGET_MS:g} ms", lambda: quick_log_bench.bench_save(DEMO_DB)),
            ("timeline_open", f"< {timeline_bench.TARGET_MS:g} ms", lambda: timeline_bench.bench_timeline(DEMO_DB)),
            ("inquiries_page", f"< {interactions_bench.PAGE_TARGET_MS:g} ms",
             lambda: interactions_bench.bench_inquiries_page(DEMO_DB)),
            ("log_call", f"< {interactions_bench.LOG_TARGET_MS:g} ms",
             lambda: interactions_bench.bench_log_call(DEMO_DB))):
        try:
            record(name, run())
        except Exception:
            record_error(name, target, "ms")


def bench_imports() -> None:
    """Issue 9's figures: 10,000 vCards against vobject's parse of them, and a 100,000-row CSV."""
    say(f"[import] {import_bench.VCARDS:,} vCards, imported and parsed by vobject alone; a {import_bench.CSV_ROWS:,}-row "
        "Google CSV, its time and memory")
    for name, target, unit, run in (
            ("import_vcard", f"ratio <= {import_bench.VCARD_MAX_RATIO:g}", "ratio", import_bench.bench_vcards),
            ("import_csv", f"< {import_bench.CSV_MAX_S:g} s", "s", import_bench.bench_csv)):
        try:
            record(name, run())
        except Exception:
            record_error(name, target, unit)


def bench_metrics() -> None:
    """The business figures over about a million purchases: the `metrics` command's work and the dashboard's."""
    say("[metrics] MetricsService.figures(today), as the `metrics` command computes it; dashboard(today), what "
        "the Dashboard page waits for")
    for name, target, run in (
            ("metrics_figures", f"< {metrics_bench.FIGURES_TARGET_MS:g} ms", lambda: metrics_bench.bench_figures(DEMO_DB)),
            ("metrics_dashboard", f"< {metrics_bench.DASHBOARD_TARGET_MS:g} ms",
             lambda: metrics_bench.bench_dashboard(DEMO_DB))):
        try:
            record(name, run())
        except Exception:
            record_error(name, target, "ms")


def bench_reminders() -> None:
    say("[reminders] The Today agenda (7 days) and logging a call that moves a stay-in-touch round")
    for name, target, run in (
            ("agenda", f"< {reminders_bench.AGENDA_TARGET_MS:g} ms", lambda: reminders_bench.bench_agenda(DEMO_DB)),
            ("cadence_log", f"< {reminders_bench.LOG_TARGET_MS:g} ms",
             lambda: reminders_bench.bench_cadence_log(DEMO_DB))):
        try:
            record(name, run())
        except Exception:
            record_error(name, target, "ms")


def bench_reviews() -> None:
    say("[reviews] One client review (gather, render, write, record) and a batch of 1,000, one PDF each")
    for name, target, unit, run in (
            ("review_one", f"< {review_bench.ONE_TARGET_MS:g} ms", "ms", lambda: review_bench.bench_one(DEMO_DB)),
            ("review_batch", f"< {review_bench.BATCH_TARGET_S:g} s, flat memory", "s",
             lambda: review_bench.bench_batch(DEMO_DB))):
        try:
            record(name, run())
        except Exception:
            record_error(name, target, unit)


GROUPS = ("generation", "search", "scroll", "boundaries", "interactions", "metrics", "reminders", "reviews",
          "imports", "start", "memory")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure ClientDesk on the 100,000-contact demo database.")
    parser.add_argument("--only", metavar="GROUP[,GROUP…]",
                        help=f"measure only these groups ({', '.join(GROUPS)}); the other figures in results.json "
                             "are kept as they were")
    args = parser.parse_args(argv)
    wanted = set(GROUPS) if args.only is None else {name.strip() for name in args.only.split(",")}
    unknown = wanted - set(GROUPS)
    if unknown:
        parser.error(f"unknown group {', '.join(sorted(unknown))}; use {', '.join(GROUPS)}")
    if args.only is not None and RESULTS.exists():
        results.update(json.loads(RESULTS.read_text(encoding="utf-8")))  # the figures not measured again stay
    started = time.perf_counter()
    say(f"ClientDesk benchmarks: Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs")
    if "generation" in wanted:
        try:
            bench_generation()
        except Exception:
            record_error("demo_generation", f"< {interactions_bench.GENERATION_TARGET_S:g} s", "s")
    else:
        say(f"Cached database: {common.ensure_demo_db()}")
    if not common.cache_is_current()[0]:
        say("The 100k database could not be built; the other figures need it.")
    else:
        from clientdesk.services.workspace import Workspace

        workspace = Workspace.open(DEMO_DB)
        try:
            for group, run, name, target, unit in (
                    ("search", bench_search, "search", f"ratio <= {SEARCH_MAX_RATIO:g} and < {SEARCH_MAX_MS:g} ms", "ms"),
                    ("scroll", bench_scroll, "scroll", f"< {SCROLL_MAX_MS:g} ms", "ms"),
                    ("boundaries", bench_boundaries, "boundaries_indicator",
                     f"< {boundaries_bench.INDICATOR_MAX_MS:g} ms", "ms")):
                if group in wanted:
                    try:
                        run(workspace)
                    except Exception:
                        record_error(name, target, unit)
        finally:
            workspace.close()  # the GUI children open the same file
        for group, run in (("interactions", bench_interactions), ("metrics", bench_metrics),
                           ("reminders", bench_reminders), ("reviews", bench_reviews), ("imports", bench_imports)):
            if group in wanted:
                run()
        if "start" in wanted:
            try:
                bench_start()
            except Exception:
                record_error("start", f"ratio <= {START_MAX_RATIO:g}", "ms")
        if "memory" in wanted:
            try:
                bench_memory()
            except Exception:
                record_error("memory", f"< {MEMORY_MAX_MB:g} MB", "MB")
    # Issue order in the file and the table.
    order = ("demo_generation", "search", "start", "scroll", "scroll_far_rows", "memory",
             "boundaries_check", "reply_by", "boundaries_indicator", "quick_log_lookup", "quick_log_save",
             "timeline_open", "inquiries_page", "log_call", "import_vcard", "import_csv", "metrics_figures",
             "metrics_dashboard", "agenda", "cadence_log", "review_one", "review_batch")
    ordered = {name: results[name] for name in order if name in results}
    ordered.update({name: entry for name, entry in results.items() if name not in ordered})
    results.clear()
    results.update(ordered)
    write_results()
    print_table(time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
