"""The admin: every model registered, an event's turns a link away, in order."""

import pytest
from django.contrib import admin

from interviews.models import Alias, Appearance, Event, Outlet, Participant, Turn


@pytest.fixture
def editor(admin_client, seed):
    return admin_client


def test_every_model_is_registered():
    for model in (Event, Participant, Alias, Outlet, Appearance, Turn):
        if model is Alias:
            continue  # edited inline on its participant
        assert admin.site.is_registered(model), model


@pytest.mark.parametrize("model", ["event", "participant", "outlet", "appearance", "turn"])
def test_changelists_open(editor, model):
    assert editor.get(f"/admin/interviews/{model}/").status_code == 200


def test_event_page_shows_appearances_and_links_its_turns_in_order(editor, seed):
    response = editor.get(f"/admin/interviews/event/{seed.pk}/change/")
    assert response.status_code == 200
    formsets = {f.formset.prefix: f for f in response.context["inline_admin_formsets"]}
    assert set(formsets) == {"appearances"}  # turns: a link, not 87 forms
    assert len(formsets["appearances"].formset.forms) == 16
    link = f"/admin/interviews/turn/?event__id__exact={seed.pk}"
    assert f'<a href="{link}">87 turns, in order</a>' in response.content.decode()
    listed = editor.get(link)
    assert [turn.sequence for turn in listed.context["cl"].result_list] == list(range(1, 88))


def test_participant_autocomplete_finds_by_alias(editor):
    response = editor.get(
        "/admin/autocomplete/",
        {
            "term": "Mikhaylov",
            "app_label": "interviews",
            "model_name": "turn",
            "field_name": "speaker",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Sergei Mikhailov"]


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({"kind__exact": "narrative"}, 3),
        ({"q": "vaccine nationalism"}, 1),
        ({"q": "no such words anywhere"}, 0),
    ],
)
def test_turn_changelist_filters_and_search(editor, query, count):
    response = editor.get("/admin/interviews/turn/", query)
    assert response.status_code == 200
    assert response.context["cl"].result_count == count


def test_turn_changelist_filters_by_speaker_and_event(editor, seed):
    gusman = Participant.objects.get(slug="mikhail-gusman")
    response = editor.get("/admin/interviews/turn/", {"speaker__id__exact": gusman.pk})
    assert response.context["cl"].result_count == 16
    response = editor.get("/admin/interviews/turn/", {"event__id__exact": seed.pk})
    assert response.context["cl"].result_count == 87


def test_editor_reassigns_a_turn_speaker(editor):
    turn = Turn.objects.get(speaker__slug="vladislav-fronin")
    gusman = Participant.objects.get(slug="mikhail-gusman")
    response = editor.post(
        f"/admin/interviews/turn/{turn.pk}/change/",
        {
            "event": turn.event_id,
            "sequence": turn.sequence,
            "speaker": gusman.pk,
            "kind": turn.kind,
            "text": turn.text,
            "attribution": turn.attribution,
            "in_reply_to": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].errors
    turn.refresh_from_db()
    assert turn.speaker == gusman


def test_a_narrative_turn_with_a_speaker_is_refused(editor):
    turn = Turn.objects.get(speaker__slug="vladislav-fronin")
    form = {
        "event": turn.event_id,
        "sequence": turn.sequence,
        "speaker": turn.speaker_id,
        "kind": "narrative",
        "text": turn.text,
        "attribution": turn.attribution,
        "in_reply_to": "",
    }
    response = editor.post(f"/admin/interviews/turn/{turn.pk}/change/", form)
    assert response.status_code == 200  # the form again, with the error
    assert "A narrative turn has no speaker" in response.content.decode()
    turn.refresh_from_db()
    assert turn.kind == "question" and turn.speaker.slug == "vladislav-fronin"
    # Without the speaker it is saved.
    response = editor.post(f"/admin/interviews/turn/{turn.pk}/change/", {**form, "speaker": ""})
    assert response.status_code == 302
    turn.refresh_from_db()
    assert (turn.kind, turn.speaker) == ("narrative", None)


def test_anonymous_users_are_sent_to_login(client, seed):
    response = client.get("/admin/interviews/turn/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_editors_keep_the_office_table(editor_login):
    """An editor adds an office and a holder in the admin; the change is a correction."""
    from interviews.models import Correction, Office, OfficeHolder

    client = editor_login
    assert client.get("/admin/interviews/office/").status_code == 200
    assert client.get("/admin/interviews/office/add/").status_code == 200
    response = client.post(
        "/admin/interviews/office/add/",
        {
            "name": "Mayor of Springfield",
            "slug": "mayor-of-springfield",
            "labels": "The Mayor\nMayor",
            "holders-TOTAL_FORMS": "1",
            "holders-INITIAL_FORMS": "0",
            "holders-0-person": "Joe Quimby",
            "holders-0-start": "2019-01-01",
            "holders-0-end": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    office = Office.objects.get(slug="mayor-of-springfield")
    assert office.label_list == ["The Mayor", "Mayor"]
    holder = OfficeHolder.objects.get(office=office)
    assert (holder.person, holder.slug) == ("Joe Quimby", "joe-quimby-2019")
    assert Correction.objects.filter(model="interviews.officeholder", object_id=holder.pk).exists()
    page = client.get(f"/admin/interviews/office/{office.pk}/change/")
    assert page.status_code == 200 and b"joe-quimby-2019" in page.content
    # Editors delete nothing, offices included.
    assert client.post(f"/admin/interviews/office/{office.pk}/delete/").status_code == 403
