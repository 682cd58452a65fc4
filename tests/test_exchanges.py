"""Question / answer classification (pure, no database)."""

import pytest

from interviews.parsing import ANSWER, NARRATIVE, QUESTION, SPEECH, parse_transcript

from .conftest import SEED_TRANSCRIPT

# Read off the seed by hand: every journalist turn that asks, and Aliyev's (or
# Mehriban Aliyeva's) turn right after it.
SEED_QUESTIONS = [3, 6, 8, 10, 12, 16, 22, 29, 32, 34, 37, 39, 43, 48, 54, 58, 60, 62, 64]
SEED_NARRATIVE = [1, 2, 87]


@pytest.fixture(scope="module")
def seed_turns():
    return parse_transcript(SEED_TRANSCRIPT.read_bytes(), SEED_TRANSCRIPT.name).turns


def test_every_seed_turn_is_classified(seed_turns):
    expected = {}
    for sequence in range(1, 88):
        expected[sequence] = (SPEECH, None)
    for sequence in SEED_NARRATIVE:
        expected[sequence] = (NARRATIVE, None)
    for sequence in SEED_QUESTIONS:
        expected[sequence] = (QUESTION, None)
        expected[sequence + 1] = (ANSWER, sequence)
    actual = {turn.sequence: (turn.kind, turn.in_reply_to) for turn in seed_turns}
    assert actual == expected


def test_fronin_asks_and_aliyev_answers(seed_turns):
    question = next(turn for turn in seed_turns if turn.speaker == "vladislav-fronin")
    answer = seed_turns[question.sequence]  # the next turn
    assert question.kind == QUESTION
    assert (answer.speaker, answer.kind, answer.in_reply_to) == (
        "ilham-aliyev",
        ANSWER,
        question.sequence,
    )


def test_second_principal_answers(seed_turns):
    # Simonyan asks Mehriban Aliyeva, who has no outlet and a large share of the words.
    assert (seed_turns[29].speaker, seed_turns[29].kind) == ("mehriban-aliyeva", ANSWER)


def kinds(body: str):
    text = "Title\n\n1 March 2020\n\n" + body
    parsed = parse_transcript(text.encode(), "inline.txt")
    return [(turn.kind, turn.in_reply_to) for turn in parsed.turns]


LONG = " ".join(["word"] * 60)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # a journalist asks, the principal answers
            f"Anna Smith, Correspondent of TASS: Is it true?\n\nVladimir Putin: {LONG}\n",
            [(QUESTION, None), (ANSWER, 1)],
        ),
        (  # asked in words, without a question mark
            "Anna Smith, Editor of RT: I would like to ask you to comment on it.\n\n"
            f"Vladimir Putin: {LONG}\n",
            [(QUESTION, None), (ANSWER, 1)],
        ),
        (  # the principal's own question marks do not make questions
            f"Vladimir Putin: Why not? {LONG}\n\nAnna Smith, Editor of RT: Thank you.\n",
            [(SPEECH, None), (SPEECH, None)],
        ),
        (  # a question followed by another journalist is not answered
            "Anna Smith, Editor of RT: Is it true?\n\nJohn Brown, Editor of NTV: Indeed.\n\n"
            f"Vladimir Putin: {LONG}\n",
            [(QUESTION, None), (SPEECH, None), (SPEECH, None)],
        ),
        (  # a stage direction between question and answer does not break the link
            f"Anna Smith, Editor of RT: Is it true?\n\n(Laughter.)\n\nVladimir Putin: {LONG}\n",
            [(QUESTION, None), (NARRATIVE, None), (ANSWER, 1)],
        ),
        (  # a generic "Question" label always asks
            f"Question: Tell us more.\n\nVladimir Putin: {LONG}\n",
            [(QUESTION, None), (ANSWER, 1)],
        ),
    ],
)
def test_exchange_rule(body, expected):
    assert kinds(body) == expected
