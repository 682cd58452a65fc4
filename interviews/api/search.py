"""Full-text search: PostgreSQL's, with English stemming.

`q` is read with websearch_to_tsquery ("exact phrase", `or`, `-exclude`), matched
against a tsvector (the turns' stored, GIN-indexed Turn.search_vector in
interviews.api.selectors, or one computed from an event's title and summary here) and
ordered by ts_rank; highlights come from ts_headline.

Highlights are HTML-safe: the text is escaped and only the <mark> tags around
matched words are markup.
"""

import html

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

CONFIG = "english"
# Private-use characters stand in for the tags until the snippet is escaped.
_START, _STOP = "\ue000", "\ue001"
# ts_headline's options: short fragments around the matches, as the option string
# interviews.api.selectors passes as a parameter.
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


def search(queryset, q: str, fields: tuple[str, ...]):
    """Rows matching q in any of fields (a vector computed per row: events' title and
    summary; turns have their own, read by interviews.api.selectors); with `rank`."""
    vector = SearchVector(*fields, config=CONFIG)
    query = SearchQuery(q, search_type="websearch", config=CONFIG)
    queryset = queryset.annotate(search_vector=vector).filter(search_vector=query)
    return queryset.annotate(rank=SearchRank(vector, query))


def markup(marked: str) -> str:
    """A ts_headline snippet as HTML: escaped, matches in <mark>."""
    return html.escape(marked).replace(_START, "<mark>").replace(_STOP, "</mark>")
