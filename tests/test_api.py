"""The read-only API on the seed transcript."""

import csv
import io

import pytest

from interviews.models import Participant, Turn

GUSMAN_TURNS = 16
MIKHAILOV_TURNS = 7
ALIYEV_TURNS = 37


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/events",
        "/api/participants",
        "/api/participants/mikhail-gusman",
        "/api/outlets",
        "/api/outlets/tass",
        "/api/turns",
    ],
)
@pytest.mark.parametrize("slash", ["", "/"])
def test_every_endpoint_answers_with_and_without_slash(seed, api, path, slash):
    response = api.get(path + slash)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("suffix", ["", "/", "/turns", "/turns/"])
def test_event_endpoints_answer_with_and_without_slash(seed, api, suffix):
    response = api.get(f"/api/events/{seed.slug}{suffix}")
    assert response.status_code == 200


def test_turn_detail_with_and_without_slash(seed, api):
    turn = Turn.objects.get(sequence=3)
    for path in (f"/api/turns/{turn.pk}", f"/api/turns/{turn.pk}/"):
        response = api.get(path)
        assert response.status_code == 200
        assert response.json()["id"] == turn.pk


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("speaker=mikhail-gusman", GUSMAN_TURNS),
        ("speaker=Mikhail%20Gusman", GUSMAN_TURNS),
        ("speaker=MIKHAIL%20GUSMAN", GUSMAN_TURNS),
        ("speaker=Mikha%C3%AFl%20Gusm%C3%A1n", GUSMAN_TURNS),  # accents ignored
        ("speaker=sergei%20mikhaylov", MIKHAILOV_TURNS),  # the alias
        ("speaker=Sergei%20Mikhailov", MIKHAILOV_TURNS),
        ("speaker=sergei-mikhailov", MIKHAILOV_TURNS),
        ("speaker=mikhail-gusman,ilham-aliyev", GUSMAN_TURNS + ALIYEV_TURNS),
        ("speaker=mikhail-gusman&speaker=Ilham%20Aliyev", GUSMAN_TURNS + ALIYEV_TURNS),
        ("speaker=mikhail-gusman&speaker=nobody-at-all", GUSMAN_TURNS),
        ("speaker=nobody-at-all", 0),
        ("speaker=Gusman", 0),  # a surname alone is not a full name
        ("kind=narrative", 3),
        ("kind=speech", 46),
        ("kind=question", 19),
        ("kind=answer", 19),
        ("kind=question&kind=answer", 38),
        ("kind=speech&speaker=mikhail-gusman", GUSMAN_TURNS - 5),
        ("kind=question&speaker=mikhail-gusman", 5),
        ("kind=narrative&speaker=mikhail-gusman", 0),
        ("event=no-such-event", 0),
        ("in_reply_to=999999", 0),
    ],
)
def test_turn_filters(seed, api, query, count):
    response = api.get(f"/api/turns?{query}&page_size=500")
    assert response.status_code == 200
    assert len(response.json()["results"]) == count


def test_turns_of_speaker_belong_to_speaker(seed, api):
    turns = results(api.get("/api/turns?speaker=Mikhail%20Gusman&page_size=100"))
    assert {turn["speaker"]["slug"] for turn in turns} == {"mikhail-gusman"}
    assert [turn["sequence"] for turn in turns] == sorted(turn["sequence"] for turn in turns)


def test_event_filter_by_slug(seed, api):
    response = api.get(f"/api/turns?event={seed.slug}&page_size=500")
    assert len(response.json()["results"]) == 87


def test_turn_shape(seed, api):
    turn = results(api.get("/api/turns?speaker=sergei-mikhailov&page_size=1"))[0]
    assert set(turn) == {
        "id",
        "url",
        "event",
        "sequence",
        "kind",
        "speaker",
        "speaker_label",
        "role",
        "outlets",
        "attribution",
        "text",
        "word_count",
        "line_start",
        "line_end",
        "offset",
        "in_reply_to",
        "replies",
        "highlight",
    }
    assert turn["offset"] is None  # the seed is no recording
    assert turn["event"]["slug"] == seed.slug
    assert turn["event"]["title"] == seed.title
    assert turn["event"]["url"].endswith(f"/api/events/{seed.slug}")
    assert turn["speaker"] == {
        "slug": "sergei-mikhailov",
        "name": "Sergei Mikhailov",
        "url": "http://testserver/api/participants/sergei-mikhailov",
    }
    assert turn["speaker_label"] == (
        "TASS Director General Sergei Mikhailov said welcoming the meeting participants"
    )
    assert turn["attribution"] == "said welcoming the meeting participants"
    assert turn["role"] == "Director General"
    assert [outlet["slug"] for outlet in turn["outlets"]] == ["tass"]
    assert turn["text"].startswith("Hello, colleagues.")
    assert turn["word_count"] == len(turn["text"].split())
    assert turn["kind"] == "question"  # "Would you like to say anything?"
    assert turn["highlight"] is None
    assert turn["url"] == f"http://testserver/api/turns/{turn['id']}"


