"""Speaker labels: is "LABEL" (before the colon) a person, a role or a class of people?

The decision rests on the shape of the label, not on a list of names: a person's name with
an optional title, role and outlets ("President of Russia Vladimir Putin", "Steve Rosenberg,
BBC"), an upper-case White House label ("MS. JEAN-PIERRE"), a role standing for one person
("Moderator") or a generic class ("Question from the audience"). Sentence-like prefixes ("So
my question is", "The country's President knows about them") are rejected.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .label_grammar import parse_person_label
from .model import Label
from .names import sentence_case
from .uppercase import is_upper_label, parse_upper_label
from .vocabulary import (
    ANONYMOUS_LABELS,
    GENERIC_HEADS,
    GENERIC_STARTS,
    HONORIFICS,
    ORGANISATION_WORDS,
    ROLE_LABELS,
    SENTENCE_STARTS,
    SENTENCE_WORDS,
    TITLE_MODIFIERS,
    TITLE_WORDS,
)

MAX_LABEL_CHARS = 200
MAX_LABEL_WORDS = 30

# "Speaker 1", "Participant B", "AI-GENERATED VOICE #2": numbered people of a recording.
_NUMBERED = re.compile(
    r"(?:[\w-]+\s+){0,2}(speaker|participant|person|voice|interviewer|respondent|man|woman)"
    r"[\s_]+#?(\d{1,3}|[A-Z])",
    re.IGNORECASE,
)
_PARENTHETICAL = re.compile(r"\s*\((?:[^()]|\([^()]*\))*\)\s*$")
# Markdown marks; an underscore inside a word ("SPEAKER_00") is part of it.
# A question put in a parliament: "CHRIS HIPKINS (Labour) to the Minister of Education".
_ADDRESSEE = re.compile(
    r"\s+to the\s+(?:Prime\s+)?(?:Minister|Secretary|Leader|Speaker|President)\b[^(),]*$",
    re.IGNORECASE,
)
# The number of a question on the order paper: "6. CHRIS HIPKINS".
_QUESTION_NUMBER = re.compile(r"^[*_\s]*\d{1,3}\.\s+")
_THE_OFFICE_IN_CAPITALS = re.compile(r"The(?:\s+[A-Z][A-Z'’-]+){2,7}")
_MARKUP = re.compile(r"[*\\]+|(?<![^\W_])_+|_+(?![^\W_])")


def clean_label(printed: str) -> str:
    """The label without markdown marks, odd spaces and trailing parentheticals."""
    core = " ".join(_MARKUP.sub("", printed).split())
    while True:
        stripped = _PARENTHETICAL.sub("", core).strip()
        if stripped == core:
            return core
        core = stripped


def parse_label(printed: str, known_names: frozenset[str] = frozenset()) -> Label | None:
    """Split a label into name, role, outlets and attribution; None if it is no label.

    known_names holds name_key()s of people seen in the text, so a bare surname
    ("Putin") is accepted once the full name has been printed.
    """
    if len(printed) > MAX_LABEL_CHARS:
        return None
    # Labels repeat through a text; the same printed label always reads the same way.
    return _parse_label(printed, known_names)


# Hansard names a minister by office, the person in brackets: "The Secretary of State for
# Foreign and Commonwealth Affairs (Mr William Hague)".
_OFFICE_THEN_NAME = re.compile(
    r"^(?P<office>[A-Z][^()]+?)\s*\((?P<honorific>(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady)\.?\s)?"
    r"(?P<name>[A-Z][^()]+)\)$"
)


@lru_cache(maxsize=2048)
def _parse_label(printed: str, known_names: frozenset[str]) -> Label | None:
    if len(printed) > MAX_LABEL_CHARS or len(printed.split()) > MAX_LABEL_WORDS:
        return None
    office = _OFFICE_THEN_NAME.match(" ".join(_MARKUP.sub("", printed).split()))
    if office and TITLE_WORDS.intersection(re.split(r"[\s-]+", office.group("office").casefold())):
        name = office.group("name")
        words = {word.casefold() for word in name.split()}
        plain = len(words) <= 3 and not words & (TITLE_WORDS | ORGANISATION_WORDS)
        person = _parse_label((office.group("honorific") or "") + name, known_names)
        if not (office.group("honorific") or plain):
            person = None  # "(Foreign Affairs)" says what, not who
        if person is not None and not person.anonymous:
            return Label(printed=printed, name=person.name, role=office.group("office"))
    core = clean_label(_QUESTION_NUMBER.sub("", _ADDRESSEE.sub("", printed)))
    if not core or not core[0].isalnum():
        return None
    folded = core.casefold()
    if _is_generic(folded):
        name = sentence_case(core) if is_upper_label(core) else core
        return Label(printed=printed, name=name, anonymous=True)
    if _NUMBERED.fullmatch(core):
        return Label(printed=printed, name=core)
    if is_upper_label(core):
        return parse_upper_label(printed, core)
    if _THE_OFFICE_IN_CAPITALS.fullmatch(core):
        # "The CHIEF WHIP OF THE OPPOSITION": a hearing record's office, all in capitals.
        return parse_upper_label(printed, core.upper())
    if folded.removeprefix("the ") in ROLE_LABELS or _is_bare_title(folded):
        return Label(printed=printed, name=core)
    return parse_person_label(printed, core, known_names)


def _is_generic(folded: str) -> bool:
    if folded in ANONYMOUS_LABELS:
        return True
    words = folded.split()
    # "Question from the audience", "Voice from Kazan", "Remarks of a participant".
    if len(words) >= 3 and words[0] in GENERIC_STARTS and words[1] in {"from", "of", "by", "in"}:
        return True
    # "Senior administration official", "Audience member", "White House aide".
    if "," in folded or len(words) > 5 or words[-1] not in GENERIC_HEADS:
        return False
    return not any(word in SENTENCE_WORDS or word in SENTENCE_STARTS for word in words)


def _is_bare_title(folded: str) -> bool:
    """'The President', 'Prime Minister': a title standing for the one person holding it."""
    words = folded.split()
    if len(words) > 1 and words[0].strip(".") in HONORIFICS:
        words = words[1:]  # "Mr. Speaker", "Madam President"
    if len(words) > 4 or words[-1] not in TITLE_WORDS or words[-1] in TITLE_MODIFIERS:
        return False
    return all(word in TITLE_WORDS or word == "the" for word in words)
