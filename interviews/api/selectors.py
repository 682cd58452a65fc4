"""Reading turns for the API: one statement for a page, a transcript, a turn or a CSV stream.

Every turn the API shows is read here, as a TurnRow: its own columns, its event, its
speaker, the speaker's role and outlets at the event, the ids of its replies and,
with `q`, a highlight. The FilterSet validates the query parameters (a 400 names a bad
one) and TurnQuery.from_filters turns its cleaned values into conditions; this module
holds all of the SQL, so a field added to the turns is added to TurnRow and _COLUMNS.

Hand-written rather than the ORM's: a page is the API's hot path, and building,
compiling and instantiating an ORM query with three subqueries cost many times the
database's own work (bench/RESULTS.md).

The statements are f-strings of the models' table names and this module's fragments
only; every value a client sends is a %s parameter. bandit's B608/B611 flag each such
string: they are marked `# nosec` after that review (`make test` runs bandit).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import psycopg
from django.db import connections, router
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from ..models import (
    Alias,
    Appearance,
    Event,
    Outlet,
    Participant,
    ParticipantRedirect,
    Turn,
)
from ..parsing import UNDATED, name_key
from .search import CONFIG, phrase_pairs, snippet, wanted_lexemes, words_like


class TurnRow(NamedTuple):
    """A turn as the API shows it (a tuple: made per row for the cost of one)."""

    id: int
    sequence: int
    kind: str
    speaker_label: str
    attribution: str
    text: str
    word_count: int
    line_start: int
    line_end: int
    offset: float | None
    in_reply_to_id: int | None
    event_date: dt.date  # the turn's copy of its event's date: the first key of turn order
    event_id: int
    event_slug: str
    event_title: str
    event_day: dt.date | None  # the event's own date (None: undated)
    speaker_slug: str | None  # None: narrative
    speaker_name: str | None
    role: str  # the speaker's role at the event ("" without an appearance)
    outlet_slugs: list[str]  # the outlets they appeared for there, by name
    outlet_names: list[str]
    reply_ids: list[int]  # the answers to this turn, in order
    highlight: str | None  # with q: a snippet with the matches in <mark>, as HTML
    # (as read, before Highlighter: the query's tsquery as text)


_TURN = Turn._meta.db_table
_EVENT = Event._meta.db_table
_APPEARANCE = Appearance._meta.db_table
_APPEARANCE_OUTLETS = Appearance.outlets.through._meta.db_table

# Each TurnRow field's SQL, in TurnRow's order. {highlight} is the search's query as text,
# from which Highlighter makes the snippet.
_COLUMNS = {
    "id": "t.id",
    "sequence": "t.sequence",
    "kind": "t.kind",
    "speaker_label": "t.speaker_label",
    "attribution": "t.attribution",
    "text": "t.text",
    "word_count": "t.word_count",
    "line_start": "t.line_start",
    "line_end": "t.line_end",
    "offset": "t.offset",
    "in_reply_to_id": "t.in_reply_to_id",
    "event_date": "t.event_date",
    "event_id": "t.event_id",
    "event_slug": "e.slug",
    "event_title": "e.title",
    "event_day": "e.date",
    "speaker_slug": "p.slug",
    "speaker_name": "p.name",
    "role": "COALESCE(a.role, '')",
    "outlet_slugs": "COALESCE(o.slugs, '{}')",
    "outlet_names": "COALESCE(o.names, '{}')",
    "reply_ids": (
        f"ARRAY(SELECT r.id FROM {_TURN} r"  # nosec B608
        " WHERE r.in_reply_to_id = t.id ORDER BY r.sequence, r.id)"
    ),
    "highlight": "{highlight}",
}
assert tuple(_COLUMNS) == TurnRow._fields, "one SQL expression per TurnRow field, in order"
_SELECT = ", ".join(_COLUMNS.values())

# LATERAL: one probe of the (event, participant) unique index per row. A plain LEFT JOIN
# lets the planner read every appearance of a busy speaker for each page.
_DETAILS = f"""
    JOIN {_EVENT} e ON e.id = t.event_id
    LEFT JOIN {Participant._meta.db_table} p ON p.id = t.speaker_id
    LEFT JOIN LATERAL (
        SELECT ap.id, ap.role FROM {_APPEARANCE} ap
         WHERE ap.event_id = t.event_id AND ap.participant_id = t.speaker_id LIMIT 1
    ) a ON true
    LEFT JOIN LATERAL (
        SELECT array_agg(ot.slug ORDER BY ot.name, ot.id) AS slugs,
               array_agg(ot.name ORDER BY ot.name, ot.id) AS names
          FROM {_APPEARANCE_OUTLETS} ao JOIN {Outlet._meta.db_table} ot ON ot.id = ao.outlet_id
         WHERE ao.appearance_id = a.id
    ) o ON true"""  # nosec B608

_KEY = "(t.event_date, t.event_id, t.sequence)"
# A position in turn order given by a turn's event and sequence: the event's date is
# looked up (a cursor carries no date). An event that does not exist gives NULL, and
# a comparison with NULL matches no turn.
_POSITION = (
    f"((SELECT COALESCE(date, DATE '{UNDATED.isoformat()}')"  # nosec B608
    f" FROM {_EVENT} WHERE id = %s), %s, %s)"
)
_ASCENDING = "t.event_date, t.event_id, t.sequence"
_DESCENDING = "t.event_date DESC, t.event_id DESC, t.sequence DESC"
ORDERINGS = ("date", "-date", "relevance")
_QUERY = f"websearch_to_tsquery('{CONFIG}', %s) query"
# The expression of the turn_word_pairs index (Turn.Meta), and what in `q` may make a
# phrase: quotes, or words that the parser cuts in several ("covid-19", "u.s."). Only
# these ask the server for the query's text; the others are searched as before.
_PAIRS = "interviews_word_pairs(t.search_vector)"
_MAY_BE_PHRASE = re.compile(r'"|[^\W_][^\w\s]|_')

# A search ranks at most this many of its matches by relevance: the first a scan finds
# (all of them, for a rarer word), then the rest follow in date order. Ranking reads each
# match's row, so ranking every match of a common word read most of the table's pages.
# What the cap costs in relevance and gives in speed: bench/search_cap.py, RESULTS.md.
RANKED = 500


def reading_from() -> str:
    """The database this request reads turns from: a replica for the API when there are
    some (interviews/replicas.py), else the primary."""
    return router.db_for_read(Turn)


def listed(value: str) -> list[str]:
    """A repeatable parameter's values: its filter joins repeats with commas."""
    return [item.strip() for item in value.split(",") if item.strip()]