def test_turn_of_speaker_with_two_outlets(seed, api):
    turn = results(api.get("/api/turns?speaker=margarita-simonyan&page_size=1"))[0]
    assert turn["role"] == "Editor-in-Chief"
    assert [outlet["name"] for outlet in turn["outlets"]] == ["RT", "Rossiya Segodnya"]


def test_narrative_turn_has_no_speaker(seed, api):
    turns = results(api.get("/api/turns?kind=narrative"))
    assert [turn["sequence"] for turn in turns] == [1, 2, 87]
    assert all(turn["speaker"] is None for turn in turns)
    assert all(turn["role"] == "" and turn["outlets"] == [] for turn in turns)
    assert turns[1]["text"] == "First Lady Mehriban Aliyeva also attended the meeting."


def test_event_turns_is_the_transcript_in_order(seed, api):
    response = api.get(f"/api/events/{seed.slug}/turns?page_size=500")
    turns = results(response)
    assert [turn["sequence"] for turn in turns] == list(range(1, 88))
    assert turns[-1]["text"] == "The head of state also presented a keepsake to TASS."


def test_event_turns_unknown_event_is_404(seed, api):
    response = api.get("/api/events/no-such-event/turns")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Event matches the given query."}


def test_event_detail(seed, api):
    event = api.get(f"/api/events/{seed.slug}").json()
    assert event["date"] == "2022-02-23"
    assert event["time"] == "15:40:00"
    assert event["turn_count"] == 87
    assert event["word_count"] == sum(t.word_count for t in Turn.objects.all())
    assert event["summary"].startswith("As part of his official visit")
    assert event["turns_url"].endswith(f"/api/events/{seed.slug}/turns")
    appearances = {a["participant"]["slug"]: a for a in event["appearances"]}
    assert len(appearances) == 16
    assert appearances["vladislav-fronin"]["role"] == "Editor-in-Chief"
    assert [o["slug"] for o in appearances["vladislav-fronin"]["outlets"]] == ["rossiyskaya-gazeta"]


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("date_after=2022-02-23", 1),
        ("date_after=2022-02-24", 0),
        ("date_before=2022-02-23", 1),
        ("date_before=2022-02-22", 0),
        ("date_after=2022-01-01&date_before=2022-12-31", 1),
        ("participant=ilham-aliyev", 1),
        ("participant=Sergei%20Mikhaylov", 1),
        ("participant=nobody", 0),
        ("participant=,", 0),
        ("participant=nobody,ilham%20aliyev", 1),
        ("outlet=rt", 1),
        ("outlet=Rossiya%20Segodnya", 1),
        ("outlet=no-such-outlet", 0),
    ],
)
def test_event_filters(seed, api, query, count):
    assert api.get(f"/api/events?{query}").json()["count"] == count


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("name=gusman", ["mikhail-gusman"]),
        ("name=GUSM%C3%81N", ["mikhail-gusman"]),
        ("name=mikhaylov", ["sergei-mikhailov"]),
        ("name=aliyev", ["ilham-aliyev", "mehriban-aliyeva"]),
        ("name=zzz", []),
    ],
)
def test_participant_filters(seed, api, query, slugs):
    found = [p["slug"] for p in results(api.get(f"/api/participants?{query}"))]
    assert found == slugs


def test_participant_event_filter(seed, api):
    assert api.get(f"/api/participants?event={seed.slug}").json()["count"] == 16
    assert api.get("/api/participants?event=other").json()["count"] == 0


def test_participant_detail(seed, api):
    participant = api.get("/api/participants/sergei-mikhailov").json()
    assert participant["name"] == "Sergei Mikhailov"
    assert participant["aliases"] == ["Sergei Mikhaylov"]
    assert participant["turn_count"] == MIKHAILOV_TURNS
    assert participant["word_count"] == sum(
        t.word_count for t in Turn.objects.filter(speaker__slug="sergei-mikhailov")
    )
    assert participant["event_count"] == 1
    assert participant["events_url"].endswith("/api/events?participant=sergei-mikhailov")
    assert participant["turns_url"].endswith("/api/turns?speaker=sergei-mikhailov")
    assert participant["is_anonymous"] is False
    [appearance] = participant["appearances"]
    assert appearance["event"]["slug"] == seed.slug
    assert appearance["role"] == "Director General"


