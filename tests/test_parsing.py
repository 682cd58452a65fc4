"""The parser, pure (no database): the seed pinned end to end, then one input per edge case."""

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

from interviews.parsing import (
    NARRATIVE,
    SPEECH,
    ParsedTranscript,
    TranscriptError,
    name_key,
    parse_transcript,
    slugify,
)
from interviews.parsing.labels import parse_label

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "fixtures/transcripts/2022-02-23-tass-russian-media-heads.txt"
VGTRK = "All-Russia State Television and Radio Broadcasting Company"
TASS_HEAD = "TASS Director General Sergei Mikhailov"
FRONIN = 'Vladislav Fronin, Editor-in-Chief of "Rossiyskaya Gazeta"'
DOBRODEYEV = f"Oleg Dobrodeyev, General Director of the {VGTRK}"
SIMONYAN = (
    "Margarita Simonyan, Editor-in-Chief of RT TV channel"
    ' and the International News Agency "Rossiya Segodnya"'
)
# Title, blank, date line, blank: an inline body starts on line 5.
HEADER = "Title\n\n1 March 2020\n\n"


def parse(body: str) -> ParsedTranscript:
    return parse_transcript((HEADER + body).encode(), "inline.txt")


@pytest.fixture(scope="module")
def seed_transcript() -> ParsedTranscript:
    return parse_transcript(SEED.read_bytes(), SEED.name)


def test_seed_header(seed_transcript):
    assert seed_transcript.title == (
        "Ilham Aliyev met with the heads of Russia's top mass media outlets at TASS headquarters"
    )
    assert seed_transcript.date == dt.date(2022, 2, 23)
    assert seed_transcript.time == dt.time(15, 40)
    assert seed_transcript.summary == seed_transcript.turns[0].text
    assert seed_transcript.summary.startswith("As part of his official visit")


def test_seed_turn_kinds(seed_transcript):
    turns = seed_transcript.turns
    assert [turn.sequence for turn in turns] == list(range(1, 88))
    assert [turn.sequence for turn in turns if turn.kind == NARRATIVE] == [1, 2, 87]
    # The other 84 are speech in the wide sense: speech, question or answer.
    assert sum(turn.kind != NARRATIVE for turn in turns) == 84
    assert all(turn.speaker for turn in turns if turn.kind != NARRATIVE)
    assert turns[1].text == "First Lady Mehriban Aliyeva also attended the meeting."
    assert turns[86].text == "The head of state also presented a keepsake to TASS."


# Unlabelled paragraphs continue the turn before them, joined by a blank line.
@pytest.mark.parametrize(
    ("sequence", "speaker", "lines", "paragraphs", "opening"),
    [
        (1, None, (6, 6), 1, "As part of his official visit"),
        (3, "Sergei Mikhailov", (10, 10), 1, "Hello, colleagues."),
        (4, "Ilham Aliyev", (12, 14), 2, "Thank you very much."),
        (15, "Ilham Aliyev", (42, 50), 5, "Yes, you see."),
        (16, "Margarita Simonyan", (52, 54), 2, "You said that there was bias"),
        (50, "Mehriban Aliyeva", (148, 156), 5, "Based on the situation now"),
        (66, "Sergei Mikhailov", (196, 196), 1, "In this case, we are removing"),
        (87, None, (240, 240), 1, "The head of state"),
    ],
)
def test_seed_turn_spans(seed_transcript, sequence, speaker, lines, paragraphs, opening):
    turn = seed_transcript.turns[sequence - 1]
    name = seed_transcript.speaker(turn.speaker).name if turn.speaker else None
    assert (name, (turn.line_start, turn.line_end)) == (speaker, lines)
    assert len(turn.text.split("\n\n")) == paragraphs
    assert turn.text.startswith(opening)


def test_seed_turn_text_never_holds_the_label(seed_transcript):
    for turn in seed_transcript.turns:
        if turn.speaker_label:
            assert f"{turn.speaker_label}:" not in turn.text


def test_seed_label_lookalike_is_a_continuation_with_a_warning(seed_transcript):
    paragraph = seed_transcript.turns[15].text.split("\n\n")[1]
    assert paragraph.startswith("The country's President knows about them: sports events")
    warning = next(w for w in seed_transcript.warnings if w.line == 54)
    assert "The country's President knows about them" in warning.message


