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

_EXAMINER = re.compile(
    r"^(?:(?:direct|cross|redirect|recross|further|re-direct|re-cross|continued)[\s-]*)*"
    r"examination\s+by\s+(?P<name>[^:]+?)\s*[:.]?$|^by\s+(?P<by>(?:mr|ms|mrs|dr)\.?\s+[^:]+?)\s*:$",
    re.IGNORECASE,
)
_WITNESS = re.compile(
    r"^(?:testimony|deposition|statement|examination)\s+of\s+(?P<name>[^,:;]+?)\s*[,:.;]?"
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
    examiner: Label | None = None
    witness: Label | None = None
    for index, text in enumerate(texts):
        opening = openings[index]
        short = len(text) < _HEADING_CHARS
        heading = _heading(text) if short and _HINT.search(text) else None
        if heading is not None and (opening is None or not opening.body):
            role, label = heading
            if role == "examiner":
                examiner = label
            else:
                witness = label
            openings[index] = Opening("", text, NARRATION)
            continue
        if opening is None or opening.form != BARE_Q or opening.label is None:
            continue
        person = examiner if opening.printed == "Q" else witness
        if person is not None:
            openings[index] = replace(opening, label=replace(person, printed=opening.printed))


def _heading(text: str) -> tuple[str, Label] | None:
    flat = " ".join(text.split()).strip("*_ ")
    match = _EXAMINER.match(flat)
    if match:
        label = parse_label(match.group("name") or match.group("by"))
        return ("examiner", label) if label and not label.anonymous else None
    match = _WITNESS.match(flat)
    if match:
        label = parse_label((match.group("name") or match.group("sworn")).strip())
        return ("witness", label) if label and not label.anonymous else None
    return None
