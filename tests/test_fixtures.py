"""ParsedTranscript to natural-key fixture records; pure, nothing here touches the database."""

import stat
from collections import Counter
from pathlib import Path

import pytest

from interviews.ingest.fixtures import dumps, event_slug_for, to_fixture
from interviews.parsing import parse_transcript

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "fixtures/transcripts/2022-02-23-tass-russian-media-heads.txt"
SEED_FIXTURE = ROOT / "fixtures/2022-02-23-tass-russian-media-heads.json"
SEED_EVENT_SLUG = "2022-02-23-ilham-aliyev-met-with-the-heads-of-russias-top-mass-media"
# The order records must come in so that loaddata meets every natural key before its use.
MODEL_ORDER = {
    "interviews.outlet": 0,
    "interviews.participant": 1,
    "interviews.alias": 1,
    "interviews.event": 2,
    "interviews.appearance": 3,
    "interviews.turn": 4,
}


@pytest.fixture(scope="module")
def seed_transcript():
    return parse_transcript(SEED.read_bytes(), SEED.name)


@pytest.fixture(scope="module")
def records(seed_transcript):
    return to_fixture(seed_transcript)


def of_model(records, model):
    return [record["fields"] for record in records if record["model"] == f"interviews.{model}"]


def test_records_come_in_dependency_order(records):
    models = [record["model"] for record in records]
    ranks = [MODEL_ORDER[model] for model in models]
    assert ranks == sorted(ranks)
    assert Counter(models) == {
        "interviews.outlet": 11,
        "interviews.participant": 16,
        "interviews.alias": 1,
        "interviews.event": 1,
        "interviews.appearance": 16,
        "interviews.turn": 87,
    }


def test_aliases_follow_their_participant(records):
    for index, record in enumerate(records):
        if record["model"] == "interviews.alias":
            previous = records[index - 1]
            assert previous["model"] == "interviews.participant"
            assert record["fields"]["participant"] == [previous["fields"]["slug"]]
    assert of_model(records, "alias") == [
        {"participant": ["sergei-mikhailov"], "name": "Sergei Mikhaylov", "key": "sergei mikhailov"}
    ]


def test_records_carry_no_primary_keys(records):
    assert all(set(record) == {"model", "fields"} for record in records)


def test_foreign_keys_are_natural_key_lists(records):
    participants = {fields["slug"] for fields in of_model(records, "participant")}
    outlets = {fields["slug"] for fields in of_model(records, "outlet")}
    for turn in of_model(records, "turn"):
        assert turn["event"] == [SEED_EVENT_SLUG]
        if turn["kind"] == "narrative":
            assert turn["speaker"] is None
        else:
            assert len(turn["speaker"]) == 1
            assert turn["speaker"][0] in participants
    for appearance in of_model(records, "appearance"):
        assert appearance["event"] == [SEED_EVENT_SLUG]
        assert appearance["participant"][0] in participants
        assert all(len(key) == 1 and key[0] in outlets for key in appearance["outlets"])


def test_turn_records_keep_sequence_and_spans(records, seed_transcript):
    turns = of_model(records, "turn")
    assert [turn["sequence"] for turn in turns] == list(range(1, 88))
    assert [(t["line_start"], t["line_end"]) for t in turns] == [
        (turn.line_start, turn.line_end) for turn in seed_transcript.turns
    ]
    assert turns[2]["speaker"] == ["sergei-mikhailov"]
    assert turns[2]["attribution"] == "said welcoming the meeting participants"


def test_event_record(records):
    (event,) = of_model(records, "event")
    assert event["slug"] == SEED_EVENT_SLUG
    assert (event["date"], event["time"], event["location"]) == ("2022-02-23", "15:40", "")
    assert event["source_name"] == SEED.name
    assert event["summary"].startswith("As part of his official visit")


def test_outlet_records_are_sorted_by_slug(records):
    slugs = [fields["slug"] for fields in of_model(records, "outlet")]
    assert slugs == sorted(slugs)
    assert {"tass", "rt", "rossiya-segodnya", "rossiya-24", "channel-one"} <= set(slugs)


def test_dumps_matches_the_committed_fixture(seed_transcript):
    first = dumps(to_fixture(seed_transcript))
    again = dumps(to_fixture(parse_transcript(SEED.read_bytes(), SEED.name)))
    assert first.encode("utf-8") == SEED_FIXTURE.read_bytes()
    assert again == first


def test_anonymous_participant_slug_is_per_event(records):
    slugs = {fields["slug"]: fields["is_anonymous"] for fields in of_model(records, "participant")}
    assert [slug for slug, anonymous in slugs.items() if anonymous] == [
        f"journalist--{SEED_EVENT_SLUG}"
    ]
    assert slugs["mikhail-gusman"] is False
    assert all(SEED_EVENT_SLUG not in slug for slug, anonymous in slugs.items() if not anonymous)


def test_appearance_lists_every_outlet(records):
    appearances = {fields["participant"][0]: fields for fields in of_model(records, "appearance")}
    assert appearances["margarita-simonyan"]["outlets"] == [["rt"], ["rossiya-segodnya"]]
    assert appearances["margarita-simonyan"]["role"] == "Editor-in-Chief"
    assert appearances["mikhail-gusman"]["outlets"] == []


def test_event_slug_override_is_used_everywhere(seed_transcript):
    records = to_fixture(seed_transcript, event_slug="x")
    (event,) = of_model(records, "event")
    event_keys = [fields["event"] for fields in of_model(records, "turn")]
    event_keys += [fields["event"] for fields in of_model(records, "appearance")]
    assert event["slug"] == "x"
    assert len(event_keys) == 87 + 16
    assert all(key == ["x"] for key in event_keys)
    assert "journalist--x" in {fields["slug"] for fields in of_model(records, "participant")}
    assert SEED_EVENT_SLUG not in dumps(records)


@pytest.mark.parametrize(
    ("source", "slug"),
    [
        (SEED.read_text(encoding="utf-8"), SEED_EVENT_SLUG),
        (
            "Press statements\n\n1 March 2020\n\nVladimir Putin: Hello.\n",
            "2020-03-01-press-statements",
        ),
        ("Press statements\n\nVladimir Putin: Hello.\n", "press-statements"),
    ],
    ids=["seed", "dated", "undated"],
)
def test_event_slug_for(source, slug):
    assert event_slug_for(parse_transcript(source.encode(), "x.txt")) == slug


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_a_written_fixture_gets_the_mode_a_plain_write_would(tmp_path, umask):
    """Not mkstemp's 0600: other users (the container's `app` user) must read fixtures."""
    import os

    from interviews.ingest.fixtures import write_atomically

    new, kept = tmp_path / "new.json", tmp_path / "kept.json"
    kept.write_text("old")
    kept.chmod(0o640)
    previous = os.umask(umask)
    try:
        write_atomically(new, "[]\n")
        write_atomically(kept, "[]\n")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640  # an existing file keeps its mode
    assert new.read_text() == kept.read_text() == "[]\n"