def test_seed_attribution_is_kept_apart_from_the_name(seed_transcript):
    turn = seed_transcript.turns[2]
    assert turn.attribution == "said welcoming the meeting participants"
    assert seed_transcript.speaker(turn.speaker).aliases == ("Sergei Mikhaylov",)


# Every identity in the seed: turns spoken, role and outlets as printed.
SEED_SPEAKERS = [
    ("Ilham Aliyev", 37, "President", []),
    ("Mikhail Gusman", 16, "", []),
    ("Margarita Simonyan", 8, "Editor-in-Chief", ["RT", "Rossiya Segodnya"]),
    ("Sergei Mikhailov", 7, "Director General", ["TASS"]),
    ("Mehriban Aliyeva", 5, "First Vice President", []),
    ("Vladislav Fronin", 1, "Editor-in-Chief", ["Rossiyskaya Gazeta"]),
    ("Dmitriy Kiselev", 1, "Director General", ["Rossiya Segodnya"]),
    ("Mikhail Komissar", 1, "Director General", ["Interfax"]),
    ("Timur Vaynshteyn", 1, "General Producer", ["NTV"]),
    ("Pavel Gusev", 1, "Editor-in-Chief", ["Moskovsky Komsomolets"]),
    ("Konstantin Remchukov", 1, "Editor-in-Chief", ["Nezavisimaya Gazeta"]),
    ("Oleg Dobrodeyev", 1, "General Director", [VGTRK]),
    ("Konstantin Ernst", 1, "General Director", ["Channel One"]),
    ("Yevgeny Bekasov", 1, "Editor-in-Chief", ["Rossiya-24"]),
    ("Mikhail Petrov", 1, "Editor-in-Chief", ["TASS"]),
    ("Journalist", 1, "", []),
]


def test_seed_speakers(seed_transcript):
    names = {speaker.key: speaker.name for speaker in seed_transcript.speakers}
    counts = Counter(names[turn.speaker] for turn in seed_transcript.turns if turn.speaker)
    assert counts == {name: turns for name, turns, _, _ in SEED_SPEAKERS}
    assert len(seed_transcript.speakers) == 16
    assert [s.name for s in seed_transcript.speakers if s.anonymous] == ["Journalist"]


@pytest.mark.parametrize(("name", "turns", "role", "outlets"), SEED_SPEAKERS)
def test_seed_roles_and_outlets(seed_transcript, name, turns, role, outlets):
    speaker = next(s for s in seed_transcript.speakers if s.name == name)
    assert speaker.role == role
    assert [outlet.name for outlet in speaker.outlets] == outlets


def test_seed_outlets(seed_transcript):
    names = {outlet.name for speaker in seed_transcript.speakers for outlet in speaker.outlets}
    assert names == {outlet for *_, outlets in SEED_SPEAKERS for outlet in outlets}
    assert len(names) == 11


TITLES = ("First Vice President", "First Vice-President")


def test_seed_one_person_under_three_labels(seed_transcript):
    labels = {
        turn.speaker_label
        for turn in seed_transcript.turns
        if turn.speaker and seed_transcript.speaker(turn.speaker).name == "Mehriban Aliyeva"
    }
    assert labels == {f"{title} Mehriban Aliyeva" for title in TITLES} | {"Mehriban Aliyeva"}


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"", "the file is empty", None),
        (b" \n\t\r\n  ", "only whitespace", None),
        (b"Title\n\nabc\x00def", "binary data", None),
        (HEADER.encode() + b"Vladimir Putin: Hello.\n\ncaf\xe9\n", "not valid UTF-8", 7),
        (b"Title\n\nVladimir Putin: a\x07b\n", "control character U+0007", 3),
        ("Title\n\nVladimir Putin: Hello.\n".encode("utf-16"), "UTF-16, not UTF-8", None),
        ((HEADER + "Just prose.\n\nMore prose.\n").encode(), "no speaker turns", None),
    ],
    ids=["empty", "whitespace", "nul-bytes", "invalid-utf8", "control", "utf16", "no-turns"],
)
def test_unusable_input(data, message, line):
    with pytest.raises(TranscriptError, match=re.escape(message)) as caught:
        parse_transcript(data, "bad.txt")
    assert caught.value.line == line