def test_anonymous_participant_is_per_event(seed, api):
    [journalist] = results(api.get("/api/participants?name=journalist"))
    assert journalist["is_anonymous"] is True
    assert seed.slug in journalist["slug"]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        (
            "kind=tv",
            [
                "All-Russia State Television and Radio Broadcasting Company",
                "Channel One",
                "RT",
                "Rossiya-24",
            ],
        ),
        ("name=gazeta", ["Nezavisimaya Gazeta", "Rossiyskaya Gazeta"]),
        ("name=nothing", []),
    ],
)
def test_outlet_filters(seed, api, query, names):
    assert [o["name"] for o in results(api.get(f"/api/outlets?{query}"))] == names


def test_outlets_list_all_eleven(seed, api):
    assert api.get("/api/outlets").json()["count"] == 11


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/turns?kind=monologue", "kind"),
        ("/api/turns?in_reply_to=abc", "in_reply_to"),
        ("/api/turns?page_size=0", "page_size"),
        ("/api/turns?page_size=501", "page_size"),
        ("/api/turns?date_after=2022-02-30", "date_after"),
        ("/api/turns?cursor=not-a-cursor", "cursor"),
        ("/api/turns?ordering=alphabetical", "ordering"),
        ("/api/turns?speaker=a%00b", "speaker"),
        ("/api/participants?page_size=0", "page_size"),
        ("/api/turns?page_size=ten", "page_size"),
        ("/api/events?date_after=2022-13-01", "date_after"),
        ("/api/events?date_before=yesterday", "date_before"),
        ("/api/outlets?kind=blog", "kind"),
    ],
)
def test_malformed_values_are_400_naming_the_parameter(seed, api, path, parameter):
    response = api.get(path)
    assert response.status_code == 400
    assert parameter in response.json()


def test_unknown_page_is_404_not_500(seed, api):
    assert api.get("/api/participants?page=9999").status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_not_offered(seed, client, method):
    turn = Turn.objects.first()
    assert getattr(client, method)("/api/turns").status_code == 405
    assert getattr(client, method)(f"/api/turns/{turn.pk}").status_code == 405


def test_editor_rename_is_served(seed, api):
    participant = Participant.objects.get(slug="mikhail-gusman")
    participant.name = "Mikhail Gusman-Petrov"
    participant.save()
    turns = results(api.get("/api/turns?speaker=mikhail%20gusman-petrov"))
    assert len(turns) == GUSMAN_TURNS


# Query counts: one list or detail page costs the same whatever its size.
LIST_QUERIES = [
    # turns (+event, speaker; replies, role and outlets as columns); no COUNT(*) for turns
    ("/api/turns?kind=speech", 1),
    # an outlet name is resolved to ids first: none match here, so no page is read
    ("/api/turns?speaker=Mikhail%20Gusman&outlet=no-such", 1),
    # one speaker name is looked up inside the page's query
    ("/api/turns?speaker=Mikhail%20Gusman", 1),
    ("/api/turns?kind=question&outlet=rossiyskaya-gazeta&date_after=2020-01-01", 2),
    ("/api/events", 2),  # count, events with turn and word counts
    ("/api/events?participant=ilham-aliyev&outlet=tass", 2),
    ("/api/participants", 3),  # count, participants with counts, aliases
    ("/api/participants?outlet=rt", 3),
    ("/api/outlets", 2),
]


@pytest.mark.parametrize(("path", "queries"), LIST_QUERIES)
@pytest.mark.parametrize("page_size", [3, 100])
def test_list_query_counts(seed, api, django_assert_num_queries, path, queries, page_size):
    separator = "&" if "?" in path else "?"
    with django_assert_num_queries(queries):
        assert api.get(f"{path}{separator}page_size={page_size}").status_code == 200


@pytest.mark.parametrize("page_size", [3, 100])
def test_event_turns_query_count(seed, api, django_assert_num_queries, page_size):
    # its turns, found by the event's slug (with replies, role and outlets as columns)
    with django_assert_num_queries(1):
        response = api.get(f"/api/events/{seed.slug}/turns?page_size={page_size}")
    assert len(response.json()["results"]) == min(page_size, 87)


