"""Real-world transcript formats, one small inline input each (pure, no database).

Each case comes from a shape seen in real transcripts (en.kremlin.ru, whitehouse.gov and
others): label grammar, turn openings, paragraph blocks, stage directions, the header, dash
turns and the identity of speakers within one transcript.
"""

import datetime as dt

import pytest

from interviews.parsing import NARRATIVE, OfficeTerm, ParsedTranscript, parse_transcript
from interviews.parsing.labels import parse_label

HEADER = "Title\n\n1 March 2020\n\n"
NBSP = "\u00a0"


def parse(body: str, header: str = HEADER) -> ParsedTranscript:
    return parse_transcript((header + body).encode(), "inline.txt")


def spoken(parsed: ParsedTranscript) -> list[tuple[str | None, str]]:
    """(speaker name or None for narrative, text) of every turn."""
    names = {speaker.key: speaker.name for speaker in parsed.speakers}
    return [(names.get(turn.speaker), turn.text) for turn in parsed.turns]


# Label grammar: the printed label, then name, role, outlets.
LABELS = [
    ("Steve Rosenberg, BBC", "Steve Rosenberg", "", ["BBC"]),
    ("Jane Doe, CNN correspondent", "Jane Doe", "correspondent", ["CNN"]),
    ("BBC correspondent John Smith", "John Smith", "correspondent", ["BBC"]),
    (
        "Ivan Petrov, Editor-in-Chief of Kommersant newspaper and Vedomosti",
        "Ivan Petrov",
        "Editor-in-Chief",
        ["Kommersant", "Vedomosti"],
    ),
    ("Mirshahin Aghayev from REAL Television", "Mirshahin Aghayev", "", ["REAL Television"]),
    ("Anna Smith of Reuters", "Anna Smith", "", ["Reuters"]),
    (
        "Director of the Lukyanenko National Grain Centre Alexander Romanenko",
        "Alexander Romanenko",
        "Director of the Lukyanenko National Grain Centre",
        [],
    ),
    (
        "Commander of Aeroflot’s flight training detachment Nikolai Izosimov",
        "Nikolai Izosimov",
        "Commander of Aeroflot’s flight training detachment",
        [],
    ),
    (
        "Alexander Duimamet, welding engineer at a branch of JSC AEM-technology ATOMMASH",
        "Alexander Duimamet",
        "welding engineer at a branch of JSC AEM-technology ATOMMASH",
        [],
    ),
    (
        "chairman of United Russia’s Supreme Council and State Duma Speaker Boris Gryzlov",
        "Boris Gryzlov",
        "chairman of United Russia’s Supreme Council and State Duma Speaker",
        [],
    ),
    (
        "President of the Public Organisation Delovaya Rossiya [Business Russia] Alexei Repik",
        "Alexei Repik",
        "President of the Public Organisation Delovaya Rossiya [Business Russia]",
        [],
    ),
    (
        "Prime Minister of North Ossetia-Alania Vyacheslav Bitarov",
        "Vyacheslav Bitarov",
        "Prime Minister of North Ossetia-Alania",
        [],
    ),
    (
        "King of Saudi Arabia Salman bin Abdulaziz Al Saud",
        "Salman bin Abdulaziz Al Saud",
        "King of Saudi Arabia",
        [],
    ),
    ("Master mariner Sergei Zybko", "Sergei Zybko", "Master mariner", []),
    ("Regional DEVELOPMENT MINISTER VIKTOR BASARGIN", "Viktor Basargin", None, []),
    ("Vladimir PUTIN", "Vladimir Putin", "", []),
    ("VladimirPutin", "Vladimir Putin", "", []),
    ("President of Syria Bashar al-Assad", "Bashar al-Assad", "President of Syria", []),
]


@pytest.mark.parametrize(("printed", "name", "role", "outlets"), LABELS)
def test_personal_label_grammar(printed, name, role, outlets):
    label = parse_label(printed)
    assert (label.name, [outlet.name for outlet in label.outlets]) == (name, outlets)
    if role is not None:
        assert label.role == role
    assert not label.anonymous


# Upper-case White House labels: honorifics dropped, titles kept in the name, title-cased.
UPPER_CASE_LABELS = [
    ("THE PRESIDENT", "The President", "", False),
    ("MS. JEAN-PIERRE", "Jean-Pierre", "", False),
    ("PRESIDENT BIDEN", "President Biden", "President", False),
    ("PRIME MINISTER MODI", "Prime Minister Modi", "Prime Minister", False),
    ("MR. MUSK", "Musk", "", False),
    ("MR MCDONOUGH", "McDonough", "", False),
    ("MODERATOR", "Moderator", "", False),
    ("OPERATOR", "Operator", "", False),
    ("INTERPRETER", "Interpreter", "", False),
    ("SENIOR ADMINISTRATION OFFICIAL", "Senior administration official", "", True),
    ("AUDIENCE MEMBER", "Audience member", "", True),
    ("WHITE HOUSE AIDE", "White house aide", "", True),
    ("PARTICIPANTS", "Participants", "", True),
]


@pytest.mark.parametrize(("printed", "name", "role", "anonymous"), UPPER_CASE_LABELS)
def test_upper_case_labels(printed, name, role, anonymous):
    label = parse_label(printed)
    assert (label.name, label.role, label.anonymous) == (name, role, anonymous)


# Classes of people (anonymous), and roles that stand for one person (named).
@pytest.mark.parametrize(
    ("printed", "name", "anonymous"),
    [
        ("Q", "Q", True),
        ("A", "A", True),
        ("Reply", "Reply", True),
        ("Remark", "Remark", True),
        ("Correspondent", "Correspondent", True),
        ("Follow-up", "Follow-up", True),
        ("Question (retranslated)", "Question", True),
        ("Question from the audience", "Question from the audience", True),
        ("Question from Kazan", "Question from Kazan", True),
        ("Volunteer (Passes a document to the President.)", "Volunteer", True),
        ("Moderator", "Moderator", False),
        ("Presenter", "Presenter", False),
        ("The President", "The President", False),
        ("Speaker 1 (00:01:15)", "Speaker 1", False),
    ],
)
def test_classes_and_roles(printed, name, anonymous):
    label = parse_label(printed)
    assert (label.name, label.anonymous) == (name, anonymous)


