"""Re-importing a transcript keeps every editorial correction and adds nothing twice."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from interviews.editing import services
from interviews.models import Alias, Appearance, Event, Outlet, Participant, Turn

from .conftest import SEED_FIXTURE

COUNTED = [Event, Participant, Alias, Outlet, Appearance, Turn]


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def reimport(capsys=None):
    call_command("load_fixtures", SEED_FIXTURE, verbosity=1)
    return capsys.readouterr().out if capsys else ""


def test_three_corrections_survive_a_reimport(seed, api, capsys):
    # 1. an editor reassigns a turn
    turn = Turn.objects.get(speaker__slug="vladislav-fronin")
    gusman = Participant.objects.get(slug="mikhail-gusman")
    services.turn_reassign(turns=[turn], speaker=gusman)
    # 2. renames a participant (as the admin does: name, then the old name as an alias)
    ernst = Participant.objects.get(slug="konstantin-ernst")
    ernst.name = "Konstantin L. Ernst"
    ernst.save()
    services.correction_record(instance=ernst, fields=["name"])
    services.alias_add(participant=ernst, name="Konstantin Ernst")
    # 3. merges two participants
    services.participant_merge(
        survivor=Participant.objects.get(slug="ilham-aliyev"),
        others=[Participant.objects.get(slug="mehriban-aliyeva")],
    )
    capsys.readouterr()
    before = counts()

    output = reimport(capsys)

    assert counts() == before  # nothing added twice, the merged one not recreated
    turn.refresh_from_db()
    assert turn.speaker == gusman
    assert Participant.objects.get(slug="konstantin-ernst").name == "Konstantin L. Ernst"
    assert not Participant.objects.filter(slug="mehriban-aliyeva").exists()
    aliyev = Participant.objects.get(slug="ilham-aliyev")
    assert aliyev.name == "Ilham Aliyev"
    assert aliyev.turns.count() == 37 + 5
    assert "kept 6 corrected records (2 appearance, 3 participant, 1 turn)" in output
    # The API answers the merged participant's old slug and name with the survivor's turns.
    by_old_slug = api.get("/api/turns?speaker=mehriban-aliyeva&page_size=100").json()
    assert len(by_old_slug["results"]) == 42
    assert {t["speaker"]["slug"] for t in by_old_slug["results"]} == {"ilham-aliyev"}
    by_old_name = api.get("/api/turns?speaker=Mehriban%20Aliyeva&page_size=100").json()
    assert len(by_old_name["results"]) == 42
    old_detail = api.get("/api/participants/mehriban-aliyeva")
    assert old_detail.status_code == 301
    assert old_detail["Location"].endswith("/api/participants/ilham-aliyev")


def test_reimport_without_corrections_reports_none(seed, capsys):
    output = reimport(capsys)
    assert "kept" not in output


def test_uncorrected_fields_still_follow_the_import(seed):
    turn = Turn.objects.get(speaker__slug="vladislav-fronin")
    services.turn_reassign(turns=[turn], speaker=Participant.objects.get(slug="mikhail-gusman"))
    original_text = turn.text
    Turn.objects.filter(pk=turn.pk).update(text="damaged")  # not an editor: no correction
    reimport()
    turn.refresh_from_db()
    assert turn.text == original_text
    assert turn.speaker.slug == "mikhail-gusman"


def test_split_turns_are_left_as_the_editor_made_them(seed, capsys):
    turn = Turn.objects.get(event=seed, sequence=4)
    services.turn_split(turn=turn, before_paragraph=2)
    texts = list(seed.turns.order_by("sequence").values_list("text", flat=True))
    output = reimport(capsys)
    assert list(seed.turns.order_by("sequence").values_list("text", flat=True)) == texts
    assert "87 turn" in output  # every turn record of the fixture left alone


def test_merged_outlet_is_not_recreated(seed):
    services.outlet_merge(
        survivor=Outlet.objects.get(slug="rt"),
        others=[Outlet.objects.get(slug="rossiya-segodnya")],
    )
    reimport()
    assert not Outlet.objects.filter(slug="rossiya-segodnya").exists()
    simonyan = Appearance.objects.get(participant__slug="margarita-simonyan")
    assert list(simonyan.outlets.values_list("slug", flat=True)) == ["rt"]


def test_imports_write_no_history(seed):
    reimport()
    assert not Turn.history.exists()
    assert not Appearance.history.exists()


@pytest.mark.django_db
def test_a_failed_import_leaves_nothing(tmp_path):
    broken = tmp_path / "broken.json"
    text = SEED_FIXTURE.read_text(encoding="utf-8")
    # The last turn refers to an event that does not exist: the load fails at the end.
    broken.write_text(text[: text.rindex('"event": [')] + '"event": ["nope"]}}]', "utf-8")
    with pytest.raises(CommandError, match=r"nothing was loaded: .*no row with natural key"):
        call_command("load_fixtures", broken, verbosity=0)
    assert counts() == dict.fromkeys(counts(), 0)


@pytest.mark.parametrize("how", ["load_fixtures", "import"])
def test_a_corrected_event_date_keeps_its_turns_in_order(seed, how):
    import datetime as dt

    from interviews.ingest.imports import transcript_import

    from .conftest import SEED_TRANSCRIPT

    seed.date = dt.date(2022, 2, 24)
    seed.save()
    services.correction_record(instance=seed, fields=["date"])
    if how == "load_fixtures":
        reimport()
    else:
        transcript_import(data=SEED_TRANSCRIPT.read_bytes(), source_name="seed.txt", force=True)
    seed.refresh_from_db()
    assert seed.date == dt.date(2022, 2, 24)
    assert set(seed.turns.values_list("event_date", flat=True)) == {dt.date(2022, 2, 24)}
