"""A Python client generated from the live schema, used as a newcomer would use it.

openapi-python-client writes a package from /api/schema/ of a real server (gunicorn on
the seed); the test imports it and reads pages by their `next` links, a transcript, a
search, a CSV export and a 400 through it. A schema that generates a client which
crashes or mistypes an answer fails here.
"""

import csv
import importlib
import io
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from interviews.models import Turn

GENERATOR = Path(sys.executable).parent / "openapi-python-client"
PACKAGE = "transcripts_client"


@pytest.fixture
def generated(served_seed, tmp_path, monkeypatch):
    """The generated package, imported; and the server's URL."""
    schema = tmp_path / "schema.json"
    with urllib.request.urlopen(f"{served_seed}/api/schema/?format=json", timeout=30) as answer:
        schema.write_bytes(answer.read())
    config = tmp_path / "config.yml"
    config.write_text(f"package_name_override: {PACKAGE}\nproject_name_override: {PACKAGE}\n")
    command = [GENERATOR, "generate", "--path", schema, "--config", config, "--meta", "none"]
    done = subprocess.run(
        [*command, "--output-path", tmp_path / PACKAGE],
        cwd=tmp_path,
        # Its last step runs ruff on what it wrote: the one beside it.
        env={**os.environ, "PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    # The generator warns about what it could not type (and leaves it out or untyped).
    assert "warning" not in output.lower(), output
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]  # another test's package of the same name
    package = importlib.import_module(PACKAGE)
    client = package.Client(base_url=served_seed, raise_on_unexpected_status=True)
    return client, served_seed


def _api(operation):
    return importlib.import_module(f"{PACKAGE}.api.{operation}")


def _cursor(link):
    return parse_qs(urlsplit(link).query)["cursor"][0]


def test_pages_followed_by_their_next_links(generated):
    client, _ = generated
    turns_list = _api("turns.turns_list")
    sequences, cursor = [], None
    while True:
        page = turns_list.sync(client=client, speaker="mikhail-gusman", page_size=5, cursor=cursor)
        sequences += [turn.sequence for turn in page.results]
        if not page.next_:  # `next` is a builtin: the generated attribute is `next_`
            break
        cursor = _cursor(page.next_)
    expected = Turn.objects.filter(speaker__slug="mikhail-gusman").order_by("sequence")
    assert sequences == [turn.sequence for turn in expected]
    first = turns_list.sync(client=client, speaker="mikhail-gusman", page_size=5)
    assert first.previous is None and first.results[0].speaker.slug == "mikhail-gusman"


def test_a_transcript(generated):
    client, _ = generated
    events = _api("events.events_list").sync(client=client)
    [event] = events.results
    transcript = _api("events.events_turns_list").sync(
        client=client, slug=event.slug, page_size=500
    )
    assert [turn.sequence for turn in transcript.results] == list(range(1, 88))
    narrative = [turn for turn in transcript.results if turn.kind.value == "narrative"]
    assert all(turn.speaker is None for turn in narrative)
    assert transcript.results[1].event.slug == event.slug
    assert isinstance(transcript.results[1].line_start, int)


def test_a_search(generated):
    client, _ = generated
    found = _api("turns.turns_list").sync(client=client, q='"vaccine nationalism"')
    assert found.results
    assert all("<mark>" in turn.highlight for turn in found.results)


def test_csv(generated):
    """Each list's CSV is a function of its own that returns the text."""
    client, _ = generated
    kinds = importlib.import_module(f"{PACKAGE}.models.turns_list_csv_kind_item")
    question = kinds.TurnsListCsvKindItem.QUESTION
    text = _api("turns.turns_list_csv").sync(client=client, kind=[question])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == Turn.objects.filter(kind="question").count() > 0
    assert {row["kind"] for row in rows} == {"question"}
    [event] = _api("events.events_list").sync(client=client).results
    transcript = _api("events.events_turns_list_csv").sync(client=client, slug=event.slug)
    assert len(list(csv.DictReader(io.StringIO(transcript)))) == 87


def test_a_400_is_a_typed_answer(generated):
    client, _ = generated
    answer = _api("turns.turns_list").sync_detailed(client=client, page_size=0)
    assert answer.status_code == 400
    assert answer.parsed["page_size"] == ["Must be an integer from 1 to 500."]
    missing = _api("turns.turns_retrieve").sync_detailed(client=client, id=10**6)
    assert missing.status_code == 404 and missing.parsed.detail