# Prefixes before a colon that are sentences, quotations or places, not speakers.
@pytest.mark.parametrize(
    "printed",
    [
        "Bottom line",
        "First",
        "The first",
        "Just look",
        "I repeat",
        "Here is my question",
        "Finally, one of the key indicators",
        "What I said was",
        "As I said last week, I’m open to ideas about how to pay for this plan",
        "Regarding Venezuela, the G7 foreign ministers said that",
        "Just a word about children",
        "About a Disability Ombudsman",
        "Across North Africa",
        "The Affordable Care Act",
        "Lipetsk, Yevgeny Zaitsev",
        "Fort Hood, Texas, 2009",
        "Governor Carney, Senator Carper, Senator Coons",
        "WE WILL NOT FORGET",
        "NOTE",
        "A" * 10_000,
    ],
)
def test_sentences_places_and_headings_are_no_labels(printed):
    assert parse_label(printed) is None


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # no space after the colon
            "Vladimir Putin:Yes.\n\nDmitry Peskov: Fine.\n",
            [("Vladimir Putin", "Yes."), ("Dmitry Peskov", "Fine.")],
        ),
        (  # no space inside the label
            "VladimirPutin: Yes.\n\nDmitry Peskov: Fine.\n\nVladimir Putin: Good.\n",
            [("Vladimir Putin", "Yes."), ("Dmitry Peskov", "Fine."), ("Vladimir Putin", "Good.")],
        ),
        (  # a full stop for the colon, for a label printed with a colon elsewhere
            "Vladimir Putin: Hello.\n\nDmitry Peskov: Yes.\n\nVladimir Putin. Good.\n",
            [("Vladimir Putin", "Hello."), ("Dmitry Peskov", "Yes."), ("Vladimir Putin", "Good.")],
        ),
        (  # ... but not for a name never printed as a label
            "Vladimir Putin: Hello.\n\nDmitry Peskov. He agreed.\n",
            [("Vladimir Putin", "Hello.\n\nDmitry Peskov. He agreed.")],
        ),
        (  # markdown bold around the label
            "**Vladimir Putin:** Hello.\n\n**Question**: Why?\n",
            [("Vladimir Putin", "Hello."), ("Question", "Why?")],
        ),
        (  # bold without a colon; bold words alone are a heading, narrative
            "**Vladimir Putin** Hello: all.\n\n**Main Results**\n\nMore.\n",
            [
                ("Vladimir Putin", "Hello: all."),
                (None, "**Main Results**"),
                ("Vladimir Putin", "More."),
            ],
        ),
        (  # the time code of a recording
            "[00:01:15] John Smith: Hello.\n\n00:01:20 Speaker 2: Hi.\n",
            [("John Smith", "Hello."), ("Speaker 2", "Hi.")],
        ),
        (  # the reporter's bare Q with non-breaking spaces
            f"THE PRESIDENT:{NBSP} Hi.\n\nQ{NBSP}{NBSP}{NBSP} Mr. President?\n",
            [("The President", "Hi."), ("Q", "Mr. President?")],
        ),
        (  # Q: and A:
            "Q: How are you?\n\nA: Fine.\n",
            [("Q", "How are you?"), ("A", "Fine.")],
        ),
        (  # Q. and A.
            "Q. How are you?\n\nA. Fine.\n\nA. Voronin: Me too.\n",
            [("Q", "How are you?"), ("A", "Fine."), ("A. Voronin", "Me too.")],
        ),
        (  # no Q, no A
            "Vladimir Putin: Hello.\n\nA.  Smith wrote to us.\n",
            [("Vladimir Putin", "Hello.\n\nA.  Smith wrote to us.")],
        ),
        (  # a label alone on its line, the words in the next paragraph
            "Vladimir Putin:\n\nGood afternoon.\n\nMore.\n\nQuestion:\n\nWhy?\n",
            [("Vladimir Putin", "Good afternoon.\n\nMore."), ("Question", "Why?")],
        ),
        (  # a timestamp in the label's parenthetical
            "Speaker 1 (00:00:01): Hello.\n\nSpeaker 2 (00:00:05): Hi.\n",
            [("Speaker 1", "Hello."), ("Speaker 2", "Hi.")],
        ),
        (  # a one-word label that opens paragraph after paragraph is a name
            "Merkel: A.\n\nPutin: B.\n\nMerkel: C.\n\nPutin: D.\n\nMerkel: E.\n\nPutin: F.\n",
            list(zip(["Merkel", "Putin"] * 3, ["A.", "B.", "C.", "D.", "E.", "F."], strict=True)),
        ),
    ],
    ids=[
        "no-space",
        "camel-case",
        "full-stop",
        "full-stop-unknown",
        "markdown",
        "bold-without-colon",
        "time-code",
        "bare-q",
        "q-and-a",
        "q-and-a-full-stops",
        "a-without-q",
        "label-alone",
        "timestamp",
        "recurring-surname",
    ],
)
def test_turn_openings(body, expected):
    assert spoken(parse(body)) == expected


@pytest.mark.parametrize(
    "body",
    [
        # paragraphs separated by single newlines, the whole text
        "Title\n1 March 2020\nVladimir Putin: {long}\nDmitry Peskov: {long}\nAnd more {long}\n",
        # ... or only the body, after a header with blank lines
        "Title\n\n1 March 2020\n\nVladimir Putin: {long}\nDmitry Peskov: {long}\nAnd more {long}\n",
    ],
    ids=["all-single", "body-single"],
)
def test_single_newlines_separate_paragraphs(body):
    long = "word " * 30
    parsed = parse_transcript(body.format(long=long).encode(), "x.txt")
    assert [name for name, _ in spoken(parsed)] == ["Vladimir Putin", "Dmitry Peskov"]
    assert parsed.turns[1].text.split("\n\n")[1].startswith("And more")
    assert parsed.date == dt.date(2020, 3, 1)


def test_hard_wrapped_markdown_text():
    body = (
        f"THE PRESIDENT: Well, we’re going to talk about infrastructure and how\n"
        f"we’re going to widen this room. \\[Laughs.\\]  \n{NBSP}  \n"
        f"MR. DEESE: Yes, sir.  \n{NBSP}  \nQ{NBSP} Mr. President, any concern that having\n"
        "two tracks here will disrupt the agreement?  \n \n"
    )
    parsed = parse(body)
    assert [(name, text.split()[0]) for name, text in spoken(parsed)] == [
        ("The President", "Well,"),
        ("Mr. Deese", "Yes,"),  # nobody names him: the label's honorific stays
        ("Q", "Mr."),
    ]
    assert parsed.turns[2].text.endswith("disrupt the agreement?")
    assert (parsed.turns[2].line_start, parsed.turns[2].line_end) == (10, 11)


def test_label_broken_across_wrapped_lines_stays_one_label():
    body = (
        "Vladimir Putin: Good afternoon.\n\nCommander of the flight training detachment\n"
        "Nikolai Izosimov: Thank you.\n"
    )
    assert spoken(parse(body))[1] == ("Nikolai Izosimov", "Thank you.")


def test_labels_alone_on_their_lines_take_the_next_paragraph_whatever_it_holds():
    body = (
        "PRIME MINISTER LEE:\n\nVice President Harris, ladies and gentlemen: welcome.\n\n"
        "INTERPRETER:\n\n(No translation provided.)\n\nQ:\n\nThank you.\n"
    )
    assert spoken(parse(body)) == [
        ("Prime Minister Lee", "Vice President Harris, ladies and gentlemen: welcome."),
        ("Interpreter", "(No translation provided.)"),
        ("Q", "Thank you."),
    ]


