"""Turn openings: how a paragraph starts a turn, if it does.

Forms: "Label: text" (also "Label:text" and markdown "**Label:** text"), a bare reporter
"Q" followed by spaces or non-breaking spaces, "Label. text" for a label printed with a colon
elsewhere in the text, "Label:" alone with the words in the next paragraph, a hearing
record's "Mr. NIELDS. text", a play's "Algernon.  text" or a record's "Mr ORR - text", and
a label alone on its line without a colon ("### Name", "SPEAKER", "Name [01:46]"). A
recording's time code before or in the label ("[00:01:23] Name:", "Name (00:01:23):",
"0:00:14.2 **Name** text") becomes the turn's offset. Stage directions and separators
never open a turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .labels import MAX_LABEL_CHARS, clean_label
from .model import Label
from .names import title_case
from .text import name_key
from .vocabulary import HONORIFICS, TITLE_WORDS

COLON = "colon"
BARE_Q = "q"
FULL_STOP = "full-stop"
DASH = "dash"
HEARING = "hearing"  # "Mr. NIELDS. Did you ...", "The CHAIRMAN."
LINE = "line"  # a label alone on its line, without a colon
SEPARATED = "separated"  # "Algernon.  Did you hear?", "Mr PETER O'NEILL - Thank you"
BRACKET = "bracket"  # "[Speaker 1] [00:20] Alright."
VOICE = "voice"  # a caption's "<v Travis> When you first ..."
NARRATION = "narration"  # no turn: a screenplay's action, an examination's heading

# A recording's time code: "1:46", "00:01:23", "0:00:14.2", "01:02:03,500".
_CODE = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
# Leading markdown emphasis and escapes around a label ("**Vladimir Putin:**", "\\*Q"), and
# the time code of a recording's transcript ("[00:01:15] John Smith:").
# (Subtitles print a range, "00:00:06,056 --> 00:00:09,566": the turn starts at its start.)
# A markdown quotation ("> **Boies:** ...") is markup too.
_LEAD = re.compile(
    rf"^(?:\s*>)*[\s*_\\]*"
    rf"(?:[\[(]?(?P<code>{_CODE})(?:\s*-->\s*{_CODE})?[\])]?\s+(?=\D))?"
    r"(?P<marks>[\s*_\\]*)"
)
# A caption's voice: "00:00:00.179 --> 00:00:02.399 <v Travis> When you first ...".
_VOICE = re.compile(r"<v\.?[\w.-]*\s+(?P<label>[^<>]{1,60})>\s*")
# A time code printed in the label ("Maria Lopez (00:00:03)", "Jess Park [00:12]",
# "Speaker 1  0:05") or where the words begin ("[00:01:23] Hello").
_SPACES = re.compile(r"\s*")
_BOLD = ("**", "__")
_LABEL_CODE = re.compile(rf"\s*[\[(]?(?P<code>{_CODE})[\])]?\s*$")
# (A bare code only with its seconds: "12:30 is late" is a time of day, not a time code.)
_BODY_CODE = re.compile(
    rf"^\\?[\[(](?P<code>{_CODE})\\?[\])][:.]?\s*|^(?P<bare>\d{{1,2}}:\d{{2}}:\d{{2}}(?:[.,]\d{{1,3}})?)\s+"
)
# A label in bold without a colon: "**Vladimir Putin** Good afternoon."
_BOLD_LABEL = re.compile(
    rf"(\*\*|__)(?P<label>[^*_\n]{{1,{MAX_LABEL_CHARS}}}?)\s*[:.]?\s*(\*\*|__)\s*[:.]?\s*"
)
# A label may hold a parenthetical with a colon of its own: "Speaker 1 (00:01:15):".
_COLON_LABEL = re.compile(
    rf"(?P<label>(?:[^:\n(]|\((?:[^()\n]|\([^()\n]*\)){{0,{MAX_LABEL_CHARS}}}\)){{1,{MAX_LABEL_CHARS}}}?)"
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
      | [\[(]?CODE[\])]?:?                                  # a time code alone
      | (<[^<>]*>\s*|\{%[^%]*%\}\s*)+                   # <…>, HTML or template left-overs
      | [*\s]{3,} | \*\*\* | [\\_\s]{6,} | -{3,}          # * * *   \\_\\_\\_   ---
      | (Page|PAGE|Column|COLUMN)\s+\d+\s*:?               # a page's furniture
      | \\?\#+                                            # markdown rules
      | (END\s*)?(\d{1,2}:\d{2}\s*[AP]\.?M\.?(\s+[A-Z]{2,4})?)?  # END  12:52 P.M. EST
    )$""".replace("CODE", _CODE),
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
# Labels of what is heard, not of who speaks: "**Break:**", "AUDIO DESCRIPTION: Jury enters."
NARRATIVE_LABELS = frozenset(
    {
        "break",
        "jingle",
        "music",
        "intro",
        "outro",
        "intro music",
        "outro music",
        "ad break",
        "commercial break",
        "sponsor message",
        "audio description",
        "sound effect",
        "sound effects",
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
    offset: float | None = None  # seconds, from a time code printed with the label


# Bold words or a markdown heading, short and no sentence: "**Break**", "### Part two".
_MARKED_HEADING = re.compile(r"^(?:#{1,6}\s+[^#]+|(\*\*|__)[^*_]+(\*\*|__))$")
_HEADING_WORDS_MAX = 8
_HEADING_CHARS = 120


def is_heading(text: str, capitals: bool = True) -> bool:
    """A marked-up or capitalised heading ("**Break**", "EMPLOYMENT INSURANCE"), which is
    narrative unless it is a label; capitals=False in a text that shouts throughout."""
    if len(text) > _HEADING_CHARS or text.rstrip("*_ ").endswith(
        (".", "?", "!", ",", ";", "—", "–", "-")
    ):
        return False
    flat = " ".join(text.split())
    if len(flat.split()) > _HEADING_WORDS_MAX:
        return False
    if flat[:1] in ("#", "*", "_"):
        return bool(_MARKED_HEADING.match(flat))
    words = [word for word in flat.split() if any(char.isalpha() for char in word)]
    return capitals and len(words) > 1 and flat.isupper() and not any(c.isdigit() for c in flat)


def is_stage_direction(text: str) -> bool:
    if len(text) > MAX_STAGE_DIRECTION_CHARS:
        return False
    flat = " ".join(text.split())
    if flat.rstrip(".").casefold() in _BARE_STAGE_DIRECTIONS:
        return True  # "Remark from the audience.", "Applause."
    return bool(flat) and bool(_STAGE_DIRECTION.match(flat))


def find_opening(text: str) -> Opening | None:
    """The label-like start of a paragraph (colon or bare Q), before judging the label."""
    lead = _LEAD.match(text)
    start, offset = lead.end(), seconds(lead.group("code"))
    bold_at = _after_code(text, lead)
    match = _BOLD_LABEL.match(text, bold_at) if text[bold_at : bold_at + 2] in _BOLD else None
    if match and match.group("label").strip() and text[match.end() :].strip():
        # (Bold words alone on their line are a heading, unless a colon makes them a label.)
        return _opening(match.group("label"), text[match.end() :], COLON, offset)
    match = _BARE_Q.match(text, start)
    if match:
        return _opening(match.group("label"), text[match.end() :], BARE_Q, offset)
    match = _VOICE.match(text, start) if text[start : start + 2] == "<v" else None
    if match:
        return _opening(match.group("label"), text[match.end() :], VOICE, offset)
    # (Most paragraphs have no colon near their start: no need to try the long pattern.)
    has_colon = ":" in text[start : start + MAX_LABEL_CHARS + 1]
    match = _COLON_LABEL.match(text, start) if has_colon else None
    printed = match.group("label").strip().rstrip("*_ ") if match else ""
    if printed:
        return _opening(printed, text[match.end() :], COLON, offset)
    match = _BARE_A.match(text, start)
    if match:
        return _opening(match.group("label"), text[match.end() :], BARE_Q, offset)
    return None


# "A Yes." with one space: an answer only right after a question (see reading.py).
_ANSWER_ONE_SPACE = re.compile(r"A (?=\S)")


def find_answer(text: str) -> Opening | None:
    """'A Dino Sajudin was a doorman.': a transcript's answer, or an article."""
    match = _ANSWER_ONE_SPACE.match(text, _after_code(text, _LEAD.match(text)))
    return Opening("A", text[match.end() :].strip(), BARE_Q) if match else None


def _after_code(text: str, lead: re.Match) -> int:
    """Where the label starts, its markdown marks included: after the time code, if any."""
    if lead.group("code") is None:
        return _SPACES.match(text).end() if text[:1].isspace() else 0
    return _SPACES.match(text, lead.start("marks")).end()


def _opening(printed: str, body: str, form: str, offset: float | None) -> Opening | None:
    """An opening with the time code taken out of its label."""
    printed, body = printed.strip(), body.strip()
    code = _LABEL_CODE.search(printed) if ":" in printed else None
    if code and code.start() > 0:
        printed, offset = printed[: code.start()].rstrip(" *_"), seconds(code.group("code"))
    return Opening(printed, body, form, offset=offset) if printed else None


def body_time_code(opening: Opening) -> re.Match | None:
    """A time code where the words begin: 'Name: [00:01:23] Hello'."""
    body = opening.body
    return _BODY_CODE.match(body) if body[:1] in "[(\\0123456789" else None


def without_body_time_code(opening: Opening) -> Opening:
    """The opening with the time code at the start of its words taken as its offset."""
    code = body_time_code(opening)
    if code is None:
        return opening
    offset = opening.offset
    if offset is None:
        offset = seconds(code.group("code") or code.group("bare"))
    return replace(opening, body=opening.body[code.end() :], offset=offset)


def seconds(code: str | None) -> float | None:
    """'01:02:03.5' -> 3723.5; None for no code."""
    if not code:
        return None
    parts = [float(part) for part in code.replace(",", ".").split(":")]
    if any(part >= 60 for part in parts[1:]):
        return None  # "12:75" is no time code
    total = 0.0
    for part in parts:
        total = total * 60 + part
    return round(total, 3)


def find_full_stop_opening(text: str, known_labels: frozenset[str]) -> Opening | None:
    """'Vladimir Putin. Yes.' when 'Vladimir Putin:' opens turns elsewhere in the text."""
    lead = _LEAD.match(text)
    match = _FULL_STOP_LABEL.match(text, lead.end())
    if not match:
        return None
    printed = match.group("label").strip()
    if len(printed) < 4 or label_key(printed) not in known_labels:
        return None
    offset = seconds(lead.group("code"))
    return Opening(printed, text[match.end() :].strip(), FULL_STOP, offset=offset)


# A hearing record's label: titles in title case, the surname in capitals, a full stop:
# "Mr. NIELDS.", "Chairman INOUYE.", "The CHAIRMAN.", "Senator SMITH.", "Ms. VAN CLEAVE.".
_HEARING_NAME = (
    r"(?P<titles>(?:(?:[A-Z][a-z]+\.?|the)\s+){0,3})"
    r"(?P<surname>[A-Z][A-Z'’-]+(?:\s+[A-Z][A-Z'’-]+){0,2})"
)
_HEARING_TITLES = HONORIFICS | TITLE_WORDS | {"the", "sen", "rep", "gov", "gen", "col", "adm"}
_HEARING_LABEL = re.compile(rf"(?P<label>{_HEARING_NAME})\.(?:\s+|$)")
_HEARING_NAME_ONLY = re.compile(_HEARING_NAME)


def find_hearing_opening(text: str) -> Opening | None:
    """'Mr. NIELDS. Did you ...' or 'Chairman INOUYE.' alone; the label as a name is printed."""
    lead = _LEAD.match(text)
    match = _HEARING_LABEL.match(text, lead.end())
    if not match or not _titles_only(match.group("titles")):
        return None  # "Go USA. We are the best."
    return _opening(match.group("label"), text[match.end() :], HEARING, seconds(lead.group("code")))


def _titles_only(words: str) -> bool:
    return all(word.casefold().rstrip(".") in _HEARING_TITLES for word in words.split())


# A label and a full stop or a dash (not an em dash, which prose uses after a name), the
# way plays, books and some records print them:
# "Algernon.  Did you hear?", "_Witness_ (reading). "Yes."", "Mr PETER O'NEILL - Thank you".
_SEPARATED_LABEL = re.compile(
    r"[*_]*(?P<label>(?:(?:[A-Z]|Mrs?|Ms|Dr|St|Rev|Hon|Prof|Gen|Col|Sen|Rep|Gov)\.\s+"
    r"|[A-Z][^\W_]*(?:['’-][^\W_]+)*\s+){0,4}[A-Z][^\W_]*(?:['’-][^\W_]+)*)[*_]*"
    r"(?P<note>\s*\([^()]{1,200}\))?(?:\.|\s*[-–](?!\s*—))\s+(?=\S)"
)


def find_separated_opening(text: str) -> Opening | None:
    """'Name. words' or 'Name - words', before judging whether the text prints labels so."""
    match = _SEPARATED_LABEL.match(text)
    if not match:
        return None
    body = text[match.start("note") if match.group("note") else match.end() :]
    return _opening(match.group("label"), body, SEPARATED, None)


# A label in square brackets: "[Speaker 1] [00:20] Alright." (a time code is no label).
_BRACKET_LABEL = re.compile(r"\[(?P<label>[^\W\d][^\[\]]{0,58})\]\s+(?=\S)")


def find_bracket_opening(text: str) -> Opening | None:
    """'[Speaker 1] text', before judging whether the text prints its labels so."""
    match = _BRACKET_LABEL.match(text, _SPACES.match(text).end())
    if not match:
        return None
    return _opening(match.group("label"), text[match.end() :], BRACKET, None)


def is_hearing_name(printed: str) -> bool:
    """'Mr. NIELDS', 'Chairman INOUYE', 'The CHAIRMAN': titles, then a name in capitals."""
    match = _HEARING_NAME_ONLY.fullmatch(printed)
    return bool(match) and _titles_only(match.group("titles")) and not printed.isupper()


def hearing_name(printed: str) -> str:
    """'Mr. NIELDS' -> 'Mr. Nields': the label with its capitals read as a name."""
    return " ".join(
        title_case(word) if len(word) > 1 and word.isupper() else word for word in printed.split()
    )


# A label alone on its line: a markdown heading, bold words, or a name with a time code
# or in capitals ("### Lena Voss", "**Paul Dane**", "Speaker 1  0:05", "MARGARET").
_HEADING = re.compile(r"^#{1,6}\s+")
_BOLD_ONLY = re.compile(r"^(\*\*|__)(?P<label>[^*_]+)(\*\*|__)$")
_LINE_CHARS = 80
# Punctuation of a sentence, or a number: no name alone on its line.
_NOT_A_NAME = re.compile(r"[:;?!,\"“”]|\d{3}")


def find_label_line(text: str) -> Opening | None:
    """A paragraph that is only a label (no colon), or None."""
    if len(text) > 2 * _LINE_CHARS:
        return None
    line = " ".join(text.split())
    if len(line) > _LINE_CHARS:
        return None
    lead = _LEAD.match(line)
    offset = seconds(lead.group("code"))
    heading = _HEADING.match(line)
    core = line[heading.end() if heading else _after_code(line, lead) :].strip()
    bold = _BOLD_ONLY.match(core)
    if bold:
        core = bold.group("label")
    core = core.strip(" *_").rstrip(".^").strip()  # ("BRICK ^": dialogue side by side)
    code = _LABEL_CODE.search(core)
    if code and code.start() > 0:
        core, offset = core[: code.start()].strip(" *_"), seconds(code.group("code"))
    if offset is None and not (heading or bold) and not (core.isupper() and len(core) > 1):
        return None
    if not core or not core[0].isalnum() or _NOT_A_NAME.search(core):
        return None
    return Opening(core, "", LINE, offset=offset)


def label_key(printed: str) -> str:
    return name_key(clean_label(printed))
