"""Serializers that build their representation directly give what their fields declare."""

import pytest

from interviews.api.serializers import TurnSerializer
from interviews.models import Turn


def test_links_keep_the_format_the_request_asked_for(seed, api):
    turns = api.get("/api/turns?speaker=margarita-simonyan&format=json").json()["results"]
    links = [turn["url"] for turn in turns] + [turn["speaker"]["url"] for turn in turns]
    links += [outlet["url"] for turn in turns for outlet in turn["outlets"]]
    assert links and all(link.endswith("?format=json") for link in links)


def test_a_turn_has_every_declared_field_and_nothing_else(seed, api, rf):
    """TurnSerializer builds its dict itself: the declared fields are the contract."""
    from rest_framework.request import Request

    from interviews.api import selectors

    question = Turn.objects.filter(kind="question", speaker__slug="vladislav-fronin").first()
    row = selectors.turn(question.pk)
    serializer = TurnSerializer(context={"request": Request(rf.get("/api/turns"))})
    data = serializer.to_representation(row)
    assert list(data) == list(TurnSerializer.Meta.fields)
    assert data["speaker"] == {
        "slug": "vladislav-fronin",
        "name": "Vladislav Fronin",
        "url": "http://testserver/api/participants/vladislav-fronin",
    }
    assert [outlet["slug"] for outlet in data["outlets"]] == ["rossiyskaya-gazeta"]
    assert data["role"] == question.event.appearances.get(participant=question.speaker).role
    assert data["replies"] == list(question.replies.values_list("pk", flat=True))
    assert data["word_count"] == len(question.text.split())
    assert data == api.get(f"/api/turns/{question.pk}").json()


@pytest.mark.parametrize("query", ["", "?format=json"])
def test_participants_direct_path_equals_drfs_fields(seed, rf, query):
    """ParticipantSerializer builds its dict itself; DRF's field-by-field path agrees."""
    from rest_framework import serializers
    from rest_framework.request import Request

    from interviews.api.serializers import ParticipantSerializer
    from interviews.api.views import ParticipantViewSet
    from interviews.models import Alias, Participant

    Alias.objects.create(participant=Participant.objects.get(slug="mikhail-gusman"), name="M G")
    request = Request(rf.get(f"/api/participants{query}"))
    serializer = ParticipantSerializer(context={"request": request})
    participants = list(ParticipantViewSet.queryset)
    assert len(participants) > 5 and any(p.aliases.all() for p in participants)
    for participant in participants:
        direct = serializer.to_representation(participant)
        fields = serializers.HyperlinkedModelSerializer.to_representation(serializer, participant)
        assert direct == dict(fields)
        assert direct["events_url"] == (
            f"http://testserver/api/events{query}{'&' if query else '?'}"
            f"participant={participant.slug}"
        )
        assert direct["turns_url"].endswith(f"speaker={participant.slug}")


@pytest.mark.parametrize("query", ["", "?format=json"])
def test_participants_link_to_their_events_and_turns(seed, api, query):
    from interviews.models import Alias, Participant

    Alias.objects.create(participant=Participant.objects.get(slug="mikhail-gusman"), name="M G")
    listed = api.get(f"/api/participants{query}").json()["results"]
    gusman = next(p for p in listed if p["slug"] == "mikhail-gusman")
    assert gusman["aliases"] == ["M G"]
    for participant in listed:
        slug = participant["slug"]
        assert participant["url"] == f"http://testserver/api/participants/{slug}{query}"
        assert participant["events_url"] == (
            f"http://testserver/api/events{query}{'&' if query else '?'}participant={slug}"
        )
        assert participant["turns_url"].endswith(f"speaker={slug}")
        turns = api.get(participant["turns_url"]).json()["results"]
        assert len(turns) == min(participant["turn_count"], 50)