LF_BODY = "Vladimir Putin: Hello.\n\nMore.\n\nAngela Merkel: Thanks.\n"


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + (HEADER + LF_BODY).encode(),
        (HEADER + LF_BODY).replace("\n", "\r\n").encode(),
        (HEADER + LF_BODY).replace("\n", "\r").encode(),
    ],
    ids=["utf8-bom", "crlf", "cr"],
)
def test_bom_and_line_ends_parse_like_lf(data):
    parsed, expected = parse_transcript(data, "x.txt"), parse(LF_BODY)
    assert (parsed.title, parsed.date) == ("Title", dt.date(2020, 3, 1))
    assert parsed.turns == expected.turns
    assert parsed.turns[0].line_end == 7


def test_text_is_nfc_normalised():
    parsed = parse("Zoe\u0308 Smith: Cafe\u0301.\n")
    assert parsed.turns[0].text == "Caf\u00e9."
    assert parsed.speakers[0].name == "Zo\u00eb Smith"


# Prefixes that end in a colon but read as the start of a sentence, not as a speaker.
SENTENCE_PREFIXES = [
    "So my question is",
    "The United Nations has traditionally had three pillars",
    "Listen",
    "Germany",
]


@pytest.mark.parametrize("prefix", SENTENCE_PREFIXES)
def test_sentence_like_prefix_continues_the_turn(prefix):
    paragraph = f"{prefix}: this is said by Putin."
    parsed = parse(f"Vladimir Putin: Hello.\n\n{paragraph}\n\nAngela Merkel: Thanks.\n")
    first, second = parsed.turns
    assert first.text == f"Hello.\n\n{paragraph}"
    assert (first.speaker, first.line_end) == ("vladimir-putin", 7)
    assert second.speaker == "angela-merkel"


@pytest.mark.parametrize(
    ("printed", "name", "role", "outlets", "attribution"),
    [
        (TASS_HEAD, "Sergei Mikhailov", "Director General", ["TASS"], ""),
        (FRONIN, "Vladislav Fronin", "Editor-in-Chief", ["Rossiyskaya Gazeta"], ""),
        (SIMONYAN, "Margarita Simonyan", "Editor-in-Chief", ["RT", "Rossiya Segodnya"], ""),
        (DOBRODEYEV, "Oleg Dobrodeyev", "General Director", [VGTRK], ""),
        ("President of Russia Vladimir Putin", "Vladimir Putin", "President of Russia", [], ""),
        ("Vladimir Putin, President of Russia", "Vladimir Putin", "President of Russia", [], ""),
        ("Foreign Minister Sergei Lavrov", "Sergei Lavrov", "Foreign Minister", [], ""),
        ("Mr. John Smith", "John Smith", "", [], ""),
        ("Sergei Lavrov (in Russian)", "Sergei Lavrov", "", [], ""),
        ("Mohammed bin Salman", "Mohammed bin Salman", "", [], ""),
        ("Vladimir Putin said in the interview", "Vladimir Putin", "", [], "said in the interview"),
        ("Sergei Lavrov added", "Sergei Lavrov", "", [], "added"),
    ],
)
def test_label_grammar(printed, name, role, outlets, attribution):
    label = parse_label(printed)
    parts = (label.name, label.role, [o.name for o in label.outlets], label.attribution)
    assert parts == (name, role, outlets, attribution)
    assert not label.anonymous


@pytest.mark.parametrize(
    ("printed", "kind"),
    [
        ('Yevgeny Bekasov, Editor-in-Chief of "Rossiya-24" TV channel', "tv"),
        ("Mikhail Komissar, Director General of Interfax agency", "news_agency"),
        ('Pavel Gusev, Editor-in-Chief of "Moskovsky Komsomolets" newspaper', "newspaper"),
    ],
)
def test_outlet_descriptor_gives_the_kind(printed, kind):
    assert parse_label(printed).outlets[0].kind == kind


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("Journalist", "Journalist"),
        ("Question", "Question"),
        ("Q", "Q"),
        ("Question (retranslated)", "Question"),
        ("Voice from the audience", "Voice from the audience"),
    ],
)
def test_anonymous_labels(printed, name):
    label = parse_label(printed)
    assert (label.name, label.anonymous) == (name, True)


@pytest.mark.parametrize(
    "printed",
    [
        *SENTENCE_PREFIXES,
        "The country's President knows about them",
        "Yes, I think so",
        "What I would say is",
        "Putin",
    ],
)
def test_sentence_like_labels_are_rejected(printed):
    assert parse_label(printed) is None


