"""The floor: the benchmarked API requests answered by one hand-written SQL query each.

A WSGI app (psycopg + orjson, no framework) giving the same rows in the same JSON
shape as the project for the requests bench/perf.py sends: turns of a speaker (by
slug) with keyset cursors, the 2,000th page, `q=` full-text search with highlights,
an event's transcript, and participants by part of a name. It is what the database
and the wire allow, the reference the project's numbers are divided by: it checks
nothing a benchmark does not send. Served by gunicorn (2 workers) from
bench/.venv-floor (bench/requirements-floor.txt); FLOOR_DATABASE_URL names the database.
"""

from __future__ import annotations

import html
import os
import re
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import orjson
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from interviews.parsing import name_key

DATABASE_URL = os.environ.get("FLOOR_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x")
_START, _STOP = "\ue000", "\ue001"
# As interviews.api.search asks for them (Django's SearchHeadline quotes each value).
HEADLINE_OPTIONS = (
    f"StartSel=''{_START}'', StopSel=''{_STOP}'', MaxWords=35, MinWords=15, "
    "MaxFragments=2, FragmentDelimiter='' … ''"
)

TURN_COLUMNS = """
    t.id, t.sequence, t.kind, t.speaker_label, t.attribution, t.text, t.word_count,
    t.line_start, t.line_end, t.in_reply_to_id, t.event_date, t.event_id,
    e.slug, e.title, e.date, p.slug, p.name, a.role,
    (SELECT ARRAY[array_agg(o.slug ORDER BY o.name, o.id),
                  array_agg(o.name ORDER BY o.name, o.id)]
       FROM interviews_appearance_outlets ao JOIN interviews_outlet o ON o.id = ao.outlet_id
      WHERE ao.appearance_id = a.id),
    ARRAY(SELECT r.id FROM interviews_turn r WHERE r.in_reply_to_id = t.id
          ORDER BY r.sequence, r.id),
    t.offset
"""
TURN_JOINS = """
    FROM interviews_turn t
    JOIN interviews_event e ON e.id = t.event_id
    LEFT JOIN interviews_participant p ON p.id = t.speaker_id
    LEFT JOIN LATERAL (
      SELECT ap.id, ap.role FROM interviews_appearance ap
       WHERE ap.event_id = t.event_id AND ap.participant_id = t.speaker_id LIMIT 1
    ) a ON true
"""
# LATERAL: one unique-index probe per row. A plain LEFT JOIN on (event, speaker) lets the
# planner scan every appearance of the speaker (thousands for the busiest) for each page.
ORDER = "ORDER BY t.event_date, t.event_id, t.sequence"
# A cursor names a turn by event and sequence; its event's date is looked up.
AFTER = (
    "AND (t.event_date, t.event_id, t.sequence) > ((SELECT COALESCE(date, DATE '0001-01-01')"
    " FROM interviews_event WHERE id = %s), %s, %s)"
)
BY_SPEAKER = (
    f"SELECT {TURN_COLUMNS} {TURN_JOINS} WHERE t.speaker_id = "
    "(SELECT id FROM interviews_participant WHERE slug = %s) {after} " + ORDER + " LIMIT %s"
)
BY_EVENT = (
    f"SELECT {TURN_COLUMNS} {TURN_JOINS} WHERE t.event_id = "
    "(SELECT id FROM interviews_event WHERE slug = %s) {after} " + ORDER + " LIMIT %s"
)
# The project's order (interviews.api.selectors.RANKED): the first 500 matches a scan
# finds, by relevance, then the others by date.
SEARCH = f"""
    WITH ranked AS MATERIALIZED (
      SELECT t.id, ts_rank(t.search_vector, query) AS rank, t.event_date, t.event_id,
             t.sequence
        FROM interviews_turn t, websearch_to_tsquery('english', %(q)s) query
       WHERE t.search_vector @@ query LIMIT 500),
    page AS MATERIALIZED (
      SELECT * FROM (
        SELECT id, 0 AS part, rank, event_date, event_id, sequence FROM ranked
        UNION ALL
        SELECT t.id, 1, 0, t.event_date, t.event_id, t.sequence
          FROM interviews_turn t, websearch_to_tsquery('english', %(q)s) query
         WHERE t.search_vector @@ query AND (SELECT count(*) FROM ranked) = 500
           AND t.id NOT IN (SELECT id FROM ranked)) matches
       ORDER BY part, rank DESC, event_date, event_id, sequence
       LIMIT %(limit)s OFFSET %(offset)s)
    SELECT {TURN_COLUMNS},
      ts_headline('english', t.text, query, '{HEADLINE_OPTIONS}')
    {TURN_JOINS} JOIN page ON page.id = t.id,
      websearch_to_tsquery('english', %(q)s) query
    ORDER BY page.part, page.rank DESC, t.event_date, t.event_id, t.sequence
"""
PARTICIPANTS = """
    WITH page AS (
      SELECT p.id, p.slug, p.name, p.is_anonymous, count(*) OVER () AS total
        FROM interviews_participant p
       WHERE p.id IN (
             SELECT id FROM interviews_participant WHERE name_key LIKE %s ESCAPE '\\'
             UNION SELECT participant_id FROM interviews_alias WHERE key LIKE %s ESCAPE '\\')
       ORDER BY p.name, p.slug LIMIT %s OFFSET %s)
    SELECT page.slug, page.name, page.is_anonymous, page.total,
      ARRAY(SELECT al.name FROM interviews_alias al WHERE al.participant_id = page.id
            ORDER BY al.name),
      (SELECT count(*) FROM interviews_turn t WHERE t.speaker_id = page.id),
      (SELECT coalesce(sum(t.word_count), 0) FROM interviews_turn t WHERE t.speaker_id = page.id),
      (SELECT count(*) FROM interviews_appearance ap WHERE ap.participant_id = page.id)
    FROM page ORDER BY page.name, page.slug
"""