@dataclass
class TurnQuery:
    """The turns matching some conditions, in one of the API's orders.

    conditions are SQL fragments over the turn `t` with %s placeholders; `nothing`
    says a condition matched nothing (a name no participant has), so no query is needed.

    speaker_lookup, when set, is the SQL (and parameters) of the ids of the speaker
    one `speaker` value names. The page's statement runs it itself and follows the
    per-speaker index for the one id it expects (one round trip, not two), and says
    how many ids there were: when there were several (a name two people share), or
    the page came back empty, the ids are read and the page is read again for them.
    """

    conditions: list[tuple[str, list]] = field(default_factory=list)
    q: str | None = None
    ordering: str = "date"
    nothing: bool = False
    using: str = field(default_factory=reading_from)
    speaker_lookup: tuple[str, list] | None = None
    stable_plan: bool = True  # no condition whose best plan depends on its values

    @classmethod
    def from_filters(cls, cleaned: dict, using: str | None = None) -> TurnQuery:
        """The turns a TurnFilter's cleaned values ask for (see interviews.api.filters)."""
        using = using or reading_from()
        query = cls(using=using, q=cleaned.get("q") or None)
        if cleaned.get("speaker"):
            names = listed(cleaned["speaker"])
            if len(names) == 1:
                query.speaker_lookup = participant_ids_lookup(names)  # inside the page's query
            else:  # several names, or only commas (which name nobody)
                query.where_speakers(participant_ids_named(names, using))
        if cleaned.get("event"):
            query.where(
                f"t.event_id IN (SELECT id FROM {_EVENT} WHERE slug = ANY(%s))",  # nosec B608
                [v.lower() for v in listed(cleaned["event"])],
            )
        if cleaned.get("outlet"):
            ids = list(outlets_named(listed(cleaned["outlet"])).values_list("pk", flat=True))
            query.where(
                f"EXISTS (SELECT 1 FROM {_APPEARANCE} ap"  # nosec B608
                f" JOIN {_APPEARANCE_OUTLETS} ao ON ao.appearance_id = ap.id"
                " WHERE ap.event_id = t.event_id AND ap.participant_id = t.speaker_id"
                " AND ao.outlet_id = ANY(%s))",
                ids,
                stable=False,
            )
            query.nothing |= not ids
        if cleaned.get("kind"):
            query.where("t.kind = ANY(%s)", list(cleaned["kind"]), stable=False)
        if cleaned.get("date_after"):
            query.where("t.event_date >= %s", cleaned["date_after"], stable=False)
        if cleaned.get("date_before"):
            query.where("t.event_date <= %s", cleaned["date_before"], stable=False)
        if cleaned.get("in_reply_to") is not None:
            query.where("t.in_reply_to_id = %s", cleaned["in_reply_to"])
        query.ordering = cleaned.get("ordering") or "relevance"
        if query.ordering == "relevance" and not query.q:  # all tie: the date order
            query.ordering = "date"
        return query

    @classmethod
    def of_event(cls, slug: str, using: str | None = None) -> TurnQuery:
        """An event's turns, the event found by its slug inside the page's statement."""
        query = cls(using=using or reading_from())
        by_slug = f"t.event_id = (SELECT id FROM {_EVENT} WHERE slug = %s)"  # nosec B608
        query.where(by_slug, slug)
        return query

    @property
    def keyset(self) -> bool:
        """Paged by key (date orders) rather than by offset (relevance)."""
        return self.ordering != "relevance"

    @property
    def descending(self) -> bool:
        return self.ordering == "-date"

    def where(self, sql: str, *params, stable: bool = True) -> None:
        """A condition; stable=False when its best plan depends on the values (see fetch)."""
        self.conditions.append((sql, list(params)))
        self.stable_plan &= stable

    def where_speakers(self, ids: list[int]) -> None:
        """The speaker is one of these participants (none: nothing matches)."""
        # One speaker: `=` lets the planner read (speaker, date, event, sequence) in
        # order and stop after a page; with ANY it reads all their turns and sorts.
        if len(ids) == 1:
            self.where("t.speaker_id = %s", ids[0])
        else:  # two busy speakers or two rare ones: different plans
            self.where("t.speaker_id = ANY(%s)", ids, stable=False)
        self.nothing |= not ids

    def page(self, limit: int, after=None, before=None, offset: int = 0) -> list[TurnRow]:
        """Up to limit rows: after (or before) a key in the current order, or from an offset.

        A key is a turn's (event id, sequence); before a key the rows come nearest first.
        """
        if self.nothing:
            return []
        if not self.keyset:
            return self._ranked_page(limit, offset)
        sql, params = self._statement(limit, after, before, offset)
        counted = self.speaker_lookup is not None
        rows = fetch(self.using, sql, params, prepare=self.stable_plan and not self.q)
        if counted and (not rows or rows[0][-1] != 1):
            # No turns, or several participants go by that name: read their ids, and the
            # page again if it could differ (a name of two people).
            lookup, lookup_params = self.speaker_lookup
            self.speaker_lookup = None
            ids = sorted(pk for (pk,) in fetch(self.using, lookup, lookup_params))
            self.where_speakers(ids)
            if len(ids) > 1:
                return self.page(limit, after=after, before=before, offset=offset)
        if counted:  # the count, the last column, is not the row's
            rows = [values[:-1] for values in rows]
        return self._rows(rows)

    def _ranked_page(self, limit: int, offset: int) -> list[TurnRow]:
        """Up to limit rows by relevance from an offset: the matches ranked (RANKED at
        most), then, past them, the other matches in date order."""
        self._resolve_speaker()
        if self.nothing:
            return []
        where, params = self._search_conditions()
        ranked = fetch(
            self.using, self._ranked_sql(where), params, prepare=False, scan_from_start=True
        )
        ids = [pk for pk, _ in ranked[offset : offset + limit]]
        if len(ranked) == RANKED and offset + limit > RANKED:
            rest = (
                f"SELECT t.id FROM {_TURN} t, {_QUERY} WHERE {where}"  # nosec B608
                f" AND t.id <> ALL(%s) ORDER BY {_ASCENDING} LIMIT %s OFFSET %s"
            )
            skip = max(0, offset - RANKED)
            taken = [pk for pk, _ in ranked]
            rest_params = [*params, taken, limit - len(ids), skip]
            ids += [pk for (pk,) in fetch(self.using, rest, rest_params, prepare=False)]
        if not ids:
            return []
        details = f"SELECT {_SELECT} FROM {_TURN} t{_DETAILS} WHERE t.id = ANY(%s)"  # nosec B608
        details = details.replace("{highlight}", "%s::text")
        found = {values[0]: values for values in fetch(self.using, details, [ranked[0][1], ids])}
        return self._rows([found[pk] for pk in ids if pk in found])

    def _resolve_speaker(self) -> None:
        """A speaker named in speaker_lookup as ids (for statements that cannot carry it)."""
        if self.speaker_lookup:
            lookup, lookup_params = self.speaker_lookup
            self.speaker_lookup = None
            self.where_speakers(sorted(pk for (pk,) in fetch(self.using, lookup, lookup_params)))

    def _search_conditions(self) -> tuple[str, list]:
        """The conditions and the search, over `t` and `query` (_QUERY), with parameters."""
        where = " AND ".join(f"({sql})" for sql, _ in [*self.conditions, self._match])
        params = [self.q]
        for _, values in [*self.conditions, self._match]:
            params += values
        return where, params

    @cached_property
    def _match(self) -> tuple[str, list]:
        """The search's condition over `t` and `query` (_QUERY), with its parameters.

        A phrase is looked up by its adjacent word pairs (turn_word_pairs), which only
        the turns holding the phrase have, and checked on those turns' vectors.
        ts_match_vq is `@@` written as a function, which the planner does not match to
        turn_search_vector: that index would add every turn holding the phrase's words
        anywhere, and the check of each of them would run on the pairs' expression too.
        """
        pairs = None
        if _MAY_BE_PHRASE.search(self.q):
            statement = f"SELECT websearch_to_tsquery('{CONFIG}', %s)::text"
            pairs = phrase_pairs(fetch(self.using, statement, [self.q])[0][0])
        if pairs is None:
            return "t.search_vector @@ query", []
        return f"{_PAIRS} @@ %s::tsquery AND ts_match_vq(t.search_vector, query)", [pairs]

    @staticmethod
    def _ranked_sql(where: str, select: str = "s.id, s.query::text") -> str:
        """The matches ranked (at most RANKED, the first the index yields), best first:
        their ids and the query as text (or `select` of s.id, s.rank, s.query)."""
        return (
            f"SELECT {select} FROM (SELECT t.id, t.event_date, t.event_id,"  # nosec B608
            f" t.sequence, ts_rank(t.search_vector, query) AS rank, query"
            f" FROM {_TURN} t, {_QUERY} WHERE {where} LIMIT {RANKED}) s"
            f" ORDER BY s.rank DESC, s.event_date, s.event_id, s.sequence"
        )

    def stream(self, batch: int = 1000) -> Iterator[TurnRow]:
        """Every matching row in order, read by a server-side cursor a batch at a time."""
        if self.nothing:
            return
        self._resolve_speaker()  # the ids first: one statement for the whole stream
        if self.nothing:
            return
        sql, params = self._statement(None, None, None, 0)
        connection = connections[self.using]
        connection.ensure_connection()
        raw = connection.connection
        # The response is streamed after the view returns: the stream is a transaction of
        # its own, so the cursor reads a batch at a time (WITH HOLD, outside one, made
        # PostgreSQL copy the whole result first) and a pooler in transaction mode keeps
        # it on one server connection. Closing the response early rolls it back.
        with raw.transaction(), raw.cursor(name="turn_stream") as cursor:
            cursor.itersize = batch
            if not self.keyset:  # the ranked matches as a page's statement finds them
                raw.execute(_SCAN_FROM_START)
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(batch):
                yield from self._rows(rows)

    def _rows(self, rows: list[tuple]) -> list[TurnRow]:
        """TurnRows of a statement's rows; with q, their highlights made."""
        if not self.q or not rows:
            return [TurnRow._make(values) for values in rows]
        marked = Highlighter(rows[0][-1], self.using).mark([values[5] for values in rows])
        return [
            TurnRow._make((*values[:-1], snippet))
            for values, snippet in zip(rows, marked, strict=True)
        ]

    def _statement(self, limit, after, before, offset) -> tuple[str, list]:
        prefix, columns, head_params, params = "", _SELECT, [], []
        where = [sql for sql, _ in self.conditions]
        if self.speaker_lookup:
            lookup, lookup_params = self.speaker_lookup
            prefix = f"WITH named AS MATERIALIZED ({lookup}) "
            head_params += lookup_params
            where.append("t.speaker_id = (SELECT min(id) FROM named)")
        search = ""
        if self.q:
            columns = columns.replace("{highlight}", "query::text")
            search = f", {_QUERY}"
            params.append(self.q)
        else:
            columns = columns.replace("{highlight}", "NULL::text")
        if self.speaker_lookup:
            columns += ", (SELECT count(*) FROM named)"
        for _, values in self.conditions:
            params += values
        if self.q:
            where.append(self._match[0])
            params += self._match[1]
        scan_descending = self.descending
        if self.keyset:
            # Going back from a key, the rows nearest to it first.
            scan_descending = self.descending != (before is not None)
            key = after if after is not None else before
            if key is not None:
                event_id, sequence = key
                where.append(f"{_KEY} {'<' if scan_descending else '>'} {_POSITION}")
                params += [event_id, event_id, sequence]
        matching = " WHERE " + " AND ".join(f"({w})" for w in where) if where else ""
        limited = " LIMIT %s" if limit is not None else ""
        if self.keyset:
            order = _DESCENDING if scan_descending else _ASCENDING
            # nosec B608
            sql = f"{prefix}SELECT {columns} FROM {_TURN} t{_DETAILS}{search}{matching}"  # nosec
            sql += f" ORDER BY {order}{limited}"
            params += [limit] if limit is not None else []
        else:
            # The whole stream by relevance, in _ranked_page's order: the ranked matches
            # best first, then the others by date.
            ranked = self._ranked_sql(" AND ".join(f"({w})" for w in where), "s.id, s.rank")
            params = [*params, *params]  # the ranked matches' conditions, then the stream's
            sql = (
                f"{prefix}SELECT {columns} FROM {_TURN} t"  # nosec B608
                f" LEFT JOIN ({ranked}) r ON r.id = t.id{_DETAILS}{search}{matching}"
                f" ORDER BY r.id IS NULL, r.rank DESC, {_ASCENDING}"
            )
        return sql, head_params + params


