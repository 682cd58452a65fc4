"""Performance at a million turns, side by side with the floor and with Datasette.

One command (`make bench`) that:

1. builds a PostgreSQL database of --turns turns (default 1,000,000): the real bulk
   transcripts of ../shared/corpus/bulk (and the seed transcript) through
   `manage.py import_transcripts`, topped up with deterministic synthetic events
   (real paragraphs recombined, Zipf-like speakers) written as fixture files and
   loaded by the project's set-based import (interviews.ingest.loading);
2. measures that import (turns/s, peak memory) and, on a subset of --subset turns
   in a fresh database, `loaddata` of the same records against the import;
3. serves the API with gunicorn (2 workers), the floor (bench/floor.py: one SQL query
   each, orjson) and Datasette serving the same rows exported to SQLite, and loads
   six requests with wrk (--connections, --duration each) on one server at a time,
   request by request in rotation, --rounds times (each server's median round;
   ratios taken round by round, their median);
4. prints one table with the ratios and writes it to bench/RESULTS.md (a run with
   fewer turns writes bench/out/RESULTS-<turns>.md instead).

Every server it starts is stopped; the databases are dropped unless --keep-db.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from api_bench import SEED_EVENT, cursor_for, search_phrase, search_words
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
    gunicorn_command,
    machine,
    manage,
    run_wrk,
    say,
    start_gunicorn,
    start_server,
    stop,
    where,
    with_dbname,
    wrk_version,
)
from synthetic import SEED_TRANSCRIPT, Synthetic, synthetic_fixtures

sys.path.insert(0, str(ROOT))  # interviews.parsing: pure Python, no Django
BENCH = ROOT / "bench"
CORPUS = ROOT.parent / "shared" / "corpus" / "bulk"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/interviews_perf_bench"
DATASETTE_VENV = BENCH / ".venv-datasette"
FLOOR_VENV = BENCH / ".venv-floor"
PAGE_SIZE = 50  # the API's default
DEEP_PAGE = 2000
MID_TURNS = 200
REAL_TURNS_ABOUT = 150_000  # in the bulk corpus: a smaller database takes some of it
WORD_MATCHES = 3_000  # `q=word` and `q=word -other`
COMMON_MATCHES = 50_000  # a word most turns do not have, but many do
SEARCHES = {"search": "phrase", "word": "word", "without": "word -other", "common": "common word"}


# --- the corpus ---------------------------------------------------------------------------


def transcripts_dir() -> Path:
    """The bulk archives unpacked (once) under bench/out/corpus, with the seed transcript."""
    target = OUT / "corpus" / "transcripts"
    archives = sorted(CORPUS.glob("*.tar.gz"))
    if not archives:
        fail(f"no bulk transcripts at {CORPUS}: the benchmark needs ../shared/corpus/bulk")
    marker = target / ".unpacked"
    if not marker.exists():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for archive in archives:
            with tarfile.open(archive) as tar:
                members = [m for m in tar if m.isfile() and m.name.endswith(".txt")]
                tar.extractall(target, members=members, filter="data")
        shutil.copy(SEED_TRANSCRIPT, target / SEED_TRANSCRIPT.name)
        marker.write_text("\n".join(a.name for a in archives) + "\n")
    return target


# --- the import ---------------------------------------------------------------------------


def django_step(url: str, *args: str) -> dict[str, Any]:
    """Run a bench/perf_django.py subcommand; its JSON line."""
    command = [sys.executable, str(BENCH / "perf_django.py"), *args]
    done = subprocess.run(
        command, cwd=ROOT, env=django_env(url), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        print((done.stdout + done.stderr)[-4000:], file=sys.stderr)
        fail(f"perf_django.py {args[0]} exited with {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@dataclass
class ImportStats:
    real: dict[str, Any]
    synthetic: dict[str, Any]
    generated: Synthetic
    vacuum_seconds: float

    @property
    def turns(self) -> int:
        return self.real["turns"] + self.synthetic.get("turns", 0)

    @property
    def seconds(self) -> float:
        return self.real["seconds"] + self.synthetic.get("seconds", 0.0)

    @property
    def peak_rss_mb(self) -> float:
        return max(self.real["peak_rss_mb"], self.synthetic.get("peak_rss_mb", 0.0))


def build(url: str, turns: int) -> ImportStats:
    """A database of `turns` turns: the real transcripts (fewer of them when they alone hold
    more turns than asked), then synthetic ones; each import timed."""
    create_database(url)
    manage(url, "migrate", "--noinput")
    corpus = transcripts_dir()
    paths, files = [str(corpus)], sum(1 for _ in corpus.rglob("*.txt"))
    if turns < REAL_TURNS_ABOUT:
        chosen = OUT / "corpus" / f"first-{turns}.json"
        listed = Path(str(chosen) + ".files")
        django_step(url, "subset", str(chosen), str(turns), str(corpus))
        paths = _lines(listed)
        files = len(paths)
        chosen.unlink()
        listed.unlink()
    say(f"import: {files:,} transcripts with manage.py import_transcripts …")
    real = django_step(url, "import-transcripts", *paths)
    say(
        f"  {real['turns']:,} turns in {real['seconds']:.1f} s "
        f"({real['turns'] / real['seconds']:,.0f} turns/s), peak RSS {real['peak_rss_mb']:.0f} MB"
    )
    with connect(url) as conn:
        taken = {slug for (slug,) in conn.execute("SELECT slug FROM interviews_participant")}
    say(f"synthetic fixtures for {max(0, turns - real['turns']):,} more turns …")
    generated = synthetic_fixtures(turns - real["turns"], taken, OUT / "corpus" / "synthetic")
    say(
        f"  {generated.turns:,} turns, {generated.events:,} events, {generated.participants:,} "
        f"people in {len(generated.files)} files ({generated.seconds:.1f} s, not timed as import)"
    )
    synthetic: dict[str, Any] = {}
    if generated.files:
        say("import: the synthetic fixture files with the project's set-based import …")
        synthetic = django_step(url, "import-fixtures", *map(str, generated.files))
        say(
            f"  {synthetic['turns']:,} turns in {synthetic['seconds']:.1f} s "
            f"({synthetic['turns'] / synthetic['seconds']:,.0f} turns/s), "
            f"peak RSS {synthetic['peak_rss_mb']:.0f} MB"
        )
    started = time.perf_counter()
    with connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return ImportStats(real, synthetic, generated, time.perf_counter() - started)


def compare_loaddata(url: str, wanted: int) -> dict[str, Any]:
    """loaddata and the import of the same records (and files), each in a fresh database."""
    scratch = with_dbname(url, dbname_of(url) + "_subset")
    subset = OUT / "corpus" / "subset.json"
    try:
        create_database(scratch)
        manage(scratch, "migrate", "--noinput")
        made = django_step(scratch, "subset", str(subset), str(wanted), str(transcripts_dir()))
        say(f"subset: {made['turns']:,} turns of {made['transcripts']} transcripts")
        results = {"subset": made}
        steps = [
            ("loaddata", ["loaddata", str(subset)]),
            ("import", ["import-fixtures", str(subset)]),
            ("import_transcripts", ["import-transcripts", *_lines(Path(str(subset) + ".files"))]),
        ]
        for name, args in steps:
            create_database(scratch)
            manage(scratch, "migrate", "--noinput")
            results[name] = step = django_step(scratch, *args)
            say(
                f"  {name}: {step['turns']:,} turns in {step['seconds']:.1f} s "
                f"({step['turns'] / step['seconds']:,.0f} turns/s), "
                f"peak RSS {step['peak_rss_mb']:.0f} MB"
            )
        return results
    finally:
        drop_database(scratch)


def bare_copy(url: str) -> dict[str, Any]:
    """What the import is measured against: every row it wrote, COPY'd in PostgreSQL's
    binary format into a fresh database of the same schema (same tables, indexes,
    constraints, generated search vector), in one transaction. The rows are read out
    first, into files; only the COPY into the database is timed."""
    scratch = with_dbname(url, dbname_of(url) + "_copy")
    folder = OUT / "copy"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        create_database(scratch)
        manage(scratch, "migrate", "--noinput")
        with connect(url) as source:
            tables = [
                table
                for (table,) in source.execute(
                    "SELECT relname FROM pg_stat_user_tables WHERE relname LIKE 'interviews%%'"
                    " ORDER BY relname"
                )
            ]
            columns, rows = {}, {}
            for table in tables:
                names = [
                    name
                    for (name,) in source.execute(
                        "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
                        " AND is_generated = 'NEVER' ORDER BY ordinal_position",
                        (table,),
                    )
                ]
                listed = ", ".join(f'"{name}"' for name in names)
                with (
                    (folder / f"{table}.bin").open("wb") as out,
                    source.cursor().copy(
                        f"COPY (SELECT {listed} FROM {table}) TO STDOUT (FORMAT binary)"
                    ) as copy,
                ):
                    for block in copy:
                        out.write(block)
                columns[table] = listed
                rows[table] = source.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        started = time.perf_counter()
        with connect(scratch) as target, target.transaction(), target.cursor() as cursor:
            for table in tables:
                with (
                    (folder / f"{table}.bin").open("rb") as data,
                    cursor.copy(
                        f"COPY {table} ({columns[table]}) FROM STDIN (FORMAT binary)"
                    ) as copy,
                ):
                    while block := data.read(1 << 20):
                        copy.write(block)
        seconds = time.perf_counter() - started
        return {
            "turns": rows.get("interviews_turn", 0),
            "rows": sum(rows.values()),
            "seconds": seconds,
        }
    finally:
        drop_database(scratch)
        shutil.rmtree(folder, ignore_errors=True)


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line]


# --- what to request ----------------------------------------------------------------------


@dataclass
class Target:
    """One request, as the project, the floor and Datasette each spell it."""

    name: str
    project: Endpoint
    floor: Endpoint
    datasette: Endpoint
    key: str


def targets(url: str) -> tuple[list[Target], dict[str, Any]]:
    from interviews.parsing import name_key

    with connect(url) as conn:
        counts = conn.execute(
            "SELECT p.id, p.slug, p.name, count(*) FROM interviews_turn t "
            "JOIN interviews_participant p ON p.id = t.speaker_id GROUP BY p.id"
        ).fetchall()
        if not counts:
            fail("the database has no turns with a speaker")
        busiest_id, busiest, _, busiest_n = max(counts, key=lambda r: (r[3], r[1]))
        mid_id, mid, mid_name, mid_n = min(counts, key=lambda r: (abs(r[3] - MID_TURNS), r[1]))
        page = min(DEEP_PAGE, max(2, busiest_n // PAGE_SIZE))
        key = conn.execute(
            "SELECT event_date, event_id, sequence FROM interviews_turn WHERE speaker_id = %s "
            "ORDER BY event_date, event_id, sequence OFFSET %s LIMIT 1",
            (busiest_id, (page - 1) * PAGE_SIZE - 1),
        ).fetchone()
        # Datasette pages by rowid: its 2,000th page starts after the 99,950th id.
        after_id = conn.execute(
            "SELECT id FROM interviews_turn WHERE speaker_id = %s ORDER BY id OFFSET %s LIMIT 1",
            (busiest_id, (page - 1) * PAGE_SIZE - 1),
        ).fetchone()
        event = conn.execute(
            "SELECT e.id, e.slug, count(*) FROM interviews_event e JOIN interviews_turn t "
            "ON t.event_id = e.id WHERE e.slug = %s GROUP BY e.id",
            (SEED_EVENT,),
        ).fetchone()
        if event is None:
            event = conn.execute(
                "SELECT e.id, e.slug, count(*) AS n FROM interviews_event e JOIN interviews_turn "
                "t ON t.event_id = e.id GROUP BY e.id ORDER BY abs(count(*) - 87), e.slug LIMIT 1"
            ).fetchone()
        phrase, phrase_n = search_phrase(conn)
        (word, word_n), (other, other_n), (common, common_n) = search_words(
            conn, WORD_MATCHES, COMMON_MATCHES
        )
        prefix = name_key(mid_name.split()[0][:4])
        prefix_n = conn.execute(
            "SELECT count(*) FROM interviews_participant WHERE name_key LIKE %s",
            (f"%{prefix}%",),
        ).fetchone()
        total = conn.execute(
            "SELECT (SELECT count(*) FROM interviews_turn), (SELECT count(*) FROM "
            "interviews_event), (SELECT count(*) FROM interviews_participant), "
            "current_setting('server_version')"
        ).fetchone()
    assert key and after_id and event and prefix_n and total
    facts = {
        "turns": total[0],
        "events": total[1],
        "participants": total[2],
        "postgres": total[3],
        "busiest": busiest,
        "busiest_turns": busiest_n,
        "mid": mid,
        "mid_turns": mid_n,
        "page": page,
        "event": event[1],
        "event_turns": event[2],
        "phrase": phrase,
        "phrase_turns": phrase_n,
        "word": word,
        "word_turns": word_n,
        "without": other,
        "without_turns": other_n,
        "common": common,
        "common_turns": common_n,
        "prefix": prefix,
        "prefix_participants": prefix_n[0],
    }
    ds = "/perf/turns.json?_size={size}&_labels=on&_nocount=1&_nofacet=1&"
    cursor = cursor_for(key)
    event_size = min(100, event[2])

    def same(name, path, shown="", expect=None, datasette="", key=""):
        # Datasette's porter stemmer is not PostgreSQL's: its hit count may differ.
        return Target(
            name,
            Endpoint(name, path, shown, expect),
            Endpoint(name, path, shown, expect),
            Endpoint(name, datasette, "", None if key in SEARCHES else expect),
            key,
        )

    deep = f"/api/turns?speaker={busiest}&cursor="
    return [
        same(
            f"speaker, {mid_n:,} turns",
            f"/api/turns?speaker={mid}",
            expect=min(PAGE_SIZE, mid_n),
            datasette=ds.format(size=PAGE_SIZE) + f"speaker_id={mid_id}",
            key="mid",
        ),
        same(
            f"speaker, {busiest_n:,} turns",
            f"/api/turns?speaker={busiest}",
            expect=PAGE_SIZE,
            datasette=ds.format(size=PAGE_SIZE) + f"speaker_id={busiest_id}",
            key="busiest",
        ),
        same(
            f"same speaker, page {page:,}",
            deep + cursor,
            deep + "…",
            expect=PAGE_SIZE,
            datasette=ds.format(size=PAGE_SIZE) + f"speaker_id={busiest_id}&_next={after_id[0]}",
            key="deep",
        ),
        *(
            same(
                f"q={shown}, {n:,} turns",
                f"/api/turns?q={quote(ours)}",
                expect=min(PAGE_SIZE, n),
                # FTS5's own syntax: a phrase in quotes, NOT for the minus.
                datasette=ds.format(size=PAGE_SIZE) + f"_search={quote(theirs)}&_search_mode=raw",
                key=key,
            )
            for key, shown, ours, theirs, n in [
                ("search", f'"{phrase}"', f'"{phrase}"', f'"{phrase}"', phrase_n),
                ("word", word, word, word, word_n),
                ("without", f"{word} -{other}", f"{word} -{other}", f"{word} NOT {other}", other_n),
                ("common", common, common, common, common_n),
            ]
        ),
        same(
            f"event transcript, {event[2]} turns",
            f"/api/events/{event[1]}/turns?page_size={event_size}",
            expect=event_size,
            datasette=ds.format(size=event_size) + f"event_id={event[0]}&_sort=sequence",
            key="event",
        ),
        same(
            f"participants name={prefix}, {prefix_n[0]:,} match",
            f"/api/participants?{urlencode({'name': prefix})}",
            expect=None,  # names and aliases: the project and the floor are compared row by row
            datasette=f"/perf/participants.json?_size={PAGE_SIZE}&_nofacet=1&"
            + urlencode({"name_key__contains": prefix}),
            key="participants",
        ),
    ], facts


# --- Datasette and the floor --------------------------------------------------------------


def venv(path: Path, requirements: Path) -> Path:
    """A virtualenv with exactly these pinned requirements (made once, remade when they change)."""
    stamp = path / ".requirements"
    wanted = requirements.read_text(encoding="utf-8")
    if not (stamp.exists() and stamp.read_text(encoding="utf-8") == wanted):
        say(f"making {path.relative_to(ROOT)} from {requirements.relative_to(ROOT)} …")
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
        subprocess.run(
            [str(path / "bin" / "pip"), "install", "--quiet", "-r", str(requirements)],
            check=True,
        )
        stamp.write_text(wanted, encoding="utf-8")
    return path / "bin"


def export_sqlite(url: str, target: Path) -> float:
    """The same rows in SQLite, with the indexes and full-text table a Datasette user adds."""
    started = time.perf_counter()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    db = sqlite3.connect(target)
    db.executescript(
        """
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        CREATE TABLE events (id INTEGER PRIMARY KEY, slug TEXT UNIQUE, title TEXT, date TEXT);
        CREATE TABLE participants (id INTEGER PRIMARY KEY, slug TEXT UNIQUE, name TEXT,
                                   name_key TEXT, is_anonymous INTEGER);
        CREATE TABLE turns (id INTEGER PRIMARY KEY,
                            event_id INTEGER REFERENCES events(id), sequence INTEGER,
                            speaker_id INTEGER REFERENCES participants(id), speaker_label TEXT,
                            kind TEXT, text TEXT, attribution TEXT, line_start INTEGER,
                            line_end INTEGER, in_reply_to_id INTEGER REFERENCES turns(id),
                            event_date TEXT, word_count INTEGER);
        """
    )
    tables = [
        ("events", "SELECT id, slug, title, date::text FROM interviews_event ORDER BY id"),
        (
            "participants",
            "SELECT id, slug, name, name_key, is_anonymous::int FROM interviews_participant "
            "ORDER BY id",
        ),
        (
            "turns",
            "SELECT id, event_id, sequence, speaker_id, speaker_label, kind, text, attribution, "
            "line_start, line_end, in_reply_to_id, event_date::text, word_count "
            "FROM interviews_turn ORDER BY id",
        ),
    ]
    with connect(url) as conn:
        for table, query in tables:
            with conn.cursor(name=f"export_{table}") as cursor:
                cursor.itersize = 20_000
                cursor.execute(query)
                while rows := cursor.fetchmany(20_000):
                    marks = ", ".join("?" * len(rows[0]))
                    db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    db.executescript(
        """
        CREATE INDEX turns_speaker_id ON turns (speaker_id);
        CREATE INDEX turns_event_id ON turns (event_id);
        CREATE VIRTUAL TABLE turns_fts USING fts5 (text, content="turns", content_rowid="id",
                                                   tokenize="porter unicode61");
        INSERT INTO turns_fts (turns_fts) VALUES ('rebuild');
        ANALYZE;
        """
    )
    db.commit()
    db.close()
    return time.perf_counter() - started


# --- the load -----------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    start: Any  # (port) -> Popen
    endpoint: str  # which Endpoint of a Target it serves: project, floor, datasette


def check(base: str, target: Target, endpoint: Endpoint, server: str) -> list[Any]:
    status, body, seconds = get(base + endpoint.path)
    if status != 200:
        say(body[:800].decode("utf-8", "replace"))
        fail(f"{server}: GET {endpoint.path} answered {status}, not 200")
    data = json.loads(body)
    rows = data.get("results", data.get("rows", []))
    if endpoint.expect_results is not None and len(rows) != endpoint.expect_results:
        fail(f"{server}: GET {endpoint.path} gave {len(rows)} rows, not {endpoint.expect_results}")
    say(f"  {server}: 200 in {seconds * 1000:.0f} ms, {len(rows)} rows: {target.name}")
    return rows


def load(
    servers: list[Server], goals: list[Target], args: argparse.Namespace
) -> tuple[dict[str, dict[str, Result]], dict[str, dict[str, list[Result]]]]:
    """Every server started at once (idle ones use no CPU), then measured request by
    request in rotation, --rounds times: the project, the floor and Datasette are loaded
    within a minute of each other on each request, so a machine whose speed drifts
    (neighbours on a shared host: runs here differed by 40%) moves all three together.

    Returns, for each (server, request), its median round by requests/s, and all its
    rounds in order (the ratios between servers are taken round by round: Ratios)."""
    wrk = find_wrk()
    if not wrk:
        fail("wrk is needed (apt-get install -y wrk)")
    rounds: dict[str, dict[str, list[Result]]] = {server.name: {} for server in servers}
    seen: dict[str, dict[str, list[Any]]] = {}
    running: list[tuple[Server, Any, str]] = []
    try:
        for server in servers:
            port = free_port()
            say(f"{server.name}: starting on 127.0.0.1:{port}")
            running.append((server, server.start(port), f"http://127.0.0.1:{port}"))
        for server, _, base in running:
            seen[server.name] = {
                goal.key: check(base, goal, getattr(goal, server.endpoint), server.name)
                for goal in goals
            }
        _same_rows(seen)  # before the rounds: a mismatch fails in seconds, not at the end
        for round_ in range(1, args.rounds + 1):
            for goal in goals:
                for server, _, base in running:
                    endpoint = getattr(goal, server.endpoint)
                    if args.warmup:
                        # Not measured: every worker has served it (caches, prepared plans).
                        run_wrk(wrk, base + endpoint.path, endpoint, args.connections, args.warmup)
                    result = run_wrk(
                        wrk, base + endpoint.path, endpoint, args.connections, args.duration
                    )
                    rounds[server.name].setdefault(goal.key, []).append(result)
                    say(
                        f"  round {round_}/{args.rounds}, {goal.key}, {server.name}: "
                        f"{result.rps:,.1f} req/s, p50 {result.p50_ms:.1f} ms"
                    )
    finally:
        for _, process, _ in running:
            stop(process)
    medians = {
        name: {key: _median(found) for key, found in by_goal.items()}
        for name, by_goal in rounds.items()
    }
    return medians, rounds


@dataclass
class Ratios:
    """Requests/s of the project over another server's, round by round.

    Each round loads the servers one after the other within a minute, so a round's ratio
    compares them at the same machine speed; the median of the rounds' ratios is the one
    reported (the medians of each server's own rounds may come from rounds minutes apart
    on a machine whose speed drifts)."""

    rounds: dict[str, dict[str, list[Result]]]

    def of(self, key: str, other: str) -> list[float]:
        mine = self.rounds.get("project", {}).get(key, [])
        theirs = self.rounds.get(other, {}).get(key, [])
        return [a.rps / b.rps for a, b in zip(mine, theirs, strict=False) if b.rps]

    def median(self, key: str, other: str) -> float | None:
        found = self.of(key, other)
        return _lower_middle(found) if found else None

    def cell(self, key: str, other: str) -> str:
        found, median = self.of(key, other), self.median(key, other)
        if median is None:
            return "–"
        each = ", ".join(f"{ratio:.2f}" for ratio in found)
        return f"{median:.2f}× ({each})" if len(found) > 1 else f"{median:.2f}×"


def _median(results: list[Result]) -> Result:
    """The round with the median requests/s."""
    return _lower_middle(results, key=lambda r: r.rps)


def _lower_middle(items, key=None):
    """The median item (the lower middle of an even number): a round that was measured."""
    return sorted(items, key=key)[(len(items) - 1) // 2]


def _same_rows(seen: dict[str, dict[str, list[Any]]]) -> None:
    """The floor must answer what the project answers: same rows, same JSON keys."""
    project, floor = seen.get("project", {}), seen.get("floor", {})
    for key, rows in project.items():
        theirs = floor.get(key)
        if theirs is None:
            continue
        ids = [row.get("id", row.get("slug")) for row in rows]
        if ids != [row.get("id", row.get("slug")) for row in theirs]:
            fail(f"the floor's rows differ from the project's for {key}")
        if rows and list(rows[0]) != list(theirs[0]):
            fail(f"the floor's JSON keys differ from the project's for {key}")


# --- the report ---------------------------------------------------------------------------


def report(
    goals: list[Target],
    results: dict[str, dict[str, Result]],
    ratios: Ratios,
    facts: dict[str, Any],
    imported: ImportStats,
    subset: dict[str, Any],
    probes: dict[str, Any],
    notes: list[str],
) -> str:
    project, floor, datasette = (results.get(n, {}) for n in ("project", "floor", "datasette"))
    rows = [
        "| request | project req/s | p50 | p95 | p99 | floor req/s | p50 | Datasette req/s "
        "| p50 | project/floor | project/Datasette | queries |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for goal in goals:
        mine, low, ds = project.get(goal.key), floor.get(goal.key), datasette.get(goal.key)
        if mine is None:
            continue
        probe = probes.get(goal.project.path, {})
        rows.append(
            f"| {goal.name}: `{goal.project.shown or goal.project.path}` | {mine.rps:,.1f} | "
            f"{mine.p50_ms:.1f} | {mine.p95_ms:.1f} | {mine.p99_ms:.1f} | "
            f"{_num(low, 'rps')} | {_num(low, 'p50_ms')} | {_num(ds, 'rps')} | "
            f"{_num(ds, 'p50_ms')} | {ratios.cell(goal.key, 'floor')} | "
            f"{ratios.cell(goal.key, 'datasette')} | "
            f"{probe.get('queries', '')} |"
        )
    errors = {
        f"{server}/{key}": r.errors
        for server, found in results.items()
        for key, r in found.items()
        if r.errors
    }
    ld, imp, e2e = subset.get("loaddata"), subset.get("import"), subset.get("import_transcripts")
    import_lines = [
        "| import | turns | seconds | turns/s | peak RSS |",
        "|---|---:|---:|---:|---:|",
        _import_row(
            "real transcripts: `manage.py import_transcripts` (parse + load)", imported.real
        ),
    ]
    if imported.synthetic:
        import_lines.append(
            _import_row("synthetic fixture files: set-based import", imported.synthetic)
        )
    import_lines.append(
        f"| **the whole corpus** | {imported.turns:,} | {imported.seconds:.1f} | "
        f"{imported.turns / imported.seconds:,.0f} | {imported.peak_rss_mb:,.0f} MB |"
    )
    copied = subset.get("copy")
    if copied:
        import_lines.append(
            _import_row(
                f"the same rows ({copied['rows']:,} in all tables), bare binary `COPY` in one "
                "transaction",
                {**copied, "peak_rss_mb": 0},
            ).replace("| 0 MB |", "| – |")
        )
    if ld and imp:
        import_lines += [
            _import_row(f"subset, {subset['subset']['turns']:,} turns: `loaddata`", ld),
            _import_row("subset, the same records: set-based import", imp),
            _import_row("subset, the same transcripts: `import_transcripts`", e2e),
        ]
    checks = targets_met(results, ratios, imported, subset)
    return "\n".join(
        [
            "# Performance at a million turns: the project, the floor, Datasette",
            "",
            *(f"- {note}" for note in notes),
            "",
            "## Requests",
            "",
            *rows,
            "",
            "Requests/s and latencies (ms, as wrk measures them) of each server's median "
            "round. Ratios are of requests/s, taken round by round (the servers of a round "
            "are loaded within a minute of each other): their median, then each "
            "round's in brackets. queries: SQL queries per request of the project (Django "
            "test client, same data).",
            f"Errors (non-2xx or socket): {errors or 'none'}.",
            "",
            "## Import",
            "",
            *import_lines,
            "",
            f"Seconds from the start of the command's work to its end (Django set-up not "
            f"counted); peak RSS of the importing process. Synthetic fixture files written in "
            f"{imported.generated.seconds:.1f} s before their import (not counted); VACUUM "
            f"ANALYZE afterwards {imported.vacuum_seconds:.1f} s (not counted).",
            "",
            "## Targets",
            "",
            *checks,
            "",
            f"Data: {facts['turns']:,} turns, {facts['events']:,} events, "
            f"{facts['participants']:,} participants; busiest speaker `{facts['busiest']}` "
            f"{facts['busiest_turns']:,} turns; `{facts['mid']}` {facts['mid_turns']} turns.",
            "",
        ]
    )


def _num(result: Result | None, name: str) -> str:
    if result is None:
        return "–"
    value = getattr(result, name)
    return f"{value:,.1f}"


def _import_row(name: str, step: dict[str, Any] | None) -> str:
    if not step:
        return f"| {name} | – | – | – | – |"
    rate = step["turns"] / step["seconds"] if step["seconds"] else 0
    return (
        f"| {name} | {step['turns']:,} | {step['seconds']:.1f} | {rate:,.0f} | "
        f"{step['peak_rss_mb']:,.0f} MB |"
    )


def targets_met(results, ratios: Ratios, imported: ImportStats, subset) -> list[str]:
    project = results.get("project", {})
    lines = []

    def line(ok: bool, text: str) -> None:
        lines.append(f"- {'met' if ok else '**not met**'}: {text}")

    for key in ("mid", "busiest"):
        low = ratios.median(key, "floor")
        if low is not None:
            line(low >= 0.6, f"{key}: {low:.2f}× the floor (≥ 0.6×)")
    low = ratios.median("event", "floor")
    if low is not None:
        line(low >= 0.7, f"event transcript: {low:.2f}× the floor (≥ 0.7×)")
    mid = project.get("mid")
    for key in ("busiest", "deep"):
        mine = project.get(key)
        if mine and mid:
            line(
                mine.p50_ms <= 1.5 * mid.p50_ms,
                f"{key}: p50 {mine.p50_ms:.1f} ms = {mine.p50_ms / mid.p50_ms:.2f}× the "
                f"~200-turn speaker's {mid.p50_ms:.1f} ms (≤ 1.5×)",
            )
    for key, name in SEARCHES.items():
        ds, mine = ratios.median(key, "datasette"), project.get(key)
        if ds is not None:
            line(ds >= 1.5, f"q= {name}: {ds:.2f}× Datasette (≥ 1.5×)")
        if mine:
            line(mine.p95_ms < 100, f"q= {name}: p95 {mine.p95_ms:.1f} ms (< 100 ms)")
    rate = imported.turns / imported.seconds
    copied = subset.get("copy")
    if copied and copied["seconds"] and copied["turns"]:
        ratio = copied["seconds"] / imported.seconds * imported.turns / copied["turns"]
        line(
            ratio >= 0.5,
            f"import: {rate:,.0f} turns/s end to end = {ratio:.2f}× a bare COPY of the same rows "
            f"({copied['turns'] / copied['seconds']:,.0f} turns/s) (≥ 0.5×)",
        )
    line(imported.peak_rss_mb < 1024, f"import: peak RSS {imported.peak_rss_mb:,.0f} MB (< 1 GB)")
    ld, imp = subset.get("loaddata"), subset.get("import")
    if ld and imp:
        speedup = (imp["turns"] / imp["seconds"]) / (ld["turns"] / ld["seconds"])
        line(speedup >= 10, f"import: {speedup:.1f}× loaddata on the subset (≥ 10×)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=1_000_000, help="turns (1000000)")
    parser.add_argument("--subset", type=int, default=20_000, help="loaddata subset (20000)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per request (10)")
    parser.add_argument(
        "--warmup", type=int, default=2, help="seconds of load before each measurement (2)"
    )
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="times each request is loaded on each server, in rotation; the median is kept (3)",
    )
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"default {DEFAULT_URL}")
    parser.add_argument(
        "--keep-db",
        action="store_true",
        help="reuse a database (and SQLite export) that already holds --turns turns; keep them",
    )
    parser.add_argument(
        "--only",
        choices=["project", "floor", "datasette"],
        action="append",
        help="load only these servers (repeatable; default all three)",
    )
    parser.add_argument("--skip-subset", action="store_true", help="no loaddata comparison")
    args = parser.parse_args()
    url: str = args.database_url
    if urlsplit(url).scheme not in ("postgres", "postgresql"):
        fail("--database-url must be a postgres:// URL")
    if min(args.turns, args.duration, args.connections, args.rounds) < 1:
        fail("--turns, --duration, --connections and --rounds must be positive")
    OUT.mkdir(parents=True, exist_ok=True)
    connect(with_dbname(url, "postgres")).close()
    sqlite_path = OUT / f"datasette-{args.turns}" / "perf.db"
    notes: list[str] = []
    try:
        have = existing_turns(url)
        saved_import = OUT / f"import-{args.turns}.json"
        saved_subset = OUT / f"subset-{args.turns}.json"
        if args.keep_db and have is not None and have >= args.turns and saved_import.exists():
            say(f"--keep-db: {dbname_of(url)} already has {have:,} turns; not rebuilding it")
            manage(url, "migrate", "--noinput")
            saved = json.loads(saved_import.read_text(encoding="utf-8"))
            imported = ImportStats(
                saved["real"],
                saved["synthetic"],
                Synthetic(seconds=saved["generated_seconds"]),
                saved["vacuum_seconds"],
            )
            notes.append(
                f"data: database reused (--keep-db); the import figures are those measured "
                f"when it was built, {saved['measured']}"
            )
        else:
            imported = build(url, args.turns)
            saved_import.write_text(
                json.dumps(
                    {
                        "real": imported.real,
                        "synthetic": imported.synthetic,
                        "generated_seconds": imported.generated.seconds,
                        "vacuum_seconds": imported.vacuum_seconds,
                        "measured": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                    }
                ),
                encoding="utf-8",
            )
        if args.skip_subset:
            subset = {}
            if saved_subset.exists():
                subset = json.loads(saved_subset.read_text(encoding="utf-8"))
                notes.append(
                    f"subset: the loaddata comparison of {subset['measured']} (--skip-subset)"
                )
        else:
            subset = compare_loaddata(url, args.subset)
            subset["measured"] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
            saved_subset.write_text(json.dumps(subset), encoding="utf-8")
        say("bare COPY of the same rows into a fresh database of the same schema …")
        subset["copy"] = bare_copy(url)
        say(
            f"  {subset['copy']['rows']:,} rows ({subset['copy']['turns']:,} turns) in "
            f"{subset['copy']['seconds']:.1f} s"
        )
        goals, facts = targets(url)
        servers = [
            Server(
                "project",
                lambda port: start_gunicorn(url, port, OUT / "gunicorn.log"),
                "project",
            ),
            Server("floor", lambda port: start_floor(url, port), "floor"),
            Server("datasette", lambda port: start_datasette(sqlite_path, port), "datasette"),
        ]
        servers = [s for s in servers if not args.only or s.name in args.only]
        exported = args.keep_db and sqlite_path.exists()
        if any(s.name == "datasette" for s in servers) and not exported:
            say(f"exporting to SQLite for Datasette: {sqlite_path.relative_to(ROOT)} …")
            say(f"  done in {export_sqlite(url, sqlite_path):.1f} s")
        probes = django_step(url, "probe", *(goal.project.path for goal in goals))["probes"]
        wrk = find_wrk()
        notes[:0] = [
            f"machine: {machine()}",
            f"PostgreSQL {facts['postgres']} at {where(url)}; SQLite {sqlite3.sqlite_version}",
            f"load: wrk ({wrk_version(wrk) if wrk else 'missing'}), {args.connections} "
            f"connections, {args.duration} s per request after {args.warmup} s of warm-up, "
            f"one server loaded at a time (the others idle), request by request in rotation, "
            f"{args.rounds} round(s): each server's median round, ratios round by round",
            "project: gunicorn config.wsgi, 2 sync workers, DJANGO_DEBUG=0, no throttle",
            "floor: bench/floor.py, gunicorn 2 sync workers, psycopg (server-side prepared "
            "statements) + orjson, one SQL query per request, same rows and JSON shape",
            "Datasette: "
            + _datasette_version()
            + " `datasette serve -i` (one process, as it ships) on the same rows in SQLite, "
            "indexes on turns(speaker_id) and turns(event_id), FTS5 (porter) on the text; "
            "`_labels=on&_nocount=1&_nofacet=1`, suggested facets off; it pages by rowid "
            "(`_next`), does not order search hits by relevance, and serves no role, outlets "
            "or replies",
        ]
        results, rounds = load(servers, goals, args)
        text = report(goals, results, Ratios(rounds), facts, imported, subset, probes, notes)
        destination = (
            BENCH / "RESULTS.md" if args.turns == 1_000_000 else (OUT / f"RESULTS-{args.turns}.md")
        )
        destination.write_text(text + _kept_sections(destination), encoding="utf-8")
        say("")
        say(text)
        say(f"written to {destination.relative_to(ROOT)}")
    finally:
        if not args.keep_db:
            drop_database(url)
            sqlite_path.unlink(missing_ok=True)
            say(f"dropped database {dbname_of(url)} and the SQLite export (--keep-db keeps them)")


KEPT_MARKER = "<!-- perf.py rewrites what is above this line and keeps what follows -->"


def _kept_sections(destination: Path) -> str:
    """The sections after KEPT_MARKER in the file being replaced (measurements of other
    benchmarks, written by hand), with the marker; "" when there are none."""
    try:
        old = destination.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    _, found, kept = old.partition(KEPT_MARKER)
    return f"\n{KEPT_MARKER}{kept}" if found else ""


def start_floor(url: str, port: int):
    bin_dir = venv(FLOOR_VENV, BENCH / "requirements-floor.txt")
    command = gunicorn_command("floor:app", port, bin_dir / "gunicorn")
    env = {**os.environ, "FLOOR_DATABASE_URL": url}
    return start_server(
        [*command, "--chdir", str(BENCH)], env, port, OUT / "floor.log", "/api/turns?speaker=x"
    )


def start_datasette(sqlite_path: Path, port: int):
    bin_dir = venv(DATASETTE_VENV, BENCH / "requirements-datasette.txt")
    command = [
        str(bin_dir / "datasette"),
        "serve",
        "-i",
        str(sqlite_path),
        "--port",
        str(port),
        "--host",
        "127.0.0.1",
        "--setting",
        "suggest_facets",
        "off",
        "--setting",
        "sql_time_limit_ms",
        "10000",
    ]
    return start_server(command, dict(os.environ), port, OUT / "datasette.log", "/-/versions.json")


def _datasette_version() -> str:
    for line in (BENCH / "requirements-datasette.txt").read_text().splitlines():
        if line.lower().startswith("datasette=="):
            return "Datasette " + line.split("==")[1]
    return "Datasette"


if __name__ == "__main__":
    main()
