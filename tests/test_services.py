"""Editorial services: each is atomic, recorded, and refuses bad input without changing anything."""

import pytest

from interviews.editing import services
from interviews.models import (
    Alias,
    Appearance,
    Correction,
    Outlet,
    OutletAlias,
    Participant,
    ParticipantRedirect,
    Turn,
)


def person(slug):
    return Participant.objects.get(slug=slug)


def sequences(event):
    return list(event.turns.order_by("sequence").values_list("sequence", flat=True))


def test_reassign_moves_turns_and_creates_the_appearance(seed):
    turn = Turn.objects.get(speaker__slug="vladislav-fronin")
    gusman = person("mikhail-gusman")
    assert services.turn_reassign(turns=[turn], speaker=gusman) == 1
    turn.refresh_from_db()
    assert turn.speaker == gusman
    assert Appearance.objects.filter(event=seed, participant=gusman).exists()
    assert Correction.objects.filter(model="interviews.turn", object_id=turn.pk, field="speaker")
    assert turn.history.first().speaker_id == gusman.pk  # the change is in the history


def test_reassign_to_nobody_changes_nothing(seed):
    turn = Turn.objects.get(speaker__slug="vladislav-fronin")
    with pytest.raises(services.EditError, match="Choose the participant"):
        services.turn_reassign(turns=[turn], speaker=None)
    turn.refresh_from_db()
    assert turn.speaker.slug == "vladislav-fronin"
    assert not Correction.objects.exists()


def test_mark_narrative_drops_speaker_and_links(seed):
    question = Turn.objects.get(speaker__slug="vladislav-fronin")
    answer = question.replies.get()
    services.turn_mark_narrative(turns=[question])
    question.refresh_from_db()
    answer.refresh_from_db()
    assert (question.kind, question.speaker, answer.in_reply_to) == ("narrative", None, None)


def test_merge_moves_everything_to_the_survivor(seed):
    survivor, merged = person("mikhail-gusman"), person("mikhail-petrov")
    petrov_turns = list(merged.turns.values_list("pk", flat=True))
    assert services.participant_merge(survivor=survivor, others=[merged]) == 1
    assert not Participant.objects.filter(slug="mikhail-petrov").exists()
    assert set(petrov_turns) <= set(survivor.turns.values_list("pk", flat=True))
    assert Alias.objects.filter(participant=survivor, name="Mikhail Petrov").exists()
    assert ParticipantRedirect.objects.get(slug="mikhail-petrov").participant == survivor
    appearance = Appearance.objects.get(event=seed, participant=survivor)
    assert list(appearance.outlets.values_list("slug", flat=True)) == ["tass"]
    assert appearance.role == "Editor-in-Chief"  # the survivor had none; the merged one's fills it
    assert not Appearance.objects.filter(participant_id=merged.pk).exists()


def test_merge_keeps_the_aliases_of_the_merged(seed):
    services.participant_merge(
        survivor=person("mikhail-gusman"), others=[person("sergei-mikhailov")]
    )
    aliases = set(person("mikhail-gusman").aliases.values_list("name", flat=True))
    assert aliases == {"Sergei Mikhailov", "Sergei Mikhaylov"}


def test_merge_into_itself_is_refused(seed):
    gusman = person("mikhail-gusman")
    with pytest.raises(services.EditError, match="into itself"):
        services.participant_merge(survivor=gusman, others=[gusman])
    with pytest.raises(services.EditError, match="at least one"):
        services.participant_merge(survivor=gusman, others=[])
    assert gusman.turns.count() == 16


def test_outlet_merge(seed):
    rt, segodnya = Outlet.objects.get(slug="rt"), Outlet.objects.get(slug="rossiya-segodnya")
    services.outlet_merge(survivor=rt, others=[segodnya])
    assert not Outlet.objects.filter(slug="rossiya-segodnya").exists()
    kiselev = Appearance.objects.get(participant__slug="dmitriy-kiselev")
    assert list(kiselev.outlets.values_list("slug", flat=True)) == ["rt"]
    simonyan = Appearance.objects.get(participant__slug="margarita-simonyan")
    assert list(simonyan.outlets.values_list("slug", flat=True)) == ["rt"]
    alias = OutletAlias.objects.get(slug="rossiya-segodnya")
    assert (alias.outlet, alias.name) == (rt, "Rossiya Segodnya")


def test_split_inserts_a_turn_and_keeps_sequences_whole(seed):
    turn = Turn.objects.get(event=seed, sequence=4)  # Aliyev, two paragraphs
    first_paragraph, second_paragraph = turn.text.split("\n\n")
    new = services.turn_split(turn=turn, before_paragraph=2)
    turn.refresh_from_db()
    assert (turn.text, new.text, new.sequence) == (first_paragraph, second_paragraph, 5)
    assert new.speaker == turn.speaker
    assert sequences(seed) == list(range(1, 89))
    assert Turn.objects.get(event=seed, sequence=6).text.startswith("Please, colleagues.")
    assert Correction.objects.filter(model="interviews.event", field="turns").exists()


def test_split_with_another_speaker(seed):
    turn = Turn.objects.get(event=seed, sequence=4)
    gusman = person("mikhail-gusman")
    new = services.turn_split(turn=turn, before_paragraph=2, speaker=gusman)
    assert new.speaker == gusman and new.kind == "speech"


@pytest.mark.parametrize(("sequence", "before"), [(4, 1), (4, 3), (4, 0), (5, 2)])
def test_split_at_an_invalid_point_changes_nothing(seed, sequence, before):
    turn = Turn.objects.get(event=seed, sequence=sequence)
    text = turn.text
    with pytest.raises(services.EditError, match="paragraph"):
        services.turn_split(turn=turn, before_paragraph=before)
    turn.refresh_from_db()
    assert turn.text == text
    assert sequences(seed) == list(range(1, 88))
    assert not Correction.objects.exists()


def test_join_merges_neighbours_and_closes_the_gap(seed):
    turns = list(Turn.objects.filter(event=seed, sequence__in=[5, 6, 7]))
    texts = [t.text for t in sorted(turns, key=lambda t: t.sequence)]
    joined = services.turn_join(turns=turns)
    assert joined.sequence == 5 and joined.text == "\n\n".join(texts)
    assert sequences(seed) == list(range(1, 86))
    assert Turn.objects.get(event=seed, sequence=6).sequence == 6


def test_join_repoints_answers(seed):
    question = Turn.objects.get(speaker__slug="vladislav-fronin")
    before = Turn.objects.get(event=seed, sequence=question.sequence - 1)
    answer = question.replies.get()
    joined = services.turn_join(turns=[before, question])
    answer.refresh_from_db()
    assert answer.in_reply_to == joined


@pytest.mark.parametrize("picked", [[5], [5, 7]])
def test_join_refuses_non_neighbours(seed, picked):
    turns = list(Turn.objects.filter(event=seed, sequence__in=picked))
    with pytest.raises(services.EditError):
        services.turn_join(turns=turns)
    assert sequences(seed) == list(range(1, 88))
