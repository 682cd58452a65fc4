"""Re-resolving stored events (resolve_identities) and splitting a participant by event."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from interviews.editing import services
from interviews.ingest.imports import transcript_import
from interviews.models import (
    Appearance,
    Correction,
    Event,
    Office,
    OfficeHolder,
    Participant,
    ParticipantRedirect,
    ParticipantSplit,
    Turn,
)

from .test_admin_actions import PARTICIPANTS, act, messages_of
from .test_identity import PRESIDENT, briefing

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_presidents():
    """Two events whose "THE PRESIDENT" were two people, stored as one participant the way
    imports made them before speakers were resolved to people."""
    office = Office.objects.create(name="President of Freedonia", slug="pf", labels="The President")
    OfficeHolder.objects.create(
        office=office, person="Rufus Firefly", start=dt.date(2020, 1, 1), end=dt.date(2024, 1, 1)
    )
    OfficeHolder.objects.create(office=office, person="Gloria Teasdale", start=dt.date(2024, 1, 1))
    transcript_import(data=briefing("March 1, 2022", "Remarks at a Bridge", PRESIDENT))
    transcript_import(data=briefing("March 1, 2025", "Remarks at a Tunnel", PRESIDENT))
    shared = Participant.objects.create(name="The President", slug="the-president")
    people = Participant.objects.filter(slug__in=["rufus-firefly", "gloria-teasdale"])
    Turn.objects.filter(speaker__in=people).update(speaker=shared)
    Appearance.objects.filter(participant__in=people).update(participant=shared)
    people.delete()
    return shared


def test_a_shared_role_is_split_into_the_people_who_held_it(two_presidents):
    out = _run("resolve_identities")
    assert "split the-president into rufus-firefly (2), gloria-teasdale (2)" in out
    assert "resolved 2 events: 4 turns moved" in out
    assert not Participant.objects.filter(slug="the-president").exists()
    firefly = Participant.objects.get(slug="rufus-firefly")
    assert set(firefly.turns.values_list("event__date__year", flat=True)) == {2022}
    assert Appearance.objects.filter(participant=firefly).count() == 1
    assert Participant.objects.get(slug="gloria-teasdale").turns.count() == 2
    # Nothing left to do the second time.
    assert "0 turns moved" in _run("resolve_identities")


def test_resolving_keeps_each_turns_offset(two_presidents):
    turns = Turn.objects.filter(speaker=two_presidents)
    offsets = {pk: 10.0 + index for index, pk in enumerate(turns.values_list("pk", flat=True))}
    for pk, offset in offsets.items():
        Turn.objects.filter(pk=pk).update(offset=offset)
    _run("resolve_identities")
    assert dict(Turn.objects.filter(pk__in=offsets).values_list("pk", "offset")) == offsets
    assert not Turn.objects.filter(speaker=two_presidents).exists()  # they did move


def test_an_editors_speaker_is_kept(two_presidents):
    turn = Turn.objects.filter(speaker=two_presidents).order_by("event__date", "sequence").first()
    editor_choice = Participant.objects.create(name="Zeppo Marx", slug="zeppo-marx")
    services.turn_reassign(turns=[turn], speaker=editor_choice)
    _run("resolve_identities")
    turn.refresh_from_db()
    assert turn.speaker == editor_choice
    assert Participant.objects.get(slug="rufus-firefly").turns.count() == 1


def test_a_surname_participant_is_merged_into_the_full_name():
    body = "MS. SMITHERS: Good afternoon.\n\nQ A question?\n\nMS. SMITHERS: An answer."
    transcript_import(
        data=briefing("May 3, 2022", "Press Briefing by Press Secretary Jane Smithers", body)
    )
    transcript_import(data=briefing("May 4, 2022", "Press Gaggle En Route", body))
    # As an import that did not link them left them:
    old = Participant.objects.create(name="Smithers", slug="smithers")
    gaggle = Event.objects.get(title="Press Gaggle En Route")
    gaggle.turns.exclude(speaker=None).exclude(speaker__is_anonymous=True).update(speaker=old)
    gaggle.appearances.filter(participant__slug="jane-smithers").update(participant=old)
    out = _run("resolve_identities", gaggle.slug)
    assert "merged smithers into jane-smithers (2 turns)" in out
    assert ParticipantRedirect.objects.get(slug="smithers").participant.slug == "jane-smithers"
    assert Participant.objects.get(slug="jane-smithers").turns.count() == 4


def test_a_dry_run_changes_nothing(two_presidents):
    before = sorted(Turn.objects.values_list("pk", "speaker_id"))
    out = _run("resolve_identities", "--dry-run")
    assert "would have resolved 2 events: 4 turns moved" in out
    assert sorted(Turn.objects.values_list("pk", "speaker_id")) == before
    assert Participant.objects.filter(slug="the-president").exists()


def test_an_unknown_event_is_one_line_and_changes_nothing(two_presidents):
    before = sorted(Turn.objects.values_list("pk", "speaker_id"))
    with pytest.raises(CommandError, match=r"^no such event: nope$"):
        call_command("resolve_identities", "nope", Event.objects.first().slug)
    assert sorted(Turn.objects.values_list("pk", "speaker_id")) == before


def _run(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# --- splitting a participant by event (the admin action and its service) ---------------


@pytest.fixture
def editor(editor_login):
    return editor_login


def test_split_page_lists_the_events_with_their_turns(editor, two_presidents):
    page = act(editor, PARTICIPANTS, "split_participant", [two_presidents.pk])
    assert page.status_code == 200
    assert b"Remarks at a Tunnel" in page.content and b"2 turn(s)" in page.content


def test_a_participant_at_many_events_picks_them_by_autocomplete(
    editor, two_presidents, monkeypatch
):
    """Past CHECKBOXES_UP_TO events the page has one autocomplete, not a checkbox and a
    count of turns per event (thousands of them were megabytes); the split still works."""
    from interviews.editing import actions

    monkeypatch.setattr(actions, "CHECKBOXES_UP_TO", 1)
    page = act(editor, PARTICIPANTS, "split_participant", [two_presidents.pk])
    html = page.content.decode()
    assert 'type="checkbox" name="events"' not in html and "turn(s)" not in html
    assert 'name="events"' in html and 'data-model-name="appearance"' in html
    tunnel = Event.objects.get(title="Remarks at a Tunnel")
    done = act(
        editor,
        PARTICIPANTS,
        "split_participant",
        [two_presidents.pk],
        apply="1",
        events=[tunnel.pk],
        name="Gloria Teasdale",
    )
    assert done.status_code == 302
    assert set(
        Participant.objects.get(name="Gloria Teasdale").turns.values_list("event", flat=True)
    ) == {tunnel.pk}
    elsewhere = Event.objects.create(slug="elsewhere", title="Elsewhere")
    refused = act(
        editor,
        PARTICIPANTS,
        "split_participant",
        [two_presidents.pk],
        apply="1",
        events=[elsewhere.pk],
    )
    assert refused.status_code == 200 and "valid choice" in refused.content.decode()


def test_split_moves_the_turns_and_survives_a_reimport(editor, two_presidents):
    tunnel = Event.objects.get(title="Remarks at a Tunnel")
    done = act(
        editor,
        PARTICIPANTS,
        "split_participant",
        [two_presidents.pk],
        apply="1",
        events=[tunnel.pk],
        name="Gloria Teasdale",
    )
    assert done.status_code == 302
    assert "now spoken by Gloria Teasdale" in " ".join(messages_of(done))
    teasdale = Participant.objects.get(name="Gloria Teasdale")
    assert set(teasdale.turns.values_list("event", flat=True)) == {tunnel.pk}
    assert two_presidents.turns.count() == 2
    turn = teasdale.turns.first()
    assert turn.history.first().history_user.username == "editor"
    assert Correction.objects.filter(model="interviews.turn", object_id=turn.pk).exists()
    assert ParticipantSplit.objects.get(event=tunnel).participant == teasdale
    # The import would give the tunnel's THE PRESIDENT to the-president; the split wins.
    OfficeHolder.objects.all().delete()
    transcript_import(
        data=briefing("March 1, 2025", "Remarks at a Tunnel", PRESIDENT + "\n(Applause.)"),
    )
    assert teasdale.turns.count() == 2
    appearing = set(tunnel.appearances.values_list("participant", flat=True))
    assert appearing == set(tunnel.turns.exclude(speaker=None).values_list("speaker", flat=True))
    assert teasdale.pk in appearing
    assert two_presidents.appearances.filter(event=tunnel).count() == 0


def test_split_into_an_existing_participant(two_presidents):
    bridge = Event.objects.get(title="Remarks at a Bridge")
    firefly = Participant.objects.create(name="Rufus Firefly", slug="rufus-firefly")
    moved = services.participant_split(participant=two_presidents, events=[bridge], into=firefly)
    assert moved == firefly and firefly.turns.count() == 2


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([], "Choose the events"),
        (["both"], "nothing to split"),
    ],
)
def test_a_split_that_cannot_be_done_changes_nothing(editor, two_presidents, events, message):
    chosen = list(Event.objects.values_list("pk", flat=True)) if events else []
    before = sorted(Turn.objects.values_list("pk", "speaker_id"))
    participants = Participant.objects.count()
    response = act(
        editor, PARTICIPANTS, "split_participant", [two_presidents.pk], apply="1", events=chosen
    )
    assert message in " ".join(messages_of(response))
    assert sorted(Turn.objects.values_list("pk", "speaker_id")) == before
    assert Participant.objects.count() == participants
    assert not ParticipantSplit.objects.exists()


def test_split_needs_exactly_one_participant(editor, two_presidents):
    other = Participant.objects.create(name="Other", slug="other")
    response = act(editor, PARTICIPANTS, "split_participant", [two_presidents.pk, other.pk])
    assert "exactly one participant" in " ".join(messages_of(response))


def test_a_database_error_from_the_shell_is_one_line(empty_database_url):
    from .conftest import run_python

    result = run_python(
        "manage.py",
        "resolve_identities",
        "no-such-event",
        environment={"DATABASE_URL": empty_database_url},
    )
    assert result.returncode != 0
    # An unmigrated database: what the database says, in one line, and no traceback.
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("CommandError: nothing was changed: relation"), line
    assert "does not exist" in line, line


def test_a_split_sends_the_reimported_speaker_to_the_other_person():
    body = "MS. SMITHERS: Good afternoon.\n\nQ A question?\n\nMS. SMITHERS: An answer."
    transcript_import(data=briefing("May 2, 2022", "Gaggle En Route", body))
    transcript_import(data=briefing("May 2, 2024", "Gaggle Aboard", body))
    shared = Participant.objects.get(slug="ms-smithers")
    aboard = Event.objects.get(title="Gaggle Aboard")
    other = services.participant_split(participant=shared, events=[aboard], name="Sue Smithers")
    Correction.objects.filter(model="interviews.turn").delete()  # only the split is left
    transcript_import(data=briefing("May 2, 2024", "Gaggle Aboard", body + "\n\nEND"))
    assert set(other.turns.values_list("event", flat=True)) == {aboard.pk}
    assert other.turns.count() == 2 and shared.turns.count() == 2
    assert not shared.appearances.filter(event=aboard).exists()


def test_events_an_editor_restructured_are_left_as_they_are(two_presidents):
    bridge = Event.objects.get(title="Remarks at a Bridge")
    Correction.objects.create(model="interviews.event", object_id=bridge.pk, field="turns")
    out = _run("resolve_identities")
    assert "resolved 1 events: 2 turns moved" in out and "1 events left as editors" in out
    assert set(two_presidents.turns.values_list("event", flat=True)) == {bridge.pk}
    assert not Participant.objects.filter(slug="rufus-firefly").exists()


def test_a_participant_with_an_editors_appearance_is_not_removed(two_presidents):
    appearance = two_presidents.appearances.first()
    services.correction_record(instance=appearance, fields=["role"])
    _run("resolve_identities")
    assert Participant.objects.filter(pk=two_presidents.pk).exists()
    assert Appearance.objects.filter(pk=appearance.pk).exists()


def test_a_label_that_names_nobody_imports(db):
    body = "JOHN DOE: Hello.\n\nTHE: Hi.\n\nJOHN DOE: Bye."
    result = transcript_import(data=briefing("May 2, 2022", "Odd labels", body))
    assert result.status == "imported"
    assert _run("resolve_identities").startswith("resolved 1 events")