def test_event_turns_of_an_event_without_turns_is_an_empty_page(seed, api):
    from interviews.models import Event

    Event.objects.create(slug="2030-01-01-nothing-said", title="Nothing said")
    response = api.get("/api/events/2030-01-01-nothing-said/turns")
    assert response.status_code == 200
    assert response.json() == {"next": None, "previous": None, "results": []}


def test_detail_query_counts(seed, api, django_assert_num_queries):
    turn = Turn.objects.filter(speaker__slug="margarita-simonyan").first()
    with django_assert_num_queries(1):  # the turn with its replies, role and outlets
        assert api.get(f"/api/turns/{turn.pk}").status_code == 200
    with django_assert_num_queries(4):  # event, appearances (+participant), outlets, shares
        assert api.get(f"/api/events/{seed.slug}").status_code == 200
    with django_assert_num_queries(4):  # participant, aliases, appearances(+event), outlets
        assert api.get("/api/participants/margarita-simonyan").status_code == 200
    with django_assert_num_queries(1):
        assert api.get("/api/outlets/rt").status_code == 200


HOSTILE = [
    "/api/turns?in_reply_to=99999999999999999999",
    "/api/turns?in_reply_to=1e309",
    "/api/turns?in_reply_to=-1",
    "/api/turns?in_reply_to=NaN",
    "/api/turns/99999999999999999999",
    "/api/turns/-1",
    "/api/turns/abc",
    "/api/turns?speaker=%F0%9F%98%80",
    "/api/turns?speaker=" + "x" * 5000,
    "/api/turns?q=" + "%22" * 50,
    "/api/turns?q=%00",
    "/api/turns?q=!!!%20%26%26%20%7C%7C%20:*",
    "/api/turns?q=a%20or%20or%20-%20-",
    "/api/turns?event=%27;DROP%20TABLE%20interviews_turn;--",
    "/api/turns?date_after=99999-01-01",
    "/api/turns?page_size=99999999999999999999",
    "/api/turns?cursor=" + "A" * 3000,
    "/api/participants?page=0",
    "/api/participants?page=abc",
    "/api/participants?name=%00",
    "/api/events?q=%00",
    "/api/events/%E2%80%8F",
    "/api/outlets?kind=tv&kind=%00",
    # The router's format suffixes, on every kind of route.
    "/api/events/no-such-event/turns.csv",
    "/api/events/no-such-event/turns.json",
    "/api/events/no-such-event.csv",
    "/api/turns/1.csv",
    "/api/turns/1.json",
    "/api/outlets/no-such-outlet.csv",
]


@pytest.mark.parametrize("path", HOSTILE)
def test_nothing_a_client_sends_is_a_500(seed, api, path):
    response = api.get(path)
    assert response.status_code < 500, (response.status_code, response.content[:200])
    assert response["Content-Type"].startswith("application/json")


def test_a_transcript_by_its_format_suffix(seed, api, client):
    """The router answers `.csv` and `.json` after any route: the transcript's too."""
    text = client.get(f"/api/events/{seed.slug}/turns.csv")
    assert text.status_code == 200 and text["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(text.streaming_content).decode())))
    assert len(rows) == 88 and rows[0][:2] == ["id", "event"]
    page = api.get(f"/api/events/{seed.slug}/turns.json?page_size=5")
    assert [turn["sequence"] for turn in page.json()["results"]] == [1, 2, 3, 4, 5]


def test_an_unknown_event_is_404_before_a_bad_paging_parameter(seed, api):
    response = api.get("/api/events/no-such-event/turns?page_size=0")
    assert response.status_code == 404
    assert api.get(f"/api/events/{seed.slug}/turns?page_size=0").status_code == 400


def test_ordering_by_relevance_without_a_search_is_the_date_order(seed, api):
    """Schema-valid, so accepted: without q every turn matches equally and ties go by date."""
    by_date = api.get("/api/turns?page_size=7").json()
    response = api.get("/api/turns?page_size=7&ordering=relevance")
    assert response.status_code == 200
    assert response.json()["results"] == by_date["results"]
    assert "cursor=a" in response.json()["next"]  # paged by key, as the date order is


@pytest.mark.django_db(transaction=True)
def test_editors_pages_test_a_kept_connection_first_and_the_api_does_not(client, monkeypatch):
    from django.db import connection

    connection.ensure_connection()
    tested = []
    monkeypatch.setattr(connection, "is_usable", lambda: tested.append(1) or False)
    client.get("/api/outlets")
    assert tested == []
    connection.ensure_connection()
    kept = connection.connection
    assert client.get("/admin/login/").status_code == 200
    assert tested and connection.connection is not kept  # found "dead", replaced