def test_short_labelled_lines_in_one_block_are_turns():
    parsed = parse("Vladimir Putin: Yes.\nAngela Merkel: No.\nVladimir Putin: Fine.\n")
    names = [name for name, _ in spoken(parsed)]
    assert names == ["Vladimir Putin", "Angela Merkel", "Vladimir Putin"]


@pytest.mark.parametrize(
    "direction",
    [
        "(Applause.)",
        "(Laughter)",
        "(inaudible)",
        "[crosstalk]",
        "* * *",
        "***",
        "<…>",
        "\\###",
        "12:52 P.M. EST",
        f"{NBSP}{NBSP} 11:20{NBSP}A.M. EDT",
        "END",
        f"{NBSP}{NBSP}{NBSP} END {NBSP}{NBSP}{NBSP} 12:52 P.M. EST",
        "\\_\\_\\_\\_\\_\\_\\_\\_",
        "Remark from the audience.",
        "Applause.",
    ],
)
def test_stage_directions_and_separators_are_narrative(direction):
    parsed = parse(f"Vladimir Putin: Hello.\n\n{direction}\n\nAnd more.\n")
    assert [(turn.kind, turn.speaker) for turn in parsed.turns] == [
        ("speech", "vladimir-putin"),
        (NARRATIVE, None),
        ("speech", "vladimir-putin"),
    ]


def test_speech_between_two_parentheticals_is_no_stage_direction():
    paragraph = "(As interpreted.) Thank you very much. (Applause.)"
    parsed = parse(f"Vladimir Putin: Hello.\n\n{paragraph}\n")
    assert spoken(parsed) == [("Vladimir Putin", f"Hello.\n\n{paragraph}")]


def test_inline_interpretation_note_stays_in_the_speech():
    parsed = parse("PRIME MINISTER MODI:  (As interpreted.)  Thank you.\n\nQ   Sir?\n")
    assert spoken(parsed)[0] == ("Prime Minister Modi", "(As interpreted.)  Thank you.")


@pytest.mark.parametrize(
    "paragraph",
    [
        "Listen: this is said by Putin.",
        "So my question is: what now?",
        "Germany: “We will support the plan.”",
        "June 6, 2019, 15:45, St Petersburg",
        "At 12:30 we met: it went well.",
    ],
)
def test_label_lookalikes_continue_the_turn(paragraph):
    parsed = parse(f"Vladimir Putin: Hello.\n\n{paragraph}\n")
    assert spoken(parsed) == [("Vladimir Putin", f"Hello.\n\n{paragraph}")]


def test_white_house_header_place_and_time_are_not_turns():
    parsed = parse(
        f"Roosevelt Room\n\n3:52 P.M. EDT\n\nTHE PRESIDENT:{NBSP} Hello.\n\nQ{NBSP}{NBSP} Hi?\n",
        header="Remarks by President Biden\n\nMarch 25, 2021\n\n",
    )
    assert (parsed.date, parsed.time, parsed.location) == (
        dt.date(2021, 3, 25),
        dt.time(15, 52),
        "Roosevelt Room",
    )
    assert [turn.kind for turn in parsed.turns[:2]] == [NARRATIVE, NARRATIVE]
    assert parsed.summary == ""


def test_kremlin_lead_before_the_first_label_is_narrative():
    lead = "Vladimir Putin met with the heads of the news agencies in St Petersburg today."
    parsed = parse(f"{lead}\n\nOpening remarks by the host.\n\nVladimir Putin: Hello.\n")
    assert [turn.kind for turn in parsed.turns] == [NARRATIVE, NARRATIVE, "speech"]
    assert parsed.summary == lead


def test_mixed_case_quotation_in_an_upper_case_text_stays_in_the_turn():
    body = (
        "MS. JEAN-PIERRE:  Here is what they said.\n\nLarry Sabato: It was a good speech.\n\n"
        "Q   Thanks.\n\nMS. JEAN-PIERRE:  Sure.\n\nQ   And?\n\nMS. JEAN-PIERRE:  No.\n"
    )
    parsed = parse(body)
    assert spoken(parsed)[0] == (
        "Ms. Jean-Pierre",
        "Here is what they said.\n\nLarry Sabato: It was a good speech.",
    )
    assert any('"Larry Sabato:"' in w.message and w.line == 7 for w in parsed.warnings)


DASH_INTERVIEW = (
    "Vladimir Putin gave an interview to Bloomberg journalist John Micklethwait.\n\n"
    "– Mr President, how are you?\n\n– Fine, thank you.\n\nAnd the weather is good.\n\n"
    "– And the economy?\n\n– It grows.\n\n– Why?\n\n-Because we work.\n"
)


def test_dash_turns_alternate_between_the_people_named_in_the_lead():
    parsed = parse(DASH_INTERVIEW, header="Interview to Bloomberg\n\nSeptember 5, 2016\n\n")
    names = [name for name, _ in spoken(parsed)]
    assert names == [None] + ["John Micklethwait", "Vladimir Putin"] * 3
    assert spoken(parsed)[2] == ("Vladimir Putin", "Fine, thank you.\n\nAnd the weather is good.")
    assert parsed.warnings[0].line == 7
    assert "alternating" in parsed.warnings[0].message


def test_dash_turns_after_labels_go_on_with_the_labelled_people():
    body = (
        "Vladimir Putin: Good afternoon.\n\nSteve Rosenberg, BBC: Thank you. My question?\n\n"
        "Vladimir Putin: Answer.\n\n– Another thing?\n\n– Another answer.\n\n– Third?\n\n"
        "– Third answer.\n"
    )
    names = [name for name, _ in spoken(parse(body))]
    assert (
        names
        == ["Vladimir Putin", "Steve Rosenberg", "Vladimir Putin"]
        + [
            "Steve Rosenberg",
            "Vladimir Putin",
        ]
        * 2
    )


def test_dash_list_inside_a_speech_is_no_dialogue():
    items = "\n\n".join(f"– Item number {n} of the plan;" for n in range(5))
    parsed = parse(f"Vladimir Putin: We will do the following.\n\n{items}\n\nThank you.\n")
    assert [name for name, _ in spoken(parsed)] == ["Vladimir Putin"]


