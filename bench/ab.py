"""Two checkouts side by side: the time each spends in Django on the target requests.

    .venv/bin/python bench/ab.py --base HEAD~3            # the work tree against HEAD~3
    .venv/bin/python bench/ab.py --base A --head B        # two commits

For a change that bends a framework's extension point (the house rule keeps it only
if it pays 10 % or more on a target request): each checkout answers the same requests
in a process of its own, through Django's test client (no HTTP server, no network), on
one database. Measured in process, a request's fixed costs outside Django (gunicorn,
the socket) are left out, so a difference shows larger here than a client would see it:
a change under 10 % here is under 10 % end to end.

The two run in alternation, `--rounds` times, each round timing every request
`--repeat` times after a warm-up; the ratio base/head is taken round by round and the
median reported (these machines drift: the two sides of a round are seconds apart).
Data: the seed and the dev corpus (`../shared/corpus/dev`, its transcripts imported),
in a database of its own, dropped at the end unless --keep-db.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

from harness import OUT, ROOT, create_database, drop_database, existing_turns, manage, say

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/interviews_ab_bench"
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"
SEED = ROOT / "fixtures" / "transcripts" / "2022-02-23-tass-russian-media-heads.txt"

# Run inside each checkout: set Django up there, time each URL; JSON of µs per request.
DRIVER = textwrap.dedent(
    """
    import json, os, sys, time
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    django.setup()
    from django.test import Client
    urls, repeat = json.loads(sys.argv[1]), int(sys.argv[2])
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT="application/json")
    times = {}
    for url in urls:
        for _ in range(max(repeat // 5, 3)):  # warm-up: connections, prepared statements
            assert client.get(url).status_code == 200, url
        started = time.perf_counter()
        for _ in range(repeat):
            client.get(url)
        times[url] = (time.perf_counter() - started) / repeat * 1e6
    print(json.dumps(times))
    """
)


def checkout(rev: str) -> Path:
    """A work tree of rev under bench/out (made once, moved to rev each run)."""
    path = OUT / f"ab-{rev.replace('/', '-').replace('~', '-').replace('^', '-')}"
    if not path.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(path), rev], cwd=ROOT, check=True)
    else:
        subprocess.run(["git", "checkout", "--detach", "--quiet", rev], cwd=path, check=True)
    return path


def target_urls(url: str) -> dict[str, str]:
    """The target requests, on this data: the busiest speaker's first page, the seed's
    transcript, and participants by part of a name."""
    import psycopg

    with psycopg.connect(url) as conn:
        busiest = conn.execute(
            "SELECT p.slug FROM interviews_participant p JOIN interviews_turn t"
            " ON t.speaker_id = p.id GROUP BY p.slug ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        seed = conn.execute(
            "SELECT slug FROM interviews_event WHERE source_name = %s", [SEED.name]
        ).fetchone()[0]
    return {
        "speaker page": f"/api/turns?speaker={busiest}",
        "transcript": f"/api/events/{seed}/turns?page_size=87",
        "participants name=": "/api/participants?name=ale",
    }


def run(tree: Path, url: str, urls: list[str], repeat: int) -> dict[str, float]:
    env = {
        **dict(__import__("os").environ),
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench",
        "DJANGO_API_THROTTLE_ANON": "",
    }
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(urls), str(repeat)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"ab: {tree.name}: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="git revision to compare against")
    parser.add_argument("--head", help="git revision (default: this work tree as it is)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=200, help="requests per URL per round")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    base = checkout(args.base)
    head = checkout(args.head) if args.head else ROOT
    url = args.database_url
    if existing_turns(url) is None or not args.keep_db:
        say(f"ab: importing the seed and {CORPUS} into a new database")
        create_database(url)
        manage(url, "migrate", "-v0")
        sources = [str(SEED)] + ([str(CORPUS)] if CORPUS.is_dir() else [])
        manage(url, "import_transcripts", *sources, "-v0")
    targets = target_urls(url)
    urls = list(targets.values())
    ratios: dict[str, list[float]] = {url: [] for url in urls}
    times: dict[str, dict[str, list[float]]] = {"base": {}, "head": {}}
    try:
        for number in range(args.rounds):
            # Alternate which goes first: a warming machine favours neither.
            order = [("base", base), ("head", head)]
            for name, tree in order if number % 2 == 0 else order[::-1]:
                for request, micros in run(tree, url, urls, args.repeat).items():
                    times[name].setdefault(request, []).append(micros)
            for request in urls:
                ratios[request].append(times["base"][request][-1] / times["head"][request][-1])
            say(f"round {number + 1}/{args.rounds} done")
    finally:
        if not args.keep_db:
            drop_database(url)
    say(f"\nbase {args.base} vs head {args.head or 'work tree'}, {args.rounds} rounds:")
    say("| request | base µs (median) | head µs (median) | base/head (median of rounds) |")
    say("|---|---:|---:|---:|")
    for label, request in targets.items():
        say(
            f"| {label}: `{request}` | {statistics.median(times['base'][request]):,.0f}"
            f" | {statistics.median(times['head'][request]):,.0f}"
            f" | {statistics.median(ratios[request]):.3f}"
            f" ({', '.join(f'{r:.2f}' for r in ratios[request])}) |"
        )


if __name__ == "__main__":
    main()
