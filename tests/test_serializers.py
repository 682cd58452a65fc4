"""The turn serializer's direct path gives what the declared fields give."""

from urllib.parse import urlencode

import pytest

from interviews.models import Turn
from interviews.serializers import TurnSerializer, _filtered


def test_links_keep_the_format_the_request_asked_for(seed, api):
    turns = api.get("/api/turns?speaker=margarita-simonyan&format=json").json()["results"]
    links = [turn["url"] for turn in turns] + [turn["speaker"]["url"] for turn in turns]
    links += [outlet["url"] for turn in turns for outlet in turn["outlets"]]
    assert links and all(link.endswith("?format=json") for link in links)


@pytest.mark.parametrize("sequence", [1, 6, 7, 18])
def test_a_turn_without_attached_details_serialises_the_same(seed, api, rf, sequence):
    """Without the view's bulk attachments (Turn.appearance, replies) the result is the same."""
    turn = Turn.objects.get(sequence=sequence)
    request = rf.get("/api/turns")
    from rest_framework.request import Request

    data = TurnSerializer(turn, context={"request": Request(request)}).data
    served = api.get(f"/api/turns/{turn.pk}").json()
    assert {**data, "highlight": None} == served


def test_details_from_queries_equal_details_from_columns(seed):
    """SQLite's three queries and PostgreSQL's columns give each turn the same details."""
    from interviews.turn_details import attach_turn_details, with_turn_details

    by_queries = list(Turn.objects.order_by("sequence"))
    by_columns = list(with_turn_details(Turn.objects.order_by("sequence")))
    attach_turn_details(by_queries)
    attach_turn_details(by_columns)

    def details(turn):
        appearance = turn.appearance
        return turn.reply_ids, appearance and (appearance.role, appearance.outlet_refs)

    assert [details(t) for t in by_queries] == [details(t) for t in by_columns]
    assert any(t.reply_ids for t in by_queries)
    assert any(t.appearance and len(t.appearance.outlet_refs) == 2 for t in by_queries)


@pytest.mark.parametrize("query", ["", "?format=json"])
def test_participants_direct_path_equals_drfs_fields(seed, rf, query):
    """ParticipantSerializer builds its dict itself; DRF's field-by-field path agrees."""
    from rest_framework import serializers
    from rest_framework.request import Request

    from interviews.models import Alias, Participant
    from interviews.serializers import ParticipantSerializer
    from interviews.views import ParticipantViewSet

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


@pytest.mark.parametrize(
    "value", ["vladimir-putin", "a b", "a&b=c", "x+y/z", "Шувалов", "it's #1?", "%41"]
)
@pytest.mark.parametrize("list_url", ["http://h/api/events", "http://h/api/turns?format=json"])
def test_filtered_links_are_urlencodes(list_url, value):
    expected = list_url + ("&" if "?" in list_url else "?") + urlencode({"speaker": value})
    assert _filtered(list_url, "speaker", value) == expected