class Highlighter:
    """Snippets of texts with the words of a search marked (search.snippet).

    A word is marked when the server's parser and dictionaries (CONFIG) make it one of
    the query's wanted lexemes, so the stemming is always the server's own (Snowball's
    English stemmer differs between PostgreSQL releases). The server is asked once per
    word; its answers are kept for the process, a vocabulary of at most KEPT words."""

    KEPT = 200_000
    _lexemes: dict[str, frozenset[str]] = {}  # a lowercased word: what the server makes of it

    def __init__(self, tsquery: str, using: str):
        self.wanted = wanted_lexemes(tsquery)
        self.candidates = words_like(self.wanted)  # other words need no asking
        self.using = using

    def _candidates(self, text: str) -> list[tuple[int, int, str]]:
        """The spans of the words of a text that may match, each with the word lowercased."""
        lowered = text.lower()
        if len(lowered) != len(text):  # a letter whose lowercase is longer: spans would shift
            return [
                (found.start(), found.end(), found[0].lower())
                for found in re.finditer(self.candidates.pattern, text, re.IGNORECASE)
            ]
        return [
            (found.start(), found.end(), found[0]) for found in self.candidates.finditer(lowered)
        ]

    def mark(self, texts: list[str]) -> list[str]:
        """Each text's snippet, HTML, with its wanted words in <mark>."""
        known, wanted = self._lexemes, self.wanted
        found = [self._candidates(text) for text in texts]
        unknown = {word for spans in found for _, _, word in spans if word not in known}
        asked: dict[str, frozenset[str]] = {}  # this page's answers, whatever the cache keeps
        if unknown:
            sql = (
                "SELECT w, tsvector_to_array(to_tsvector(%s::regconfig, w))"
                " FROM unnest(%s::text[]) w"
            )
            for word, lexemes in fetch(self.using, sql, [CONFIG, sorted(unknown)]):
                asked[word] = frozenset(lexemes)
            if len(known) + len(asked) > self.KEPT:
                known.clear()
            known.update(asked)
        nothing: frozenset[str] = frozenset()

        def matches(word: str) -> bool:
            return not asked.get(word, known.get(word, nothing)).isdisjoint(wanted)

        return [
            snippet(text, [(a, b) for a, b, word in spans if matches(word)])
            for text, spans in zip(texts, found, strict=True)
        ]