# Identity within one transcript: labels in order -> which turns are one person.
IDENTITY = [
    (["Timothy Colton", "T. Colton"], [0, 0], "Timothy Colton"),
    (["Sergei Mikhailov", "Sergei Mikhaylov"], [0, 0], "Sergei Mikhailov"),
    (["Dmitry Kiselev", "Dmitriy Kiselev"], [0, 0], "Dmitry Kiselev"),
    (["TASS Director General Sergei Mikhailov", "Sergei Mikhailov"], [0, 0], "Sergei Mikhailov"),
    (["Cosmonaut Pavel Vinogradov", "Pavel Vinogradov"], [0, 0], "Pavel Vinogradov"),
    (
        ["Minister of Healthcare Veronika Skvortsova", "Healthcare Minister Veronika Skvortsova"],
        [0, 0],
        "Veronika Skvortsova",
    ),
    (
        ["First Vice-President Mehriban Aliyeva", "First Vice President Mehriban Aliyeva"],
        [0, 0],
        "Mehriban Aliyeva",
    ),
    (["MS. FAZILI", "DEPUTY DIRECTOR FAZILI"], [0, 0], "Deputy Director Fazili"),
    (["MR. WEST", "MS. WEST"], [0, 0], "Mr. West"),
    (["THE PRESIDENT", "PRESIDENT BIDEN"], [0, 0], "President Biden"),
    (["THE PRESIDENT", "Q", "THE PRESIDENT"], [0, 1, 0], "The President"),
    (["MRS. HIGGINS", "PRESIDENT HIGGINS"], [0, 1], "Mrs. Higgins"),
    (["MODERATOR", "OPERATOR"], [0, 1], "Moderator"),
    (["Alexander Smith", "John Smith", "Smith"], [0, 1, 2], "Alexander Smith"),
    (["Q", "Q", "SENIOR ADMINISTRATION OFFICIAL"], [0, 0, 1], "Q"),
]


@pytest.mark.parametrize(("labels", "people", "first_name"), IDENTITY)
def test_labels_grouped_into_people(labels, people, first_name):
    body = "".join(f"{label}: Words {n}.\n\n" for n, label in enumerate(labels))
    parsed = parse(body)
    keys = [turn.speaker for turn in parsed.turns]
    assert [keys.index(key) for key in keys] == [people.index(p) for p in people]
    assert parsed.speaker(keys[0]).name == first_name


def test_the_president_is_the_host_named_first_in_the_title():
    body = "THE PRESIDENT: A.\n\nPRESIDENT MACRON: B.\n\nPRESIDENT BIDEN: C.\n"
    parsed = parse(
        body, header="Remarks by President Biden and President Macron\n\nMay 1, 2023\n\n"
    )
    keys = [turn.speaker for turn in parsed.turns]
    assert keys[0] == keys[2] != keys[1]


@pytest.mark.parametrize(
    ("labels", "line", "message"),
    [
        (
            ["MS. JEAN-PIERRE"] * 3 + ["MS. JEAN-PIERE"],
            11,
            '"Jean-Piere" taken as another spelling of "Jean-Pierre"',
        ),
        (
            ["THE PRESIDENT"] * 3 + ["THE PRESDEINT"],
            11,
            '"The Presdeint" taken as a misspelling of "The President"',
        ),
        (
            ["Sergei Brilyov", "Sergei Brilev"],
            7,
            '"Sergei Brilev" taken as another spelling of "Sergei Brilyov"',
        ),
        (
            ["SECRETARY MAYORKAS", "SECREATRY MAYORKAS", "SECREATRY MAYORKAS"],
            7,
            '"Secreatry Mayorkas" taken as a misspelling of "Secretary Mayorkas"',
        ),
        (["Alexander Smith", "John Smith", "Smith"], 9, '"Smith" could be'),
    ],
)
def test_doubtful_identities_are_merged_or_kept_apart_with_a_warning(labels, line, message):
    body = "".join(f"{label}: Words {n}.\n\n" for n, label in enumerate(labels))
    parsed = parse(body)
    assert [(w.line, w.message[: len(message)]) for w in parsed.warnings] == [(line, message)]


def test_a_huge_line_is_read_without_a_label():
    line = "Ab cd " * 200_000
    parsed = parse(f"Vladimir Putin: Hello.\n\n{line}\n\n{'x' * 5_000}: y\n")
    assert [turn.line_start for turn in parsed.turns] == [5]
    assert len(parsed.turns[0].text) > len(line)


# Each document's own labelling convention, in texts written for these tests.
HEARING = (
    "Chairman HOLLOWAY. The hearing will come to order.\n\n"
    "Mr. FENWICK. Mr. Brandt, when did you first see the contract?\n\n"
    "Mr. BRANDT. In March, I believe.\n\n"
    "Senator ORTEGA. Mr. Chairman, one question.\n\n"
    "The CHAIRMAN. The Senator from New Mexico.\n\n"
    "Senator ORTEGA:\n\nDid you read it?\n\n"
    "[Recess.]\n\n"
    "Ms. WAVERLY.\n\nMr. Brandt, was it the usual courier?\n\n"
    "Mr. BRANDT. Yes, it was.\n"
)


def test_hearing_record_labels_end_with_a_full_stop():
    turns = spoken(parse(HEARING))
    assert turns == [
        ("Holloway", "The hearing will come to order."),
        ("Mr. Fenwick", "Mr. Brandt, when did you first see the contract?"),
        ("Mr. Brandt", "In March, I believe."),
        ("Ortega", "Mr. Chairman, one question."),
        ("Holloway", "The Senator from New Mexico."),  # the one chairman of the text
        ("Ortega", "Did you read it?"),
        (None, "[Recess.]"),
        ("Ms. Waverly", "Mr. Brandt, was it the usual courier?"),
        ("Mr. Brandt", "Yes, it was."),
    ]


def test_one_capitalised_name_with_a_full_stop_is_no_convention():
    parsed = parse("Anna Berg: We met.\n\nThe UN. It was there, I think.\n\nYes.\n")
    assert spoken(parsed) == [("Anna Berg", "We met.\n\nThe UN. It was there, I think.\n\nYes.")]


def test_examination_q_and_a_are_the_counsel_and_the_witness_the_headings_name():
    parsed = parse(
        "TESTIMONY OF LAURA FINCH\n\nEXAMINATION BY MR. ABERNATHY:\n\n"
        "Q. Please state your name.\n\nA. Laura Finch.\n\n"
        "Mr. KESSLER. Objection.\n\nQ. Where did you work?\n\nA. In Dover.\n\n"
        "CROSS-EXAMINATION BY MR. KESSLER:\n\nQ. Only in Dover?\n\nA. Yes.\n"
    )
    assert spoken(parsed) == [
        (None, "TESTIMONY OF LAURA FINCH"),
        (None, "EXAMINATION BY MR. ABERNATHY:"),
        ("Abernathy", "Please state your name."),
        ("Laura Finch", "Laura Finch."),
        ("Mr. Kessler", "Objection."),
        ("Abernathy", "Where did you work?"),
        ("Laura Finch", "In Dover."),
        (None, "CROSS-EXAMINATION BY MR. KESSLER:"),
        ("Mr. Kessler", "Only in Dover?"),
        ("Laura Finch", "Yes."),
    ]
    assert [turn.speaker_label for turn in parsed.turns if turn.speaker][:2] == ["Q", "A"]


