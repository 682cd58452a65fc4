"""Dash-marked turns: "– Mr President, ..." / "– Thank you." with no names printed.

Interviews printed this way alternate between the one who asks and the one who answers,
each new turn opening with a dash. The two are named by the labels printed before the
dashes (a switch from "Name:" labels to dashes mid-text), or else by the title and the
lead ("... gave an interview to journalist Jane Smith"), or else "Interviewer" and
"Interviewee". Which alternate asks is read from the question marks. The attribution is a
guess by alternation, so it is reported as a warning.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

from .labels import parse_label
from .model import Block, Header, Label, ParseWarning
from .openings import DASH, Opening
from .vocabulary import ORGANISATION_WORDS, SENTENCE_STARTS, TITLE_WORDS

# A dash and the words after it: not a list item (lower case) nor a rule ("---", "- - -").
_DASH = re.compile(r"^[-–—]\s*(?=[^\s\-–—*_a-z])")
MIN_DASH_TURNS = 4
_MIN_QUESTION_SHARE = 0.2
# Without questions, dashes must open most paragraphs from the first one on.
_MIN_DASH_SHARE = 0.5
_MIN_DASH_RUNS = 3
# Costs of the reading of who asks (see _who_asks).
_SAME_SPEAKER = 6.0
_SAME_SPEAKER_AFTER_CUT = 0.5
_ANSWER_FIRST = 0.3
_NO_QUESTION = 0.8
_SOME_QUESTION = 0.4
_ANSWER_ASKS = 0.8
_SWAP_ROLES = 0.5
# A name in the title or the lead: two or three capitalised words, or a title and a surname.
_NAME = re.compile(r"\b(?:[A-Z][\w'’-]+\s+){1,2}[A-Z][\w'’-]+")
_INTERVIEWER_CUES = re.compile(
    r"\b(by|journalist|correspondent|host|anchor|presenter|editor|editor-in-chief|interviewer|"
    r"reporter|columnist|commentator)\s+$",
    re.IGNORECASE,
)
_MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)


def read_dash_turns(
    paragraphs: list[Block],
    openings: list[Opening | None],
    stage: list[bool],
    header: Header,
) -> tuple[list[Opening | None], list[ParseWarning]]:
    """Openings with the dash-marked paragraphs filled in, when the text is in that style."""
    dashed = [
        index
        for index, paragraph in enumerate(paragraphs)
        if openings[index] is None and not stage[index] and _DASH.match(paragraph.text)
    ]
    if not _is_dash_dialogue(paragraphs, openings, dashed):
        return openings, []
    asker, answerer = _parties(paragraphs, openings, dashed, header)
    # Which of the two asks is read off the question marks as much as from the names.
    path, cost = _who_asks(paragraphs, openings, stage, dashed, asker)
    swapped_path, swapped_cost = _who_asks(paragraphs, openings, stage, dashed, answerer)
    if swapped_cost + _SWAP_ROLES < cost:
        asker, answerer, path = answerer, asker, swapped_path
    result = list(openings)
    for index, asks in zip(dashed, path, strict=True):
        text = paragraphs[index].text
        body = text[_DASH.match(text).end() :].strip()
        result[index] = Opening(text[:1], body, DASH, asker if asks else answerer)
    message = (
        f'dash-marked turns: taken as alternating between "{asker.name}" (asking) and '
        f'"{answerer.name}" (answering)'
    )
    return result, [ParseWarning(paragraphs[dashed[0]].line_start, message)]


def _is_dash_dialogue(
    paragraphs: list[Block], openings: list[Opening | None], dashed: list[int]
) -> bool:
    """Dashes that alternate speakers, not the items of a list inside one speech."""
    if len(dashed) < MIN_DASH_TURNS:
        return False
    texts = [paragraphs[index].text.rstrip() for index in dashed]
    if sum(text.endswith((";", ",", ":")) for text in texts) * 2 >= len(texts):
        return False  # "– to build new roads;"
    labelled_after = sum(1 for opening in openings[dashed[0] :] if opening is not None)
    if labelled_after > len(dashed):
        return False
    # A question may sit in a paragraph after the dash ("– I will appoint you. ... Priorities?").
    ends = [*dashed[1:], len(paragraphs)]
    questions = sum(
        any("?" in paragraph.text for paragraph in paragraphs[start:end])
        for start, end in zip(dashed, ends, strict=True)
    )
    if questions >= _MIN_QUESTION_SHARE * len(dashed):
        return True
    # Without questions: dashes open most paragraphs, or come back after other paragraphs
    # again and again, as turns do (a list's items follow each other).
    runs = 1 + sum(1 for a, b in itertools.pairwise(dashed) if b > a + 1)
    share_after = len(dashed) / (len(paragraphs) - dashed[0])
    return share_after >= _MIN_DASH_SHARE or runs >= _MIN_DASH_RUNS


def _who_asks(
    paragraphs: list[Block],
    openings: list[Opening | None],
    stage: list[bool],
    dashed: list[int],
    asker: Label,
) -> tuple[list[bool], float]:
    """For each dash turn, whether the asker speaks it: the likeliest sequence (Viterbi).

    Turns alternate (a stage direction or a cut "<…>" between them weakens that), questions
    end with a question mark, and a labelled turn before a dash fixes who spoke last.
    """
    infinity = float("inf")
    cost = {True: 0.0, False: _ANSWER_FIRST}  # by whether the asker spoke last
    back: list[dict[bool, bool]] = []
    for position, index in enumerate(dashed):
        start = dashed[position - 1] + 1 if position else 0
        end = dashed[position + 1] if position + 1 < len(dashed) else len(paragraphs)
        labelled = [o.label for o in openings[start:index] if o is not None and o.label]
        if labelled:
            spoke_last = _same_person(labelled[-1], asker)
            cost = {spoke_last: min(cost.values()), not spoke_last: infinity}
        switch = _SAME_SPEAKER_AFTER_CUT if any(stage[start:index]) else _SAME_SPEAKER
        turn = " ".join(p.text for p in paragraphs[index:end] if p is not None).rstrip()
        emission = {
            True: 0.0 if turn.endswith("?") else (_SOME_QUESTION if "?" in turn else _NO_QUESTION),
            False: _ANSWER_ASKS if turn.endswith("?") else 0.0,
        }
        step: dict[bool, float] = {}
        choice: dict[bool, bool] = {}
        for asks in (True, False):
            options = {last: cost[last] + (switch if last == asks else 0.0) for last in cost}
            best = min(options, key=lambda last: options[last])
            step[asks], choice[asks] = options[best] + emission[asks], best
        back.append(choice)
        cost = step
    state = min(cost, key=lambda asks: cost[asks])
    total = cost[state]
    path = [state]
    for choice in reversed(back[1:]):
        state = choice[state]
        path.append(state)
    return path[::-1], total


def _parties(
    paragraphs: list[Block], openings: list[Opening | None], dashed: list[int], header: Header
) -> tuple[Label, Label]:
    """(asker, answerer): from labels printed before the dashes, else from title and lead."""
    labels = [o.label for o in openings[: dashed[0]] if o is not None and o.label is not None]
    turns = Counter(label.name for label in labels if not label.anonymous)
    answerer = asker = None
    if turns:
        principal = turns.most_common(1)[0][0]
        answerer = next(label for label in labels if label.name == principal)
        asker = next((label for label in reversed(labels) if label.name != principal), None)
    if asker is None or answerer is None:
        lead = [p.text for p in paragraphs[: dashed[0]] if p is not None][:3]
        named_asker, named_answerer = _names_in_lead([header.title, *lead])
        answerer = answerer or named_answerer
        asker = asker or named_asker
        if answerer is not None and asker is not None and answerer.name == asker.name:
            asker = None
    return (
        asker or Label(printed="Interviewer", name="Interviewer"),
        answerer or Label(printed="Interviewee", name="Interviewee"),
    )


def _names_in_lead(texts: list[str]) -> tuple[Label | None, Label | None]:
    """The interviewer (a name after "journalist", "by" ...) and the first other name."""
    asker = answerer = None
    for text in texts:
        for match in _NAME.finditer(text[:2000]):
            label = _person(match.group())
            if label is None:
                continue
            if asker is None and _INTERVIEWER_CUES.search(
                text[max(0, match.start() - 30) : match.start()]
            ):
                asker = label
            elif answerer is None and (asker is None or label.name != asker.name):
                answerer = label
    return asker, answerer


def _person(words: str) -> Label | None:
    tokens = words.split()
    if tokens[0].casefold() in SENTENCE_STARTS or tokens[0].casefold() in _MONTHS:
        return None
    if any(token.casefold() in ORGANISATION_WORDS for token in tokens):
        return None
    if tokens[0].casefold() in TITLE_WORDS and len(tokens) > 2:
        return None
    label = parse_label(words)
    if label is None or label.anonymous:
        return None
    return Label(printed=words, name=words if tokens[0].casefold() in TITLE_WORDS else label.name)


def _same_person(label: Label, other: Label) -> bool:
    return label.name == other.name and label.anonymous == other.anonymous
