"""Importing contacts: 10,000 vCards against vobject parsing the same file, and a 100,000-row CSV.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/import_bench.py

Each `bench_*` function returns its figure as a results.json entry (value, unit, target, ok, display, …).
The files are generated into a temporary folder (deterministic, seed 1) and imported into fresh databases,
so nothing here touches the cached demo database.
"""

from __future__ import annotations

import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402  (after the path set-up above)

VCARDS = 10_000
VCARD_MAX_RATIO = 1.3
VCARD_RUNS = 3
CSV_ROWS = 100_000
CSV_SMALL_ROWS = 10_000  # the same import on a tenth of the file: its memory is the yardstick
CSV_MAX_S = 10.0
# Python's own peak allocation during the import, 100,000 rows against 10,000: a flat line is 1.0.
CSV_MEMORY_MAX_RATIO = 1.25

TOWNS = ("Leeds", "York", "Bristol", "Norwich", "Bath", "Derby", "Exeter", "Hull")
COMPANIES = 5_000  # distinct organisations, so each has a handful of the people, as in a real address book


def _people(count: int, seed: int = 1):
    """Distinct people: each has its own email and a London number no other has. Names and organisations
    come from Faker's British pools, so names repeat as they do in life, but rarely at one organisation."""
    from faker import Faker

    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    given = sorted({fake.first_name() for _ in range(3000)})
    family = sorted({fake.last_name() for _ in range(3000)})
    companies = sorted({fake.company() for _ in range(COMPANIES)})
    numbers = rng.sample(range(10_000_000), count)  # 020 7xxx xxxx: London's numbers
    for n in range(count):
        first, last = rng.choice(given), rng.choice(family)
        yield {
            "given": first, "family": last,
            "email": f"{first}.{last}.{n}@example.com".lower().replace("'", "").replace(" ", ""),
            "phone": f"+44 20 7{numbers[n] // 10000:03d} {numbers[n] % 10000:04d}",
            "company": rng.choice(companies) if rng.random() < 0.3 else "", "town": rng.choice(TOWNS),
            "birthday": f"{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                        if rng.random() < 0.4 else "",
            "tags": ",".join(rng.sample(("vip", "referral", "newsletter", "trade", "local"), rng.randint(0, 2))),
            "note": "Prefers mornings; ask for the side door" if rng.random() < 0.2 else "",
        }


def write_vcards(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        for p in _people(count):
            lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{p['family']};{p['given']};;;", f"FN:{p['given']} {p['family']}",
                     f"TEL;TYPE=CELL:{p['phone']}", f"EMAIL;TYPE=INTERNET,WORK:{p['email']}",
                     f"ADR;TYPE=WORK:;;1 High Street;{p['town']};;;United Kingdom"]
            if p["company"]:
                lines.append(f"ORG:{p['company']}")
            if p["birthday"]:
                lines.append(f"BDAY:{p['birthday']}")
            if p["tags"]:
                lines.append(f"CATEGORIES:{p['tags']}")
            if p["note"]:
                lines.append(f"NOTE:{p['note'].replace(';', chr(92) + ';')}")
            lines.append("END:VCARD")
            out.write("\r\n".join(lines) + "\r\n")


def write_google_csv(path: Path, rows: int) -> None:
    import csv

    header = ["First Name", "Last Name", "Organization Name", "Birthday", "Notes", "Labels",
              "E-mail 1 - Label", "E-mail 1 - Value", "Phone 1 - Label", "Phone 1 - Value",
              "Address 1 - Label", "Address 1 - Street", "Address 1 - City", "Address 1 - Country"]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for p in _people(rows):
            labels = " ::: ".join(["* myContacts", *filter(None, p["tags"].split(","))])
            writer.writerow([p["given"], p["family"], p["company"], p["birthday"], p["note"], labels,
                             "Work", p["email"], "Mobile", p["phone"], "Work", "1 High Street", p["town"],
                             "United Kingdom"])


def _fresh_workspace(folder: Path, name: str):
    from clientdesk.domain.business import BusinessProfile
    from clientdesk.services.workspace import Workspace

    workspace = Workspace.open(folder / name)
    workspace.business.save(BusinessProfile(name="Bench Ltd", country="GB", time_zone="Europe/London",
                                            currency="GBP"))
    return workspace


def bench_vcards() -> dict:
    """Our import of 10,000 cards (read, validate, compare, write, commit) against vobject's parse alone."""
    import vobject

    with tempfile.TemporaryDirectory(prefix="clientdesk-bench-") as folder:
        folder = Path(folder)
        path = folder / "contacts.vcf"
        write_vcards(path, VCARDS)
        baseline, ours, counts = [], [], None
        for run in range(VCARD_RUNS):  # interleaved, so a busy moment of the machine hits both alike
            gc.collect()
            started = time.perf_counter()
            with path.open(encoding="utf-8") as stream:
                parsed = sum(1 for _card in vobject.readComponents(stream))
            baseline.append(time.perf_counter() - started)
            workspace = _fresh_workspace(folder, f"vcard-{run}.sqlite3")
            try:
                gc.collect()
                started = time.perf_counter()
                summary = workspace.imports.run(path)
                ours.append(time.perf_counter() - started)
            finally:
                workspace.close()
            counts = (parsed, summary.imported, summary.rejected)
    base, mine = statistics.median(baseline), statistics.median(ours)
    ratio = mine / base
    return {"value": round(ratio, 3), "unit": "ratio", "target": f"ratio <= {VCARD_MAX_RATIO:g}",
            "ratio_limit": VCARD_MAX_RATIO, "ratio": round(ratio, 3), "ok": ratio <= VCARD_MAX_RATIO and
            counts[1] == VCARDS, "baseline": round(base, 3), "seconds": round(mine, 3), "cards": VCARDS,
            "parsed_by_vobject": counts[0], "imported": counts[1], "rejected": counts[2],
            "display": f"{mine:.2f} s to import {counts[1]:,} cards vs {base:.2f} s for vobject to parse them "
                       f"(ratio {ratio:.2f})"}


