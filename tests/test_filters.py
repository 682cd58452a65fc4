"""Filters added for applications: outlets, dates, ordering, and their combinations."""

from urllib.parse import urlencode

import pytest

from interviews.models import Event, Turn


def sequences(api, query):
    response = api.get(f"/api/turns?{query}&page_size=500")
    assert response.status_code == 200, response.content
    return [turn["sequence"] for turn in response.json()["results"]]


def test_question_from_rossiyskaya_gazeta_is_frontins(seed, api):
    response = api.get("/api/turns?kind=question&outlet=rossiyskaya-gazeta")
    [question] = response.json()["results"]
    assert question["speaker"]["slug"] == "vladislav-fronin"
    [answer] = api.get(f"/api/turns?in_reply_to={question['id']}").json()["results"]
    assert answer["speaker"]["slug"] == "ilham-aliyev"
    assert answer["kind"] == "answer"
    assert answer["in_reply_to"] == question["id"]
    assert question["replies"] == [answer["id"]]


@pytest.mark.parametrize(
    ("query", "speakers"),
    [
        ("outlet=rt", {"margarita-simonyan"}),
        ("outlet=Rossiya%20Segodnya", {"margarita-simonyan", "dmitriy-kiselev"}),
        ("outlet=tass", {"sergei-mikhailov", "mikhail-petrov"}),
        ("outlet=TASS", {"sergei-mikhailov", "mikhail-petrov"}),
        ("outlet=rt,ntv", {"margarita-simonyan", "timur-vaynshteyn"}),
        ("outlet=rt&outlet=ntv", {"margarita-simonyan", "timur-vaynshteyn"}),
        ("outlet=no-such-outlet", set()),
    ],
)
def test_outlet_filter(seed, api, query, speakers):
    results = api.get(f"/api/turns?{query}&page_size=500").json()["results"]
    assert {turn["speaker"]["slug"] for turn in results} == speakers


def test_outlet_is_per_event(seed, api):
    # Simonyan speaks for RT at the seed event only; a second event without outlets
    # for her must not count her turns there as RT's.
    other = Event.objects.create(slug="other", title="Other", date="2023-01-01")
    simonyan = Turn.objects.filter(speaker__slug="margarita-simonyan").first().speaker
    Turn.objects.create(event=other, sequence=1, speaker=simonyan, text="Elsewhere.")
    assert "other" not in {
        t["event"]["slug"] for t in api.get("/api/turns?outlet=rt&page_size=500").json()["results"]
    }
    assert len(sequences(api, "speaker=margarita-simonyan")) == 9


def test_date_filters_on_turns(seed, api):
    assert len(sequences(api, "date_after=2022-02-23")) == 87
    assert sequences(api, "date_after=2022-02-24") == []
    assert len(sequences(api, "date_before=2022-02-23")) == 87
    assert sequences(api, "date_before=2022-02-22") == []


def test_turn_order_spans_events_by_date(seed, api):
    older = Event.objects.create(slug="older", title="Older", date="2020-01-01")
    Turn.objects.create(event=older, sequence=1, text="First of all.")
    found = api.get("/api/turns?page_size=2").json()["results"]
    assert found[0]["event"]["slug"] == "older"
    newest_first = api.get("/api/turns?page_size=1&ordering=-date").json()["results"]
    assert newest_first[0]["event"]["slug"] == seed.slug