def turn(pk: int, using: str | None = None) -> TurnRow | None:
    """One turn by id, or None."""
    query = TurnQuery(using=using or reading_from())
    query.where("t.id = %s", pk)
    rows = query.page(1)
    return rows[0] if rows else None


# --- participants and outlets by name (the filters' SQL) ------------------------------------


def participant_ids_lookup(values: list[str]) -> tuple[str, list]:
    """SQL of the ids of the participants whose slug, name or alias matches one of the
    values (case- and accent-blind), or who were merged into one that does; and its
    parameters.

    One UNION of index lookups (an OR across the joins defeats the indexes), written by
    hand: it runs on every `?speaker=` request, where the ORM cost more to build it
    than PostgreSQL to run it.
    """
    keys = [name_key(value) for value in values]
    slugs = [value.lower() for value in values]

    def among(values):
        return ", ".join(["%s"] * len(values))

    sql = (
        f"SELECT id FROM {Participant._meta.db_table}"  # nosec B608
        f" WHERE slug IN ({among(slugs)}) OR name_key IN ({among(keys)})"
        f" UNION SELECT participant_id FROM {Alias._meta.db_table} WHERE key IN ({among(keys)})"
        f" UNION SELECT participant_id FROM {ParticipantRedirect._meta.db_table}"
        f" WHERE slug IN ({among(slugs)})"
    )
    return sql, [*slugs, *keys, *keys, *slugs]


