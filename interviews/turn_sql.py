"""Pages of turns in one hand-written SQL query on PostgreSQL: the API's hot path.

`/api/turns` and an event's transcript are what applications call most. Through the
ORM a page cost ~10 ms of Python (building, cloning and compiling a query with three
subqueries, then a model instance per row) for ~1 ms of database work. Here the
FilterSet still validates the parameters and states the contract; TurnFilter turns
its cleaned values into WHERE conditions, and one statement brings each turn with its
event, speaker, the speaker's role and outlets at the event, the ids of its replies
and, with `q`, its rank and highlight. Rows become TurnRow objects, which the
TurnSerializer represents exactly as it does a Turn (a test compares both paths).

Other databases (SQLite for `make run`) and CSV exports go through the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter

import psycopg
from django.db import connections

from .search import CONFIG, HEADLINE_OPTIONS, markup
from .turn_details import appearance_outlets

_COLUMNS = """
    t.id, t.sequence, t.kind, t.speaker_label, t.attribution, t.text, t.word_count,
    t.line_start, t.line_end, t.in_reply_to_id, t.event_date, t.event_id,
    e.slug, e.title, e.date, p.slug, p.name, a.role,
    (SELECT ARRAY[array_agg(o.slug ORDER BY o.name, o.id),
                  array_agg(o.name ORDER BY o.name, o.id)]
       FROM interviews_appearance_outlets ao
       JOIN interviews_outlet o ON o.id = ao.outlet_id
      WHERE ao.appearance_id = a.id),
    ARRAY(SELECT r.id FROM interviews_turn r WHERE r.in_reply_to_id = t.id
          ORDER BY r.sequence, r.id),
    t.offset"""

# LATERAL: one probe of the (event, participant) unique index per row. A plain LEFT JOIN
# lets the planner read every appearance of a busy speaker for each page.
_FROM = """
    FROM interviews_turn t
    JOIN interviews_event e ON e.id = t.event_id
    LEFT JOIN interviews_participant p ON p.id = t.speaker_id
    LEFT JOIN LATERAL (
        SELECT ap.id, ap.role FROM interviews_appearance ap
         WHERE ap.event_id = t.event_id AND ap.participant_id = t.speaker_id LIMIT 1
    ) a ON true"""

_KEY = "(t.event_date, t.event_id, t.sequence)"
_ASCENDING = "t.event_date, t.event_id, t.sequence"
_DESCENDING = "t.event_date DESC, t.event_id DESC, t.sequence DESC"


class _BinaryCursor(psycopg.Cursor):
    """Results in PostgreSQL's binary format (dates, numbers and arrays parse faster);
    prepare=False keeps a statement from being prepared."""

    prepare: bool | None = None

    def execute(self, query, params=None, *, prepare=None, binary=True):
        prepare = self.prepare if prepare is None else prepare
        return super().execute(query, params, prepare=prepare, binary=binary)


def fetch(using: str, sql: str, params: list, prepare: bool = True) -> list[tuple]:
    """Run a hot-path query; all its rows.

    A page's statement takes PostgreSQL longer to plan (~0.9 ms) than to run (~0.4 ms),
    and there are a handful of distinct statements. Through a server-binding cursor
    psycopg prepares each on its second use on a connection (OPTIONS prepare_threshold,
    config/settings.py; DJANGO_DB_PREPARED_QUERIES=0 for a pooler that cannot keep
    prepared statements), so PostgreSQL then only executes it. Django's wrapper still
    logs the query and applies execute_wrappers.

    prepare=False for a statement whose best plan depends on its parameters' values
    (a search, a date range): a prepared statement may settle on one generic plan for
    all of them, and a page of a rare word would then walk the whole table.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":  # participant lookups run on SQLite too
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    # What Django's own cursor() does first: a kept connection is checked (when
    # CONN_HEALTH_CHECKS is on), opened if need be, and used by its own thread only.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = _BinaryCursor(connection.connection)
    if not prepare:
        raw.prepare = False
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    with wrap(raw) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def enabled(using: str = "default") -> bool:
    """Whether pages of turns are read with this module's SQL (PostgreSQL only)."""
    return connections[using].vendor == "postgresql"


_FIELDS = (
    "id sequence kind speaker_label attribution text word_count line_start line_end"
    " in_reply_to_id event_date event_id event_slug event_title event_day speaker_slug"
    " speaker_name"
).split()


class TurnRow(tuple):
    """A turn as a page shows it: the statement's first 21 columns as they come (a tuple,
    made per row at the cost of a copy), then, on a page with `q`, the highlight as HTML.

    Columns 0-16 are named below; 17 is the speaker's role at the event (None without
    an appearance), 18 their outlets there as [slugs, names] by name (None: none), 19
    the ids of the turn's replies, 20 its offset in the recording. event_day is the
    event's own date (event_date, its copy on the turn, orders the pages).
    """

    __slots__ = ()

    @property
    def pk(self):
        return self[0]

    @property
    def role(self) -> str:
        return self[17] or ""

    @property
    def outlets(self) -> list[tuple[str, str]]:
        return list(zip(*self[18], strict=True)) if self[18] else []

    @property
    def reply_ids(self) -> list[int]:
        return self[19]

    @property
    def highlight(self) -> str | None:
        return self[21] if len(self) > 21 else None

    @classmethod
    def of(cls, turn) -> TurnRow:
        """The row of a Turn read through the ORM (with turn_details attached)."""
        event, speaker, appearance = turn.event, turn.speaker, turn.appearance
        outlets = appearance_outlets(appearance) if appearance else []
        return cls(
            (
                turn.pk,
                turn.sequence,
                turn.kind,
                turn.speaker_label,
                turn.attribution,
                turn.text,
                turn.word_count,
                turn.line_start,
                turn.line_end,
                turn.in_reply_to_id,
                turn.event_date,
                turn.event_id,
                event.slug,
                event.title,
                event.date,
                speaker.slug if speaker else None,
                speaker.name if speaker else None,
                appearance.role if appearance else None,
                [[o.slug for o in outlets], [o.name for o in outlets]] if outlets else None,
                _reply_ids(turn),
                turn.offset,
                getattr(turn, "highlight", None),
            )
        )


