"""The one loader: records stored as written, derived fields derived, corrections kept."""

import json

import pytest
from django.core.management import call_command
from django.core.serializers.base import DeserializationError

from interviews.editing import services
from interviews.ingest.fixtures import to_fixture
from interviews.ingest.loading import fixture_load
from interviews.models import (
    Alias,
    Appearance,
    Correction,
    Event,
    Office,
    OfficeHolder,
    Outlet,
    Participant,
    Turn,
)
from interviews.parsing import UNDATED, count_words, name_key, parse_transcript

from .conftest import ROOT, SEED_FIXTURE, SEED_TRANSCRIPT

OFFICES_FIXTURE = ROOT / "fixtures" / "offices.json"

SECOND = """Ilham Aliyev received a delegation

1 March 2023, 11:00

President Ilham Aliyev received a delegation of journalists.

President Ilham Aliyev: Welcome to Baku. I am glad to see you.

Journalist: Thank you for the invitation. What are your plans?

Ilham Aliyev: We will build more roads.
"""


def seed_records():
    return json.loads(SEED_FIXTURE.read_text(encoding="utf-8"))


def second_records():
    return to_fixture(parse_transcript(SECOND.encode(), source_name="second.txt"))


def snapshot():
    """Every row of the imported models, foreign keys as natural keys: ids differ run to run."""
    keys = {
        Outlet: {pk: slug for pk, slug in Outlet.objects.values_list("pk", "slug")},
        Participant: {pk: slug for pk, slug in Participant.objects.values_list("pk", "slug")},
        Event: {pk: slug for pk, slug in Event.objects.values_list("pk", "slug")},
    }
    keys[Turn] = {
        pk: (keys[Event][event_id], sequence)
        for pk, event_id, sequence in Turn.objects.values_list("pk", "event_id", "sequence")
    }
    tables = {}
    for model in [Outlet, Participant, Alias, Event, Appearance, Turn]:
        rows = []
        for obj in model.objects.all():
            row = []
            for field in model._meta.concrete_fields:
                if field.primary_key:
                    continue
                value = getattr(obj, field.attname)
                if field.is_relation and value is not None:
                    value = keys[field.related_model][value]
                row.append((field.name, value))
            if model is Appearance:
                row.append(("outlets", sorted(o.slug for o in obj.outlets.all())))
            rows.append(tuple(row))
        tables[model.__name__] = sorted(rows, key=repr)
    tables["history"] = sum(m.history.count() for m in [Participant, Event, Appearance, Turn])
    return tables


def assert_stored_as_recorded(records):
    """Every record's plain fields are in its row as written, the derived ones derived."""
    events = dict(Event.objects.values_list("slug", "date"))
    for record in records:
        fields = record["fields"]
        if record["model"] == "interviews.turn":
            turn = Turn.objects.get(event__slug=fields["event"][0], sequence=fields["sequence"])
            for name in ("text", "kind", "speaker_label", "attribution", "line_start"):
                assert getattr(turn, name) == fields[name], (name, fields)
            speaker = fields["speaker"][0] if fields["speaker"] else None
            assert (turn.speaker.slug if turn.speaker else None) == speaker
            assert turn.word_count == count_words(fields["text"])
            assert turn.event_date == (events[fields["event"][0]] or UNDATED)
            reply = fields["in_reply_to"]
            assert (turn.in_reply_to.sequence if turn.in_reply_to else None) == (
                reply[1] if reply else None
            )
        elif record["model"] == "interviews.participant":
            person = Participant.objects.get(slug=fields["slug"])
            assert (person.name, person.is_anonymous) == (fields["name"], fields["is_anonymous"])
            assert person.name_key == name_key(fields["name"])
        elif record["model"] == "interviews.appearance":
            appearance = Appearance.objects.get(
                event__slug=fields["event"][0], participant__slug=fields["participant"][0]
            )
            assert appearance.role == fields["role"]
            outlets = sorted(o.slug for o in appearance.outlets.all())
            assert outlets == sorted(key[0] for key in fields["outlets"])


@pytest.mark.django_db
def test_an_empty_database_gets_every_record():
    records = seed_records()
    result = fixture_load(records=records)
    assert_stored_as_recorded(records)
    assert result.created["interviews.turn"] == Turn.objects.count() == 87
    assert result.created["interviews.participant"] == Participant.objects.count()
    assert result.kept_records == 0
    assert Turn.objects.exclude(in_reply_to=None).count() == 19  # answers point to questions
    assert snapshot()["history"] == 0  # imports are not edits


@pytest.mark.django_db
def test_two_transcripts_in_one_call_are_two_loads():
    records = seed_records() + second_records()
    fixture_load(records=records)
    assert_stored_as_recorded(records)
    assert Event.objects.count() == 2
    # The second event's Ilham Aliyev is the seed's: one participant, turns at both.
    assert Participant.objects.get(slug="ilham-aliyev").events.count() == 2


@pytest.mark.django_db
def test_derived_fields_are_derived_whatever_the_record_says():
    records = seed_records()
    for record in records:
        fields = record["fields"]
        if record["model"] == "interviews.turn":
            fields.update(word_count=999, event_date="1999-01-01")
        if record["model"] == "interviews.participant":
            fields["name_key"] = "wrong"
    fixture_load(records=records)
    assert_stored_as_recorded(records)


@pytest.mark.django_db
def test_loading_again_changes_nothing():
    fixture_load(records=seed_records())
    before = snapshot()
    result = fixture_load(records=seed_records())
    assert snapshot() == before
    assert sum(result.created.values()) == 0
    assert result.updated["interviews.turn"] == 87