def participant_ids_named(values: list[str], using: str | None = None) -> list[int]:
    """Ids of the participants the values name (participant_ids_lookup), sorted."""
    if not values:
        return []
    using = using or reading_from()
    sql, params = participant_ids_lookup(values)
    return sorted(pk for (pk,) in fetch(using, sql, params))


def participants_with_name_part(part: str) -> RawSQL:
    """A condition on participants: part of the name or of an alias matches, case- and
    accent-blind (as a filter of Participant querysets).

    A UNION of two LIKEs, each answered by its trigram index; an OR across the alias
    join would scan every participant. The ids as an array computed once: PostgreSQL
    then fetches those rows by primary key, where `id IN (…)` hashed the ids and scanned
    every participant against them.
    """
    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", name_key(part)) + "%"
    table = Participant._meta.db_table
    union = (
        f"SELECT id FROM {table} WHERE name_key LIKE %s ESCAPE '\\'"  # nosec B608
        f" UNION SELECT participant_id FROM {Alias._meta.db_table}"
        " WHERE key LIKE %s ESCAPE '\\'"
    )
    condition = f'"{table}"."id" = ANY(ARRAY({union}))'
    return RawSQL(condition, [pattern, pattern], BooleanField())  # nosec B611


def outlets_named(values: list[str]):
    """Outlets whose slug or name (case-insensitive), or an alias's, is one of the values."""
    slugs = [value.lower() for value in values]
    query = Q(slug__in=slugs) | Q(aliases__slug__in=slugs)
    for value in values:
        query |= Q(name__iexact=value) | Q(aliases__name__iexact=value)
    return Outlet.objects.filter(query).values("pk")


