"""Full-text search: PostgreSQL's, with English stemming.

`q` is read with websearch_to_tsquery ("exact phrase", `or`, `-exclude`), matched
against a tsvector (the turns' stored, GIN-indexed Turn.search_vector in
interviews.api.selectors, or one computed from an event's title and summary here) and
ordered by ts_rank.

Highlights are made here from the page's texts rather than by ts_headline, which parsed
and stemmed every word of every text on the page inside the query: a word is marked
when the server's own dictionaries turn it into one of the query's lexemes (asked of
the database once per word and kept; see interviews.api.selectors.Highlighter). They
are HTML-safe: the text is escaped and only the <mark> tags around matched words are
markup.
"""

import html
import re
from bisect import bisect_left

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

CONFIG = "english"

# A snippet: up to FRAGMENTS runs of at most FRAGMENT_WORDS words around the matches,
# joined by DELIMITER; a text of FRAGMENT_WORDS words or fewer is shown whole.
FRAGMENT_WORDS = 35
FRAGMENTS = 2
DELIMITER = " … "
# Words before the first match of a fragment, so that a match is read in its sentence.
LEAD = 8
# Matches tried as the start of a fragment (a long speech may hold hundreds), and the
# characters a fragment's words take, about, to judge which matches lie close together.
CANDIDATE_HITS = 50
RUN_CHARACTERS = FRAGMENT_WORDS * 6

# A tsquery's text, token by token: a quoted lexeme (group 1) with its suffix (group 2),
# an operator, a parenthesis; anything else is one character of its own.
_QUERY_TOKEN = re.compile(r"'((?:[^']|'')*)'(:[*A-D]+)?|<(?:-|\d+)>|[&|!()]|\S")


def _unquoted(lexeme: str) -> str:
    """A lexeme as tsquery's output quotes it, back as it is: a quote or a backslash
    inside one is doubled."""
    return re.sub(r"''|\\\\", lambda m: m[0][0], lexeme)


def search(queryset, q: str, fields: tuple[str, ...]):
    """Rows matching q in any of fields (a vector computed per row: events' title and
    summary; turns have their own, read by interviews.api.selectors); with `rank`."""
    vector = SearchVector(*fields, config=CONFIG)
    query = SearchQuery(q, search_type="websearch", config=CONFIG)
    queryset = queryset.annotate(search_vector=vector).filter(search_vector=query)
    return queryset.annotate(rank=SearchRank(vector, query))


def words_like(lexemes: frozenset[str]) -> re.Pattern:
    """Lowercase words (letters and digits, cut at anything else, as PostgreSQL's parser
    cuts them) that may stem to one of these lexemes: those starting with a lexeme's
    first two characters. Snowball's English stemmer keeps them, but for "dying",
    "lying" and "tying" ("die", "lie", "tie").

    The literal comes first and the word boundary is checked behind it, so the regex
    skips ahead to the next candidate (checking a boundary first, at every character,
    was twenty times slower)."""
    prefixes = set()
    for lexeme in lexemes:
        prefix = lexeme[:2]
        prefixes.add(prefix)
        if prefix in {"di", "li", "ti"}:
            prefixes.add(prefix[0] + "y")
    if not prefixes:
        return re.compile(r"(?!)")
    alternatives = "|".join(
        f"{re.escape(prefix)}(?<![^\\W_]{re.escape(prefix)})" for prefix in sorted(prefixes)
    )
    return re.compile(rf"(?:{alternatives})[^\W_]*")


def wanted_lexemes(tsquery: str) -> frozenset[str]:
    """The lexemes a match may show, from a tsquery's text (`'vaccin' <-> 'nation'`,
    `'subject' & !'resid'`): every one not under a `!`."""
    wanted, negated, pending = set(), [False], False
    for match in _QUERY_TOKEN.finditer(tsquery):
        token = match[0]
        if token == "!":
            pending = not pending
        elif token == "(":
            negated.append(negated[-1] != pending)
            pending = False
        elif token == ")":
            if len(negated) > 1:
                negated.pop()
        elif match[1] is not None:
            if negated[-1] == pending:
                wanted.add(_unquoted(match[1]))
            pending = False
    return frozenset(wanted)


# interviews_word_pairs (migration 0013): its longest pair, in bytes (a lexeme's limit),
# and its mark of a turn with more pairs than a vector holds.
PAIR_BYTES = 2047
PAIRS_OVERFLOW = "*"


