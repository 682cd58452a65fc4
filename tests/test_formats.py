"""CSV on every list, ETag / 304, and CORS from the environment."""

import csv
import io

import pytest
from django.core.management import call_command

from interviews.models import Outlet, Turn


def csv_rows(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body)))


TURN_COLUMNS = [
    "id",
    "event",
    "date",
    "sequence",
    "speaker",
    "speaker_name",
    "speaker_label",
    "role",
    "outlets",
    "kind",
    "in_reply_to",
    "text",
    "offset",
]


def test_turns_as_csv(seed, client):
    rows = csv_rows(client.get("/api/turns?format=csv&speaker=margarita-simonyan"))
    assert list(rows[0]) == TURN_COLUMNS
    assert len(rows) == 8
    first = rows[0]
    assert first["event"] == seed.slug and first["date"] == "2022-02-23"
    assert first["speaker"] == "margarita-simonyan"
    assert first["role"] == "Editor-in-Chief"
    assert first["outlets"] == "RT; Rossiya Segodnya"
    turn = Turn.objects.get(pk=first["id"])
    assert first["text"] == turn.text  # multi-paragraph text survives the quoting


def test_csv_is_unpaginated(seed, client):
    assert len(csv_rows(client.get("/api/turns?format=csv&page_size=5"))) == 87


def test_accept_header_asks_for_csv(seed, client):
    rows = csv_rows(client.get("/api/turns?kind=narrative", HTTP_ACCEPT="text/csv"))
    assert [row["sequence"] for row in rows] == ["1", "2", "87"]


@pytest.mark.parametrize(
    ("path", "header", "count"),
    [
        (
            "/api/events",
            "slug,title,date,time,location,source_url,turn_count,word_count,summary",
            1,
        ),
        (
            "/api/participants",
            "slug,name,is_anonymous,aliases,turn_count,word_count,event_count",
            16,
        ),
        ("/api/outlets", "slug,name,kind", 11),
    ],
)
def test_every_list_has_csv(seed, client, path, header, count):
    response = client.get(f"{path}?format=csv")
    rows = csv_rows(response)
    assert ",".join(rows[0]) == header
    assert len(rows) == count


def test_event_transcript_as_csv(seed, client):
    rows = csv_rows(client.get(f"/api/events/{seed.slug}/turns?format=csv"))
    assert [int(row["sequence"]) for row in rows] == list(range(1, 88))


def test_csv_errors_are_json(seed, client):
    response = client.get("/api/turns?format=csv&kind=monologue")
    assert response.status_code == 400
    assert "kind" in response.json()


def test_csv_is_not_offered_on_details(seed, client):
    response = client.get("/api/outlets/rt?format=csv")
    assert response.status_code == 400 and "format" in response.json()


