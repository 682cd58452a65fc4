"""Pages of turns read by hand-written SQL (interviews.turn_sql) equal the ORM's, page by page.

On PostgreSQL the turn lists are served by interviews.turn_sql; the ORM path (which
SQLite uses) is the reference. Every request below is answered both ways, and every
page reached through `next` and `previous` links must be identical, byte for byte.
"""

import base64
import json

import pytest
from django.core.management import call_command

from interviews import turn_sql
from interviews.models import Event, Turn

from .conftest import SEED_TRANSCRIPT

URLS = [
    "/api/turns?page_size=7",
    "/api/turns?page_size=9&ordering=-date",
    "/api/turns?page_size=5&ordering=date&kind=question&kind=answer",
    "/api/turns?speaker=mikhail-gusman,margarita%20simonyan&page_size=4",
    "/api/turns?speaker=sergei%20mikhaylov&page_size=3",  # an alias
    "/api/turns?speaker=nobody-at-all",
    "/api/turns?speaker=,",
    "/api/turns?outlet=rossiyskaya-gazeta&kind=question",
    "/api/turns?outlet=tass&outlet=rt&page_size=3",
    "/api/turns?outlet=no-such-outlet",
    "/api/turns?event=2022-02-23-ilham-aliyev-met-with-the-heads-of-russias-top-mass-media"
    "&page_size=20&ordering=-date",
    "/api/turns?date_after=2023-01-01&page_size=10",
    "/api/turns?date_before=2022-02-23&date_after=2022-02-23&kind=narrative",
    "/api/turns?q=vaccine%20nationalism",
    "/api/turns?q=azerbaijan&page_size=4",  # by relevance, offset cursors
    "/api/turns?q=azerbaijan%20-russia&ordering=date&page_size=4",
    "/api/turns?q=%22mass%20media%22%20or%20journalists&ordering=-date&page_size=2",
    "/api/turns?q=zzzyxnothing",
    "/api/events/2022-02-23-ilham-aliyev-met-with-the-heads-of-russias-top-mass-media/turns"
    "?page_size=30",
    "/api/events/{second}/turns?page_size=40",
]


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


def same_both_ways(api, monkeypatch, url):
    assert turn_sql.enabled(), "the suite runs on PostgreSQL"
    by_sql = pages(api, url)
    with monkeypatch.context() as patch:
        patch.setattr(turn_sql, "enabled", lambda using="default": False)
        by_orm = pages(api, url)
    assert by_sql == by_orm
    return by_sql


EMPTY = ("nobody", "no-such", "=,", "zzzy")


@pytest.mark.parametrize("url", URLS)
def test_sql_pages_equal_the_orm_pages(two_events, api, monkeypatch, url):
    url = url.replace("{second}", Event.objects.get(date="2023-05-09").slug)
    found = same_both_ways(api, monkeypatch, url)
    assert any(b'"results":[{' in page for page in found) != any(w in url for w in EMPTY)


def test_answers_to_a_question_equal_the_orm_pages(two_events, api, monkeypatch):
    answer = Turn.objects.filter(kind="answer").order_by("event_date", "sequence").last()
    found = same_both_ways(api, monkeypatch, f"/api/turns?in_reply_to={answer.in_reply_to_id}")
    assert f'"id":{answer.pk},'.encode() in found[0]


def test_the_matrix_covers_results_links_and_highlights(two_events, api):
    """The comparison above is not of empty pages: the data gives each feature to compare."""
    body = api.get("/api/turns?q=azerbaijan&page_size=4").json()
    assert body["next"] and "<mark>" in body["results"][0]["highlight"]
    later = api.get("/api/turns?date_after=2023-01-01&page_size=200").json()["results"]
    assert len(later) == 87 and {turn["event"]["date"] for turn in later} == {"2023-05-09"}
    answers = api.get("/api/turns?kind=answer&page_size=1").json()["results"]
    assert answers[0]["in_reply_to"] and answers[0]["outlets"] == []
    questions = api.get("/api/turns?kind=question&outlet=rossiyskaya-gazeta").json()["results"]
    assert len(questions) == 2 and questions[0]["replies"] and questions[0]["outlets"]


def test_a_name_two_participants_go_by_pages_both(two_events, api, monkeypatch):
    """The page's own lookup expects one speaker; a shared name reads the ids, then the page."""
    from interviews.models import Alias, Participant

    simonyan = Participant.objects.get(slug="margarita-simonyan")
    Alias.objects.create(participant=simonyan, name="Mikhail Gusman")  # a second person's
    url = "/api/turns?speaker=Mikhail%20Gusman&page_size=7"
    found = same_both_ways(api, monkeypatch, url)
    speakers = {turn["speaker"]["slug"] for page in found for turn in json.loads(page)["results"]}
    assert speakers == {"mikhail-gusman", "margarita-simonyan"}


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
    """Their best plan depends on the values: each is planned for its own."""
    from django.db import connection

    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            return cursor.fetchone()[0]

    before = prepared()
    for url in ["/api/turns?q=azerbaijan", "/api/turns?date_after=2022-01-01&kind=question"]:
        for _ in range(3):
            assert api.get(url).status_code == 200
    assert prepared() == before


def test_the_hot_path_checks_a_kept_connection_as_django_does(seed, api, monkeypatch):
    from django.db import connection

    checked = []
    real = connection.close_if_health_check_failed
    monkeypatch.setattr(
        connection, "close_if_health_check_failed", lambda: checked.append(1) or real()
    )
    assert api.get("/api/turns?speaker=mikhail-gusman").status_code == 200
    assert checked


def test_a_deep_relevance_page_ranks_the_rows_before_it_and_details_only_its_own(seed, api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cursor = base64.urlsafe_b64encode(b'{"o":6}').decode().rstrip("=")
    with CaptureQueriesContext(connection) as queries:
        body = api.get(f"/api/turns?q=azerbaijan&page_size=3&cursor={cursor}").json()
    (sql,) = [q["sql"] for q in queries.captured_queries]
    inner = sql.split("OFFSET")[0]
    assert "ts_headline" not in inner.split("FROM (")[1]  # the skipped rows: ranked only
    assert body["results"] and all("<mark>" in t["highlight"] for t in body["results"])