# --- running a statement ---------------------------------------------------------------------


class _BinaryCursor(psycopg.Cursor):
    """Results in PostgreSQL's binary format (dates, numbers and arrays parse faster);
    prepare=False keeps a statement from being prepared."""

    prepare: bool | None = None

    def execute(self, query, params=None, *, prepare=None, binary=True):
        prepare = self.prepare if prepare is None else prepare
        return super().execute(query, params, prepare=prepare, binary=binary)


# For the statements that rank "the first matches a scan finds" (RANKED): the same ones on
# every request. With synchronized scans (PostgreSQL's default) a scan of a large table
# starts where the last one stopped, and a parallel scan returns rows in no set order.
# Local to a transaction of their own: behind PgBouncer a session SET would not follow.
_SCAN_FROM_START = (
    "SELECT set_config('synchronize_seqscans', 'off', true),"
    " set_config('max_parallel_workers_per_gather', '0', true)"
)


def fetch(
    using: str, sql: str, params: list, prepare: bool = True, scan_from_start: bool = False
) -> list[tuple]:
    """Run a statement; all its rows.

    A page's statement takes PostgreSQL longer to plan than to run, and there are a
    handful of distinct statements. Through a server-binding cursor psycopg prepares
    each on its second use on a connection (OPTIONS prepare_threshold, settings;
    DJANGO_DB_PREPARED_QUERIES=0 behind a pooler that cannot keep them), so PostgreSQL
    then only executes it. Django's wrapper still logs the query and applies
    execute_wrappers.

    prepare=False for a statement whose best plan depends on its parameters' values
    (a search, a date range): a prepared statement may settle on one generic plan for
    all of them, and a page of a rare word would then walk the whole table.
    """
    connection = connections[using]
    # What Django's own cursor() does first: a kept connection is checked (when
    # CONN_HEALTH_CHECKS is on), opened if need be, and used by its own thread only.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = _BinaryCursor(connection.connection)
    if not prepare:
        raw.prepare = False
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    if not scan_from_start:
        with wrap(raw) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    with connection.connection.transaction(), wrap(raw) as cursor:
        raw.execute(_SCAN_FROM_START, prepare=False)
        cursor.execute(sql, params)
        return cursor.fetchall()
