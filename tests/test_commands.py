"""parse_transcript and load_fixtures, from Python and as a user runs them."""

import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from interviews.models import Alias, Appearance, Event, Outlet, Participant, Turn

from .conftest import ROOT, SEED_FIXTURE, SEED_TRANSCRIPT

# parse_transcript reads the office table from the database (an empty one here).
pytestmark = pytest.mark.django_db


def test_seed_fixture_is_regenerated_byte_for_byte(tmp_path):
    output = tmp_path / "seed.json"
    call_command("parse_transcript", str(SEED_TRANSCRIPT), "-o", str(output), verbosity=0)
    assert output.read_bytes() == SEED_FIXTURE.read_bytes()
    again = tmp_path / "again.json"
    call_command("parse_transcript", str(SEED_TRANSCRIPT), "-o", str(again), verbosity=0)
    assert again.read_bytes() == output.read_bytes()


def test_without_output_the_fixture_goes_to_stdout(capsys):
    call_command("parse_transcript", str(SEED_TRANSCRIPT))
    assert capsys.readouterr().out == SEED_FIXTURE.read_text(encoding="utf-8")


def test_slug_option_names_the_event(tmp_path):
    output = tmp_path / "out.json"
    call_command("parse_transcript", str(SEED_TRANSCRIPT), "-o", str(output), "--slug", "tass-2022")
    assert '"slug": "tass-2022"' in output.read_text(encoding="utf-8")


BAD_INPUTS = [
    ("empty.txt", b"", "the file is empty"),
    ("blank.txt", b"  \n\n \t\n", "only whitespace"),
    ("binary.txt", bytes(range(256)) * 4, "binary"),
    ("latin1.txt", "Title\n\nJosé Martí: Hola, señor.\n".encode("latin-1"), "not valid UTF-8"),
    ("utf16.txt", "Title\n\nA B: text\n".encode("utf-16"), "UTF-16"),
    ("prose.txt", b"A title\n\nJust a paragraph of prose.\n\nAnd another one.\n", "no speaker"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_INPUTS)
def test_bad_input_is_a_command_error_and_writes_nothing(tmp_path, name, data, message):
    source = tmp_path / name
    source.write_bytes(data)
    output = tmp_path / "out.json"
    with pytest.raises(CommandError) as error:
        call_command("parse_transcript", str(source), "-o", str(output))
    assert str(source) in str(error.value)
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert list(tmp_path.iterdir()) == [source]


def test_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("parse_transcript", str(tmp_path / "missing.txt"))


def test_directory_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="is a directory"):
        call_command("parse_transcript", str(tmp_path))


def test_existing_output_survives_a_failed_parse(tmp_path):
    source = tmp_path / "empty.txt"
    source.write_bytes(b"")
    output = tmp_path / "out.json"
    output.write_text("previous fixture", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("parse_transcript", str(source), "-o", str(output))
    assert output.read_text(encoding="utf-8") == "previous fixture"


def _run(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "data", "message"), [*BAD_INPUTS, ("missing.txt", None, "no such")]
)
def test_bad_input_from_the_shell_is_one_line_and_non_zero(tmp_path, name, data, message):
    source = tmp_path / name
    if data is not None:
        source.write_bytes(data)
    output = tmp_path / "out.json"
    result = _run("parse_transcript", str(source), "-o", str(output))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(source) in lines[0] and message in lines[0]
    assert not output.exists()


def test_warnings_name_file_and_line(tmp_path):
    result = _run("parse_transcript", str(SEED_TRANSCRIPT), "-o", str(tmp_path / "seed.json"))
    assert result.returncode == 0, result.stderr
    assert f"{SEED_TRANSCRIPT}:54:" in result.stderr
    assert "87 turns" in result.stdout


COUNTED = [Event, Participant, Alias, Outlet, Appearance, Turn]


def test_load_fixtures_twice_creates_nothing_twice():
    call_command("load_fixtures", SEED_FIXTURE, verbosity=0)
    first = {model.__name__: model.objects.count() for model in COUNTED}
    call_command("load_fixtures", SEED_FIXTURE, verbosity=0)
    second = {model.__name__: model.objects.count() for model in COUNTED}
    assert first == second
    assert first == {
        "Event": 1,
        "Participant": 16,
        "Alias": 1,
        "Outlet": 11,
        "Appearance": 16,
        "Turn": 87,
    }


def test_loaded_seed_matches_the_issue(seed):
    assert seed.date.isoformat() == "2022-02-23"
    assert seed.time.isoformat(timespec="minutes") == "15:40"
    counts = {p.slug: p.turns.count() for p in Participant.objects.filter(is_anonymous=False)}
    assert counts["ilham-aliyev"] == 37
    assert counts["mikhail-gusman"] == 16
    assert counts["margarita-simonyan"] == 8
    assert counts["sergei-mikhailov"] == 7
    assert counts["mehriban-aliyeva"] == 5
    assert sorted(slug for slug, count in counts.items() if count == 1) == [
        "dmitriy-kiselev",
        "konstantin-ernst",
        "konstantin-remchukov",
        "mikhail-komissar",
        "mikhail-petrov",
        "oleg-dobrodeyev",
        "pavel-gusev",
        "timur-vaynshteyn",
        "vladislav-fronin",
        "yevgeny-bekasov",
    ]
    simonyan = Appearance.objects.get(participant__slug="margarita-simonyan")
    assert sorted(simonyan.outlets.values_list("name", flat=True)) == ["RT", "Rossiya Segodnya"]
