"""Questions and answers: which speech turns ask, which answer, and what they answer.

The rule, applied to speech turns in order (narrative turns are skipped):

1. The *principals* are the speakers being questioned: the named speaker with the
   most words, plus every named speaker without an outlet at the event who has at
   least PRINCIPAL_SHARE of that speaker's words (a second head of state, a spouse
   answering on a topic). Media people and anonymous classes are never principals
   unless they speak the most.
2. A turn is a ``question`` when a non-principal speaks it and it contains a
   question mark or asks in words ("I would like to ask you to…", "my question
   is…"), or when its label is a generic question class ("Q", "Question").
3. The first speech turn after a question, if a principal speaks it, is an
   ``answer`` whose ``in_reply_to`` is that question.
4. Every other speech turn stays ``speech``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from .model import ANSWER, QUESTION, SPEECH, Speaker, Turn

PRINCIPAL_SHARE = 0.15
QUESTION_CLASSES = frozenset({"anonymous:q", "anonymous:question"})
_ASKS = re.compile(
    r"\?|\b(I|we)('d| would| want to| wanted to)( like to)? ask\b"
    r"|\bmy (first |second |next |last |main )?question\b"
    r"|\bI have a (short |quick |brief )?question\b"
    r"|\b(could|can|would) you (please )?(tell|say|comment|explain|describe|characteri[sz]e)\b",
    re.IGNORECASE,
)


def principals(turns: list[Turn], speakers: tuple[Speaker, ...]) -> frozenset[str]:
    words: Counter[str] = Counter()
    for turn in turns:
        if turn.speaker:
            words[turn.speaker] += turn.word_count
    named = [s for s in speakers if not s.anonymous and words[s.key]]
    if not named:
        return frozenset()
    top = max(named, key=lambda s: words[s.key])
    return frozenset(
        {top.key}
        | {
            s.key
            for s in named
            if not s.outlets and words[s.key] >= PRINCIPAL_SHARE * words[top.key]
        }
    )


def classify_exchanges(turns: list[Turn], speakers: tuple[Speaker, ...]) -> list[Turn]:
    """Turns with kinds question/answer/speech and answers linked to their questions."""
    answering = principals(turns, speakers)
    classified: list[Turn] = []
    pending: Turn | None = None
    for turn in turns:
        if turn.kind != SPEECH or turn.speaker is None:
            classified.append(turn)
            continue
        is_question = turn.speaker in QUESTION_CLASSES or (
            turn.speaker not in answering and _ASKS.search(turn.text) is not None
        )
        if is_question:
            turn = replace(turn, kind=QUESTION)
            pending = turn
        elif pending is not None and turn.speaker in answering:
            turn = replace(turn, kind=ANSWER, in_reply_to=pending.sequence)
            pending = None
        else:
            pending = None
        classified.append(turn)
    return classified
