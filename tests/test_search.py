"""Full-text search on the live PostgreSQL."""

import csv
import io

import pytest

from interviews.api.search import search
from interviews.api.selectors import TurnQuery
from interviews.models import Event, Turn

from .conftest import bitmap_plan


def hits(api, query, **params):
    response = api.get("/api/turns", data={"q": query, "page_size": 500, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_phrase_finds_aliyevs_turn(seed, api):
    [hit] = hits(api, '"vaccine nationalism"')
    assert hit["speaker"]["slug"] == "ilham-aliyev"
    assert "vaccine nationalism" in hit["text"]
    assert "<mark>vaccine</mark> <mark>nationalism</mark>" in hit["highlight"]


def test_english_stemming(seed, api):
    # "vaccinated" and "vaccination" stem like "vaccinate".
    texts = [hit["text"].lower() for hit in hits(api, "vaccinate")]
    assert texts
    assert any("vaccination" in text for text in texts)


def test_results_are_ordered_by_relevance(seed, api):
    found = hits(api, "vaccine")
    assert len(found) >= 2
    mentions = [hit["text"].lower().count("vaccin") for hit in found]
    assert mentions[0] == max(mentions)


def test_or_and_exclusion(seed, api):
    vaccine = {hit["id"] for hit in hits(api, "vaccine")}
    karabakh = {hit["id"] for hit in hits(api, "karabakh")}
    assert {hit["id"] for hit in hits(api, "vaccine or karabakh")} == vaccine | karabakh
    assert {hit["id"] for hit in hits(api, "vaccine -karabakh")} == vaccine - karabakh
    assert vaccine & karabakh or vaccine - karabakh


def test_search_combines_with_filters(seed, api):
    found = hits(api, "vaccine", speaker="mehriban-aliyeva")
    assert found
    assert {hit["speaker"]["slug"] for hit in found} == {"mehriban-aliyeva"}


def test_ordering_by_date_overrides_relevance(seed, api):
    found = hits(api, "vaccine", ordering="date")
    assert [hit["sequence"] for hit in found] == sorted(hit["sequence"] for hit in found)


def test_no_match_is_empty_not_error(seed, api):
    assert hits(api, "zxqv nothing matches this") == []
    assert hits(api, "the") == []  # only a stop word: nothing to search for


def test_highlight_is_html_safe(seed, api):
    turn = Turn.objects.get(sequence=5)
    turn.text = "<script>alert(1)</script> fish & chips vaccine"
    turn.save()
    [hit] = hits(api, "vaccine", speaker="sergei-mikhailov")
    assert "<script>" not in hit["highlight"]
    assert "&amp;" in hit["highlight"]
    assert "<mark>vaccine</mark>" in hit["highlight"]
    assert hit["text"] == turn.text  # the text itself is returned verbatim


@pytest.mark.parametrize("ordering", ["relevance", "date"])
def test_search_uses_the_gin_index(seed, ordering):
    query = TurnQuery.from_filters({"q": "vaccine", "ordering": ordering})
    assert "turn_search_vector" in bitmap_plan(statement=query._statement(50, None, None, 0))


def test_event_search_computes_its_vector(seed):
    found = search(Event.objects.all(), "TASS headquarters", ("title", "summary"))
    assert list(found) == [seed] and found[0].rank > 0


def test_event_search_covers_title_and_summary(seed, api):
    assert api.get("/api/events?q=TASS%20headquarters").json()["count"] == 1
    assert api.get("/api/events?q=official%20visit").json()["count"] == 1  # summary
    assert api.get("/api/events?q=football").json()["count"] == 0


# Ranking at most RANKED matches; highlights made from the page's texts


def pages(api, query, size, **params):
    """Every page of a search, following `next`: the ids in order."""
    ids, url = [], f"/api/turns?q={query}&page_size={size}"
    for key, value in params.items():
        url += f"&{key}={value}"
    while url:
        body = api.get(url).json()
        ids += [hit["id"] for hit in body["results"]]
        url = body["next"]
    return ids


def test_past_the_ranked_matches_the_rest_follow_in_date_order(seed, api, monkeypatch):
    from django.contrib.postgres.search import SearchQuery, SearchRank
    from django.db.models import F

    from interviews.api import selectors

    query = SearchQuery("russia", search_type="websearch", config="english")
    matching = Turn.objects.filter(search_vector=query)
    assert matching.count() > 7 + 3  # some past the ranked, on pages of their own
    everything = pages(api, "russia", 2)
    ranked_all = list(
        matching.annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "event_date", "event_id", "sequence")
        .values_list("pk", flat=True)
    )
    assert everything == ranked_all  # fewer matches than RANKED: all of them by relevance

    monkeypatch.setattr(selectors, "RANKED", 7)
    capped = pages(api, "russia", 3)
    assert sorted(capped) == sorted(ranked_all)  # every match, once
    first, rest = capped[:7], capped[7:]
    by_rank = {pk: position for position, pk in enumerate(ranked_all)}
    assert first == sorted(first, key=by_rank.get)  # the ranked ones by relevance
    in_date_order = matching.exclude(pk__in=first).order_by("event_date", "event_id", "sequence")
    assert rest == list(in_date_order.values_list("pk", flat=True))
    assert pages(api, "russia", 3) == capped
    # A CSV of the search is in the same order.
    response = api.get("/api/turns.csv?q=russia", HTTP_ACCEPT="text/csv")
    text = b"".join(response.streaming_content).decode()
    assert [int(row["id"]) for row in csv.DictReader(io.StringIO(text))] == capped


def test_the_ranking_stops_its_scan_at_the_ranked_matches(seed, monkeypatch):
    import json

    from django.db import connection

    from interviews.api import selectors

    monkeypatch.setattr(selectors, "RANKED", 3)
    query = selectors.TurnQuery.from_filters({"q": "russia"})
    where, params = query._search_conditions()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {query._ranked_sql(where)}", params)
        plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)

    def nodes(node):
        yield node
        for child in node.get("Plans", []):
            yield from nodes(child)

    scans = [n for n in nodes(plan[0]["Plan"]) if n["Node Type"].endswith("Scan") and
             n.get("Relation Name") == "interviews_turn"]  # fmt: skip
    assert scans and all(scan["Actual Rows"] == 3 for scan in scans), scans


