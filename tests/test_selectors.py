"""Turns as interviews.api.selectors reads them: one statement a page, its columns, its plans."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from interviews.models import Turn

from .conftest import SEED_TRANSCRIPT


@pytest.fixture
def two_events(seed, tmp_path):
    """The seed, and the same transcript as a later event: one set of speakers, two dates."""
    text = SEED_TRANSCRIPT.read_text(encoding="utf-8").replace(
        "23 February 2022, 15:40", "9 May 2023, 11:00", 1
    )
    second = tmp_path / "2023-05-09-a-second-meeting.txt"
    second.write_text(text.replace("Ilham Aliyev met with", "A second meeting of", 2))
    call_command("import_transcripts", str(second), verbosity=0)
    return seed


def pages(api, url):
    """Every page from url by `next` links, then back by `previous` links, as bytes."""
    seen, link = [], url
    for direction in ("next", "previous"):
        while link:
            response = api.get(link)
            assert response.status_code == 200, response.content
            seen.append(response.content)
            body = response.json()
            if body[direction] is None:
                break
            link = body[direction]
            assert len(seen) < 200, "links loop"
    return seen


def test_each_column_of_a_row_is_read(two_events, api):
    """Highlights, links, events, replies, roles and outlets come with the page's rows."""
    body = api.get("/api/turns?q=azerbaijan&page_size=4").json()
    assert body["next"] and "<mark>" in body["results"][0]["highlight"]
    later = api.get("/api/turns?date_after=2023-01-01&page_size=200").json()["results"]
    assert len(later) == 87 and {turn["event"]["date"] for turn in later} == {"2023-05-09"}
    answers = api.get("/api/turns?kind=answer&page_size=1").json()["results"]
    assert answers[0]["in_reply_to"] and answers[0]["outlets"] == []
    questions = api.get("/api/turns?kind=question&outlet=rossiyskaya-gazeta").json()["results"]
    assert len(questions) == 2 and questions[0]["replies"] and questions[0]["outlets"]


def test_a_name_two_participants_go_by_pages_both(two_events, api):
    """The page's own lookup expects one speaker; a shared name reads the ids, then the page."""
    from interviews.models import Alias, Participant

    simonyan = Participant.objects.get(slug="margarita-simonyan")
    Alias.objects.create(participant=simonyan, name="Mikhail Gusman")  # a second person's
    url = "/api/turns?speaker=Mikhail%20Gusman&page_size=7"
    found = [turn for page in pages(api, url) for turn in json.loads(page)["results"]]
    both = Turn.objects.filter(speaker__slug__in=["mikhail-gusman", "margarita-simonyan"])
    assert {turn["id"] for turn in found} == set(both.values_list("pk", flat=True))
    assert {turn["speaker"]["slug"] for turn in found} == {"mikhail-gusman", "margarita-simonyan"}


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/turns?speaker=mikhail-gusman", 1),  # the page looks the speaker up itself
        ("/api/turns?speaker=nobody-at-all", 2),  # no rows: are there ids at all?
        ("/api/turns?speaker=mikhail-gusman,margarita-simonyan", 2),  # ids first, then ANY
    ],
)
def test_speaker_queries(seed, api, django_assert_num_queries, url, queries):
    with django_assert_num_queries(queries):
        assert api.get(url).status_code == 200


def test_pages_are_prepared_statements_unless_turned_off(seed, api):
    from django.db import connection

    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            return cursor.fetchone()[0]

    url = "/api/turns?speaker=mikhail-gusman&page_size=5"
    first = api.get(url).content
    assert prepared() == 0  # prepared from the second use on
    assert api.get(url).content == first
    assert prepared() == 1  # the page, which looks the speaker up itself
    assert api.get(url).content == first and prepared() == 1  # reused, not prepared again

    threshold = connection.connection.prepare_threshold
    connection.connection.prepare_threshold = None  # as DJANGO_DB_PREPARED_QUERIES=0 sets it
    try:
        with connection.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")
        for _ in range(3):
            assert api.get(url).content == first
        assert prepared() == 0
    finally:
        connection.connection.prepare_threshold = threshold


