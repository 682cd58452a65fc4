"""Load soak: a mix of API endpoints under wrk for a minute, on PostgreSQL. A benchmark, not a test.

1. builds a PostgreSQL database of --turns turns with api_bench.py's corpus builder (the seed
   transcript plus deterministic synthetic data), or reuses it with --keep-db;
2. serves it with gunicorn (2 sync workers, DJANGO_DEBUG=0, no throttle), as api_bench.py does;
3. GETs each URL of the mix once (each must answer 200), then runs wrk for --duration seconds
   with --connections, every connection cycling through the mix (a wrk Lua script);
4. reports requests/s, p50 / p90 / p99 latency, responses by status class, non-2xx/3xx
   responses and socket errors (a timeout is one), and what gunicorn logged; writes it to
   bench/out/soak.md and prints it. Zero errors is the target.

Run `.venv/bin/python bench/soak.py --help` for the options; see bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import time
from collections import Counter
from typing import Any
from urllib.parse import quote, urlsplit

from api_bench import (
    OUT,
    SEED_FIXTURE,
    LoadStats,
    connect,
    create_database,
    dbname_of,
    drop_database,
    endpoints,
    existing_turns,
    fail,
    find_wrk,
    free_port,
    get,
    machine,
    manage,
    say,
    start_gunicorn,
    stop,
    top_up,
    where,
    with_dbname,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/interviews_soak"

# Every connection walks the mix in turn, from a different starting point per thread. wrk
# gives each thread its own Lua state: done() gathers the status counts through setup()'s
# thread handles, and prints exact percentiles (microseconds).
LUA = """
local paths = {%(paths)s}
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  position = id
  statuses = {}
end

