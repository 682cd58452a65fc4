"""Upper-case labels as the White House prints them: "MS. JEAN-PIERRE", "PRESIDENT BIDEN".

The identity of such a label is the label itself without honorific (MR./MS./MRS./DR.),
so "PRESIDENT BIDEN" is named "President Biden" (role "President") and "MS. JEAN-PIERRE"
is named "Jean-Pierre". Class labels ("Q", "SENIOR ADMINISTRATION OFFICIAL") are anonymous.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .model import Label
from .names import sentence_case, title_case
from .vocabulary import (
    ANONYMOUS_LABELS,
    GENERIC_HEADS,
    HEADING_WORDS,
    HONORIFICS,
    ROLE_LABELS,
    SCREEN_DIRECTIONS,
    SENTENCE_WORDS,
    TITLE_WORDS,
)

MAX_UPPER_TOKENS = 8
_NUMBER = re.compile(r"#\d{1,3}")
_UPPER_TOKEN = re.compile(r"[^\W\d_]+(?:[.'’-][^\W\d_]*)*|&")


def is_upper_label(core: str) -> bool:
    letters = [char for char in core if char.isalpha()]
    return len(letters) > 1 and core.upper() == core


def parse_upper_label(printed: str, core: str) -> Label | None:
    name, comma, description = core.partition(",")
    if comma:
        # A broadcast transcript's "STEVE INSKEEP, HOST", "JANE DOE, CNN CORRESPONDENT".
        person = parse_upper_label(printed, name.strip())
        words = description.replace(",", " ").split()
        if (
            person is None
            or person.anonymous
            or person.role
            or not words
            or len(words) > MAX_UPPER_TOKENS
            # ("US" is the country in "US SUPREME COURT JUSTICE", never the pronoun.)
            or any(word.casefold() in SENTENCE_WORDS - {"us"} for word in words)
            or not all(_UPPER_TOKEN.fullmatch(word.strip("()")) for word in words)
        ):
            return None
        return Label(printed=printed, name=person.name, role=title_case(" ".join(words)))
    tokens = core.split()
    if len(tokens) > 1 and _NUMBER.fullmatch(tokens[-1]):
        # "JIM #1" and "JIM #2": two people a script tells apart by number.
        person = parse_upper_label(printed, " ".join(tokens[:-1]))
        return replace(person, name=f"{person.name} {tokens[-1]}") if person else None
    if len(tokens) > MAX_UPPER_TOKENS or not all(_UPPER_TOKEN.fullmatch(t) for t in tokens):
        return None
    folded = [token.casefold().strip(".") for token in tokens]
    if folded[0] in HEADING_WORDS or (folded[0] in SCREEN_DIRECTIONS and len(folded) > 1):
        return None  # "NOTE", "CUT TO"; a lone "CUT" may still be somebody's cue
    if " ".join(folded) in ANONYMOUS_LABELS or folded[-1] in GENERIC_HEADS:
        return Label(printed=printed, name=sentence_case(core), anonymous=True)
    if " ".join(folded) in ROLE_LABELS:
        return Label(printed=printed, name=title_case(core))
    if folded[0] in HONORIFICS:
        name = tokens[1:]
        if not 1 <= len(name) <= 4:
            return None
        return Label(printed=printed, name=title_case(" ".join(name)))
    titles = 0
    while titles < len(folded) and (folded[titles] in TITLE_WORDS or folded[titles] == "the"):
        titles += 1
    initials = {
        token.casefold().strip(".") for token in tokens if len(token) == 2 and token[1] == "."
    }
    if titles == 0 and any(word in SENTENCE_WORDS - initials for word in folded):
        return None  # ("I. TRUMP": an initial, not the pronoun)
    if len(tokens) - titles > 4:
        return None
    role = " ".join(tokens[:titles]) if 0 < titles < len(tokens) else ""
    return Label(printed=printed, name=title_case(core), role=title_case(role))
