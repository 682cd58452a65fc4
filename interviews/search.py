"""Full-text search: PostgreSQL's, or a simpler match on SQLite with the same results shape.

On PostgreSQL `q` is read with websearch_to_tsquery (English stemming; "exact
phrase", `or`, `-exclude`), matched against the GIN-indexed tsvector of the
text and ordered by ts_rank; highlights come from ts_headline. On SQLite the
same syntax is matched case-insensitively as plain substrings.

Highlights are HTML-safe: the text is escaped and only the <mark> tags around
matched words are markup.
"""

import html
import re

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connections
from django.db.models import FloatField, Q, Value
from django.db.models.expressions import RawSQL

CONFIG = "english"
# Private-use characters stand in for the tags until the snippet is escaped.
_START, _STOP = "\ue000", "\ue001"
SNIPPET_CHARS = 240
# ts_headline's options: short fragments around the matches (Django's SearchHeadline
# arguments below, and the option string interviews.turn_sql passes as a parameter).
HEADLINE = {
    "start_sel": _START,
    "stop_sel": _STOP,
    "max_words": 35,
    "min_words": 15,
    "max_fragments": 2,
    "fragment_delimiter": " … ",
}
HEADLINE_OPTIONS = ", ".join(
    f"{name.title().replace('_', '')}='{value}'"
    if isinstance(value, str)
    else f"{name.title().replace('_', '')}={value}"
    for name, value in HEADLINE.items()
)


def is_postgresql(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def search(queryset, q: str, fields: tuple[str, ...], rank: bool = True, stored_vector=None):
    """Rows matching q in any of fields; annotated with `rank` (0 on SQLite) when rank=True.

    stored_vector names a tsvector column that PostgreSQL keeps for those fields
    (see migration 0002), used instead of computing the vector per row.
    """
    if is_postgresql(queryset):
        if stored_vector:
            column = f'"{queryset.model._meta.db_table}"."{stored_vector}"'
            vector = RawSQL(column, [], output_field=SearchVectorField())
        else:
            vector = SearchVector(*fields, config=CONFIG)
        query = SearchQuery(q, search_type="websearch", config=CONFIG)
        queryset = queryset.annotate(search_vector=vector).filter(search_vector=query)
        return queryset.annotate(rank=SearchRank(vector, query)) if rank else queryset
    condition = _substring_condition(parse_websearch(q), fields)
    queryset = queryset.filter(condition) if condition is not None else queryset.none()
    if rank:
        queryset = queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    return queryset


def attach_highlights(turns, q: str | None) -> None:
    """Set `turn.highlight` on each turn: a snippet with matches in <mark>, or None."""
    if not turns:
        return
    if not q:
        for turn in turns:
            turn.highlight = None
        return
    model = type(turns[0])
    queryset = model.objects.using(turns[0]._state.db)
    if is_postgresql(queryset):
        query = SearchQuery(q, search_type="websearch", config=CONFIG)
        headlines = dict(
            queryset.filter(pk__in=[turn.pk for turn in turns])
            .annotate(headline=SearchHeadline("text", query, config=CONFIG, **HEADLINE))
            .values_list("pk", "headline")
        )
        for turn in turns:
            turn.highlight = markup(headlines.get(turn.pk, ""))
    else:
        terms = [term for clause in parse_websearch(q)[0] for term in clause]
        for turn in turns:
            turn.highlight = _substring_snippet(turn.text, terms)


def parse_websearch(q: str) -> tuple[list[list[str]], list[str]]:
    """'a "b c" or d -e' -> ([[a], [b c, d]], [e]): clauses of alternatives, and exclusions."""
    clauses: list[list[str]] = []
    excluded: list[str] = []
    join_next = False
    for match in re.finditer(r'(-?)"([^"]*)"?|(\S+)', q):
        negated = match.group(1) == "-"
        term = match.group(2) if match.group(2) is not None else match.group(3)
        if match.group(3) is not None and match.group(3).startswith("-") and len(term) > 1:
            negated, term = True, term[1:]
        term = term.strip()
        if not term:
            continue
        if match.group(3) is not None and term.lower() == "or" and clauses:
            join_next = True
            continue
        if negated:
            excluded.append(term)
        elif join_next:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        join_next = False
    return clauses, excluded


def _substring_condition(parsed, fields):
    clauses, excluded = parsed
    if not clauses:
        return None
    condition = Q()
    for alternatives in clauses:
        any_of = Q()
        for term in alternatives:
            for field in fields:
                any_of |= Q(**{f"{field}__icontains": term})
        condition &= any_of
    for term in excluded:
        for field in fields:
            condition &= ~Q(**{f"{field}__icontains": term})
    return condition


def _substring_snippet(text: str, terms: list[str]) -> str:
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, first.start() - SNIPPET_CHARS // 3) if first else 0
    end = min(len(text), start + SNIPPET_CHARS)
    # Whole words only: move the cut points to the nearest spaces inside the window.
    if start > 0 and " " in text[start:end]:
        start = text.index(" ", start) + 1
    if end < len(text) and " " in text[start:end]:
        end = text.rindex(" ", start, end)
    marked = pattern.sub(lambda m: f"{_START}{m.group()}{_STOP}", text[start:end])
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + markup(marked) + suffix


def markup(marked: str) -> str:
    """A ts_headline or substring snippet as HTML: escaped, matches in <mark>."""
    return html.escape(marked).replace(_START, "<mark>").replace(_STOP, "</mark>")
