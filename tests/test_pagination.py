"""Keyset cursors for turns, page numbers elsewhere."""

import pytest

from interviews.api.pagination import MAX_ID, Cursor
from interviews.models import Turn


def walk(api, url, direction="next"):
    """Follow links from url; return the pages' sequences in the order visited."""
    pages = []
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"next", "previous", "results"}
        pages.append([turn["sequence"] for turn in body["results"]])
        url = body[direction]
        assert len(pages) < 100, "links loop"
    return pages


def test_forward_pages_cover_every_turn_once_in_order(seed, api):
    pages = walk(api, "/api/turns?page_size=10")
    assert [len(page) for page in pages] == [10] * 8 + [7]
    assert [s for page in pages for s in page] == list(range(1, 88))


def test_previous_links_walk_back_to_the_first_page(seed, api):
    last = walk(api, "/api/turns?page_size=10")
    response = api.get("/api/turns?page_size=10")
    url = response.json()["next"]
    for _ in range(len(last) - 2):
        url = api.get(url).json()["next"]
    back = walk(api, url, direction="previous")
    assert back == list(reversed(last))
    assert api.get(url).json()["next"] is None


def test_first_page_has_no_previous(seed, api):
    body = api.get("/api/turns?page_size=10").json()
    assert body["previous"] is None
    assert "cursor=" in body["next"] and "page_size=10" in body["next"]


def test_links_keep_the_filters(seed, api):
    pages = walk(api, "/api/turns?speaker=mikhail-gusman&page_size=5")
    sequences = [s for page in pages for s in page]
    assert len(sequences) == 16
    expected = Turn.objects.filter(speaker__slug="mikhail-gusman").order_by("sequence")
    assert sequences == [turn.sequence for turn in expected]


def test_newest_first_ordering_pages_backwards(seed, api):
    pages = walk(api, "/api/turns?page_size=20&ordering=-date")
    assert [s for page in pages for s in page] == list(range(87, 0, -1))


def test_relevance_pages_by_offset(seed, api):
    everything = api.get("/api/turns?q=president&page_size=500").json()["results"]
    pages = walk(api, "/api/turns?q=president&page_size=4")
    assert [s for page in pages for s in page] == [turn["sequence"] for turn in everything]
    assert len(everything) > 4


def test_event_transcript_pages(seed, api):
    pages = walk(api, f"/api/events/{seed.slug}/turns?page_size=30")
    assert [len(page) for page in pages] == [30, 30, 27]


def test_a_cursor_past_the_end_is_empty_not_an_error(seed, api):
    last = Turn.objects.order_by("-sequence").first()
    body = api.get(f"/api/turns?cursor=a{last.event_id}.{last.sequence}").json()
    assert body["results"] == [] and body["next"] is None
    assert body["previous"] == "http://testserver/api/turns"  # back to the start


def test_cursors_are_readable_positions(seed, api):
    page = api.get("/api/turns?page_size=10").json()
    tenth = Turn.objects.get(event=seed, sequence=10)
    assert page["next"].endswith(f"?cursor=a{seed.pk}.10&page_size=10")
    following = api.get(f"/api/turns?page_size=10&cursor=a{tenth.event_id}.10").json()
    assert [turn["sequence"] for turn in following["results"]] == list(range(11, 21))
    assert following["previous"].endswith(f"?cursor=b{seed.pk}.11&page_size=10")
    before = api.get(f"/api/turns?page_size=10&cursor=b{seed.pk}.11").json()
    assert [turn["sequence"] for turn in before["results"]] == list(range(1, 11))
    found = api.get("/api/turns?q=president&page_size=4").json()
    assert found["next"].endswith("cursor=o4&page_size=4&q=president")


@pytest.mark.parametrize("cursor", ["", None])
def test_an_empty_cursor_is_the_first_page(seed, api, cursor):
    first = api.get("/api/turns?page_size=5").json()
    response = api.get("/api/turns", data={"page_size": 5, "cursor": cursor or ""})
    assert response.status_code == 200
    assert response.json() == first


def test_any_cursor_of_the_documented_form_is_a_page(seed, api):
    """Every string the schema's pattern admits is a position: beyond the last event or
    sequence is past the end, an event that does not exist matches nothing."""
    end = {"results": [], "next": None}
    huge = "9" * 30
    for query in [f"cursor=a{huge}.{huge}", f"cursor=a{seed.pk}.{huge}", f"cursor=a{MAX_ID}.1"]:
        response = api.get(f"/api/turns?{query}")
        assert response.status_code == 200, query
        assert {k: response.json()[k] for k in end} == end, query
    for cursor in [f"o{huge}", f"o{2**63}", f"o{2**63 - 1}"]:
        response = api.get("/api/turns", data={"cursor": cursor, "q": "president"})
        assert response.status_code == 200, cursor
        assert {k: response.json()[k] for k in end} == end, cursor
    # Before a position past the end of the only event: its last page, nearest first.
    response = api.get("/api/turns", data={"cursor": f"b{seed.pk}.{huge}", "page_size": 3})
    assert [turn["sequence"] for turn in response.json()["results"]] == [85, 86, 87]
    # An event id that names no event: nothing, not the turns after some default date.
    assert api.get("/api/turns", data={"cursor": f"a{seed.pk + 1000}.1"}).json()["results"] == []
    assert api.get("/api/turns", data={"cursor": "a0.0"}).json()["results"] == []


@pytest.mark.parametrize(
    "cursor",
    [
        "%%%",
        "x1.2",
        "a1",
        "a1.",
        "a.1",
        "a-1.2",
        "a1.2.3",
        "o",
        "o-5",
        "o1.5",
        " a1.2",
        "a1.2\n",
        "a١.2",
    ],
)
def test_a_malformed_cursor_is_a_400(seed, api, cursor):
    response = api.get("/api/turns", data={"cursor": cursor})
    assert response.status_code == 400
    assert response.json() == {"cursor": ["Invalid cursor."]}


def test_a_cursor_written_is_the_cursor_read():
    for cursor in [Cursor(key=(3, 7)), Cursor(key=(3, 7), backwards=True), Cursor(offset=50)]:
        assert Cursor.parse(str(cursor)) == cursor


def test_page_numbers_for_the_small_lists(seed, api):
    body = api.get("/api/participants?page_size=5&page=2").json()
    assert body["count"] == 16
    assert len(body["results"]) == 5
    assert "page=3" in body["next"] and body["previous"]
