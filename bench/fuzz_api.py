"""Fuzz the API at depth: tests/test_schemathesis.py with 500 examples per operation.

The same test `make test` runs with 25 (every operation of /api/schema/, every schemathesis
check, on the seed transcript); here each operation's fuzzing phase gets --examples, and the
requests each operation answered are tallied by status. Prints a markdown table and writes it
to bench/out/fuzz-api.md; exits with pytest's status (0: no failure).

Run `.venv/bin/python bench/fuzz_api.py --help` for the options; see bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter

from api_bench import OUT, ROOT, machine, say

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/interviews_fuzz"
TEST = "tests/test_schemathesis.py"


def run(examples: int, database_url: str, report_path: str) -> tuple[int, float]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SCHEMATHESIS_MAX_EXAMPLES": str(examples),
        "SCHEMATHESIS_REPORT": report_path,
    }
    command = [sys.executable, "-m", "pytest", TEST, "-p", "no:cacheprovider", "-q"]
    say(f"$ SCHEMATHESIS_MAX_EXAMPLES={examples} {' '.join(command[2:])}")
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, check=False)
    return done.returncode, time.perf_counter() - started


def table(tallies: list[dict], examples: int, status: int, seconds: float) -> str:
    lines = [
        "| operation | requests | 2xx | 3xx | 4xx | 5xx | failed examples | by status |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    total: Counter[str] = Counter()
    failed = 0
    for tally in tallies:
        statuses = Counter({int(code): n for code, n in tally["statuses"].items()})
        classes: Counter[str] = Counter()
        for code, n in statuses.items():
            classes[f"{code // 100}xx"] += n
        total.update(classes)
        failed += tally["failed"]
        by_status = ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
        lines.append(
            f"| `{tally['operation']}` | {statuses.total():,} | {classes['2xx']:,} | "
            f"{classes['3xx']:,} | {classes['4xx']:,} | {classes['5xx']:,} | {tally['failed']} | "
            f"{by_status} |"
        )
    lines.append(
        f"| **{len(tallies)} operations** | **{total.total():,}** | {total['2xx']:,} | "
        f"{total['3xx']:,} | {total['4xx']:,} | {total['5xx']:,} | **{failed}** | |"
    )
    verdict = "no failures" if status == 0 else f"FAILURES (pytest exited with {status})"
    return "\n".join(
        [
            "# API fuzzing (schemathesis)",
            "",
            f"- machine: {machine()}",
            f"- {examples} fuzzing examples per operation (plus the coverage phase), all checks, "
            f"in-process on the seed transcript; {seconds:.0f} s; {verdict}",
            "- requests: every case sent, by the status it got; failed examples: those that "
            "failed a check (a 5xx, an undocumented status or body, a 4xx to valid data, a 2xx "
            "to invalid data...) or raised",
            "",
            *lines,
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--examples", type=int, default=500, help="fuzzing examples per operation (500)"
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_URL,
        help=f"PostgreSQL for pytest-django, which creates test_<name> (default {DEFAULT_URL})",
    )
    args = parser.parse_args()
    if args.examples < 1:
        parser.error("--examples must be positive")
    OUT.mkdir(parents=True, exist_ok=True)
    report_path = OUT / "fuzz-api.jsonl"
    report_path.unlink(missing_ok=True)
    status, seconds = run(args.examples, args.database_url, str(report_path))
    tallies = []
    if report_path.exists():
        tallies = [json.loads(line) for line in report_path.read_text().splitlines() if line]
    markdown = table(tallies, args.examples, status, seconds)
    (OUT / "fuzz-api.md").write_text(markdown, encoding="utf-8")
    say()
    say(markdown)
    say(f"written to {(OUT / 'fuzz-api.md').relative_to(ROOT)}")
    sys.exit(status)


if __name__ == "__main__":
    main()
