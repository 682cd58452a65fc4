"""The set-based loader gives the database loaddata gives (deserializer + ImportGuard)."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import transaction

from interviews import loading, services
from interviews.corrections import ImportGuard
from interviews.fixtures import to_fixture
from interviews.loading import fixture_load
from interviews.models import (
    Alias,
    Appearance,
    Correction,
    Event,
    Outlet,
    Participant,
    Turn,
)
from interviews.parsing import parse_transcript

from .conftest import SEED_FIXTURE, SEED_TRANSCRIPT

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


def write_fixture(tmp_path, records, name="records.json"):
    path = tmp_path / name
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def both_ways(tmp_path, records):
    """Load the records with loaddata, roll back, load them with fixture_load: both results."""
    path = write_fixture(tmp_path, records)
    point = transaction.savepoint()
    call_command("loaddata", path, verbosity=0)
    by_loaddata = snapshot()
    transaction.savepoint_rollback(point)
    result = fixture_load(records=records)
    return by_loaddata, snapshot(), result


@pytest.fixture(params=[True, False], ids=["copy", "bulk_create"])
def copy_or_not(request, monkeypatch):
    """Both ways of inserting turns: COPY (PostgreSQL) and bulk_create (the others)."""
    monkeypatch.setattr(loading, "_can_copy", lambda connection: request.param)
    return request.param


@pytest.mark.django_db
def test_an_empty_database_gets_what_loaddata_gives(tmp_path, copy_or_not):
    by_loaddata, by_loader, result = both_ways(tmp_path, seed_records())
    assert by_loader == by_loaddata
    assert result.created["interviews.turn"] == 87
    assert result.kept_records == 0
    assert Turn.objects.exclude(in_reply_to=None).count() == 19  # answers point to questions


@pytest.mark.django_db
def test_two_transcripts_in_one_call_are_two_loads(tmp_path, copy_or_not):
    records = seed_records() + second_records()
    by_loaddata, by_loader, _ = both_ways(tmp_path, records)
    assert by_loader == by_loaddata
    assert Event.objects.count() == 2


@pytest.mark.django_db
def test_loading_again_changes_nothing(copy_or_not):
    fixture_load(records=seed_records())
    before = snapshot()
    result = fixture_load(records=seed_records())
    assert snapshot() == before
    assert sum(result.created.values()) == 0
    assert result.updated["interviews.turn"] == 87


def test_corrections_are_kept_as_loaddata_keeps_them(seed, tmp_path, copy_or_not):
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
    path = write_fixture(tmp_path, seed_records())
    point = transaction.savepoint()
    output = io.StringIO()
    call_command("loaddata", path, verbosity=1, stdout=output)
    by_loaddata = snapshot()
    transaction.savepoint_rollback(point)

    result = fixture_load(records=seed_records())

    assert snapshot() == by_loaddata
    turn.refresh_from_db()
    assert turn.speaker.slug == "mikhail-gusman"
    assert Participant.objects.get(slug="konstantin-ernst").name == "Konstantin L. Ernst"
    assert not Participant.objects.filter(slug="mehriban-aliyeva").exists()
    assert not Outlet.objects.filter(slug="rossiya-segodnya").exists()
    assert Turn.objects.get(sequence=10).text != "damaged"
    # Counted record by record as loaddata's ImportGuard counts them.
    guard = ImportGuard()
    guard.kept = result.kept
    assert guard.summary() in output.getvalue()
    assert result.kept["interviews.turn"] == 1


def test_turns_split_by_an_editor_are_left_alone(seed, copy_or_not):
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
    from interviews.imports import transcript_import

    transcript_import(data=SEED_TRANSCRIPT.read_bytes(), source_name=SEED_TRANSCRIPT.name)
    imported = snapshot()
    assert imported.pop("history") == 0
    Event.objects.all().delete()
    Participant.objects.all().delete()
    Outlet.objects.all().delete()
    call_command("loaddata", SEED_FIXTURE, verbosity=0)
    loaded = snapshot()
    loaded.pop("history")  # the deletions just made
    assert loaded == imported


def test_a_name_two_people_carry_is_matched_to_neither(db):
    from interviews.imports import known_participants

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
    from interviews.imports import known_participants

    Participant.objects.create(name="Ilham Aliyev", slug="ilham-aliyev")
    parsed = parse_transcript(SECOND.encode(), source_name="second.txt")
    matched, warnings = known_participants(parsed)
    assert list(matched.values()) == ["ilham-aliyev"] and warnings == []