def test_hansard_labels_drop_constituency_and_party_and_the_office_is_its_holder():
    blair = OfficeTerm(
        "Prime Minister of the United Kingdom",
        ("The Prime Minister", "Prime Minister"),
        "Tony Blair",
        dt.date(1997, 5, 2),
        dt.date(2007, 6, 27),
    )
    text = (
        "Prime Minister's Questions\n\nMarch 3, 2004\n\n"
        "1. Mr. Peter Langley (Eastwick and Marle) (Con): What assessment has he made?\n\n"
        "The Prime Minister: It was published last week.\n\n"
        "**Mr. Langley:** When will dredging resume?\n\n"
        "**The Prime Minister:** In April.\n\nMr. Speaker: Order.\n"
    )
    parsed = parse_transcript(text.encode(), "hansard.txt", offices=(blair,))
    assert spoken(parsed) == [
        ("Peter Langley", "What assessment has he made?"),
        ("Tony Blair", "It was published last week."),
        ("Peter Langley", "When will dredging resume?"),
        ("Tony Blair", "In April."),
        ("Mr. Speaker", "Order."),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "Ann Kim (00:00:03):\nHello and welcome.\n\nBen Ortiz (00:01:02):\nHi Ann.\n\n"
        "Ann Kim (01:00:05.5): Bye.\n",
        "[00:00:03] Ann Kim: Hello and welcome.\n\n[00:01:02] Ben Ortiz: Hi Ann.\n\n"
        "[01:00:05.5] Ann Kim: Bye.\n",
        "Ann Kim [00:03]\n\nHello and welcome.\n\nBen Ortiz [01:02]\n\nHi Ann.\n\n"
        "Ann Kim [1:00:05.5]\n\nBye.\n",
        "0:00:03 **Ann Kim** Hello and welcome.\n\n0:01:02 **Ben Ortiz** Hi Ann.\n\n"
        "1:00:05.5 **Ann Kim** Bye.\n",
        "Ann  0:03\nHello and welcome.\n\nBen  1:02\nHi Ann.\n\nAnn  1:00:05.5\nBye.\n\n"
        "Ben  1:00:09\nSee you.\n\nAnn  1:00:10\nSee you.\n",
        "Ann Kim: [00:00:03] Hello and welcome.\n\nBen Ortiz: [00:01:02] Hi Ann.\n\n"
        "Ann Kim: [01:00:05.5] Bye.\n",
        "Ann Kim: 00:00:03 Hello and welcome.\n\nBen Ortiz: 00:01:02 Hi Ann.\n\n"
        "Ann Kim: 01:00:05.5 Bye.\n\nBen Ortiz: 12:30 is late.\n",
    ],
    ids=["parenthesis", "bracket-first", "label-line", "markdown", "otter", "in-the-text", "bare"],
)
def test_time_codes_become_offsets_never_speaker_or_text(body):
    parsed = parse(body)
    turns = [turn for turn in parsed.turns if turn.speaker]
    assert [turn.offset for turn in turns[:3]] == [3.0, 62.0, 3605.5]
    assert [turn.text for turn in turns[:3]] == ["Hello and welcome.", "Hi Ann.", "Bye."]
    assert all(":" not in turn.speaker_label for turn in turns)
    first, second = turns[0].speaker, turns[1].speaker
    assert first != second and turns[2].speaker == first


def test_a_time_code_alone_is_narrative_and_the_speaker_goes_on():
    parsed = parse("Ann Kim (00:00:03):\nHello.\n\n(00:01:31):\n\nStill me.\n\nBen Ortiz: Hi.\n")
    assert spoken(parsed) == [
        ("Ann Kim", "Hello."),
        (None, "(00:01:31):"),
        ("Ann Kim", "Still me."),
        ("Ben Ortiz", "Hi."),
    ]


def test_markdown_headings_and_bold_interjections():
    headings = parse(
        "### Lena Voss\n\nWelcome back.\n\n### Paul Dane\n\nI love maps.\n\nOld ones.\n\n"
        "### Lena Voss\n\nWhy?\n"
    )
    assert spoken(headings) == [
        ("Lena Voss", "Welcome back."),
        ("Paul Dane", "I love maps.\n\nOld ones."),
        ("Lena Voss", "Why?"),
    ]
    bold = parse(
        "**Lena Voss:** Welcome.\n\n**Paul Dane** Glad to be here.\n\n**Break**\n\n"
        "**Lena Voss**: We're back.\n\n**Jingle**\n\n**Paul Dane:** Bye.\n"
    )
    assert spoken(bold) == [
        ("Lena Voss", "Welcome."),
        ("Paul Dane", "Glad to be here."),
        (None, "**Break**"),
        ("Lena Voss", "We're back."),
        (None, "**Jingle**"),
        ("Paul Dane", "Bye."),
    ]


def test_broadcast_labels_with_roles_and_surnames_later():
    parsed = parse(
        "STEVE MARLOW, HOST:\n\nGood morning.\n\nMARLOW: Kate, what's the mood?\n\n"
        "KATE RUIZ, BYLINE: Tense, Steve.\n\n(SOUNDBITE OF ARCHIVED BROADCAST)\n\n"
        "UNIDENTIFIED MALE: We want the boats back.\n\n(CROSSTALK)\n\nRUIZ: That was a "
        "fisherman.\n\n(BEGIN VIDEOTAPE)\n\nUNIDENTIFIED FEMALE: Jobs.\n\n(END VIDEO CLIP)\n"
    )
    assert spoken(parsed) == [
        ("Steve Marlow", "Good morning."),
        ("Steve Marlow", "Kate, what's the mood?"),
        ("Kate Ruiz", "Tense, Steve."),
        (None, "(SOUNDBITE OF ARCHIVED BROADCAST)"),
        ("Unidentified Male", "We want the boats back."),
        (None, "(CROSSTALK)"),
        ("Kate Ruiz", "That was a fisherman."),
        (None, "(BEGIN VIDEOTAPE)"),
        ("Unidentified Female", "Jobs."),
        (None, "(END VIDEO CLIP)"),
    ]
    host = next(s for s in parsed.speakers if s.name == "Steve Marlow")
    assert host.role == "Host"


def test_screenplay_names_alone_in_capitals_and_action_between():
    parsed = parse(
        "INT. LIGHTHOUSE - NIGHT\n\nMARGARET\nDid you trim the wick?\n\nTHOMAS\n"
        "Twice.\n\n(beat)\n\nIt still smokes.\n\nHe climbs the stairs.\n\nMARGARET\n"
        "Then trim it again.\n\nCUT TO:\n"
    )
    assert spoken(parsed) == [
        (None, "INT. LIGHTHOUSE - NIGHT"),
        ("Margaret", "Did you trim the wick?"),
        ("Thomas", "Twice."),
        (None, "(beat)"),
        ("Thomas", "It still smokes."),
        (None, "He climbs the stairs."),
        ("Margaret", "Then trim it again."),
        (None, "CUT TO:"),
    ]


