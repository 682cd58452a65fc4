"""Admin actions through the admin itself, and who may do what."""

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages

from interviews.models import Correction, Participant, Turn

TURNS = "/admin/interviews/turn/"
PARTICIPANTS = "/admin/interviews/participant/"


@pytest.fixture
def editor_client(editor_login, seed):
    return editor_login


def act(client, url, action, pks, **data):
    return client.post(url, {"action": action, "_selected_action": pks, **data})


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_reassign_shows_a_page_then_applies(editor_client):
    turn = Turn.objects.get(speaker__slug="vladislav-fronin")
    page = act(editor_client, TURNS, "reassign_speaker", [turn.pk])
    assert page.status_code == 200
    assert b"New speaker" in page.content and b"Apply" in page.content
    gusman = Participant.objects.get(slug="mikhail-gusman")
    done = act(editor_client, TURNS, "reassign_speaker", [turn.pk], apply="1", speaker=gusman.pk)
    assert done.status_code == 302
    turn.refresh_from_db()
    assert turn.speaker == gusman
    assert turn.history.first().history_user.username == "editor"


def test_reassign_to_nobody_is_a_message_and_no_change(editor_client):
    turn = Turn.objects.get(speaker__slug="vladislav-fronin")
    response = act(editor_client, TURNS, "reassign_speaker", [turn.pk], apply="1", speaker="")
    assert "Choose the participant" in " ".join(messages_of(response))
    turn.refresh_from_db()
    assert turn.speaker.slug == "vladislav-fronin"


def test_mark_narrative(editor_client):
    turn = Turn.objects.get(speaker__slug="journalist--" + Turn.objects.first().event.slug)
    act(editor_client, TURNS, "mark_narrative", [turn.pk])
    turn.refresh_from_db()
    assert (turn.kind, turn.speaker) == ("narrative", None)


def test_split_page_lists_paragraphs_and_rejects_a_bad_point(editor_client, seed):
    turn = Turn.objects.get(event=seed, sequence=4)
    page = act(editor_client, TURNS, "split_turn", [turn.pk])
    assert page.status_code == 200
    assert page.content.count(b"<li value=") == 2
    bad = act(editor_client, TURNS, "split_turn", [turn.pk], apply="1", before_paragraph="5")
    assert "split before paragraph 2 to 2" in " ".join(messages_of(bad))
    assert seed.turns.count() == 87
    act(editor_client, TURNS, "split_turn", [turn.pk], apply="1", before_paragraph="2")
    assert seed.turns.count() == 88


def test_split_needs_exactly_one_turn(editor_client, seed):
    pks = list(seed.turns.filter(sequence__in=[4, 5]).values_list("pk", flat=True))
    response = act(editor_client, TURNS, "split_turn", pks)
    assert "exactly one" in " ".join(messages_of(response))


def test_join_from_the_changelist(editor_client, seed):
    pks = list(seed.turns.filter(sequence__in=[5, 6]).values_list("pk", flat=True))
    act(editor_client, TURNS, "join_turns", pks)
    assert seed.turns.count() == 86
    far = list(seed.turns.filter(sequence__in=[10, 20]).values_list("pk", flat=True))
    response = act(editor_client, TURNS, "join_turns", far)
    assert "not consecutive" in " ".join(messages_of(response))
    assert seed.turns.count() == 86


def test_merge_page_and_merge(editor_client):
    pks = [Participant.objects.get(slug=s).pk for s in ("mikhail-gusman", "mikhail-petrov")]
    page = act(editor_client, PARTICIPANTS, "merge_participants", pks)
    assert page.status_code == 200 and b'type="radio"' in page.content
    act(editor_client, PARTICIPANTS, "merge_participants", pks, apply="1", survivor=pks[0])
    assert not Participant.objects.filter(slug="mikhail-petrov").exists()
    assert Participant.objects.get(pk=pks[0]).turns.count() == 17


def test_merging_one_into_itself_changes_nothing(editor_client):
    gusman = Participant.objects.get(slug="mikhail-gusman")
    response = act(
        editor_client,
        PARTICIPANTS,
        "merge_participants",
        [gusman.pk],
        apply="1",
        survivor=gusman.pk,
    )
    assert "at least one" in " ".join(messages_of(response))
    assert Participant.objects.count() == 16


def test_renaming_keeps_the_old_name_as_alias_and_records_it(editor_client):
    ernst = Participant.objects.get(slug="konstantin-ernst")
    response = editor_client.post(
        f"{PARTICIPANTS}{ernst.pk}/change/",
        {
            "name": "Konstantin L. Ernst",
            "is_anonymous": "",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content[:500]
    ernst.refresh_from_db()
    assert ernst.name == "Konstantin L. Ernst"
    assert list(ernst.aliases.values_list("name", flat=True)) == ["Konstantin Ernst"]
    assert Correction.objects.filter(model="interviews.participant", field="name").exists()


def test_editors_cannot_delete(editor_client, seed):
    assert editor_client.get(f"/admin/interviews/event/{seed.pk}/delete/").status_code == 403
    assert editor_client.get(f"/admin/interviews/event/{seed.pk}/change/").status_code == 200


def test_superusers_can_delete(admin_client, seed):
    assert admin_client.get(f"/admin/interviews/event/{seed.pk}/delete/").status_code == 200


def test_staff_without_group_see_nothing(client, seed):
    user = User.objects.create_user("visitor", password="pw-visitor-17", is_staff=True)
    client.force_login(user)
    assert client.get(TURNS).status_code == 403


def test_admin_forms_need_csrf(seed):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    admin = User.objects.create_superuser("root", password="pw-root-17")
    strict.force_login(admin)
    turn = Turn.objects.first()
    response = strict.post(TURNS, {"action": "mark_narrative", "_selected_action": [turn.pk]})
    assert response.status_code == 403