def test_event_date_change_reorders_turns(seed, api):
    older = Event.objects.create(slug="older", title="Older", date="2020-01-01")
    Turn.objects.create(event=older, sequence=1, text="First of all.")
    older.date = "2030-01-01"
    older.save()
    assert Turn.objects.get(event=older).event_date.isoformat() == "2030-01-01"
    found = api.get("/api/turns?page_size=1&ordering=-date").json()["results"]
    assert found[0]["event"]["slug"] == "older"


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("kind=question&speaker=margarita-simonyan", 4),
        ("kind=answer&speaker=mehriban-aliyeva", 1),
        ("kind=question&outlet=rt&date_after=2022-01-01", 4),
        ("kind=question&outlet=rt&date_after=2023-01-01", 0),
        ("speaker=ilham-aliyev&kind=answer&q=Karabakh", 4),  # turns 11, 38, 40, 59
    ],
)
def test_combinations(seed, api, query, count):
    assert len(sequences(api, query)) == count


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("outlet=rt", ["margarita-simonyan"]),
        ("outlet=Rossiya%20Segodnya", ["dmitriy-kiselev", "margarita-simonyan"]),
        ("outlet=nothing", []),
    ],
)
def test_participants_by_outlet(seed, api, query, slugs):
    results = api.get(f"/api/participants?{query}").json()["results"]
    assert [p["slug"] for p in results] == slugs


def test_validated_parameters_are_remembered_and_bad_ones_are_a_400_each_time(seed, api):
    from django.http import QueryDict

    from interviews.api.filters import TurnFilter

    query = QueryDict("speaker=mikhail-gusman&kind=question&kind=answer&date_after=2022-01-01")
    first = TurnFilter.validate(query)
    first["kind"].append("narrative")  # a caller changing what it got changes nothing kept
    again = TurnFilter.validate(query)
    assert again["kind"] == ["question", "answer"] and again is not first
    assert str(again["date_after"]) == "2022-01-01"
    assert TurnFilter.validate(QueryDict("")) == TurnFilter.validate(QueryDict(""))
    for _ in range(2):
        response = api.get("/api/turns?date_after=2022-13-45")
        assert response.status_code == 400 and "date_after" in response.json()
    listed = api.get("/api/turns?kind=question&kind=answer").json()["results"]
    assert listed and {turn["kind"] for turn in listed} == {"question", "answer"}
    assert api.get("/api/turns?kind=question&kind=answer").json()["results"] == listed


def test_participant_names_by_part_use_the_trigram_indexes(seed):
    from interviews.api.filters import ParticipantFilter
    from interviews.models import Participant

    from .conftest import bitmap_plan

    plan = bitmap_plan(ParticipantFilter({"name": "gusm"}, queryset=Participant.objects.all()).qs)
    assert "participant_name_key_trgm" in plan and "alias_key_trgm" in plan


def test_participant_names_by_part_are_substrings_of_names_or_aliases(seed, api):
    from interviews.models import Alias, Participant
    from interviews.parsing import name_key

    gusman = Participant.objects.get(slug="mikhail-gusman")
    Alias.objects.create(participant=gusman, name="M_G 100% \\ Réal")
    everyone = list(Participant.objects.prefetch_related("aliases").order_by("name", "slug"))
    for part in ["gusm", "GUSMÁN", "100%", "m_g", "réal", "%", "_", "\\", "a", "zzzz", "ov"]:
        key = name_key(part)
        expected = [
            p.slug
            for p in everyone
            if key in p.name_key or any(key in alias.key for alias in p.aliases.all())
        ]
        response = api.get(f"/api/participants?{urlencode({'name': part, 'page_size': 500})}")
        assert [p["slug"] for p in response.json()["results"]] == expected, part
        assert expected or key == "zzzz"


@pytest.mark.parametrize(
    ("path", "labels"),
    [
        ("/api/turns", ["Speaker", "Event", "Outlet", "Kind", "Date after", "Date before"]),
        ("/api/events", ["Date after", "Date before", "Participant", "Outlet", "Q"]),
        ("/api/participants", ["Name", "Event", "Outlet"]),
    ],
)
def test_the_browsable_filter_form_labels_each_parameter_by_its_name(seed, client, path, labels):
    import re

    page = client.get(f"{path}?format=api", HTTP_ACCEPT="text/html").content.decode()
    found = [
        label.rstrip(":") for label in re.findall(r'<label for="id_\w+">([^<]*)</label>', page)
    ]
    assert found[: len(labels)] == labels
    assert "[invalid name]" not in page