def test_a_lone_name_line_is_no_convention_and_says_so():
    parsed = parse("Anna Berg: Hello.\n\nANNA BERG\n\nShe left.\n\nJohn Doe [00:05]\n\nBye.\n")
    assert spoken(parsed) == [  # a heading in capitals, narrative; the speaker goes on
        ("Anna Berg", "Hello."),
        (None, "ANNA BERG"),
        ("Anna Berg", "She left.\n\nJohn Doe [00:05]\n\nBye."),
    ]
    assert [str(w) for w in parsed.warnings] == [
        'line 11: "John Doe" stands alone like a label, but no other line does; kept in the text'
    ]


def test_hansard_ministers_by_office_and_the_house_in_chorus():
    parsed = parse(
        "QUESTION PERIOD\n\n"
        "Hon. Ada Quill (Northmoor, Reform): Will the minister answer?\n\n"
        "Hon. Tom Vail (Secretary of State (Harbours), Lib.): I will.\n\n"
        "Some hon. members: Oh, oh!\n\n"
        "The Minister for Ports (Joan Hale): So will I.\n\nMs. Quill: Thank you.\n"
    )
    assert spoken(parsed) == [
        (None, "QUESTION PERIOD"),
        ("Ada Quill", "Will the minister answer?"),
        ("Tom Vail", "I will."),
        ("Some hon. members", "Oh, oh!"),
        ("Joan Hale", "So will I."),
        ("Ada Quill", "Thank you."),
    ]
    chorus = next(s for s in parsed.speakers if s.name == "Some hon. members")
    assert chorus.anonymous
    hale = next(s for s in parsed.speakers if s.name == "Joan Hale")
    assert hale.role == "The Minister for Ports"


def test_examinations_of_witnesses_by_counsel_named_by_role():
    parsed = parse(
        "Direct examination of Officer Dale (by government counsel):\n\n"
        "Q. Where were you?\n\nA. At the corner.\n\n"
        "Cross-examination of Officer Dale (by defence counsel):\n\nQ. Alone?\n\nA. Yes.\n"
    )
    assert spoken(parsed) == [
        (None, "Direct examination of Officer Dale (by government counsel):"),
        ("Government counsel", "Where were you?"),
        ("Dale", "At the corner."),
        (None, "Cross-examination of Officer Dale (by defence counsel):"),
        ("Defence counsel", "Alone?"),
        ("Dale", "Yes."),
    ]
    assert not parsed.warnings


@pytest.mark.parametrize(
    "body",
    [
        "**Break:** \\[00:07:50.09\\]\n\n",
        "AUDIO DESCRIPTION: The jury enters.\n\n",
        '<figure> <img src="photo.jpg"> </figure>\n\n',
        "<!-- -->\n\n",
    ],
    ids=["break", "audio-description", "html", "comment"],
)
def test_what_is_heard_or_left_over_is_narrative(body):
    parsed = parse("**Ann Kim:** [00:00:01]: Hello.\n\n" + body + "**Ben Ortiz:** [00:00:09] Hi.\n")
    turns = spoken(parsed)
    assert turns[0] == ("Ann Kim", "Hello.")
    assert turns[1][0] is None and turns[2] == ("Ben Ortiz", "Hi.")
    assert (parsed.turns[0].offset, parsed.turns[2].offset) == (1.0, 9.0)


def test_broadcast_initials_tell_two_people_of_one_surname_apart():
    parsed = parse(
        "SOLEDAD O'BRIEN, CNN ANCHOR: Good morning.\n\nMILES O'BRIEN, CNN ANCHOR: Hello.\n\n"
        "S. O'BRIEN: Our top story.\n\nM. O'BRIEN: Indeed.\n\n"
        "CLARENCE HOLT, US APPEALS COURT JUDGE: No comment.\n"
    )
    assert [name for name, _ in spoken(parsed)] == [
        "Soledad O'Brien",
        "Miles O'Brien",
        "Soledad O'Brien",
        "Miles O'Brien",
        "Clarence Holt",
    ]


def test_screenplay_cues_continued_and_names_that_are_also_words():
    parsed = parse(
        "EXT. PIER - DAY\n\nWILL\n\n(on phone)\n\nHi. Uh-huh.\n\nJosephine waves.\n\n"
        "JOSEPHINE\n\nIt's bad.\n\nWILL (CONT'D)\n\nI know.\n\nJOSEPHINE\n\nGo.\n"
    )
    assert spoken(parsed) == [
        (None, "EXT. PIER - DAY"),
        ("Will", "(on phone)\n\nHi. Uh-huh."),
        (None, "Josephine waves."),
        ("Josephine", "It's bad."),
        ("Will", "I know."),
        ("Josephine", "Go."),
    ]


def test_hearing_labels_with_a_colon_read_the_same():
    parsed = parse(
        "Chairman INOUYE: We begin.\n\nMr. NIELDS: Did you see it?\n\nMr. NORTH: I did.\n\n"
        "The CHAIRMAN: Thank you.\n\nMr. NIELDS: When?\n"
    )
    assert [name for name, _ in spoken(parsed)] == [
        "Inouye",
        "Mr. Nields",
        "Mr. North",
        "Inouye",
        "Mr. Nields",
    ]
    assert [turn.speaker_label for turn in parsed.turns][:2] == ["Chairman INOUYE", "Mr. NIELDS"]


def test_subtitle_ranges_machine_speaker_names_and_a_name_printed_once():
    parsed = parse(
        "00:00:06,056 --> 00:00:09,566 Bekah: Hello and welcome.\n\n"
        "00:00:09,566 --> 00:00:14,855 Here is Dan.\n\n"
        "00:00:15,000 --> 00:00:16,000 Dan: Hi.\n\n"
        "00:00:17,500 --> 00:00:19,000 Bekah: And our guest.\n\n"
        "00:00:20,000 --> 00:00:22,000 Reda: Hello, I am Reda.\n\n"
        "[00:00:23] SPEAKER_00: Thanks.\n\n[00:00:25] SPEAKER_01: Bye.\n"
    )
    assert spoken(parsed) == [
        # A later paragraph's time code stays with its words: the turn has one offset.
        ("Bekah", "Hello and welcome.\n\n00:00:09,566 --> 00:00:14,855 Here is Dan."),
        ("Dan", "Hi."),
        ("Bekah", "And our guest."),
        ("Reda", "Hello, I am Reda."),
        ("SPEAKER_00", "Thanks."),
        ("SPEAKER_01", "Bye."),
    ]
    assert [turn.offset for turn in parsed.turns] == [6.056, 15.0, 17.5, 20.0, 23.0, 25.0]