def test_searches_and_date_ranges_are_not_prepared(seed, api):
    """Their best plan depends on the values: each is planned for its own. (A search's
    page is then read by its ids, a statement whose plan is always the same.)"""
    from django.db import connection

    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [statement for (statement,) in cursor.fetchall()]

    before = prepared()
    for url in ["/api/turns?q=azerbaijan", "/api/turns?date_after=2022-01-01&kind=question"]:
        for _ in range(3):
            assert api.get(url).status_code == 200
    added = [statement for statement in prepared() if statement not in before]
    assert all("t.id = ANY($" in statement for statement in added), added
    assert not any("@@" in statement or "event_date >=" in statement for statement in added)


def test_the_hot_path_checks_a_kept_connection_as_django_does(seed, api, monkeypatch):
    from django.db import connection

    checked = []
    real = connection.close_if_health_check_failed
    monkeypatch.setattr(
        connection, "close_if_health_check_failed", lambda: checked.append(1) or real()
    )
    assert api.get("/api/turns?speaker=mikhail-gusman").status_code == 200
    assert checked


def test_a_deep_relevance_page_ranks_the_matches_and_details_only_its_own(seed, api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        body = api.get("/api/turns?q=azerbaijan&page_size=3&cursor=o6").json()
    ranking, details = [q["sql"] for q in queries.captured_queries if "interviews_turn" in q["sql"]]
    assert "ts_rank" in ranking and "interviews_event" not in ranking  # ranked, not detailed
    assert "ts_headline" not in ranking + details
    assert len(body["results"]) == 3 and "WHERE t.id = ANY(" in details
    assert all("<mark>" in t["highlight"] for t in body["results"])


def csv_rows(api, url):
    response = api.get(url, HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_streams_every_matching_turn_in_the_order_asked(two_events, api):
    rows = csv_rows(api, "/api/turns?format=csv&speaker=ilham-aliyev&ordering=-date")
    expected = Turn.objects.filter(speaker__slug="ilham-aliyev").order_by(
        "-event_date", "-event_id", "-sequence"
    )
    assert [int(row["id"]) for row in rows] == list(expected.values_list("pk", flat=True))
    assert {row["role"] for row in rows} == {"President"}  # as labelled: "President Ilham Aliyev"
    assert {row["date"] for row in rows} == {"2022-02-23", "2023-05-09"}


def test_csv_of_a_search_and_of_a_speaker_two_people_share(two_events, api):
    from django.contrib.postgres.search import SearchQuery

    from interviews.models import Alias, Participant

    rows = csv_rows(api, "/api/turns?format=csv&q=vaccine")
    matching = Turn.objects.filter(
        search_vector=SearchQuery("vaccine", search_type="websearch", config="english")
    )
    assert rows and {int(row["id"]) for row in rows} == set(matching.values_list("pk", flat=True))

    simonyan = Participant.objects.get(slug="margarita-simonyan")
    Alias.objects.create(participant=simonyan, name="Mikhail Gusman")  # a second person's
    rows = csv_rows(api, "/api/turns?format=csv&speaker=Mikhail%20Gusman")
    assert {row["speaker"] for row in rows} == {"mikhail-gusman", "margarita-simonyan"}
    outlets = {row["outlets"] for row in rows if row["speaker"] == "margarita-simonyan"}
    appearance = simonyan.appearances.get(event__date="2022-02-23")
    names = appearance.outlets.order_by("name", "id").values_list("name", flat=True)
    assert len(names) == 2 and outlets == {"; ".join(names)}


def test_one_turn_and_an_unknown_one(seed, api):
    question = Turn.objects.filter(kind="question").order_by("sequence").first()
    body = api.get(f"/api/turns/{question.pk}").json()
    assert body["id"] == question.pk and body["replies"]
    assert body["replies"] == list(
        question.replies.order_by("sequence").values_list("pk", flat=True)
    )
    assert api.get("/api/turns/99999999").status_code == 404
