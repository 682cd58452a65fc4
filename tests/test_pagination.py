"""Keyset cursors for turns, page numbers elsewhere."""

import base64
import json

import pytest

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
    cursor = {"k": [last.event_date.isoformat(), last.event_id, last.sequence]}
    encoded = base64.urlsafe_b64encode(json.dumps(cursor).encode()).decode().rstrip("=")
    body = api.get(f"/api/turns?cursor={encoded}").json()
    assert body["results"] == [] and body["next"] is None


@pytest.mark.parametrize(
    "cursor",
    [
        "%%%",
        base64.urlsafe_b64encode(b"[1, 2, 3]").decode(),
        base64.urlsafe_b64encode(b'{"k": ["not a date", 1, 2]}').decode(),
        base64.urlsafe_b64encode(b'{"k": [1]}').decode(),
        base64.urlsafe_b64encode(b'{"o": -5}').decode(),
        base64.urlsafe_b64encode(b'{"x": 1}').decode(),
    ],
)
def test_a_malformed_cursor_is_a_400(seed, api, cursor):
    response = api.get("/api/turns", data={"cursor": cursor})
    assert response.status_code == 400
    assert response.json() == {"cursor": ["Invalid cursor."]}


def test_page_numbers_for_the_small_lists(seed, api):
    body = api.get("/api/participants?page_size=5&page=2").json()
    assert body["count"] == 16
    assert len(body["results"]) == 5
    assert "page=3" in body["next"] and body["previous"]