def test_a_time_of_day_once_is_the_speakers_words():
    parsed = parse("John Smith: (10:30) We begin.\n\nAnn Lee: Fine.\n\nJohn Smith: Good.\n")
    assert [(turn.text, turn.offset) for turn in parsed.turns] == [
        ("(10:30) We begin.", None),
        ("Fine.", None),
        ("Good.", None),
    ]


@pytest.mark.parametrize(
    "ending",
    ["Mr. NIELDS.", "Q.", "DAVID  0:41", "Jane Roe:"],
)
def test_a_label_without_words_at_the_end_is_kept_as_printed(ending):
    parsed = parse(
        "Mr. NIELDS. Did you?\n\nMr. NORTH. I did.\n\nQ. When?\n\nA. Then.\n\n"
        "DAVID  0:05\n\nHi.\n\nDAVID  0:09\n\nBye.\n\n" + ending + "\n"
    )
    assert parsed.turns[-1].kind == "narrative"
    assert parsed.turns[-1].text == ending
    assert f'"{ending}" has no words' in str(parsed.warnings[-1])


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # an oral history's interviewer
            "INT: When were you born?\n\nJOHN SMITH: In 1950.\n\nINT: And your parents?\n",
            [
                ("Int", "When were you born?"),
                ("John Smith", "In 1950."),
                ("Int", "And your parents?"),
            ],
        ),
        (  # initials that are also words
            "JS: Hello.\n\nAD: Happy to be here.\n\nJS: So?\n\nAD: Well.\n",
            [("JS", "Hello."), ("Ad", "Happy to be here."), ("JS", "So?"), ("Ad", "Well.")],
        ),
        (  # a word in capitals and a full stop, once
            "Anna Berg: Hi.\n\nBob Ray: Yes.\n\nGo USA. We are the best.\n",
            [("Anna Berg", "Hi."), ("Bob Ray", "Yes.\n\nGo USA. We are the best.")],
        ),
        (  # a wrapped line in capitals
            "Joe Doe: We have done it.\nTHE UNITED STATES\nwill stand.\n\nAnn Lee: Yes.\n",
            [("Joe Doe", "We have done it. THE UNITED STATES will stand."), ("Ann Lee", "Yes.")],
        ),
        (  # a caption transcript in capitals: no headings
            "SPEAKER 1: WE HAVE WORK TO DO.\n\nA LOT OF WORK\n\nSPEAKER 2: YES.\n\nAND MORE\n",
            [
                ("SPEAKER 1", "WE HAVE WORK TO DO.\n\nA LOT OF WORK"),
                ("SPEAKER 2", "YES.\n\nAND MORE"),
            ],
        ),
        (  # "a witness" in a sentence names nobody
            "Q. When?\n\nA. In 2001.\n\nMy brother, a witness to it, told me.\n\n"
            "Q. Then?\n\nA. We left.\n",
            [
                ("Q", "When?"),
                ("A", "In 2001.\n\nMy brother, a witness to it, told me."),
                ("Q", "Then?"),
                ("A", "We left."),
            ],
        ),
        (  # a heading name printed once, a shout in capitals once
            "### John\nHello.\n\n### Mary\nHi.\n\n### John\nYes.\n\nYES\nI mean it.\n",
            [("John", "Hello."), ("Mary", "Hi."), ("John", "Yes.\n\nYES I mean it.")],
        ),
    ],
    ids=["int", "initials", "go-usa", "wrapped-capitals", "captions", "witness", "once"],
)
def test_what_only_looks_like_another_convention(body, expected):
    assert spoken(parse(body)) == expected


def test_one_label_of_its_kind_is_enough_when_the_text_has_no_other():
    statement = parse(
        "The committee met at 10 a.m.\n\nChairman INOUYE.\n\n"
        "Today we begin.\n\nWe hear a witness.\n"
    )
    assert spoken(statement) == [
        (None, "The committee met at 10 a.m."),
        ("Inouye", "Today we begin.\n\nWe hear a witness."),
    ]
    recording = parse("Speaker 1  0:05\nWelcome to the recording.\n\nToday we talk.\n")
    assert spoken(recording) == [("Speaker 1", "Welcome to the recording.\n\nToday we talk.")]
    assert recording.turns[0].offset == 5.0


def test_names_with_a_full_stop_or_a_dash_where_a_few_names_keep_opening_paragraphs():
    play = parse(
        "SCENE: A garden.\n\nCecily.  Are you the gardener?\n\nMoulton.  I am, miss.\n\n"
        "Cecily.  [Laughs.]  Of course.\n\nMoulton.  Yes, miss.\n\nMerriman.  Tea is served.\n"
    )
    assert spoken(play) == [
        (None, "SCENE: A garden."),
        ("Cecily", "Are you the gardener?"),
        ("Moulton", "I am, miss."),
        ("Cecily", "[Laughs.]  Of course."),
        ("Moulton", "Yes, miss."),
        ("Merriman", "Tea is served."),  # once, but the convention is the text's
    ]
    record = parse(
        "Mr PETER ORR - Mr Speaker, a question.\n\nMr ACTING SPEAKER- Go on.\n\n"
        "Mr PETER ORR - Thank you.\n\nMr ACTING SPEAKER- The Minister.\n"
    )
    assert [name for name, _ in spoken(record)] == [
        "Peter Orr",
        "Mr Acting Speaker",
        "Peter Orr",
        "Mr Acting Speaker",
    ]
    book = parse(
        '_Counsel_. "You saw it?"\n\n_Witness_ (pausing). "I did."\n\n'
        '_Counsel_. "When?"\n\n_Witness_. "At noon."\n'
    )
    assert spoken(book) == [
        ("Counsel", '"You saw it?"'),
        ("Witness", '(pausing). "I did."'),
        ("Counsel", '"When?"'),
        ("Witness", '"At noon."'),
    ]


def test_names_read_out_in_a_labelled_text_are_no_labels():
    parsed = parse(
        "MILITARY AIDE:  Joan Vale.  (Applause.)\n\nTHE PRESIDENT:  Thank you.\n\n"
        "Joan Vale - a poet of the plains.  (Applause.)\n\nMILITARY AIDE:  Tom Reed.\n\n"
        "THE PRESIDENT:  Tom Reed - a builder.\n\nJoan Vale - and a friend.\n\n"
        "MILITARY AIDE:  Tom Reed.  (Applause.)\n\nTom Reed - and more.\n"
    )
    assert [name for name, _ in spoken(parsed)] == [
        "Military aide",
        "The President",
        "Military aide",
        "The President",
        "Military aide",
    ]


