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
    rf"^{_KINDS}(?:testimony|deposition|statement|examination)\s+of\s+(?P<name>[^,:;()]+?)\s*"
    r"(?:\((?:by\s+)?(?P<by>[^()]+)\))?\s*[,:.;]?"
    r"(?:\s*(?:accompanied|having|a witness|called|who)\b.*)?$"
    r"|^(?:whereupon,?\s+)?(?P<sworn>[A-Z][\w.'’ -]{2,60}?),\s+(?:having been|was called|"
    r"called as a witness|a witness)\b",
    re.IGNORECASE,
)
_HEADING_CHARS = 300
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
    return len(text) < _HEADING_CHARS and bool(_HINT.search(text))


def _heading(text: str) -> dict[str, Label]:
    """The examiner and/or witness a heading names."""
    flat = " ".join(text.split()).strip("*_ ")
    match = _EXAMINER.match(flat)
    if match:
        return _named(examiner=match.group("name") or match.group("by"))
    match = _WITNESS.match(flat)
    if match:
        return _named(
            witness=match.group("name") or match.group("sworn"), examiner=match.group("by")
        )
    return {}


def _named(**names: str | None) -> dict[str, Label]:
    """Labels for the names of a heading; a role ("government counsel") is one person too."""
    people = {}
    for role, text in names.items():
        if not text:
            continue
        text = text.strip()
        label = parse_label(text)
        if label is None or label.anonymous:
            label = Label(printed=text, name=text[:1].upper() + text[1:])
        people[role] = label
    return people
