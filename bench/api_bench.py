"""API load benchmark on PostgreSQL with >= 100,000 turns. A benchmark, not a test.

1. (Re)creates a PostgreSQL database, migrates it and loads the seed fixture;
2. tops it up with bench/synthetic.py's deterministic events, participants and turns
   (real paragraphs from ../shared/corpus), loaded by `manage.py load_fixtures`, then
   VACUUM ANALYZE;
3. serves it with gunicorn (2 workers, DEBUG off) and load-tests five turn
   endpoints with wrk (or a threaded Python client when wrk is missing);
4. prints a markdown table and writes it to bench/out/api-bench.md.

Run `.venv/bin/python bench/api_bench.py --help` for the options; see bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import itertools
import json
import os
import re
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import psycopg
from harness import (
    OUT,
    ROOT,
    Endpoint,
    Result,
    connect,
    create_database,
    dbname_of,
    django_env,
    drop_database,
    existing_turns,
    fail,
    find_wrk,
    free_port,
    get,
    machine,
    manage,
    run_wrk,
    say,
    start_gunicorn,
    stop,
    where,
    with_dbname,
    wrk_version,
)
from synthetic import synthetic_fixtures

CORPUS = ROOT.parent / "shared" / "corpus"
SEED_FIXTURE = ROOT / "fixtures" / "2022-02-23-tass-russian-media-heads.json"
SEED_EVENT = "2022-02-23-ilham-aliyev-met-with-the-heads-of-russias-top-mass-media"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/interviews_bench"

PAGE_SIZE = 25
DEEP_PAGE = 2000
BUSIEST_MIN = DEEP_PAGE * PAGE_SIZE  # turns the busiest speaker needs for a full 2,000th page
MID_TURNS = 200  # the "ordinary" speaker
EVENT_TURNS = 87  # the per-event transcript endpoint
PHRASE_MATCHES = 300  # the search phrase should match about this many turns

# Words PostgreSQL's english configuration drops (or too common to make a telling phrase).
STOPWORDS = frozenset(
    "about above after again against because been before being below between both down during "
    "each from further have having here hers herself himself into itself more most myself once "
    "only other ours ourselves over same should some such than that their theirs them "
    "themselves then there these they this those through under until very were what when where "
    "which while whom with would your yours yourself yourselves will just also does doing said "
    "like know think want going well much many even make made could must said first people".split()
)


@dataclass
class LoadStats:
    synthetic_turns: int = 0
    events: int = 0
    participants: int = 0
    paragraphs: int = 0
    corpus: str = ""
    generate_seconds: float = 0.0
    load_seconds: float = 0.0
    vacuum_seconds: float = 0.0


def top_up(url: str, target: int, stats: LoadStats) -> None:
    """Add synthetic events until the database holds `target` turns: bench/synthetic.py's
    fixture files, loaded by the project's loader (`manage.py load_fixtures`)."""
    with connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM interviews_turn").fetchone()
        taken = {slug for (slug,) in conn.execute("SELECT slug FROM interviews_participant")}
    wanted = target - (int(row[0]) if row else 0)
    if wanted > 0:
        made = synthetic_fixtures(wanted, taken, OUT / "synthetic-api")
        stats.synthetic_turns, stats.events = made.turns, made.events
        stats.participants, stats.generate_seconds = made.participants, made.seconds
        stats.paragraphs, stats.corpus = made.paragraphs, made.corpus
        say(
            f"generated {made.turns:,} turns, {made.events:,} events, {made.participants:,} "
            f"participants in {made.seconds:.1f} s ({made.paragraphs:,} paragraphs: {made.corpus})"
        )
        started = time.perf_counter()
        manage(url, "load_fixtures", *map(str, made.files))
        stats.load_seconds = time.perf_counter() - started
        say(f"loaded them with load_fixtures in {stats.load_seconds:.1f} s")
    with connect(url, autocommit=True) as conn:
        started = time.perf_counter()
        conn.execute("VACUUM ANALYZE")
        stats.vacuum_seconds = time.perf_counter() - started
        say(f"VACUUM ANALYZE in {stats.vacuum_seconds:.1f} s")


# --- what to request ----------------------------------------------------------------------


def cursor_for(key: tuple[dt.date, int, int]) -> str:
    """A TurnCursorPagination cursor pointing after the turn of `key` (date, event id,
    sequence; see interviews/api/pagination.py)."""
    return f"a{key[1]}.{key[2]}"