def test_answers_with_one_space_follow_question_after_question():
    court = parse(
        "THE COURT: Go ahead.\n\nQ Who is Dan Roe?\n\nA A doorman at the tower.\n\n"
        "Q When did you meet?\n\nA In 2015.\n\nQ Where?\n\nA At the office.\n"
    )
    assert spoken(court)[1:] == [
        ("Q", "Who is Dan Roe?"),
        ("A", "A doorman at the tower."),
        ("Q", "When did you meet?"),
        ("A", "In 2015."),
        ("Q", "Where?"),
        ("A", "At the office."),
    ]
    briefing = parse(
        "MS. LEE:  Good afternoon.\n\nQ    Has he called anyone?\n\n"
        "A mass shooting just happened, so we ask.\n\nMS. LEE:  He has.\n\nQ    And?\n\n"
        "MS. LEE:  Nothing more.\n\nQ    Why?\n\nMS. LEE:  Because.\n"
    )
    assert ("Q", "Has he called anyone?\n\nA mass shooting just happened, so we ask.") in spoken(
        briefing
    )


def test_a_script_indents_its_cues_and_prints_action_at_the_margin():
    parsed = parse(
        "Rain falls on the market.\n\n                    ELIZA\n\n"
        "          Nah then, Freddy: look where you're going.\n\n"
        "A young man collides with her and runs off.\n\n                    FREDDY\n\n"
        "          Sorry.\n\n                    ELIZA\n\n          (picking up flowers)\n\n"
        "          Two bunches trod in the mud.\n\nShe sits down.\n\n"
        "                    AI-GENERATED VOICE #2\n\n          Hello.\n\n"
        "                    JIM #1\n\n          Hush.\n\n                    JIM #2\n\n"
        "          You spoil her.\n"
    )
    assert spoken(parsed) == [
        (None, "Rain falls on the market."),
        ("Eliza", "Nah then, Freddy: look where you're going."),
        (None, "A young man collides with her and runs off."),
        ("Freddy", "Sorry."),
        ("Eliza", "(picking up flowers)\n\nTwo bunches trod in the mud."),
        (None, "She sits down."),
        ("AI-GENERATED VOICE #2", "Hello."),
        ("Jim #1", "Hush."),  # two people a script tells apart by number
        ("Jim #2", "You spoil her."),
    ]


def test_labels_in_brackets_and_a_copy_without_capitals():
    bracketed = parse(
        "[Speaker 1] [00:00] Alright, we're live.\n\n[Speaker 2] [00:20] Hello there.\n\n"
        "[Speaker 1] [00:34] Welcome.\n\n[inaudible] she said.\n"
    )
    turns = [(turn.speaker_label, turn.offset, turn.text) for turn in bracketed.turns]
    assert turns[:3] == [
        ("Speaker 1", 0.0, "Alright, we're live."),
        ("Speaker 2", 20.0, "Hello there."),
        ("Speaker 1", 34.0, "Welcome.\n\n[inaudible] she said."),
    ]
    lower = parse(
        "erin burnett, cnn host: good evening.\n\nburnett: our guest is here.\n\n"
        "jerome adams, u.s. surgeon general: thank you, erin.\n\nburnett: thank you.\n"
    )
    assert [name for name, _ in spoken(lower)] == [
        "Erin Burnett",
        "Erin Burnett",
        "Jerome Adams",
        "Erin Burnett",
    ]
    assert lower.turns[0].speaker_label == "erin burnett, cnn host"  # as printed


def test_a_play_in_labels_alone_with_a_colon_and_a_question_put_to_a_minister():
    play = parse(
        "SICINIUS:\n\nWas ever man so proud?\n\nBRUTUS:\n\nHe has no equal.\n\n"
        "First Senator:\n\nYour company to the Capitol.\n\nAll:\n\nAway!\n\n"
        "Gentlewoman:\n\nMadam, the Lady Valeria.\n\nSICINIUS:\n\nCome.\n"
    )
    assert [name for name, _ in spoken(play)] == [
        "Sicinius",
        "Brutus",
        "First Senator",
        "All",
        "Gentlewoman",
        "Sicinius",
    ]
    question = parse(
        "6. CHRIS HOLT (Labour—Eastbay) to the Minister of Education: What changed?\n\n"
        "Hon HEKIA VALE (Minister of Education): Nothing.\n\nCHRIS HOLT: Really?\n"
    )
    assert [name for name, _ in spoken(question)] == ["Chris Holt", "Hekia Vale", "Chris Holt"]


def test_labels_in_bold_again_and_again_are_somebodys_whatever_they_say():
    parsed = parse(
        "**Lady Hallett**: Mr Dawson.\n\n**Lead 2A**: Thank you. Your full name?\n\n"
        "**The Witness**: John Swinney.\n\n**Lead 2A**: Thank you.\n\n"
        "**Mr John Swinney**: Not at all.\n\n**Lead 2A**: Next.\n"
    )
    assert [name for name, _ in spoken(parsed)] == [
        "Hallett",  # ("Lady" is her title)
        "Lead 2A",
        "The Witness",
        "Lead 2A",
        "John Swinney",
        "Lead 2A",
    ]


def test_caption_voices_quoted_labels_and_an_office_in_capitals():
    captions = parse(
        "WEBVTT\n\n00:00:00.179 --> 00:00:02.399 <v Travis> When you first start,\n\n"
        "00:00:02.400 --> 00:00:04.799 you make mistakes.\n\n"
        "00:00:53.030 --> 00:00:57.770 <v Sarah> Good audio is key.\n"
    )
    assert [
        (name, turn.offset)
        for (name, _), turn in zip(spoken(captions), captions.turns, strict=True)
        if name
    ] == [
        ("Travis", 0.179),
        ("Sarah", 53.03),
    ]
    quoted = parse(
        "> **Boies:** Did you see it?\n\n> **Gates:** No.\n\n> **Boies:** Never?\n\n"
        "> **Gates:** Never.\n"
    )
    assert [name for name, _ in spoken(quoted)] == ["Boies", "Gates", "Boies", "Gates"]
    assembly = parse(
        "The DEPUTY SPEAKER: Hon members, the election.\n\n"
        "The CHIEF WHIP OF THE OPPOSITION: On a point of order.\n\n"
        "The DEPUTY SPEAKER: Yes.\n"
    )
    names = [name for name, _ in spoken(assembly)]
    assert names[0] == names[2] != names[1]
    assert assembly.turns[1].speaker_label == "The CHIEF WHIP OF THE OPPOSITION"


def test_a_cue_in_capitals_reads_as_the_name_it_is():
    parsed = parse("O'NEILL\n\nYou came.\n\nMCDONAGH\n\nI did.\n\nO'NEILL\n\nGood.\n")
    assert [name for name, _ in spoken(parsed)] == ["O'Neill", "McDonagh", "O'Neill"]