def test_the_ranking_reads_the_table_from_its_start_every_time(seed, monkeypatch):
    """Synchronized or parallel scans would rank different matches on each request: the
    ranking runs in a transaction of its own with both off."""
    from interviews.api import selectors

    [(synchronized, workers)] = selectors.fetch(
        "default",
        "SELECT current_setting('synchronize_seqscans'),"
        " current_setting('max_parallel_workers_per_gather')",
        [],
        scan_from_start=True,
    )
    assert (synchronized, workers) == ("off", "0")
    asked = []
    real_fetch = selectors.fetch

    def fetch(using, sql, params, prepare=True, scan_from_start=False):
        asked.append(("ts_rank" in sql, scan_from_start, prepare))
        return real_fetch(using, sql, params, prepare, scan_from_start)

    monkeypatch.setattr(selectors, "fetch", fetch)
    monkeypatch.setattr(selectors, "RANKED", 3)
    assert len(selectors.TurnQuery.from_filters({"q": "russia"}).page(5, offset=2)) == 5
    assert (True, True, False) in asked  # the ranking
    assert all(not prepare for is_rank, _, prepare in asked[:2])  # and the rest: not prepared


def test_a_highlight_marks_the_words_the_servers_stemmer_matches(seed, api):
    from django.db import connection

    words = ["Organizations", "organize", "organizer", "organization", "Organ", "orange"]
    turn = Turn.objects.get(sequence=5)
    turn.text = " ".join(words) + "."
    turn.save()
    [hit] = hits(api, "organization", speaker="sergei-mikhailov")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w, to_tsvector('english', w) @@ websearch_to_tsquery('english', %s)"
            " FROM unnest(%s::text[]) w",
            ["organization", words],
        )
        matched = dict(cursor.fetchall())
    assert any(matched.values()) and not all(matched.values())
    for word in words:
        assert (f"<mark>{word}</mark>" in hit["highlight"]) == matched[word], word