_connection: psycopg.Connection | None = None


def connection() -> psycopg.Connection:
    global _connection
    if _connection is None or _connection.closed:
        # prepare_threshold=0: every statement is prepared on the server at first use.
        # Scans from the table's first page, as the project's (interviews/signals.py).
        _connection = psycopg.connect(
            DATABASE_URL,
            autocommit=True,
            prepare_threshold=0,
            options="-c synchronize_seqscans=off",
        )
    return _connection


def app(environ, start_response):
    path = environ.get("PATH_INFO", "").rstrip("/")
    params = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    base = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', 'localhost')}"
    if path == "/api/turns":
        body = turns(base, path, params)
    elif path.startswith("/api/events/") and path.endswith("/turns"):
        body = event_turns(base, path, path[len("/api/events/") : -len("/turns")], params)
    elif path == "/api/participants":
        body = participants(base, path, params)
    else:
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"detail":"Not found."}']
    data = orjson.dumps(body)
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


def _page_size(params, default=50) -> int:
    return max(1, min(500, int(params.get("page_size", default))))


def _cursor(raw: str | None) -> tuple[int, int] | None:
    """`a<event>.<sequence>`, the only key cursor the benchmark sends."""
    if not raw or not raw.startswith("a"):
        return None
    event_id, sequence = raw[1:].split(".")
    return int(event_id), int(sequence)


def _link(base, path, params, cursor) -> str | None:
    if cursor is None:
        return None
    query = {k: v for k, v in params.items() if k != "cursor"}
    if cursor:
        query["cursor"] = cursor
    return f"{base}{path}?{urlencode(query)}" if query else f"{base}{path}"


