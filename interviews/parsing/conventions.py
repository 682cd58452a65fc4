"""Labels printed without a colon, where the text makes a habit of them.

A hearing record's "Mr. NIELDS. Did you ...", a play's "Algernon.  Did you hear?", a
record's "Mr ORR - Thank you", "[Speaker 1] ...", and labels alone on their lines
("Speaker 1  0:05", "### Lena Voss", "MARGARET") each look like a sentence or a heading
taken one at a time. They are labels where paragraphs keep opening that way: the shape
recurs, a few names alternate, and words follow. A screenplay's dialogue ends where its
action begins.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from .labels import clean_label, parse_label
from .model import Block, Label
from .openings import (
    LINE,
    NARRATION,
    Opening,
    find_bracket_opening,
    find_hearing_opening,
    find_label_line,
    find_separated_opening,
    hearing_name,
)
from .text import name_key
from .vocabulary import (
    HEADING_WORDS,
    HONORIFICS,
    NAME_BLOCKERS,
    SCREEN_DIRECTIONS,
    SENTENCE_STARTS,
    SENTENCE_WORDS,
    TITLE_WORDS,
)

# Words that are no one's name, whatever their case.
NOT_NAMES = SENTENCE_STARTS | SENTENCE_WORDS | NAME_BLOCKERS | HEADING_WORDS
SURNAME = re.compile(r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*")
# A label printed with a full stop or a dash that the grammar doubts has this many words.
_SEPARATED_WORDS = 3
# A cue in capitals is a short line.
_CAPITALS_LINE_CHARS = 80


def standalone_lines(blocks: list[Block]) -> Callable[[str], bool]:
    """Whether a line of a block may be a label alone on its line, its words below it.

    A line in capitals ("THOMAS") only where the text prints some such line more than
    once, as cue after cue: else it is as likely a wrapped line ("THE UNITED STATES").
    """
    capitals = Counter(
        line.strip()
        for block in blocks
        for line in block.lines
        if len(line) <= _CAPITALS_LINE_CHARS and line.strip().isupper()
    )
    cues = any(count > 1 for count in capitals.values())

    def stands_alone(line: str) -> bool:
        opening = find_label_line(line)
        if opening is not None:
            return opening.offset is not None or not line.isupper() or cues
        hearing = find_hearing_opening(line)
        return hearing is not None and not hearing.body

    return stands_alone


@dataclass
class Conventions:
    """Openings read by a convention the text shows by repeating it, and doubtful lines."""

    accepted: dict[int, tuple[Opening, Label | None]]  # None: narrative, a cue without words
    doubts: list[tuple[int, str]]


# A shape of label without a colon is the text's convention when this many paragraphs
# open with it ...
CONVENTION_MIN = 2
# ... or when at least one of its labels opens this many turns.
CONVENTION_REPEAT = 2


def other_conventions(
    texts: list[str],
    stage: list[bool],
    candidates: list[Opening | None],
    labels: list[Label | None],
) -> Conventions:
    """Labels printed without a colon, where the text makes a habit of them.

    Each shape is looked for in the paragraphs no "Name:" label opens ("[Speaker 1]",
    "Mr. NIELDS.", a label alone on its line, "Algernon." or "Mr ORR -"), then accepted
    by its own rule: it repeats, a few names alternate, and words follow.
    """
    colon_labels = sum(1 for label in labels if label is not None)
    open_paragraphs = [i for i, text in enumerate(texts) if not stage[i] and labels[i] is None]
    alone = {
        index: find_label_line(texts[index]) if candidates[index] is None else None
        for index in open_paragraphs
    }
    bracketed = {
        index: (opening, label)
        for index in open_paragraphs
        for opening in [find_bracket_opening(texts[index])]
        if opening is not None
        for label in [parse_label(opening.printed)]
        if label is not None
    }
    hearing, lines, printed_alone = _hearing_and_lines(
        open_paragraphs, bracketed, texts, stage, candidates, labels, alone
    )
    accepted: dict[int, tuple[Opening, Label | None]] = {}
    doubts: list[tuple[int, str]] = []
    if len(bracketed) >= CONVENTION_MIN:
        accepted.update(bracketed)
    taken = hearing.keys() | lines.keys() | bracketed.keys()
    accepted.update(_dialogue_by_full_stop_or_dash(open_paragraphs, taken, texts, colon_labels))
    # A statement read into the record under one label ("Chairman INOUYE." and its
    # words), or one timed voice ("Speaker 1  0:05"), when the text has no other label.
    only = colon_labels == 0 and len(hearing) + len(lines) == 1
    if (
        len(hearing) >= CONVENTION_MIN
        or (hearing and only)
        or (colon_labels >= CONVENTION_MIN and all(map(_counsel_aside, hearing.values())))
    ):
        accepted.update(hearing)
    else:
        for index, (opening, _) in hearing.items():
            doubts.append(
                (index, f'"{opening.printed}." is the only label of its kind; kept in the text')
            )
    repeats = Counter(name_key(label.name) for _, label in lines.values())
    if only and lines and next(iter(lines.values()))[0].offset is not None:
        accepted.update(lines)
    elif len(lines) >= CONVENTION_MIN and max(repeats.values()) >= CONVENTION_REPEAT:
        accepted.update(lines)
        accepted.update(_names_printed_once(lines, alone, printed_alone, texts, stage, labels))
        for index in _cues_without_words(lines, accepted, alone, texts, stage, labels):
            accepted[index] = (Opening("", texts[index], NARRATION), None)
            doubts.append((index, f'"{texts[index]}" has no words; kept as narrative'))
    else:
        for index, (opening, _) in lines.items():
            if opening.offset is not None or not opening.printed.isupper():
                message = f'"{opening.printed}" stands alone like a label, but no other line does'
                doubts.append((index, message + "; kept in the text"))
    return Conventions(accepted, doubts)


def _hearing_and_lines(
    open_paragraphs: list[int],
    bracketed: dict[int, tuple[Opening, Label]],
    texts: list[str],
    stage: list[bool],
    candidates: list[Opening | None],
    labels: list[Label | None],
    alone: dict[int, Opening | None],
) -> tuple[dict[int, tuple[Opening, Label]], dict[int, tuple[Opening, Label]], Counter[str]]:
    """Hearing labels ("Mr. NIELDS.") and labels alone on their line that parse, and how
    often each name stands alone."""
    # A one-word name alone on line after line is somebody's ("Emma  0:37").
    printed_alone = Counter(clean_label(opening.printed) for opening in alone.values() if opening)
    recurring = frozenset(
        name_key(word)
        for word, count in printed_alone.items()
        if count >= CONVENTION_REPEAT
        and SURNAME.fullmatch(word)
        and word.casefold() not in NOT_NAMES
    )
    hearing: dict[int, tuple[Opening, Label]] = {}
    lines: dict[int, tuple[Opening, Label]] = {}
    for index in open_paragraphs:
        if index in bracketed:
            continue
        opening = find_hearing_opening(texts[index])
        label = parse_label(hearing_name(opening.printed)) if opening else None
        if opening and label:
            hearing[index] = (opening, label)
            continue
        opening = alone[index]
        label = parse_label(opening.printed, recurring) if opening else None
        if (
            opening
            and label
            and not _common_word_once(opening, printed_alone)
            and _speech_follows(index, stage, labels, alone)
        ):
            lines[index] = (opening, label)
    return hearing, lines, printed_alone


def _dialogue_by_full_stop_or_dash(
    open_paragraphs: list[int], taken: set[int], texts: list[str], colon_labels: int
) -> dict[int, tuple[Opening, Label]]:
    """'Algernon.  Did you hear?' and 'Mr ORR - Thank you', where that is the text's way.

    Where "Name:" labels are the text's way, names read out at a paragraph's start are no
    labels ("Bruce Springsteen - a poet, ..."): this way must be the commoner.
    """
    if len(open_paragraphs) <= colon_labels:
        return {}
    shaped = {
        index: opening
        for index in open_paragraphs
        if index not in taken
        for opening in [find_separated_opening(texts[index])]
        if opening is not None
    }
    if len(shaped) <= colon_labels:
        return {}
    separated = {
        index: found
        for index, opening in shaped.items()
        for found in [_separated(opening, texts[index])]
        if found is not None
    }
    dialogue = _dialogue(separated)
    return dialogue if len(dialogue) > colon_labels else {}


def _separated(opening: Opening, text: str) -> tuple[Opening, Label | None] | None:
    """'Algernon.  Did you hear?': the label as the grammar reads it, or None when only its
    recurring would make it one (a one-word name)."""
    if _SCENE.match(text):
        return None  # ("INT. GARAGE - DAY" heads a scene)
    name = hearing_name(opening.printed)
    if name.split()[-1].casefold().rstrip(".") in HONORIFICS:
        return None  # "Mr. Vaux here left the chair": a sentence, not "Mr."
    label = parse_label(name)
    if label is None:
        words = name.split()
        if len(words) > _SEPARATED_WORDS or any(w.casefold() in NOT_NAMES for w in words):
            return None
    return opening, label


def _dialogue(
    separated: dict[int, tuple[Opening, Label | None]],
) -> dict[int, tuple[Opening, Label]]:
    """Labels with a full stop or a dash, where a few names keep opening paragraphs that way."""
    counts = Counter(name_key(hearing_name(opening.printed)) for opening, _ in separated.values())
    if sum(count >= CONVENTION_REPEAT for count in counts.values()) < CONVENTION_MIN:
        return {}
    # The convention holds: a name printed once that way is somebody's too ("Merriman.").
    return {
        index: (
            opening,
            label or Label(printed=opening.printed, name=hearing_name(opening.printed)),
        )
        for index, (opening, label) in separated.items()
    }


def _common_word_once(opening: Opening, printed_alone: Counter[str]) -> bool:
    """ "YES" alone once is a shout; "WILL" cue after cue is a name."""
    word = clean_label(opening.printed)
    return word.casefold() in NOT_NAMES and printed_alone[word] < CONVENTION_REPEAT


def _counsel_aside(hearing: tuple[Opening, Label]) -> bool:
    """ "Mr. KESSLER. Objection." once in a labelled text: an honorific and a surname."""
    words = hearing[0].printed.split()
    return (
        len(words) == 2
        and words[0].casefold().rstrip(".") in HONORIFICS
        and words[1].casefold() not in TITLE_WORDS
    )


# A screenplay's scene headings and transitions: "INT. GARAGE - DAY", "CUT TO:".
_SCENE = re.compile(r"^(?:INT|EXT|I/E|INT\./EXT)[.\s]|^[A-Z ]+ TO:$|^FADE (?:IN|OUT)[:.]")


def screenplay_action(
    paragraphs: list[Block], stage: list[bool], openings: list[Opening | None]
) -> None:
    """In a screenplay, the words under a name are its dialogue; what follows is action.

    A text is one when its names stand alone in capitals and either scenes are headed
    ("INT. GARAGE - DAY") or the cues are indented, as a script's layout prints them;
    elsewhere a label's turn runs on to the next label.
    """
    cues = [i for i, o in enumerate(openings) if o is not None and o.form == LINE]
    if not cues or not all(openings[i].printed.isupper() for i in cues):
        return
    if all(_indent(paragraphs[i]) >= _CUE_INDENT for i in cues):
        # The script's layout says it: action at the margin, dialogue indented under a cue.
        for index, opening in enumerate(openings):
            if opening is None and not stage[index] and _indent(paragraphs[index]) == 0:
                openings[index] = Opening("", paragraphs[index].text, NARRATION)
        return
    if not any(_SCENE.match(paragraph.text) for paragraph in paragraphs):
        return
    dialogue = spoke = False
    for index, opening in enumerate(openings):
        if opening is not None:
            dialogue, spoke = opening.form == LINE and not opening.body, False
        elif stage[index]:
            dialogue = dialogue or spoke  # "(pause)": the dialogue goes on after it
        elif dialogue:
            dialogue, spoke = False, True
        else:
            openings[index] = Opening("", paragraphs[index].text, NARRATION)
            spoke = False


# A script indents its cues this many spaces or more.
_CUE_INDENT = 4


def _indent(paragraph: Block) -> int:
    line = paragraph.lines[0].replace("\t", "    ")
    return len(line) - len(line.lstrip(" \u00a0"))


ONE_WORD = re.compile(r"[A-Z][A-Za-z'’-]+")


def _names_printed_once(
    lines: dict[int, tuple[Opening, Label]],
    alone: dict[int, Opening | None],
    printed_alone: Counter[str],
    texts: list[str],
    stage: list[bool],
    labels: list[Label | None],
) -> dict[int, tuple[Opening, Label]]:
    """One-word names the label grammar doubts, printed in the convention's own shape.

    "Tailor  2:26" among lines that all carry a time code, "### Mary" among headings,
    "WILL" among cues in capitals (a word that is also a sentence's only if it recurs).
    """
    shapes = {_line_shape(opening, texts[index]) for index, (opening, _) in lines.items()}
    if len(shapes) != 1:
        return {}
    shape = shapes.pop()
    found: dict[int, tuple[Opening, Label]] = {}
    for index, opening in alone.items():
        if opening is None or index in lines or _line_shape(opening, texts[index]) != shape:
            continue
        word = clean_label(opening.printed)
        if not ONE_WORD.fullmatch(word) or word.casefold() in SCREEN_DIRECTIONS:
            continue
        if not _common_word_once(opening, printed_alone) and _speech_follows(
            index, stage, labels, alone
        ):
            found[index] = (opening, Label(printed=opening.printed, name=hearing_name(word)))
    return found


def _cues_without_words(
    lines: dict[int, tuple[Opening, Label]],
    accepted: dict[int, tuple[Opening, Label | None]],
    alone: dict[int, Opening | None],
    texts: list[str],
    stage: list[bool],
    labels: list[Label | None],
) -> list[int]:
    """Lines in the convention's shape the text never gives words to ("DAVID  0:41" last)."""
    index, (opening, _) = next(iter(lines.items()))
    shape = _line_shape(opening, texts[index])
    return [
        index
        for index, opening in alone.items()
        if opening
        and index not in accepted
        and _line_shape(opening, texts[index]) == shape
        and not _speech_follows(index, stage, labels, alone)
    ]


def _line_shape(opening: Opening, text: str) -> str:
    """How a label alone on its line is marked: time code, heading, bold or capitals."""
    start = text.lstrip()
    if opening.offset is not None:
        return "timed"
    if start.startswith("#"):
        return "heading"
    if start.startswith(("**", "__")):
        return "bold"
    return "capitals" if clean_label(opening.printed).isupper() else "plain"


def _speech_follows(
    index: int,
    stage: list[bool],
    labels: list[Label | None],
    alone: dict[int, Opening | None],
) -> bool:
    """Whether the paragraph after a label line holds words, not another label."""
    for following in range(index + 1, len(stage)):
        if stage[following]:
            continue
        # (Words may hold a colon: "Nah then, Freddy: look wh' y' gowin.")
        return labels[following] is None and alone.get(following) is None
    return False