def _csv_child(rows: int, traced: bool) -> dict:
    """Run in a child process, so each import's memory is its own. A file this large is read and validated
    by a second process of the import's own (`services/imports.py`); for the memory runs the small file is
    read that way too, so both are measured alike, and that process's peak resident memory is reported
    beside this one's Python peak."""
    import resource
    import tracemalloc

    from clientdesk.services import imports

    if traced:
        imports.READ_ASIDE_BYTES = 0

    with tempfile.TemporaryDirectory(prefix="clientdesk-bench-") as folder:
        folder = Path(folder)
        path = folder / "contacts.csv"
        write_google_csv(path, rows)
        workspace = _fresh_workspace(folder, "csv.sqlite3")
        try:
            workspace.imports  # the service and its readers loaded before the clock starts
            gc.collect()
            if traced:
                tracemalloc.start()
            started = time.perf_counter()
            summary = workspace.imports.run(path)
            seconds = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1] if traced else 0
        finally:
            workspace.close()
        return {"rows": rows, "seconds": seconds, "imported": summary.imported, "rejected": summary.rejected,
                "duplicates": len(summary.duplicates), "merged": summary.merged, "skipped": summary.skipped,
                "python_peak_mb": peak / 2**20, "rss_mb": common.own_peak_kib() / 1024,
                "reader_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                "file_mb": path.stat().st_size / 2**20}


def _child(rows: int, traced: bool) -> dict:
    output = subprocess.run([sys.executable, __file__, "--csv-child", str(rows), "traced" if traced else "timed"],
                            check=True, capture_output=True, text=True, cwd=common.ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])


def bench_csv() -> dict:
    """A 100,000-row Google CSV: the time, then Python's peak memory against a 10,000-row file's."""
    timed = _child(CSV_ROWS, traced=False)
    big, small = _child(CSV_ROWS, traced=True), _child(CSV_SMALL_ROWS, traced=True)
    growth = big["python_peak_mb"] / small["python_peak_mb"]
    # Every row taken: imported, or found to be a duplicate of one before it. Faker's names repeat, so the
    # file holds a person twice at one organisation (a close name there is the duplicate rule), merged.
    accounted = timed["imported"] + timed["duplicates"] == CSV_ROWS and timed["rejected"] == 0
    ok = timed["seconds"] < CSV_MAX_S and growth <= CSV_MEMORY_MAX_RATIO and accounted
    return {"value": round(timed["seconds"], 2), "unit": "s",
            "target": f"< {CSV_MAX_S:g} s, and peak memory for {CSV_ROWS:,} rows <= {CSV_MEMORY_MAX_RATIO:g}x "
                      f"that for {CSV_SMALL_ROWS:,}",
            "limit": CSV_MAX_S, "ok": ok, "rows": CSV_ROWS, "imported": timed["imported"],
            "duplicates": timed["duplicates"], "merged": timed["merged"], "rejected": timed["rejected"],
            "file_mb": round(timed["file_mb"], 1), "python_peak_mb": round(big["python_peak_mb"], 1),
            "python_peak_mb_small": round(small["python_peak_mb"], 1), "memory_ratio": round(growth, 2),
            "rss_mb": round(timed["rss_mb"], 1), "reader_rss_mb": round(big["reader_rss_mb"], 1),
            "reader_rss_mb_small": round(small["reader_rss_mb"], 1),
            "display": f"{timed['seconds']:.2f} s for {CSV_ROWS:,} rows ({timed['file_mb']:.1f} MB: "
                       f"{timed['imported']:,} imported, {timed['duplicates']:,} duplicate(s) "
                       f"({timed['merged']:,} merged), {timed['rejected']:,} rejected); "
                       f"Python peak {big['python_peak_mb']:.1f} MB vs {small['python_peak_mb']:.1f} MB for "
                       f"{CSV_SMALL_ROWS:,} rows (x{growth:.2f}); process peak RSS {timed['rss_mb']:.0f} MB, "
                       f"the reading process's {big['reader_rss_mb']:.0f} MB ({small['reader_rss_mb']:.0f} MB "
                       f"for {CSV_SMALL_ROWS:,} rows)"}


def main() -> int:
    if sys.argv[1:2] == ["--csv-child"]:
        print(json.dumps(_csv_child(int(sys.argv[2]), sys.argv[3] == "traced")))
        return 0
    for name, bench in (("import_vcard", bench_vcards), ("import_csv", bench_csv)):
        entry = bench()
        common.report(name, entry)
    return 0


if __name__ == "__main__":
    sys.exit(main())
