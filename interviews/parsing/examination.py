"""Q. and A. in an examination: the counsel and the witness named by the record's headings.

A deposition or a hearing prints "EXAMINATION BY MR. NIELDS:" (or "BY MR. NIELDS:") and
"TESTIMONY OF JANE DOE" before the questions and answers; from there on "Q." is that
counsel and "A." that witness, until the next heading names another. Without a heading
they stay the classes they are ("Q" a questioner, "A" the one answering).
"""

from __future__ import annotations

import re
from dataclasses import replace

from .labels import parse_label
from .model import Label
from .openings import BARE_Q, NARRATION, Opening

_KINDS = r"(?:(?:direct|cross|redirect|recross|further|re-direct|re-cross|continued)[\s-]*)*"
_EXAMINER = re.compile(
    rf"^{_KINDS}examination\s+by\s+(?P<name>[^:]+?)\s*[:.]?$"
    r"|^by\s+(?P<by>(?:mr|ms|mrs|dr)\.?\s+[^:]+?)\s*:$",
    re.IGNORECASE,
)
# "TESTIMONY OF JANE DOE", "Direct examination of Officer Ellison (by government counsel):"
_WITNESS = re.compile(
    rf"^(?i:{_KINDS}(?:testimony|deposition|statement|examination)\s+of)\s+"
    r"(?P<name>[^,:;()]+?)\s*(?:\((?i:by\s+)?(?P<by>[^()]+)\))?\s*[,:.;]?"
    r"(?:\s*(?i:accompanied|having|a witness|called|who)\b.*)?$"
)
# "LAURA FINCH, having been first duly sworn, ..."
_SWORN = re.compile(
    r"^(?:(?i:whereupon),?\s+)?(?P<name>[A-Z][\w.'’ -]{2,60}?),\s+"
    r"(?i:having been|was called|called as a witness|a witness)\b"
)
_EXAMINATION_HEADING_CHARS = 300
# Words one of the headings holds (a cheap test before the patterns above).
_HINT = re.compile(r"examination|testimony|deposition|statement|sworn|witness|^\W*by\s", re.I)


def name_examination(texts: list[str], openings: list[Opening | None]) -> None:
    """Q and A openings named after the counsel and witness the headings before them name.

    The headings themselves are narrative, never a label without words nor speech.
    """
    if not any(o is not None and o.form == BARE_Q and o.printed == "A" for o in openings):
        return  # no answers, no examination (a briefing's "Q" is a reporter)
    people: dict[str, Label] = {}
    for index, text in enumerate(texts):
        opening = openings[index]
        heading = _heading(text) if _may_be_heading(text) else {}
        if heading and (opening is None or not opening.body):
            people.update(heading)
            openings[index] = Opening("", text, NARRATION)
            continue
        if opening is None or opening.form != BARE_Q or opening.label is None:
            continue
        person = people.get("examiner" if opening.printed == "Q" else "witness")
        if person is not None:
            openings[index] = replace(opening, label=replace(person, printed=opening.printed))


def is_examination_heading(text: str) -> bool:
    return _may_be_heading(text) and bool(_heading(text))


def _may_be_heading(text: str) -> bool:
    return len(text) < _EXAMINATION_HEADING_CHARS and bool(_HINT.search(text))


def _heading(text: str) -> dict[str, Label]:
    """The examiner and/or witness a heading names."""
    flat = " ".join(text.split()).strip("*_ ")
    match = _EXAMINER.match(flat)
    if match:
        return _named(examiner=_counsel(match.group("name") or match.group("by")))
    match = _WITNESS.match(flat) or _SWORN.match(flat)
    witness = _witness(match.group("name")) if match else None
    if witness is None:
        return {}  # "Examination of the evidence.", "My brother, a witness to it, ..."
    by = match.groupdict().get("by")
    return _named(witness=witness, examiner=_counsel(by) if by else None)


def _named(**people: Label | None) -> dict[str, Label]:
    return {role: label for role, label in people.items() if label is not None}


def _witness(text: str) -> Label | None:
    """A person: 'LAURA FINCH', 'Officer Ellison', 'defendant Rideau' (a descriptor, a name)."""
    label = parse_label(text.strip())
    if label is not None and not label.anonymous:
        return label
    words = text.split()
    name = []
    while words and words[-1][:1].isupper():
        name.insert(0, words.pop())
    if not name or any(word[:1].isupper() for word in words):
        return None
    return Label(printed=text.strip(), name=" ".join(name))


def _counsel(text: str) -> Label:
    """Who examines: a person ('MR. NIELDS') or a role that is one ('government counsel')."""
    text = text.strip()
    label = parse_label(text)
    if label is None or label.anonymous:
        label = Label(printed=text, name=text[:1].upper() + text[1:])
    return label
