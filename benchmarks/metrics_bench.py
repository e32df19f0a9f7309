"""The business figures on the 100,000-contact demo database (about a million purchases over ten years, a
long tail of payers, agreements and out-of-scope requests): the `metrics` command's work and the dashboard's.

    .venv/bin/python benchmarks/metrics_bench.py [DB]

Each `bench_*` function returns its figure as a results.json entry (value, unit, target, ok, display, …).
The database defaults to the cached benchmarks/.cache/demo-100k.sqlite3, built first when it is missing or
stale. Both figures only read it.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402  (after the path set-up above)

FIGURES_TARGET_MS = 500.0
DASHBOARD_TARGET_MS = 1000.0
WARMUP, RUNS = 1, 5


def _timed(work, warmup: int = WARMUP, runs: int = RUNS) -> tuple[list[float], object]:
    timings, result = [], None
    for number in range(warmup + runs):
        started = time.perf_counter()
        result = work()
        if number >= warmup:
            timings.append(time.perf_counter() - started)
    return timings, result


def _purchase_count(path: Path) -> int:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT count(*) FROM purchase").fetchone()[0]
    finally:
        connection.close()


def _service(path: Path):
    from clientdesk.services.workspace import Workspace

    workspace = Workspace.open(path)
    return workspace, workspace.metrics


def bench_figures(db_path: Path = common.DEMO_DB) -> dict:
    """`MetricsService.figures(today)`, what the `metrics` command computes: median of 5 after a warm-up."""
    workspace, service = _service(db_path)
    try:
        today = service.today()
        timings, figures = _timed(lambda: service.figures(today))
    finally:
        workspace.close()
    value = common.ms(statistics.median(timings))
    share = figures.top20_share
    purchases = _purchase_count(db_path)
    return {
        "value": round(value, 1), "unit": "ms", "target": f"< {FIGURES_TARGET_MS:g} ms",
        "limit": FIGURES_TARGET_MS, "ok": value < FIGURES_TARGET_MS,
        "runs_ms": [round(common.ms(t), 1) for t in timings], "purchases": purchases,
        "revenue_12m": str(figures.revenue_12m), "top20_share": None if share is None else round(float(share), 3),
        "display": (f"{value:.0f} ms median of {RUNS} (worst {common.ms(max(timings)):.0f} ms) over "
                    f"{purchases:,} purchases; top fifth bring "
                    f"{'n/a' if share is None else f'{float(share):.0%}'} of the trailing year's revenue"),
    }


def bench_dashboard(db_path: Path = common.DEMO_DB) -> dict:
    """The Dashboard page's two reads, run as the page runs them, at once on two threads: the figures with
    the 20 largest payers and their names, and the last 12 months (revenue by stage, retention at each
    month's end). The figure is the time until both are in; the first figures show earlier."""
    from concurrent.futures import ThreadPoolExecutor

    workspace, service = _service(db_path)
    firsts: list[float] = []
    try:
        today = service.today()

        def both():
            started = time.perf_counter()
            with ThreadPoolExecutor(2) as pool:
                board = pool.submit(service.dashboard, today)
                months = pool.submit(service.trends, today)
                result = board.result()
                firsts.append(time.perf_counter() - started)
                return result, months.result()
        timings, (board, months) = _timed(both)
    finally:
        workspace.close()
    value = common.ms(statistics.median(timings))
    first = common.ms(statistics.median(firsts[WARMUP:]))
    return {
        "value": round(value, 1), "unit": "ms", "target": f"< {DASHBOARD_TARGET_MS:g} ms",
        "limit": DASHBOARD_TARGET_MS, "ok": value < DASHBOARD_TARGET_MS,
        "runs_ms": [round(common.ms(t), 1) for t in timings], "pareto_rows": len(board.pareto),
        "first_figures_ms": round(first, 1), "months": len(months),
        "display": (f"{value:.0f} ms median of {RUNS} (worst {common.ms(max(timings)):.0f} ms) to the whole page: "
                    f"the figures and {len(board.pareto)} Pareto rows in {first:.0f} ms, then {len(months)} months "
                    "of revenue by stage and retention"),
    }



def main(argv: list[str]) -> int:
    return common.run_alone(argv, {"metrics_figures": bench_figures, "metrics_dashboard": bench_dashboard})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