def test_etag_and_304(seed, api):
    first = api.get("/api/turns?speaker=mikhail-gusman")
    etag = first["ETag"]
    assert etag
    again = api.get("/api/turns?speaker=mikhail-gusman", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    other = api.get("/api/turns?speaker=ilham-aliyev", HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200


def test_etag_is_an_xxh3_of_the_body_and_csv_streams_have_none(seed, api, client):
    import xxhash

    response = api.get("/api/turns?speaker=mikhail-gusman")
    assert response["ETag"] == f'"{xxhash.xxh3_128_hexdigest(response.content)}"'
    assert len(response["ETag"]) == 2 + 32  # 128 bits
    assert not client.get("/api/turns?format=csv").has_header("ETag")  # streamed


def test_etag_changes_when_the_data_does(seed, api):
    etag = api.get("/api/outlets/rt")["ETag"]
    assert api.get("/api/outlets/rt")["ETag"] == etag
    Outlet.objects.filter(slug="rt").update(name="RT (Russia Today)")
    assert api.get("/api/outlets/rt")["ETag"] != etag


def test_cors_denies_unlisted_origins_by_default(seed, client):
    response = client.get("/api/outlets", HTTP_ORIGIN="https://example.org")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_cors_allows_configured_origins(seed, client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.org"]
    response = client.get("/api/outlets", HTTP_ORIGIN="https://app.example.org")
    assert response["Access-Control-Allow-Origin"] == "https://app.example.org"
    other = client.get("/api/outlets", HTTP_ORIGIN="https://evil.example.com")
    assert "Access-Control-Allow-Origin" not in other


def test_content_negotiation(seed, api, client):
    assert api.get("/api/outlets").headers["Content-Type"] == "application/json"
    assert client.get("/api/outlets", HTTP_ACCEPT="text/csv")["Content-Type"].startswith("text/csv")
    assert client.get("/api/outlets?format=csv")["Content-Type"].startswith("text/csv")
    html = client.get("/api/outlets", HTTP_ACCEPT="text/html")
    assert html["Content-Type"].startswith("text/html")
    assert client.get("/api/outlets", HTTP_ACCEPT="image/png").status_code == 406
    xml = client.get("/api/outlets?format=xml")
    assert xml.status_code == 400 and xml["Content-Type"] == "application/json"
    assert "No format 'xml' here" in xml.json()["format"][0]
    indented = api.get("/api/outlets", HTTP_ACCEPT="application/json; indent=2")
    assert indented.content.startswith(b'{\n  "count"')


def test_cursor_links_are_drfs(rf):
    from rest_framework.request import Request
    from rest_framework.utils.urls import remove_query_param, replace_query_param

    from interviews.api.pagination import FIRST_PAGE, Cursor, TurnCursorPagination

    raw = "/api/turns?kind=question&kind=answer&q=&cursor=old&speaker=%C3%BC%20x&page_size=3"
    paginator = TurnCursorPagination()
    paginator.request = Request(rf.get(raw))
    url = paginator.request.build_absolute_uri()
    assert paginator._link(Cursor(key=(1, 2))) == replace_query_param(url, "cursor", "a1.2")
    assert paginator._link(FIRST_PAGE) == remove_query_param(url, "cursor")
    assert paginator._link(None) is None


PODCAST = """Episode 12: Tide gauges

April 2, 2023

Maria Lopez (00:00:03):
Welcome back. Today I'm talking with Tom Reed.

Tom Reed (00:00:11):
Thanks for having me, Maria.

Maria Lopez (00:01:02.5):
How did you start?
"""


def test_a_recording_offset_reaches_the_api_and_the_csv(tmp_path, client, db):
    source = tmp_path / "podcast.txt"
    source.write_text(PODCAST, encoding="utf-8")
    call_command("import_transcripts", str(source))
    turns = client.get("/api/turns?speaker=maria-lopez").json()["results"]
    assert [(turn["offset"], turn["text"][:12]) for turn in turns] == [
        (3.0, "Welcome back"),
        (62.5, "How did you "),
    ]
    assert all(turn["speaker_label"] == "Maria Lopez" for turn in turns)
    rows = csv_rows(client.get("/api/turns?format=csv&speaker=tom-reed"))
    assert [(row["offset"], row["text"]) for row in rows] == [
        ("11.0", "Thanks for having me, Maria.")
    ]


@pytest.mark.parametrize(
    ("path", "offered"),
    [
        ("/api/turns?format=xml", "json, api, csv"),
        ("/api/turns/{turn}?format=csv", "json, api"),  # CSV is for lists
        ("/api/events/{event}?format=yaml", "json, api"),
        ("/api/?format=csv", "json, api"),
    ],
)
def test_a_format_nothing_offers_is_a_400_naming_it(seed, client, path, offered):
    from interviews.models import Turn

    path = path.format(turn=Turn.objects.first().pk, event=seed.slug)
    response = client.get(path)
    assert response.status_code == 400, response.content
    [message] = response.json()["format"]
    assert message.endswith(f"this endpoint offers: {offered}.")


@pytest.mark.parametrize("page", ["abc", "0", "-3", "1.5"])
def test_a_malformed_page_number_is_a_400_naming_it(seed, api, page):
    response = api.get(f"/api/participants?page={page}")
    assert response.status_code == 400
    assert list(response.json()) == ["page"]


def test_a_page_past_the_last_is_still_a_404(seed, api):
    assert api.get("/api/participants?page=999").status_code == 404
    assert api.get("/api/participants?page=last").status_code == 200


def test_options_lists_no_parsers_for_a_read_only_api(seed, api):
    response = api.get("/api/turns", REQUEST_METHOD="OPTIONS")
    assert response.status_code == 200
    assert response.json()["parses"] == []
    assert response.json()["renders"][0] == "application/json"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_schema_answers_errors_in_json(client, method):
    response = getattr(client, method)("/api/schema/")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert "not allowed" in response.json()["detail"]
    bad = client.get("/api/schema/?format=xml")
    assert bad.status_code == 400 and bad["Content-Type"] == "application/json"
    assert client.get("/api/schema/")["Content-Type"].startswith("application/vnd.oai.openapi")


def test_a_format_suffix_in_the_path_is_still_a_404(seed, client):
    """`/api/events/0.5/` is the path of no event (slug "0" in format "5"), not a parameter."""
    assert client.get("/api/events/0.5/").status_code == 404
    assert client.get(f"/api/events/{seed.slug}.xml").status_code == 404


def test_head_gets_the_etag_of_get_and_its_304(seed, client):
    url = "/api/turns?speaker=mikhail-gusman"
    get = client.get(url, HTTP_ACCEPT="application/json")
    head = client.head(url, HTTP_ACCEPT="application/json")
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == get["ETag"]
    again = client.head(url, HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=get["ETag"])
    assert again.status_code == 304


def test_api_answers_say_how_long_to_keep_them_and_what_they_vary_with(seed, api, settings):
    settings.API_CACHE_MAX_AGE = 60
    response = api.get("/api/turns?speaker=mikhail-gusman")
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Accept" in [v.strip() for v in response["Vary"].split(",")]
    csv_response = api.get("/api/outlets?format=csv", HTTP_ACCEPT="text/csv")
    assert csv_response["Cache-Control"] == "public, max-age=60"
    # Errors and the admin are not for caches.
    assert "Cache-Control" not in api.get("/api/turns?kind=nope")
    assert "public" not in api.get("/admin/login/").get("Cache-Control", "")
    # The browsable API's pages (they may hold a CSRF token) are not for shared caches.
    page = api.get("/api/turns?speaker=mikhail-gusman", HTTP_ACCEPT="text/html")
    assert page["Content-Type"].startswith("text/html")
    assert "public" not in page.get("Cache-Control", "")
    # The schema keeps its own hour.
    assert "max-age=3600" in api.get("/api/schema/")["Cache-Control"]


def test_answers_are_gzipped_for_clients_that_accept_it(seed, client):
    import gzip

    url = "/api/turns?speaker=ilham-aliyev&page_size=50"
    plain = client.get(url, HTTP_ACCEPT="application/json")
    packed = client.get(url, HTTP_ACCEPT="application/json", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 3
    # The ETag is the uncompressed body's, weakened; If-None-Match still gets its 304.
    assert packed["ETag"] == "W/" + plain["ETag"]
    again = client.get(
        url,
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_ENCODING="gzip",
        HTTP_IF_NONE_MATCH=packed["ETag"],
    )
    assert again.status_code == 304


def test_streamed_csv_and_static_files_are_gzipped_too(seed, client):
    import gzip

    csv_plain = b"".join(client.get("/api/turns?format=csv").streaming_content)
    csv_packed = client.get("/api/turns?format=csv", HTTP_ACCEPT_ENCODING="gzip")
    assert csv_packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(csv_packed.streaming_content)) == csv_plain
    bundle = "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
    packed = client.get(bundle, HTTP_ACCEPT_ENCODING="gzip")
    assert packed.status_code == 200 and packed["Content-Encoding"] == "gzip"
    body = gzip.decompress(b"".join(packed.streaming_content))
    assert len(body) > 1_000_000 and body.startswith(b"/*")