def phrase_pairs(tsquery: str) -> str | None:
    """The pairs of adjacent lexemes every match of a tsquery holds, from its text, as a
    tsquery of interviews_word_pairs' lexemes (`'alreadi announc'`); None if none.

    Only what every match must hold is taken: pairs joined by `<->` in a conjunct of
    plain lexemes (`'a' <-> 'b' & 'c'`); nothing inside parentheses, after a `!` or with
    a prefix (`:*`), and nothing at all from a query with an `|` outside parentheses.
    However a chain is grouped, lexemes that `<->` joins lie one position apart. A pair
    too long to be a lexeme is not asked for: the function leaves it out too."""
    pairs, previous, adjacent, depth, negated = [], None, False, 0, False
    for match in _QUERY_TOKEN.finditer(tsquery):
        token, lexeme, suffix = match[0], match[1], match[2]
        if token in {"(", ")"}:
            depth += 1 if token == "(" else -1
            previous, adjacent, negated = None, False, False
        elif depth:
            continue
        elif lexeme is not None:
            plain = None if suffix or negated else lexeme
            if adjacent and previous is not None and plain is not None:
                pair = f"{previous} {plain}"
                if len(_unquoted(pair).encode()) <= PAIR_BYTES:
                    pairs.append(pair)
            previous, adjacent, negated = plain, False, False
        elif token == "|":
            return None  # an alternative may hold no pair
        elif token == "<->":
            adjacent = True
        elif token == "!":
            previous, adjacent, negated = None, False, True
        elif token == "&" or token.startswith("<"):
            previous = None if token == "&" else previous
            adjacent = False
        else:
            return None  # not a tsquery this reads
    if not pairs:
        return None
    # Each pair a quoted lexeme (the lexemes' own quotes and backslashes stay doubled),
    # or the mark of a turn with more pairs than its vector holds.
    every = " & ".join(f"'{pair}'" for pair in dict.fromkeys(pairs))
    return f"( {every} ) | '{PAIRS_OVERFLOW}'"


def snippet(text: str, hits: list[tuple[int, int]]) -> str:
    """The text around the matched words (their spans, in order), as HTML: escaped, the
    matches in <mark>. With none, the text's first words. A long text is not cut into
    words: only the fragments shown are (a fragment's words are what whitespace parts)."""
    if len(text.split(maxsplit=FRAGMENT_WORDS)) <= FRAGMENT_WORDS:
        windows = [(0, len(text))]
    elif not hits:
        windows = [(0, _run_end(text, 0))]
    else:
        windows = _fragments(text, hits)
    parts = []
    for first, stop in windows:
        out, position = [], first
        for start, end in hits[bisect_left(hits, (first,)) :]:
            if end > stop:
                break
            out += [
                html.escape(text[position:start]),
                f"<mark>{html.escape(text[start:end])}</mark>",
            ]
            position = end
        out.append(html.escape(text[position:stop]))
        parts.append("".join(out))
    return DELIMITER.join(parts)


_RUN = re.compile(rf"\s*(?:\S+\s+){{0,{FRAGMENT_WORDS - 1}}}\S+")
_LEAD_BACKWARDS = re.compile(rf"\S*(?:\s+\S+){{0,{LEAD}}}")  # read on the reversed text
_MORE = re.compile(r"\s*\S")


def _run_end(text: str, first: int) -> int:
    """Where FRAGMENT_WORDS words from `first` end; the text's end if no word follows."""
    run = _RUN.match(text, first)
    stop = run.end() if run else len(text)
    return stop if _MORE.match(text, stop) else len(text)


def _fragments(text: str, hits: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Up to FRAGMENTS non-overlapping runs of FRAGMENT_WORDS words, as (start, stop)
    character offsets, each starting LEAD words before a match, the runs holding the
    most matches first; in text order.

    Which matches lie close together is judged by characters (a run's words take about
    RUN_CHARACTERS); only the runs tried are cut into words."""
    starts = [start for start, _ in hits]
    crowds = sorted(
        range(len(starts)),
        key=lambda i: (-(bisect_left(starts, starts[i] + RUN_CHARACTERS) - i), i),
    )
    chosen: list[tuple[int, int]] = []
    for i in crowds[:CANDIDATE_HITS]:
        if len(chosen) == FRAGMENTS:
            break
        hit = starts[i]
        if any(first <= hit < stop for first, stop in chosen):
            continue
        first = hit - _LEAD_BACKWARDS.match(text[max(0, hit - LEAD * 40) : hit][::-1]).end()
        stop = _run_end(text, first)
        if not any(first < b and a < stop for a, b in chosen):
            chosen.append((first, stop))
    return sorted(chosen)