def _keyset(base, path, params, sql, key) -> dict:
    size = _page_size(params)
    cursor = _cursor(params.get("cursor"))
    if cursor:
        event_id, sequence = cursor
        rows = connection().execute(
            sql.format(after=AFTER), (key, event_id, event_id, sequence, size + 1)
        )
    else:
        rows = connection().execute(sql.format(after=""), (key, size + 1))
    rows = rows.fetchall()
    more = len(rows) > size
    rows = rows[:size]
    results = [_turn(base, row) for row in rows]
    last = rows[-1] if rows else None
    following = f"a{last[11]}.{last[1]}" if more and last else None
    first = rows[0] if rows else None
    preceding = f"b{first[11]}.{first[1]}" if cursor and first else None
    return {
        "next": _link(base, path, params, following),
        "previous": _link(base, path, params, preceding),
        "results": results,
    }


def turns(base, path, params) -> dict:
    if params.get("q"):
        return search(base, path, params)
    return _keyset(base, path, params, BY_SPEAKER, params.get("speaker", ""))


def event_turns(base, path, slug, params) -> dict:
    return _keyset(base, path, params, BY_EVENT, slug)


def search(base, path, params) -> dict:
    size = _page_size(params)
    raw = params.get("cursor", "")
    offset = int(raw[1:]) if raw.startswith("o") else 0
    found = {"q": params["q"], "limit": size + 1, "offset": offset}
    rows = connection().execute(SEARCH, found).fetchall()
    more = len(rows) > size
    results = [_turn(base, row) for row in rows[:size]]
    return {
        "next": _link(base, path, params, f"o{offset + size}" if more else None),
        "previous": _link(base, path, params, f"o{max(0, offset - size)}" if offset else None),
        "results": results,
    }


def _turn(base, row) -> dict:
    (pk, sequence, kind, label, attribution, text, words, start, end, reply, _, _) = row[:12]
    event_slug, title, date, speaker_slug, speaker_name, role, outlets, replies = row[12:20]
    offset = row[20]
    highlight = None
    if len(row) > 21:
        highlight = html.escape(row[21]).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return {
        "id": pk,
        "url": f"{base}/api/turns/{pk}",
        "event": {
            "slug": event_slug,
            "title": title,
            "date": date,
            "url": f"{base}/api/events/{event_slug}",
        },
        "sequence": sequence,
        "kind": kind,
        "speaker": None
        if speaker_slug is None
        else {
            "slug": speaker_slug,
            "name": speaker_name,
            "url": f"{base}/api/participants/{speaker_slug}",
        },
        "speaker_label": label,
        "role": role or "",
        "outlets": [
            {"slug": slug, "name": name, "url": f"{base}/api/outlets/{slug}"}
            for slug, name in zip(*outlets or (), strict=True)
        ],
        "attribution": attribution,
        "text": text,
        "word_count": words,
        "line_start": start,
        "line_end": end,
        "offset": offset,
        "in_reply_to": reply,
        "replies": replies,
        "highlight": highlight,
    }


def participants(base, path, params) -> dict:
    size = _page_size(params)
    page = max(1, int(params.get("page", 1)))
    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", name_key(params.get("name", ""))) + "%"
    rows = (
        connection().execute(PARTICIPANTS, (pattern, pattern, size, (page - 1) * size)).fetchall()
    )
    total = rows[0][3] if rows else 0
    results = [
        {
            "slug": slug,
            "name": name,
            "is_anonymous": anonymous,
            "aliases": aliases,
            "turn_count": turn_count,
            "word_count": word_count,
            "event_count": event_count,
            "url": f"{base}/api/participants/{slug}",
            "events_url": f"{base}/api/events?{urlencode({'participant': slug})}",
            "turns_url": f"{base}/api/turns?{urlencode({'speaker': slug})}",
        }
        for slug, name, anonymous, _, aliases, turn_count, word_count, event_count in rows
    ]
    following = {**params, "page": page + 1} if page * size < total else None
    preceding = {**params, "page": page - 1} if page > 1 else None
    return {
        "count": total,
        "next": f"{base}{path}?{urlencode(following)}" if following else None,
        "previous": f"{base}{path}?{urlencode(preceding)}" if preceding else None,
        "results": results,
    }