def test_the_server_is_asked_about_a_word_once(seed, api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from interviews.api.selectors import Highlighter

    Highlighter._lexemes.clear()
    asked = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert hits(api, "vaccine")
        asked.append([q for q in queries.captured_queries if "to_tsvector" in (q["sql"] or "")])
    assert len(asked[0]) == 1 and asked[1] == []


def test_dying_is_found_by_die(seed, api):
    turn = Turn.objects.get(sequence=5)
    turn.text = "A dying art; it dies hard; they die."
    turn.save()
    [hit] = hits(api, "die", speaker="sergei-mikhailov")
    assert (
        hit["highlight"]
        == "A <mark>dying</mark> art; it <mark>dies</mark> hard; they <mark>die</mark>."
    )


def test_wanted_lexemes_leave_out_what_is_negated():
    from interviews.api.search import wanted_lexemes

    assert wanted_lexemes("'subject' & !'resid'") == {"subject"}
    assert wanted_lexemes("!( 'vaccin' <-> 'nation' ) & 'karabakh'") == {"karabakh"}
    assert wanted_lexemes("'vaccin' <-> 'nation' | 'it''s'") == {"vaccin", "nation", "it's"}
    assert wanted_lexemes("") == set()


# Phrases looked up by their adjacent word pairs (turn_word_pairs)


def test_phrase_pairs_are_the_pairs_every_match_holds():
    from interviews.api.search import phrase_pairs

    def asked(*pairs):  # what every match holds, or the mark of a turn with too many
        return "( " + " & ".join(f"'{pair}'" for pair in pairs) + " ) | '*'"

    assert phrase_pairs("'alreadi' <-> 'announc'") == asked("alreadi announc")
    assert phrase_pairs("'a' <-> 'b' <-> 'c' & 'd'") == asked("a b", "b c")
    assert phrase_pairs("'a' <2> 'b' <-> 'c'") == asked("b c")
    assert phrase_pairs("'state' <3> 'union'") is None  # two words between: no pair
    assert phrase_pairs("'a' <-> 'b' | 'c'") is None  # a match may hold c alone
    assert phrase_pairs("'a' <-> 'b' & !( 'c' <-> 'd' )") == asked("a b")
    assert phrase_pairs("( 'x' | 'y' ) & 'a' <-> 'b'") == asked("a b")
    assert phrase_pairs("'x' <-> ( 'a' | 'b' )") is None
    assert phrase_pairs("!'a' <-> 'b'") is None
    assert phrase_pairs("'a':* <-> 'b'") is None  # a prefix: not one lexeme
    assert phrase_pairs("'it''s' <-> 'b'") == asked("it''s b")
    assert phrase_pairs("'a' & 'b'") is None
    assert phrase_pairs("") is None
    # A pair longer than a lexeme can be (2,047 bytes) is left out; quotes count once.
    assert phrase_pairs(f"'{'x' * 1023}' <-> '{'y' * 1023}'") == asked(
        "x" * 1023 + " " + "y" * 1023
    )
    assert phrase_pairs(f"'{'x' * 1023}' <-> '{'y' * 1024}'") is None
    quotes = "''" * 1023  # 1,023 quotes in the lexeme, doubled in the tsquery's text
    assert phrase_pairs(f"'{quotes}' <-> '{'y' * 1023}'") == asked(f"{quotes} {'y' * 1023}")


def word_pairs(text):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT interviews_word_pairs(to_tsvector('english', %s))::text", [text])
        return cursor.fetchone()[0]


def test_word_pairs_are_a_vectors_lexemes_one_position_apart(db):
    # "has" is a stop word: it keeps its position, so "president" and "already" are apart.
    text = "The President has already announced it; already announced."
    assert word_pairs(text) == "'alreadi announc'"
    # A hyphenated word is itself, then its parts, each a position.
    pairs = set(word_pairs("well-known facts").split("' '"))
    assert pairs == {"'known fact", "well known", "well-known well'"}
    assert word_pairs("alone") == word_pairs("") == ""


def test_a_phrase_finds_exactly_the_turns_holding_it(seed, api):
    texts = {
        1: "We have already announced the dates.",
        2: "Announced already, and announced: zwiebel.",  # both words, not the phrase
        3: "It was already, as I said, announced.",
        # Past the positions a vector holds, every word is at the last one: there "already"
        # is just before both "announced" and "today", as PostgreSQL's phrase check sees it.
        4: "filler " * 16381 + "already announced today",
    }
    for sequence, text in texts.items():
        turn = Turn.objects.get(event=seed, sequence=sequence)
        turn.text = text
        turn.save()

    def sequences(query):
        return {hit["sequence"] for hit in hits(api, query)}

    assert sequences('"already announced"') == {1, 4}
    assert sequences('"already today"') == {4}
    assert sequences('"announced today"') == set()  # the same position, not adjacent
    assert sequences('"already announced" -dates') == {4}
    assert sequences('"already announced" dates') == {1}
    assert sequences('"already announced" or zwiebel') == {1, 2, 4}


def test_phrases_of_words_too_long_to_pair_are_found(seed, api):
    from interviews.api.search import PAIR_BYTES

    long, longer = "x" * 1100, "y" * 1100  # a pair of them: 2,201 bytes
    turn = Turn.objects.get(event=seed, sequence=1)
    turn.text = f"Said {long} {longer} once."
    turn.save()
    assert len(f"{long} {longer}") > PAIR_BYTES
    assert [hit["sequence"] for hit in hits(api, f'"{long} {longer}"')] == [1]
    # Hyphenated, the whole is too long to be a word; its parts are the phrase.
    assert [hit["sequence"] for hit in hits(api, f"{long}-{longer}")] == [1]


def test_a_turn_with_more_pairs_than_a_vector_holds_is_found(seed, api):
    # 1,500 distinct words of 400 letters: a 600 kB vector, 1.2 MB of pairs (over 1 MB).
    letters = "abcdefghijklmnoprstuvwxyz"
    words = ["".join(letters[i // 25**k % 25] for k in range(3)) + "q" * 397 for i in range(1500)]
    turn = Turn.objects.get(event=seed, sequence=2)
    turn.text = " ".join(words)
    turn.save()
    assert word_pairs(turn.text) == "'*'"
    assert [hit["sequence"] for hit in hits(api, f'"{words[700]} {words[701]}"')] == [2]
    assert hits(api, f'"{words[701]} {words[700]}"') == []


@pytest.mark.parametrize("ordering", ["relevance", "date"])
def test_a_phrase_is_read_through_its_pairs(seed, ordering):
    query = TurnQuery.from_filters({"q": '"vaccine nationalism"', "ordering": ordering})
    plan = bitmap_plan(statement=query._statement(50, None, None, 0))
    assert "turn_word_pairs" in plan and "turn_search_vector" not in plan
    words = TurnQuery.from_filters({"q": "vaccine nationalism", "ordering": ordering})
    assert "turn_word_pairs" not in bitmap_plan(statement=words._statement(50, None, None, 0))


def test_a_long_text_is_cut_to_fragments_around_its_matches():
    from interviews.api.search import DELIMITER, FRAGMENT_WORDS, snippet

    words = [f"w{i}" for i in range(200)]
    words[20], words[150] = "vaccine", "R&D"
    text = " ".join(words)
    spans = [(text.index("vaccine"), text.index("vaccine") + 7)]
    spans.append((text.index("R&D"), text.index("R&D") + 3))
    shown = snippet(text, spans)
    first, second = shown.split(DELIMITER)
    assert "<mark>vaccine</mark>" in first and "<mark>R&amp;D</mark>" in second
    for fragment in (first, second):
        assert len(fragment.split()) == FRAGMENT_WORDS
    assert first.startswith("w12 ")  # a few words lead up to the match
    # Without a match: the first words. A short text: all of it, escaped.
    assert snippet(text, []) == " ".join(words[:FRAGMENT_WORDS]).replace("&", "&amp;")
    assert snippet("Fish & chips.", [(0, 4)]) == "<mark>Fish</mark> &amp; chips."
