"""Full-text search on the live PostgreSQL."""

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
