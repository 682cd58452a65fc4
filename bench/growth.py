"""How it grows: the same requests at 100,000, 300,000, 1,000,000 and 3,000,000 turns.

For each size (`make bench-growth`; --sizes to choose) it builds a database as
bench/perf.py does (the bulk transcripts, fewer of them below their own ~150,000 turns,
topped up with synthetic events; the imports timed), reads the sizes of the turn table
and its indexes, serves the project with gunicorn (2 workers) and loads each of
bench/perf.py's requests with wrk (--connections, --duration, after a warm-up): requests/s
and p50. The database is dropped before the next size is built, except the one
bench/perf.py keeps (interviews_perf_bench, with its import figures), reused at its size.

Writes bench/out/growth.json, the plot bench/growth.png (matplotlib, in bench/.venv-plot
from bench/requirements-plot.txt) and its section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from typing import Any

from harness import (
    OUT,
    ROOT,
    dbname_of,
    drop_database,
    existing_turns,
    fail,
    find_wrk,
    free_port,
    machine,
    markers,
    run_wrk,
    say,
    start_gunicorn,
    stop,
    with_dbname,
    write_section,
)
from perf import BENCH, DEFAULT_URL, build, connect, targets, venv

SIZES = (100_000, 300_000, 1_000_000, 3_000_000)
# What each of bench/perf.py's requests is, whatever it was picked as at each size.
SHAPES = {
    "mid": "speaker with ~200 turns",
    "busiest": "busiest speaker",
    "deep": "busiest speaker, a deep page (up to the 2,000th)",
    "search": "phrase in ~300 turns",
    "word": "word in ~3,000 turns",
    "without": "that word -the word most often beside it",
    "common": "word in ~50,000 turns (or the most frequent)",
    "event": "an event's transcript (~87 turns)",
    "participants": "participants by part of a name",
}
PLOT = BENCH / "growth.png"


def sizes_of(url: str) -> dict[str, int]:
    """Bytes of the turn table (with its TOAST) and of each of its indexes."""
    with connect(url) as conn:
        table = conn.execute("SELECT pg_table_size('interviews_turn')").fetchone()[0]
        indexes = conn.execute(
            "SELECT indexrelid::regclass::text, pg_relation_size(indexrelid)"
            " FROM pg_index WHERE indrelid = 'interviews_turn'::regclass ORDER BY 1"
        ).fetchall()
    return {"table": table, **dict(indexes)}


def measure(url: str, turns: int, args: argparse.Namespace) -> dict[str, Any]:
    """Build (or reuse bench/perf.py's database at its size) and load one size; a database
    built here is dropped afterwards, whatever happens."""
    saved = OUT / f"import-{turns}.json"
    reuse = url == args.database_url
    try:
        if reuse:
            say(f"{dbname_of(url)}: {turns:,} turns already; the import figures of its build")
            imported = json.loads(saved.read_text(encoding="utf-8"))
            real, synthetic = imported["real"], imported["synthetic"]
        else:
            stats = build(url, turns)
            real, synthetic = stats.real, stats.synthetic
        return {
            "turns": turns,
            "import_seconds": real["seconds"] + synthetic.get("seconds", 0.0),
            "import_peak_rss_mb": max(real["peak_rss_mb"], synthetic.get("peak_rss_mb", 0.0)),
            "sizes": sizes_of(url),
            "requests": load(url, args),
        }
    finally:
        if not reuse:
            drop_database(url)


def load(url: str, args: argparse.Namespace) -> dict[str, Any]:
    """Each of bench/perf.py's requests on the project alone: requests/s and p50."""
    goals, facts = targets(url)
    wrk = find_wrk()
    if not wrk:
        fail("wrk is needed (apt-get install -y wrk)")
    port = free_port()
    server = start_gunicorn(url, port, OUT / "gunicorn-growth.log")
    requests = {}
    try:
        for goal in goals:
            base = f"http://127.0.0.1:{port}{goal.project.path}"
            run_wrk(wrk, base, goal.project, args.connections, args.warmup)
            result = run_wrk(wrk, base, goal.project, args.connections, args.duration)
            requests[goal.key] = {
                "name": goal.name,
                "path": goal.project.shown or goal.project.path,
                "rps": result.rps,
                "p50_ms": result.p50_ms,
                "errors": result.errors,
            }
            say(
                f"  {facts['turns']:,} turns, {goal.key}: {result.rps:,.1f} req/s, "
                f"p50 {result.p50_ms:.1f} ms"
            )
    finally:
        stop(server)
    return requests


def section(runs: list[dict[str, Any]], notes: list[str]) -> str:
    start, end = markers("growth")
    keys = list(runs[0]["requests"])
    head = "| request | " + " | ".join(f"{run['turns']:,}" for run in runs) + " |"
    rows = [head, "|---|" + "---:|" * len(runs)]
    for key in keys:
        cells = " | ".join(f"{run['requests'][key]['p50_ms']:.1f}" for run in runs)
        rows.append(f"| {SHAPES.get(key, key)}, p50 ms | {cells} |")
    rows.append(
        "| import, seconds | " + " | ".join(f"{run['import_seconds']:.0f}" for run in runs) + " |"
    )
    for name in runs[0]["sizes"]:
        cells = " | ".join(f"{run['sizes'][name] / 2**20:,.0f}" for run in runs)
        rows.append(f"| {name}, MB | {cells} |")
    return "\n".join(
        [
            start,
            "## How it grows (issue 18)",
            "",
            *(f"- {note}" for note in notes),
            "",
            *rows,
            "",
            "![p50 of each request, sizes and import time by turns](growth.png)",
            end,
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="turns, comma-separated")
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per request (5)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up (2)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"default {DEFAULT_URL}")
    parser.add_argument(
        "--plot-only", action="store_true", help="redraw from bench/out/growth.json"
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    saved = OUT / "growth.json"
    data = json.loads(saved.read_text(encoding="utf-8")) if saved.exists() else {"runs": []}
    if not args.plot_only:
        for turns in sorted(int(value) for value in args.sizes.split(",")):
            url = args.database_url
            kept = existing_turns(url) == turns and (OUT / f"import-{turns}.json").exists()
            if not kept:
                url = with_dbname(args.database_url, f"interviews_growth_{turns}")
            say(f"\n{turns:,} turns in {dbname_of(url)}")
            found = measure(url, turns, args)
            # Saved size by size: a run cut short keeps what it measured.
            data["runs"] = sorted(
                [run for run in data["runs"] if run["turns"] != turns] + [found],
                key=lambda run: run["turns"],
            )
            data["notes"] = [
                f"machine: {machine()}",
                f"load: wrk, {args.connections} connections, {args.duration} s per request "
                f"after {args.warmup} s of warm-up, one round; the project only (gunicorn, 2 "
                "workers). Each request is picked at each size by its shape, as bench/perf.py "
                "picks it (a speaker with ~200 turns, a phrase in ~300 turns, a word in ~3,000 "
                "and one in ~50,000 or the most frequent), so the words differ by size",
                "sizes: pg_table_size of the turns (TOAST included) and pg_relation_size of "
                "each index; import: end to end, real transcripts and synthetic fixture files",
                f"measured {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
            ]
            saved.write_text(json.dumps(data, indent=1), encoding="utf-8")
    if not data["runs"]:
        fail("nothing measured yet: run without --plot-only")
    python = venv(BENCH / ".venv-plot", BENCH / "requirements-plot.txt") / "python"
    subprocess.run([str(python), str(BENCH / "growth_plot.py"), str(saved), str(PLOT)], check=True)
    say(f"plot: {PLOT.relative_to(ROOT)}")
    write_section("growth", section(data["runs"], data["notes"]))


if __name__ == "__main__":
    sys.exit(main())