def search_phrase(conn: psycopg.Connection[Any]) -> tuple[str, int]:
    """A two-word phrase from the texts that matches about PHRASE_MATCHES turns."""
    total = conn.execute("SELECT count(*) FROM interviews_turn").fetchone()
    sample_every = max(1, (int(total[0]) if total else 0) // 20_000)
    frequency: Counter[str] = Counter()
    rows = conn.execute(
        "SELECT text FROM interviews_turn WHERE id %% %s = 0 ORDER BY id", (sample_every,)
    )
    for (text,) in rows:
        words = re.findall(r"[A-Za-z]+", text)
        frequency.update(
            {
                f"{a} {b}"
                for a, b in itertools.pairwise(words)
                if a.islower()
                and b.islower()
                and len(a) >= 5
                and len(b) >= 5
                and a not in STOPWORDS
                and b not in STOPWORDS
            }
        )
    wanted = PHRASE_MATCHES / sample_every
    candidates = sorted(frequency, key=lambda p: (abs(frequency[p] - wanted), p))[:12]
    if not candidates:
        fail("found no two-word phrase in the turn texts")
    best: tuple[int, str, int] | None = None
    for phrase in candidates:
        row = conn.execute(
            "SELECT count(*) FROM interviews_turn "
            "WHERE search_vector @@ websearch_to_tsquery('english'::regconfig, %s)",
            (f'"{phrase}"',),
        ).fetchone()
        matches = int(row[0]) if row else 0
        if best is None or (abs(matches - PHRASE_MATCHES), phrase) < (best[0], best[1]):
            best = (abs(matches - PHRASE_MATCHES), phrase, matches)
    assert best is not None
    return best[1], best[2]


def _matches(conn: psycopg.Connection[Any], q: str) -> int:
    row = conn.execute(
        "SELECT count(*) FROM interviews_turn "
        "WHERE search_vector @@ websearch_to_tsquery('english'::regconfig, %s)",
        (q,),
    ).fetchone()
    return int(row[0]) if row else 0


def search_words(conn: psycopg.Connection[Any], word_matches: int, common_matches: int):
    """Queries of single words from the texts: a word matching about word_matches turns,
    that word without the word seen most often beside it (`word -other`), and a word
    matching about common_matches; each with its number of matching turns."""
    total = conn.execute("SELECT count(*) FROM interviews_turn").fetchone()
    sample_every = max(1, (int(total[0]) if total else 0) // 20_000)
    frequency: Counter[str] = Counter()
    texts = []
    rows = conn.execute(
        "SELECT text FROM interviews_turn WHERE id %% %s = 0 ORDER BY id", (sample_every,)
    )
    for (text,) in rows:
        found = re.findall(r"[a-z]+", text.lower())
        words = {w for w in found if len(w) >= 5 and w not in STOPWORDS}
        frequency.update(words)
        texts.append(words)

    def nearest(wanted: int) -> tuple[str, int]:
        ranked = sorted(frequency, key=lambda w: (abs(frequency[w] * sample_every - wanted), w))
        counted = [(abs(_matches(conn, w) - wanted), w) for w in ranked[:8]]
        if not counted:
            fail("found no words in the turn texts")
        _, best = min(counted)
        return best, _matches(conn, best)

    word, word_n = nearest(word_matches)
    beside: Counter[str] = Counter()
    for words in texts:
        if word in words:
            beside.update(w for w in words if w[:4] != word[:4])
    if not beside:
        fail(f"no word appears beside {word!r} in the sample")
    other = beside.most_common(1)[0][0]
    common, common_n = nearest(common_matches)
    return (word, word_n), (other, _matches(conn, f"{word} -{other}")), (common, common_n)


def endpoints(url: str) -> tuple[list[Endpoint], dict[str, Any]]:
    facts: dict[str, Any] = {}
    with connect(url) as conn:
        counts = conn.execute(
            "SELECT p.id, p.slug, count(*) AS n FROM interviews_turn t "
            "JOIN interviews_participant p ON p.id = t.speaker_id GROUP BY p.id, p.slug"
        ).fetchall()
        if not counts:
            fail("the database has no turns with a speaker")
        busiest_id, busiest, busiest_n = max(counts, key=lambda r: (r[2], r[1]))
        _, mid, mid_n = min(counts, key=lambda r: (abs(r[2] - MID_TURNS), r[1]))
        page = DEEP_PAGE if busiest_n >= BUSIEST_MIN else max(2, busiest_n // PAGE_SIZE)
        key = conn.execute(
            "SELECT event_date, event_id, sequence FROM interviews_turn WHERE speaker_id = %s "
            "ORDER BY event_date, event_id, sequence OFFSET %s LIMIT 1",
            (busiest_id, (page - 1) * PAGE_SIZE - 1),
        ).fetchone()
        if key is None:
            fail(f"{busiest} has too few turns for a page {page}")
        events = conn.execute(
            "SELECT e.slug, count(*) FROM interviews_turn t JOIN interviews_event e "
            "ON e.id = t.event_id GROUP BY e.slug"
        ).fetchall()
        seed = [row for row in events if row[0] == SEED_EVENT]
        event, event_n = (
            seed[0] if seed else min(events, key=lambda r: (abs(r[1] - EVENT_TURNS), r[0]))
        )
        phrase, phrase_n = search_phrase(conn)
        row = conn.execute(
            "SELECT (SELECT count(*) FROM interviews_turn), "
            "(SELECT count(*) FROM interviews_event), "
            "(SELECT count(*) FROM interviews_participant), "
            "(SELECT count(*) FROM interviews_appearance), current_setting('server_version')"
        ).fetchone()
        assert row is not None
    facts.update(
        turns=row[0],
        events=row[1],
        participants=row[2],
        appearances=row[3],
        postgres=row[4],
        busiest=busiest,
        busiest_turns=busiest_n,
        mid=mid,
        mid_turns=mid_n,
        page=page,
        event=event,
        event_turns=event_n,
        phrase=phrase,
        phrase_turns=phrase_n,
    )
    cursor = cursor_for(key)
    deep = f"/api/turns?speaker={busiest}&page_size={PAGE_SIZE}&cursor="
    q = quote(f'"{phrase}"')
    return [
        Endpoint(f"speaker, {mid_n:,} turns", f"/api/turns?speaker={mid}", "", None),
        Endpoint(f"speaker, {busiest_n:,} turns", f"/api/turns?speaker={busiest}", "", None),
        Endpoint(
            f"speaker, page {page:,} ({PAGE_SIZE} a page)", deep + cursor, deep + "…", PAGE_SIZE
        ),
        Endpoint(f'search "{phrase}", {phrase_n:,} turns', f"/api/turns?q={q}", "", None),
        Endpoint(
            f"event transcript, {event_n} turns",
            f"/api/events/{event}/turns?page_size=100",
            "",
            min(event_n, 100),
        ),
    ], facts


# --- the server and the load --------------------------------------------------------------


def run_python_client(port: int, endpoint: Endpoint, connections: int, seconds: int) -> Result:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        failed = 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", endpoint.path)
                response = conn.getresponse()
                response.read()
                failed += not 200 <= response.status < 300
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def percentile(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return Result(
        endpoint,
        len(latencies),
        len(latencies) / elapsed,
        percentile(0.5),
        percentile(0.99),
        errors[0],
    )


# --- EXPLAIN ANALYZE (--explain) ----------------------------------------------------------


def explain(url: str, targets: list[Endpoint]) -> str:
    """Each endpoint's SQL through Django's test client, and the plan of its slowest query."""
    os.environ.update(django_env(url))
    os.environ["DJANGO_ALLOWED_HOSTS"] += ",testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, lines = Client(), []
    for endpoint in targets:
        client.get(endpoint.path)  # warm
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            client.get(endpoint.path)
            request_ms = (time.perf_counter() - started) * 1000
        queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
        sql_ms = sum(float(q["time"]) for q in queries) * 1000
        lines.append(
            f"## {endpoint.name}: request {request_ms:.0f} ms in-process, "
            f"{len(queries)} queries, {sql_ms:.0f} ms of SQL (as Django times them)"
        )
        slowest = queries[0]["sql"]
        lines.append(f"slowest ({float(queries[0]['time']) * 1000:.1f} ms): {slowest}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest)
            lines += [row[0] for row in cursor.fetchall()]
        lines.append("")
    connections.close_all()
    return "\n".join(lines)


# --- the report ---------------------------------------------------------------------------


def report(results: list[Result], facts: dict[str, Any], notes: list[str]) -> str:
    lines = [
        "| endpoint | req/s | p50 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in results:
        path = r.endpoint.shown or r.endpoint.path
        lines.append(
            f"| {r.endpoint.name}: `{path}` | {r.rps:,.1f} | {r.p50_ms:.1f} | "
            f"{r.p99_ms:.1f} | {r.errors} |"
        )
    return "\n".join(
        [
            "# API benchmark",
            "",
            *(f"- {note}" for note in notes),
            "",
            *lines,
            "",
            f"Total turns: {facts['turns']:,}; busiest speaker `{facts['busiest']}`: "
            f"{facts['busiest_turns']:,} turns.",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=120_000, help="turns to have (default 120000)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint (10)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (8)")
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"default {DEFAULT_URL}")
    parser.add_argument(
        "--keep-db",
        action="store_true",
        help="reuse the database if it already has --turns turns, and do not drop it at the end",
    )
    parser.add_argument(
        "--explain", action="store_true", help="also EXPLAIN ANALYZE each endpoint's slowest query"
    )
    args = parser.parse_args()
    if args.turns < 1 or args.duration < 1 or args.connections < 1:
        fail("--turns, --duration and --connections must be positive")
    url: str = args.database_url
    if urlsplit(url).scheme not in ("postgres", "postgresql"):
        fail("--database-url must be a postgres:// URL")
    OUT.mkdir(parents=True, exist_ok=True)
    connect(with_dbname(url, "postgres")).close()  # a clear error if PostgreSQL is not there

    notes: list[str] = []
    try:
        have = existing_turns(url)
        if args.keep_db and have is not None and have >= args.turns:
            say(f"--keep-db: {dbname_of(url)} already has {have:,} turns; not rebuilding it")
            manage(url, "migrate", "--noinput")
            notes.append(f"data: reused database {dbname_of(url)} (--keep-db)")
        else:
            started = time.perf_counter()
            say(f"creating database {dbname_of(url)} on {where(url)}; migrate; load the seed")
            create_database(url)
            manage(url, "migrate", "--noinput")
            manage(url, "load_fixtures", str(SEED_FIXTURE))
            setup = time.perf_counter() - started
            say(f"database ready in {setup:.1f} s")
            stats = LoadStats()
            started = time.perf_counter()
            top_up(url, args.turns, stats)
            load = time.perf_counter() - started
            rate = stats.synthetic_turns / load if load else 0.0
            say(f"data load: {stats.synthetic_turns:,} turns in {load:.1f} s ({rate:,.0f} turns/s)")
            notes.append(
                f"data load: {stats.synthetic_turns:,} synthetic turns in {load:.1f} s "
                f"({rate:,.0f} turns/s): generate {stats.generate_seconds:.1f} s (corpus read "
                f"included), load_fixtures {stats.load_seconds:.1f} s, VACUUM ANALYZE "
                f"{stats.vacuum_seconds:.1f} s; create + migrate + seed {setup:.1f} s"
            )
            notes.append(
                f"text: {stats.paragraphs:,} real paragraphs from {stats.corpus}; "
                f"{stats.events:,} synthetic events, {stats.participants:,} participants "
                "(bench/synthetic.py, random.Random(42))"
            )
        targets, facts = endpoints(url)
        notes[:0] = [
            f"machine: {machine()}",
            f"data: {facts['turns']:,} turns, {facts['events']:,} events, "
            f"{facts['participants']:,} participants, {facts['appearances']:,} appearances; "
            f"PostgreSQL {facts['postgres']}",
        ]
        run_load(url, targets, facts, notes, args)
    finally:
        if not args.keep_db:
            drop_database(url)
            say(f"dropped database {dbname_of(url)} (pass --keep-db to keep it)")


def run_load(
    url: str,
    targets: list[Endpoint],
    facts: dict[str, Any],
    notes: list[str],
    args: argparse.Namespace,
) -> None:
    port = free_port()
    server = start_gunicorn(url, port, OUT / "gunicorn.log")
    try:
        base = f"http://127.0.0.1:{port}"
        for endpoint in targets:
            status, body, seconds = get(base + endpoint.path)
            if status != 200:
                say(body[:800].decode("utf-8", "replace"))
                fail(f"GET {endpoint.path} answered {status}, not 200")
            results = json.loads(body).get("results", [])
            if endpoint.expect_results is not None and len(results) != endpoint.expect_results:
                wanted = endpoint.expect_results
                fail(f"GET {endpoint.path} gave {len(results)} results, not {wanted}")
            say(f"200 in {seconds * 1000:.0f} ms, {len(results)} results: {endpoint.name}")
        wrk = find_wrk()
        if wrk:
            client = wrk_version(wrk)
        else:
            say("using the Python client (threads + http.client) instead of wrk")
            client = "Python threads + http.client"
        notes.append(
            f"load: gunicorn config.wsgi, 2 sync workers, DJANGO_DEBUG=0, on the same machine as "
            f"PostgreSQL and the client; client {client}, {args.connections} connections, "
            f"{args.duration} s per endpoint, latency percentiles as the client measures them"
        )
        results = []
        for endpoint in targets:
            say(f"load: {endpoint.name} ({args.duration} s)")
            if wrk:
                result = run_wrk(
                    wrk, base + endpoint.path, endpoint, args.connections, args.duration
                )
            else:
                result = run_python_client(port, endpoint, args.connections, args.duration)
            results.append(result)
    finally:
        stop(server)
    text = report(results, facts, notes)
    if args.explain:
        plans = explain(url, targets)
        (OUT / "api-explain.txt").write_text(plans)
        text += f"\nEXPLAIN ANALYZE of each endpoint's slowest query: {OUT / 'api-explain.txt'}\n"
        say(plans)
    (OUT / "api-bench.md").write_text(text)
    say("")
    say(text)
    say(f"written to {OUT / 'api-bench.md'}")


if __name__ == "__main__":
    main()