def test_bare_surname_is_a_label_once_known():
    assert parse_label("Putin", known_names=frozenset({"putin"})).name == "Putin"


@pytest.mark.parametrize(
    ("first", "second", "name", "aliases", "warned"),
    [
        ("Vladimir Putin", "Putin", "Vladimir Putin", (), False),
        ("Timothy Colton", "T. Colton", "Timothy Colton", ("T. Colton",), False),
        ("Sergei Mikhaylov", "Sergei Mikhailov", "Sergei Mikhaylov", ("Sergei Mikhailov",), False),
        ("Fyodor Lukyanov", "Fydor Lukyanov", "Fyodor Lukyanov", ("Fydor Lukyanov",), True),
        ("Journalist", "Journalist", "Journalist", (), False),
    ],
)
def test_same_person_within_a_transcript(first, second, name, aliases, warned):
    parsed = parse(f"{first}: Hello.\n\nDmitry Peskov: Yes.\n\n{second}: Again.\n")
    speaker = parsed.speaker(parsed.turns[0].speaker)
    assert parsed.turns[2].speaker == speaker.key
    assert (speaker.name, speaker.aliases) == (name, aliases)
    # A misspelling is merged, but said so, at the line of the misspelt label.
    expected = [(9, f'"{second}" taken as a misspelling of "{first}"')] if warned else []
    assert [(w.line, w.message) for w in parsed.warnings] == expected


def test_bare_surname_shared_by_two_people_is_not_merged():
    parsed = parse("Alexander Smith: Hello.\n\nJohn Smith: Hi.\n\nSmith: Again.\n")
    assert parsed.turns[2].speaker not in {"alexander-smith", "john-smith"}


def test_bare_surname_goes_to_the_one_person_bearing_it():
    parsed = parse("Ilham Aliyev: Hello.\n\nMehriban Aliyeva: Hi.\n\nAliyev: Again.\n")
    speakers = [turn.speaker for turn in parsed.turns]
    assert speakers == ["ilham-aliyev", "mehriban-aliyeva", "ilham-aliyev"]


@pytest.mark.parametrize(
    "header",
    [
        "Plenary session\nJune 6, 2019, 15:45, St Petersburg\n\n",
        "Plenary session\n\nJune 6, 2019, 15:45, St Petersburg\nPlenary session\n\n",
    ],
    ids=["date-under-title", "date-paragraph-and-repeated-title"],
)
def test_header_date_time_and_location(header):
    parsed = parse_transcript(f"{header}Vladimir Putin: Hello.\n".encode(), "x.txt")
    assert (parsed.title, parsed.location) == ("Plenary session", "St Petersburg")
    assert (parsed.date, parsed.time) == (dt.date(2019, 6, 6), dt.time(15, 45))
    assert [turn.text for turn in parsed.turns] == ["Hello."]


def test_stage_direction_between_paragraphs_of_one_speaker():
    parsed = parse("Vladimir Putin: Hello.\n\n(Applause.)\n\nAnd more.\n")
    assert [(t.kind, t.speaker, t.text) for t in parsed.turns] == [
        (SPEECH, "vladimir-putin", "Hello."),
        (NARRATIVE, None, "(Applause.)"),
        (SPEECH, "vladimir-putin", "And more."),
    ]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Sergei Mikhaylov", "sergei mikhailov"),
        ("Dmitriy Kiselev", "dmitri kiselev"),
        ("Dmitry Kiselev", "dmitri kiselev"),
        ("  Vladimir   PUTIN ", "vladimir putin"),
        ("Zoë", "zoe"),
    ],
)
def test_name_key(name, key):
    assert name_key(name) == key


def test_name_key_ignores_hyphens_and_case():
    assert name_key("Jean-Pierre Raffarin") == name_key("jean pierre raffarin")


@pytest.mark.parametrize(
    ("value", "max_length", "slug"),
    [
        ("Ilham Aliyev", 80, "ilham-aliyev"),
        ("Rossiya-24", 80, "rossiya-24"),
        ("Zoë Ängström", 80, "zoe-angstrom"),
        ("  --Hello, World!--  ", 80, "hello-world"),
        ("All-Russia State Television and Radio Broadcasting Company", 20, "all-russia-state"),
    ],
)
def test_slugify(value, max_length, slug):
    assert slugify(value, max_length=max_length) == slug
