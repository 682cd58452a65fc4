"""Hostile transcripts: a clear one-line error or a correct parse, in bounded time and memory.

(Empty, whitespace-only, binary, UTF-16 and invalid UTF-8 files are in
test_commands.py.) Big inputs run `parse_transcript` in a child process under a
memory limit and a time-out, so a runaway parse fails the test instead of the
machine; the limits are generous ceilings, not performance targets.
"""

import json
import resource
import subprocess
import sys

import pytest

from interviews.ingest.imports import transcript_import
from interviews.models import Participant, Turn
from interviews.parsing import parse_transcript

from .conftest import ROOT

MEMORY_CEILING = 3 * 1024**3
TIME_CEILING = 300
HEADER = "Hostile transcript\n\n1 March 2020\n\n"


def parse_in_child(source, output):
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CEILING, MEMORY_CEILING))

    return subprocess.run(
        [sys.executable, "manage.py", "parse_transcript", str(source), "-o", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIME_CEILING,
        preexec_fn=limit,
        check=False,
    )


def test_a_50_mb_single_line_is_a_clear_error(tmp_path):
    source = tmp_path / "single.txt"
    source.write_text("Vladimir Putin: " + "word " * 10_000_000, encoding="utf-8")
    assert source.stat().st_size >= 50_000_000
    result = parse_in_child(source, tmp_path / "out.json")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"CommandError: {source}: line 1: the first paragraph, read as the title, is "
        "50,000,015 characters long (at most 500); put the title on a line of its own"
    ]
    assert not (tmp_path / "out.json").exists()


def test_a_50_mb_turn_is_parsed(tmp_path):
    source = tmp_path / "long-turn.txt"
    source.write_text(HEADER + "Vladimir Putin: " + "word " * 10_000_000, encoding="utf-8")
    result = parse_in_child(source, tmp_path / "out.json")
    assert result.returncode == 0, result.stderr
    records = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    [turn] = [r["fields"] for r in records if r["model"] == "interviews.turn"]
    assert turn["word_count"] == 10_000_000


def test_100000_labels(tmp_path):
    names = ["Anna Smith", "Boris Ivanov"]
    body = "\n\n".join(f"{names[i % 2]}: Paragraph {i} says something." for i in range(100_000))
    source = tmp_path / "labels.txt"
    source.write_text(HEADER + body + "\n", encoding="utf-8")
    result = parse_in_child(source, tmp_path / "out.json")
    assert result.returncode == 0, result.stderr
    assert "100000 turns (100000 speech), 2 speakers" in result.stdout


def test_a_10000_character_label_is_text():
    long_label = "A" * 10_000
    parsed = parse_transcript(
        (HEADER + f"Anna Smith: Hello.\n\n{long_label}: and more.\n").encode(), "long.txt"
    )
    [turn] = parsed.turns
    assert turn.text == f"Hello.\n\n{long_label}: and more."


LINE_ENDS = {
    "lf": "\n",
    "crlf": "\r\n",
    "cr": "\r",
}


@pytest.mark.parametrize("ending", LINE_ENDS)
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_line_ends_and_bom_parse_alike(ending, bom):
    text = HEADER + "Anna Smith: Hello.\n\nBoris Ivanov: Hi.\n\nMore from Boris.\n"
    parsed = parse_transcript(bom + text.replace("\n", LINE_ENDS[ending]).encode(), "x.txt")
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("anna-smith", "Hello."),
        ("boris-ivanov", "Hi.\n\nMore from Boris."),
    ]


HTML_AND_SQL = (
    HEADER
    + "Anna Smith, Editor of <b>Daily</b>: <script>alert('x')</script> & <i>done</i>\n\n"
    + "Boris Ivanov: Robert'); DROP TABLE interviews_turn;-- and 1=1 OR ''=''\n"
)


@pytest.mark.django_db
def test_html_and_sql_are_stored_and_served_verbatim(api):
    result = transcript_import(data=HTML_AND_SQL.encode(), source_name="hostile.txt")
    texts = {t["speaker"]["slug"]: t for t in api.get("/api/turns").json()["results"]}
    assert texts["anna-smith"]["text"] == "<script>alert('x')</script> & <i>done</i>"
    assert (
        texts["boris-ivanov"]["text"] == "Robert'); DROP TABLE interviews_turn;-- and 1=1 OR ''=''"
    )
    assert Turn.objects.count() == 2  # the table is still there
    assert result.status == "imported"


@pytest.mark.django_db
def test_html_is_escaped_in_the_admin(admin_client):
    transcript_import(data=HTML_AND_SQL.encode(), source_name="hostile.txt")
    turn = Turn.objects.get(speaker=Participant.objects.get(slug="anna-smith"))
    for url in (f"/admin/interviews/turn/{turn.pk}/change/", "/admin/interviews/turn/"):
        page = admin_client.get(url).content.decode()
        assert "<script>alert('x')</script>" not in page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