for _index, _name in enumerate(_FIELDS):  # the named columns: row.text is row[5]
    setattr(TurnRow, _name, property(itemgetter(_index)))
del _index, _name


@dataclass
class TurnPageQuery:
    """The turns matching some conditions, in one of the API's orders, read a page at a time.

    conditions are SQL fragments over the turn `t` with %s placeholders; `nothing`
    says a filter matched nothing (a name no participant has), so no query is needed.

    speaker_lookup, when set, is the SQL (and parameters) of the ids of the speaker
    one `speaker` value names. The page's statement runs it itself and follows the
    per-speaker index for the one id it expects (one round trip, not two), and says
    how many ids there were: when there were several (a name two people share), or
    the page came back empty, the ids are read and the page is read again for them.
    """

    conditions: list[tuple[str, list]] = field(default_factory=list)
    q: str | None = None
    ordering: str = "date"  # date, -date or relevance (needs q)
    nothing: bool = False
    using: str = "default"
    speaker_lookup: tuple[str, list] | None = None
    stable_plan: bool = True  # no condition whose best plan depends on its values

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

        Before a key the rows come nearest first, as a reversed queryset gives them.
        """
        if self.nothing:
            return []
        prefix, columns, head_params, params = "", _COLUMNS, [], []
        where = [sql for sql, _ in self.conditions]
        if self.speaker_lookup:
            lookup, lookup_params = self.speaker_lookup
            prefix = f"WITH named AS MATERIALIZED ({lookup}) "
            head_params += lookup_params
            columns += ", (SELECT count(*) FROM named)"
            where.append("t.speaker_id = (SELECT min(id) FROM named)")
        search = ""
        if self.q:
            columns += f", ts_headline('{CONFIG}', t.text, query, %s)"
            head_params.append(HEADLINE_OPTIONS)
            search = f", websearch_to_tsquery('{CONFIG}', %s) query"
            params.append(self.q)
            where.append("t.search_vector @@ query")
        for _, values in self.conditions:
            params += values
        if self.keyset:
            # Going back from a key, the rows nearest to it first (as a reversed queryset).
            scan_descending = self.descending != (before is not None)
            key = after if after is not None else before
            if key is not None:
                where.append(f"{_KEY} {'<' if scan_descending else '>'} (%s, %s, %s)")
                params += list(key)
        matching = " WHERE " + " AND ".join(f"({w})" for w in where) if where else ""
        if self.keyset:
            order = _DESCENDING if scan_descending else _ASCENDING
            sql = f"{prefix}SELECT {columns} {_FROM}{search}{matching} ORDER BY {order} LIMIT %s"
            params.append(limit)
        else:
            # By relevance, from an offset: the rows skipped are only ranked; the page's own
            # rows are then joined, detailed and highlighted (not every row before them).
            ranked = (
                f"SELECT t.id, ts_rank(t.search_vector, query) AS rank, query"
                f" FROM interviews_turn t{search}{matching}"
                f" ORDER BY rank DESC, {_ASCENDING} LIMIT %s OFFSET %s"
            )
            params += [limit, offset]
            page = f"FROM ({ranked}) ranked JOIN interviews_turn t ON t.id = ranked.id"
            columns = columns.replace("t.text, query, %s)", "t.text, ranked.query, %s)")
            sql = f"{prefix}SELECT {columns} {_FROM.replace('FROM interviews_turn t', page, 1)}"
            sql += f" ORDER BY ranked.rank DESC, {_ASCENDING}"
        params = head_params + params
        rows = fetch(self.using, sql, params, prepare=self.stable_plan and not self.q)
        if self.speaker_lookup and (not rows or rows[0][21] != 1):
            # No turns, or several participants go by that name: read their ids, and the
            # page again if it could differ (a name of two people).
            lookup, lookup_params = self.speaker_lookup
            self.speaker_lookup = None
            ids = sorted(pk for (pk,) in fetch(self.using, lookup, lookup_params))
            self.where_speakers(ids)
            if len(ids) > 1:
                return self.page(limit, after=after, before=before, offset=offset)
        if self.q:  # the highlight (the last column) as HTML, after the 21 columns
            return [TurnRow((*values[:21], markup(values[-1]))) for values in rows]
        if self.speaker_lookup:  # without the count (column 21)
            return [TurnRow(values[:21]) for values in rows]
        return [TurnRow(values) for values in rows]


def _reply_ids(turn) -> list[int]:
    ids = getattr(turn, "reply_ids", None)  # set by turn_details.attach_turn_details
    return [reply.pk for reply in turn.replies.all()] if ids is None else ids