function request()
  position = position %% #paths + 1
  return wrk.format("GET", paths[position])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, status .. ":" .. n)
  end
  io.write("STATUSES " .. table.concat(parts, " ") .. "\\n")
  io.write(string.format("PERCENTILES %%d %%d %%d %%d\\n", latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def build_database(url: str, turns: int, keep_db: bool) -> str:
    have = existing_turns(url)
    if keep_db and have is not None and have >= turns:
        say(f"--keep-db: {dbname_of(url)} already has {have:,} turns; not rebuilding it")
        manage(url, "migrate", "--noinput")
        return f"reused database {dbname_of(url)} (--keep-db)"
    started = time.perf_counter()
    say(f"creating database {dbname_of(url)} on {where(url)}; migrate; load the seed")
    create_database(url)
    manage(url, "migrate", "--noinput")
    manage(url, "load_fixtures", str(SEED_FIXTURE))
    stats = LoadStats()
    top_up(url, turns, stats)
    seconds = time.perf_counter() - started
    say(f"database ready in {seconds:.1f} s")
    return f"built database {dbname_of(url)} in {seconds:.0f} s (api_bench.py's corpus builder)"


def mix(url: str) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """(name, path) of each URL of the mix, from the data; and api_bench.py's facts about it."""
    targets, facts = endpoints(url)
    transcript, search, deep = (
        next(target.path for target in targets if marker in target.path)
        for marker in ("/api/events/", "q=", "cursor=")
    )
    with connect(url) as conn:
        name = conn.execute(
            "SELECT name FROM interviews_participant WHERE slug = %s", (facts["mid"],)
        ).fetchone()
        turn = conn.execute(
            "SELECT id FROM interviews_turn ORDER BY id OFFSET "
            "(SELECT count(*) / 2 FROM interviews_turn) LIMIT 1"
        ).fetchone()
    if name is None or turn is None:
        fail("the database has no participant or no turn to ask for")
    name_part = name[0].split()[-1]
    return [
        (f"turns by speaker ({facts['mid_turns']:,} turns)", f"/api/turns?speaker={facts['mid']}"),
        (f"event transcript ({facts['event_turns']} turns)", transcript),
        (f"search ({facts['phrase_turns']:,} hits)", search),
        ("participants by name", f"/api/participants?name={quote(name_part)}"),
        ("outlets", "/api/outlets"),
        ("events", "/api/events"),
        (f"deep cursor page ({facts['page']:,}th of the busiest speaker)", deep),
        ("turn detail", f"/api/turns/{turn[0]}"),
        ("OpenAPI schema", "/api/schema/"),
    ], facts


def run_wrk(wrk: str, base: str, paths: list[str], args: argparse.Namespace) -> dict[str, Any]:
    script = OUT / "soak.lua"
    lua_paths = ", ".join(
        '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"' for path in paths
    )
    script.write_text(LUA % {"paths": lua_paths})
    command = [
        wrk,
        "-t2",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        f"{args.timeout}s",
        "-s",
        str(script),
        base,
    ]
    say(f"$ {' '.join(command)}")
    output = subprocess.run(command, capture_output=True, text=True, check=False).stdout
    (OUT / "soak-wrk.txt").write_text(output)

    def number(pattern: str) -> re.Match[str] | None:
        return re.search(pattern, output, re.MULTILINE)

    rps, total = number(r"^Requests/sec:\s+([\d.]+)"), number(r"(\d+) requests in ([\d.]+\w+)")
    exact = number(r"^PERCENTILES (\d+) (\d+) (\d+) (\d+)$")
    statuses = number(r"^STATUSES(.*)$")
    if not (rps and total and exact and statuses):
        fail(f"could not read wrk's output:\n{output}")
    sockets = number(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
    non_2xx = number(r"Non-2xx or 3xx responses:\s+(\d+)")
    by_status = Counter(
        {int(code): int(n) for code, n in (part.split(":") for part in statuses.group(1).split())}
    )
    return {
        "requests": int(total.group(1)),
        "elapsed": total.group(2),
        "rps": float(rps.group(1)),
        "p50": int(exact.group(1)) / 1000,
        "p90": int(exact.group(2)) / 1000,
        "p99": int(exact.group(3)) / 1000,
        "max": int(exact.group(4)) / 1000,
        "statuses": by_status,
        "non_2xx_3xx": int(non_2xx.group(1)) if non_2xx else 0,
        "sockets": dict(
            zip(
                ("connect", "read", "write", "timeout"),
                (int(n) for n in sockets.groups()) if sockets else (0, 0, 0, 0),
                strict=True,
            )
        ),
    }


def server_log_counts(text: str) -> dict[str, int]:
    return {
        "worker timeouts": text.count("WORKER TIMEOUT"),
        "server errors logged": text.count("Internal Server Error"),
        "tracebacks": text.count("Traceback (most recent call last)"),
    }


def report(
    result: dict[str, Any],
    urls: list[tuple[str, str, float]],
    facts: dict[str, Any],
    notes: list[str],
    logged: dict[str, int],
) -> str:
    classes: Counter[str] = Counter()
    for status, n in result["statuses"].items():
        classes[f"{status // 100}xx"] += n
    sockets = result["sockets"]
    socket_errors = sum(sockets.values())
    errors = result["non_2xx_3xx"] + socket_errors
    by_status = ", ".join(f"{status}: {n:,}" for status, n in sorted(result["statuses"].items()))
    rows = [
        ("requests", f"{result['requests']:,} in {result['elapsed']}"),
        ("requests/s", f"{result['rps']:,.1f}"),
        ("latency p50", f"{result['p50']:.1f} ms"),
        ("latency p90", f"{result['p90']:.1f} ms"),
        ("latency p99", f"{result['p99']:.1f} ms"),
        ("latency max", f"{result['max']:.1f} ms"),
        ("responses by status", by_status or "none"),
        (
            "2xx / 3xx / 4xx / 5xx",
            " / ".join(f"{classes[c]:,}" for c in ("2xx", "3xx", "4xx", "5xx")),
        ),
        ("non-2xx/3xx responses", f"{result['non_2xx_3xx']:,}"),
        (
            "socket errors (connect / read / write / timeout)",
            " / ".join(f"{sockets[k]:,}" for k in ("connect", "read", "write", "timeout")),
        ),
        ("**errors** (non-2xx/3xx + socket errors)", f"**{errors:,}**"),
        *((f"gunicorn log: {name}", f"{n:,}") for name, n in logged.items()),
    ]
    verdict = "zero errors" if errors == 0 and not any(logged.values()) else "ERRORS: see above"
    return "\n".join(
        [
            "# Load soak",
            "",
            *(f"- {note}" for note in notes),
            f"- data: {facts['turns']:,} turns, {facts['events']:,} events, "
            f"{facts['participants']:,} participants; PostgreSQL {facts['postgres']}",
            "",
            "| | |",
            "|---|---:|",
            *(f"| {name} | {value} |" for name, value in rows),
            "",
            f"Verdict: {verdict}.",
            "",
            "The mix (each connection requests them in turn; the time is one GET before the load):",
            "",
            *(f"1. {name}: `{path}` ({ms:.0f} ms)" for name, path, ms in urls),
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=100_000, help="turns to have (100000)")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (60)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections (32)")
    parser.add_argument(
        "--timeout",
        type=int,
        default=5,
        help="seconds before wrk counts a request as timed out (5)",
    )
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"default {DEFAULT_URL}")
    parser.add_argument(
        "--keep-db",
        action="store_true",
        help="reuse the database if it already has --turns turns, and do not drop it at the end",
    )
    args = parser.parse_args()
    if min(args.turns, args.duration, args.connections, args.timeout) < 1:
        fail("--turns, --duration, --connections and --timeout must be positive")
    url: str = args.database_url
    if urlsplit(url).scheme not in ("postgres", "postgresql"):
        fail("--database-url must be a postgres:// URL")
    wrk = find_wrk()
    if wrk is None:
        fail("wrk is needed (apt-get install -y wrk)")
    OUT.mkdir(parents=True, exist_ok=True)
    connect(with_dbname(url, "postgres")).close()  # a clear error if PostgreSQL is not there

    # Other work on the machine (2 cores here) skews the numbers: say how busy it was.
    busy = f"load average {os.getloadavg()[0]:.2f} when soak.py started"
    server = None
    try:
        notes = [f"machine: {machine()}; {busy}", build_database(url, args.turns, args.keep_db)]
        paths, facts = mix(url)
        port, log = free_port(), OUT / "soak-gunicorn.log"
        server = start_gunicorn(url, port, log)
        base = f"http://127.0.0.1:{port}"
        urls = []
        for name, path in paths:
            status, body, seconds = get(base + path)
            if status != 200:
                say(body[:800].decode("utf-8", "replace"))
                fail(f"GET {path} answered {status}, not 200")
            say(f"200 in {seconds * 1000:.0f} ms: {name}: {path}")
            urls.append((name, path, seconds * 1000))
        notes.append(
            f"load: wrk, 2 threads, {args.connections} connections, {args.duration} s, timeout "
            f"{args.timeout} s, cycling through {len(paths)} URLs; gunicorn config.wsgi, 2 sync "
            "workers, DJANGO_DEBUG=0, no throttle; client, server and PostgreSQL on one machine"
        )
        result = run_wrk(wrk, base, [path for _, path in paths], args)
        stop(server)
        server = None
        logged = server_log_counts(log.read_text(errors="replace"))
    finally:
        if server is not None:
            stop(server)
        if not args.keep_db:
            drop_database(url)
            say(f"dropped database {dbname_of(url)} (pass --keep-db to keep it)")
    text = report(result, urls, facts, notes, logged)
    (OUT / "soak.md").write_text(text, encoding="utf-8")
    say("")
    say(text)
    say(f"written to {OUT / 'soak.md'}")


if __name__ == "__main__":
    main()
