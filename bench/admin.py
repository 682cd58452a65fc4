"""The editors' pages on the benchmark database: server time, queries and bytes of each.

    .venv/bin/python bench/admin.py                       # on the database `make bench` built
    .venv/bin/python bench/admin.py --database-url URL --repeat 15

Logs in as a superuser it creates (`bench-editor`), then asks each admin page in process
through Django's test client (server time only: no HTTP server, no browser), `--repeat`
times after one warm-up, and reports p50 and p95 in ms, the SQL queries of one request
and the bytes of the page. The pages are the ones editors work in all day: change lists
(plain, searched, filtered), the largest event's and the busiest participant's change
forms, history pages, autocomplete, and the intermediate pages of the editing actions
(reassign, split, merge; joining has no page of its own: it joins at once, and a
benchmark must not change the data). The targets (issue 17): each under 300 ms p95, 100
queries and 500 KB. The table replaces the section of bench/RESULTS.md between this
script's markers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from harness import markers, write_section

ROOT = Path(__file__).resolve().parent.parent
START, END = markers("admin")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/interviews_perf_bench"
TARGET_MS, TARGET_QUERIES, TARGET_BYTES = 300, 100, 500_000


@dataclass
class Page:
    name: str
    path: str
    data: dict | None = None  # a POST (an action's intermediate page)


@dataclass
class Measured:
    page: Page
    status: int
    p50: float
    p95: float
    queries: int
    size: int

    @property
    def met(self) -> bool:
        return self.p95 < TARGET_MS and self.queries < TARGET_QUERIES and self.size < TARGET_BYTES


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "localhost,testserver"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def pages() -> tuple[list[Page], str]:
    """The pages to measure, on this database's largest event and busiest speaker."""
    from django.db import connection

    from interviews.models import Event, Participant, Turn

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_id, count(*) FROM interviews_turn GROUP BY event_id"
            " ORDER BY count(*) DESC LIMIT 1"
        )
        event_id, event_turns = cursor.fetchone()
        cursor.execute(
            "SELECT speaker_id, count(*) FROM interviews_turn WHERE speaker_id IS NOT NULL"
            " GROUP BY speaker_id ORDER BY count(*) DESC LIMIT 1"
        )
        speaker_id, speaker_turns = cursor.fetchone()
    event = Event.objects.get(pk=event_id)
    speaker = Participant.objects.get(pk=speaker_id)
    first, second = Turn.objects.filter(event=event).order_by("sequence")[:2]
    other = Participant.objects.exclude(pk=speaker.pk).order_by("pk").first()
    turns = "/admin/interviews/turn/"
    participants = "/admin/interviews/participant/"

    def action(name, *ids):
        return {"action": name, "_selected_action": [str(pk) for pk in ids], "index": "0"}

    facts = (
        f"largest event {event.slug} ({event_turns:,} turns); busiest participant "
        f"{speaker.slug} ({speaker_turns:,} turns); turn {first.pk}"
    )
    return [
        Page("admin index", "/admin/"),
        Page("event list", "/admin/interviews/event/"),
        Page("event list, search `vaccine`", "/admin/interviews/event/?q=vaccine"),
        Page("largest event, change form", f"/admin/interviews/event/{event.pk}/change/"),
        Page("largest event, history", f"/admin/interviews/event/{event.pk}/history/"),
        Page("turn list", turns),
        Page("turn list, search `vaccine`", f"{turns}?q=vaccine"),
        Page("turn list, kind=question", f"{turns}?kind__exact=question"),
        Page("turn list, busiest speaker", f"{turns}?speaker__id__exact={speaker.pk}"),
        Page("turn, change form", f"{turns}{first.pk}/change/"),
        Page("turn, history", f"{turns}{first.pk}/history/"),
        Page("participant list", participants),
        Page("participant list, search `ale`", f"{participants}?q=ale"),
        Page("busiest participant, change form", f"{participants}{speaker.pk}/change/"),
        Page("busiest participant, history", f"{participants}{speaker.pk}/history/"),
        Page("outlet list", "/admin/interviews/outlet/"),
        Page("appearance list", "/admin/interviews/appearance/"),
        Page(
            "speaker autocomplete `pu`",
            "/admin/autocomplete/?app_label=interviews&model_name=turn&field_name=speaker&term=pu",
        ),
        Page("reassign 2 turns (form)", turns, action("reassign_speaker", first.pk, second.pk)),
        Page("split a turn (form)", turns, action("split_turn", first.pk)),
        Page(
            "merge participants (form)",
            participants,
            action("merge_participants", speaker.pk, other.pk),
        ),
        Page(
            "split the busiest participant (form)",
            participants,
            action("split_participant", speaker.pk),
        ),
    ], facts


def measure(page: Page, client, repeat: int) -> Measured:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    def ask():
        if page.data is None:
            return client.get(page.path)
        return client.post(page.path, page.data)

    # Each request starts by emptying the query log (Django's request_started signal):
    # empty it first, so that the context's slice of it is this request's.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = ask()  # also the warm-up
    queries = len(captured.captured_queries)  # now: the next request empties the log
    if response.status_code >= 400:
        sys.exit(f"admin: {page.name}: {page.path} answered {response.status_code}")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        ask()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return Measured(
        page,
        response.status_code,
        statistics.median(times),
        p95,
        queries,
        len(response.content),
    )


def report(results: list[Measured], facts: str, turns: int, repeat: int) -> str:
    lines = [
        START,
        "## The admin at scale (bench/admin.py)",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {turns:,} turns; {facts}. "
        f"Django's test client in process (server time), {repeat} requests per page after "
        f"a warm-up; targets: p95 < {TARGET_MS} ms, < {TARGET_QUERIES} queries, "
        f"< {TARGET_BYTES // 1000} KB.",
        "",
        "| page | p50 ms | p95 ms | queries | KB | within targets |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for result in results:
        lines.append(
            f"| {result.page.name} | {result.p50:,.0f} | {result.p95:,.0f} | {result.queries}"
            f" | {result.size / 1000:,.0f} | {'yes' if result.met else '**no**'} |"
        )
    met = sum(result.met for result in results)
    lines += ["", f"{met} of {len(results)} pages within all three targets.", END]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=10, help="requests per page (10)")
    parser.add_argument("--no-write", action="store_true", help="print, leave RESULTS.md")
    args = parser.parse_args()
    if args.repeat < 1:
        sys.exit("admin: --repeat must be positive")
    setup(args.database_url)
    from django.contrib.auth import get_user_model
    from django.test import Client

    from interviews.models import Turn

    turns = Turn.objects.count()
    if not turns:
        sys.exit(f"admin: no turns in {args.database_url}; run `make bench` first")
    editor, _ = get_user_model().objects.update_or_create(
        username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(editor)
    to_measure, facts = pages()
    results = []
    for page in to_measure:
        result = measure(page, client, args.repeat)
        print(
            f"{page.name}: p50 {result.p50:,.0f} ms, p95 {result.p95:,.0f} ms, "
            f"{result.queries} queries, {result.size / 1000:,.0f} KB",
            flush=True,
        )
        results.append(result)
    section = report(results, facts, turns, args.repeat)
    print("\n" + section)
    if not args.no_write:
        write_section("admin", section)


if __name__ == "__main__":
    main()
