"""Turn openings: how a paragraph starts a turn, if it does.

Forms: "Label: text" (also "Label:text" and markdown "**Label:** text"), a bare reporter
"Q" followed by spaces or non-breaking spaces, "Label. text" for a label printed with a colon
elsewhere in the text, and "Label:" alone with the words in the next paragraph. Stage
directions and separators never open a turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .labels import MAX_LABEL_CHARS, clean_label
from .model import Label
from .text import name_key

COLON = "colon"
BARE_Q = "q"
FULL_STOP = "full-stop"
DASH = "dash"

# Leading markdown emphasis and escapes around a label ("**Vladimir Putin:**", "\\*Q"), and
# the time code of a recording's transcript ("[00:01:15] John Smith:").
_LEAD = re.compile(r"^[\s*_\\]*(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s+(?=\D))?[\s*_\\]*")
# A label in bold without a colon: "**Vladimir Putin** Good afternoon."
_BOLD_LABEL = re.compile(
    rf"(\*\*|__)(?P<label>[^*_\n]{{1,{MAX_LABEL_CHARS}}}?)\s*[:.]?\s*(\*\*|__)\s*[:.]?\s*"
)
# A label may hold a parenthetical with a colon of its own: "Speaker 1 (00:01:15):".
_COLON_LABEL = re.compile(
    rf"(?P<label>(?:[^:\n(]|\([^()\n]{{0,{MAX_LABEL_CHARS}}}\)){{1,{MAX_LABEL_CHARS}}}?)"
    r"\s*:(?![\d/])[*_]*\s*"
)
# "Q   text" (spaces or NBSP), "Q: text", "Q. text"; "A" only with a colon or a wide gap.
_BARE_Q = re.compile(r"(?P<label>Q)(?:[*_]*\s*[:.][*_]*\s*|[ \t]*\u00a0\s*|\s{2,}|\s(?=[^\sa-z]))")
# "A" answers only after a colon label failed ("A. Voronin: ..." is a name) and only in a
# text with Q turns (see reading.py).
_BARE_A = re.compile(r"(?P<label>A)(?:\.\s+(?=[A-Z\"“])|[ \t]*\u00a0\s*|\s{2,})(?=\S)")
_FULL_STOP_LABEL = re.compile(r"(?P<label>[^.:\n]{3,60})\.\s+(?=\S)")
_STAGE_DIRECTION = re.compile(
    r"""^(
        \((?:[^()]|\([^()]*\))*\)\.? | \[[^\[\]]*\]\.?      # (Applause.)  [inaudible]
      | [*\s]{3,} | \*\*\* | [\\_\s]{6,} | -{3,}          # * * *   \\_\\_\\_   ---
      | <\s*(…|\.\.\.)\s*>                                # <…>
      | \\?\#+                                            # markdown rules
      | (END\s*)?(\d{1,2}:\d{2}\s*[AP]\.?M\.?(\s+[A-Z]{2,4})?)?  # END  12:52 P.M. EST
    )$""",
    re.VERBOSE,
)


# What happens in the room, printed without parentheses.
_BARE_STAGE_DIRECTIONS = frozenset(
    {
        "applause",
        "laughter",
        "inaudible",
        "crosstalk",
        "cross-talk",
        "remark from the audience",
        "remarks from the audience",
        "voice from the audience",
        "voices from the audience",
        "noise in the hall",
    }
)
# "(The Minister went on to discuss ...)" can be long, but not a page long.
MAX_STAGE_DIRECTION_CHARS = 2000


@dataclass(frozen=True)
class Opening:
    """A candidate turn opening: the label as printed and the words after it."""

    printed: str
    body: str
    form: str
    label: Label | None = None


def is_stage_direction(text: str) -> bool:
    if len(text) > MAX_STAGE_DIRECTION_CHARS:
        return False
    flat = " ".join(text.split())
    if flat.rstrip(".").casefold() in _BARE_STAGE_DIRECTIONS:
        return True  # "Remark from the audience.", "Applause."
    return bool(flat) and bool(_STAGE_DIRECTION.match(flat))


def find_opening(text: str) -> Opening | None:
    """The label-like start of a paragraph (colon or bare Q), before judging the label."""
    match = _BOLD_LABEL.match(text, len(text) - len(text.lstrip()))
    if match and match.group("label").strip() and text[match.end() :].strip():
        # (Bold words alone on their line are a heading, unless a colon makes them a label.)
        return Opening(match.group("label").strip(), text[match.end() :].strip(), COLON)
    start = _LEAD.match(text).end()
    match = _BARE_Q.match(text, start)
    if match:
        return Opening(match.group("label"), text[match.end() :].strip(), BARE_Q)
    match = _COLON_LABEL.match(text, start)
    printed = match.group("label").strip().rstrip("*_ ") if match else ""
    if printed:
        return Opening(printed, text[match.end() :].strip(), COLON)
    match = _BARE_A.match(text, start)
    if match:
        return Opening(match.group("label"), text[match.end() :].strip(), BARE_Q)
    return None


def find_full_stop_opening(text: str, known_labels: frozenset[str]) -> Opening | None:
    """'Vladimir Putin. Yes.' when 'Vladimir Putin:' opens turns elsewhere in the text."""
    start = _LEAD.match(text).end()
    match = _FULL_STOP_LABEL.match(text, start)
    if not match:
        return None
    printed = match.group("label").strip()
    if len(printed) < 4 or label_key(printed) not in known_labels:
        return None
    return Opening(printed, text[match.end() :].strip(), FULL_STOP)


def label_key(printed: str) -> str:
    return name_key(clean_label(printed))