def test_corrections_are_kept(seed):
    turn = Turn.objects.get(speaker__slug="vladislav-fronin")
    services.turn_reassign(turns=[turn], speaker=Participant.objects.get(slug="mikhail-gusman"))
    ernst = Participant.objects.get(slug="konstantin-ernst")
    ernst.name = "Konstantin L. Ernst"
    ernst.save()
    services.correction_record(instance=ernst, fields=["name"])
    services.participant_merge(
        survivor=Participant.objects.get(slug="ilham-aliyev"),
        others=[Participant.objects.get(slug="mehriban-aliyeva")],
    )
    services.outlet_merge(
        survivor=Outlet.objects.get(slug="rt"),
        others=[Outlet.objects.get(slug="rossiya-segodnya")],
    )
    Turn.objects.filter(sequence=10).update(text="damaged")  # not an editor: no correction

    result = fixture_load(records=seed_records())

    turn.refresh_from_db()
    assert turn.speaker.slug == "mikhail-gusman"
    ernst.refresh_from_db()
    assert (ernst.name, ernst.name_key) == ("Konstantin L. Ernst", name_key("Konstantin L. Ernst"))
    assert not Participant.objects.filter(slug="mehriban-aliyeva").exists()
    assert not Outlet.objects.filter(slug="rossiya-segodnya").exists()
    assert Turn.objects.get(sequence=10).text != "damaged"
    assert result.kept["interviews.turn"] == 1
    # Ernst's corrected name, the merge's survivor (its name is kept), the merged-away one.
    assert result.kept["interviews.participant"] == 3


def test_the_office_table_loads_and_keeps_an_editors_change(db):
    records = json.loads(OFFICES_FIXTURE.read_text(encoding="utf-8"))
    offices = [r for r in records if r["model"] == "interviews.office"]
    holders = [r for r in records if r["model"] == "interviews.officeholder"]
    result = fixture_load(records=records)
    assert Office.objects.count() == len(offices) == result.created["interviews.office"]
    assert OfficeHolder.objects.count() == len(holders)
    first = holders[0]["fields"]
    stored = OfficeHolder.objects.get(office__slug=first["office"][0], slug=first["slug"])
    assert stored.person == first["person"]

    stored.person = "Someone Else"
    stored.save()
    services.correction_record(instance=stored, fields=["person"])
    result = fixture_load(records=records)
    stored.refresh_from_db()
    assert stored.person == "Someone Else"
    assert result.kept["interviews.officeholder"] == 1
    assert sum(result.created.values()) == 0


def test_turns_split_by_an_editor_are_left_alone(seed):
    services.turn_split(turn=Turn.objects.get(event=seed, sequence=4), before_paragraph=2)
    texts = list(seed.turns.order_by("sequence").values_list("text", flat=True))
    result = fixture_load(records=seed_records())
    assert list(seed.turns.order_by("sequence").values_list("text", flat=True)) == texts
    assert result.kept["interviews.turn"] == 87
    assert result.kept["interviews.event"] == 1
    assert Correction.objects.filter(field=Correction.STRUCTURE).count() == 1


def test_a_failure_leaves_nothing(db):
    records = seed_records()
    records[-1]["fields"]["event"] = ["no-such-event"]
    with pytest.raises(DeserializationError):
        fixture_load(records=records)
    assert not Event.objects.exists() and not Turn.objects.exists()


@pytest.mark.parametrize(
    "record",
    [
        {"model": "interviews.nothing", "fields": {}},
        {"model": "interviews.outlet", "pk": 1, "fields": {"slug": "x", "name": "X"}},
        {"model": "interviews.outlet", "fields": {"slug": "x", "colour": "red"}},
        {"model": "interviews.event", "fields": {"slug": "x", "title": "X", "date": "nope"}},
    ],
)
def test_records_it_cannot_load_are_errors(db, record):
    with pytest.raises(DeserializationError):
        fixture_load(records=[record])
    assert not Outlet.objects.exists() and not Event.objects.exists()


def test_transcript_import_loads_what_the_fixture_holds(db):
    from interviews.ingest.imports import transcript_import

    transcript_import(data=SEED_TRANSCRIPT.read_bytes(), source_name=SEED_TRANSCRIPT.name)
    imported = snapshot()
    assert imported.pop("history") == 0
    Event.objects.all().delete()
    Participant.objects.all().delete()
    Outlet.objects.all().delete()
    call_command("load_fixtures", SEED_FIXTURE, verbosity=0)
    loaded = snapshot()
    loaded.pop("history")  # the deletions just made
    assert loaded == imported


def test_a_name_two_people_carry_is_matched_to_neither(db):
    from interviews.ingest.imports import known_participants

    Participant.objects.create(name="Ilham Aliyev", slug="ilham-aliyev-2")
    other = Participant.objects.create(name="I. Aliyev", slug="aliyev")
    Alias.objects.create(participant=other, name="Ilham Aliyev")
    Participant.objects.create(name="Journalist", slug="journalist--x", is_anonymous=True)
    parsed = parse_transcript(SECOND.encode(), source_name="second.txt")
    matched, warnings = known_participants(parsed)
    assert matched == {}
    [warning] = warnings
    # In the participants' order (name, then slug), as the per-speaker lookup listed them.
    assert "(aliyev, ilham-aliyev-2)" in warning.message


def test_a_known_name_or_alias_is_matched(db):
    from interviews.ingest.imports import known_participants

    Participant.objects.create(name="Ilham Aliyev", slug="ilham-aliyev")
    parsed = parse_transcript(SECOND.encode(), source_name="second.txt")
    matched, warnings = known_participants(parsed)
    assert list(matched.values()) == ["ilham-aliyev"] and warnings == []
