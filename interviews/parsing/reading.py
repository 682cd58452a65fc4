"""Which paragraphs open a turn, decided over the whole text.

Each text has its own labelling convention, read from what repeats at its paragraph
starts: "Name:" labels, a bare "Q", a hearing record's "Mr. NIELDS.", a play's
"Algernon.", names alone on their lines (with a time code, as a heading, in capitals).
A shape without a colon counts only where the text repeats it (conventions.py). A first
pass accepts the labels that read as labels on their own; what they teach about the text
(the names in it, the labels it prints with a colon, the time codes it prints with them)
then decides the doubtful cases: a bare surname ("Putin:"), a label printed with a full
stop ("Vladimir Putin. Yes."), a name printed once in the convention's shape
("[00:04:13] Reda:").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from .conventions import (
    CONVENTION_MIN,
    CONVENTION_REPEAT,
    NOT_NAMES,
    ONE_WORD,
    SURNAME,
    other_conventions,
    screenplay_action,
)
from .dashes import read_dash_turns
from .examination import is_examination_heading, name_examination
from .labels import clean_label, parse_label
from .model import Block, Header, Label, ParseWarning
from .names import title_case
from .openings import (
    BARE_Q,
    COLON,
    HEARING,
    NARRATION,
    NARRATIVE_LABELS,
    VOICE,
    Opening,
    body_time_code,
    find_answer,
    find_full_stop_opening,
    find_opening,
    hearing_name,
    is_heading,
    is_stage_direction,
    label_key,
    without_body_time_code,
)
from .text import name_key
from .vocabulary import ROLE_LABELS, SENTENCE_WORDS

# Rejected prefixes longer than this are ordinary sentences, not worth a warning.
_WARN_WORDS = 6
_OPENING_QUOTES = frozenset('“"«„‘')
# Labels alone on their line are the text's way when at least this many are.
_LABEL_LINES_MIN = 2
# A one-word label that opens this many paragraphs is somebody's name ("Merkel:").
_RECURRING_LABEL = 3
_ROLE_KEYS = frozenset(name_key(role) for role in ROLE_LABELS)
# A text is in upper-case style when its upper-case labels outnumber the others this much.
_UPPER_STYLE_RATIO = 4
_UPPER_STYLE_MIN = 3


def line_opens_turn(line: str) -> bool:
    """Whether a line inside a paragraph starts a new turn (for paragraphs joined by mistake)."""
    candidate = find_opening(line)
    if candidate is None:
        return False
    return candidate.form == BARE_Q or parse_label(candidate.printed) is not None


@dataclass(frozen=True)
class _Evidence:
    """What the labels that read as labels on their own teach about the text."""

    names: frozenset[str]  # name keys and surnames of the people labelled
    printed_labels: frozenset[str]  # label keys printed with a colon
    name_counts: Counter[str]  # how many turns each name key opens
    upper_names: frozenset[str] | None  # None unless the text prints labels in upper case
    timed: int = 0  # labels printed with a recording's time code
    alone: int = 0  # labels alone on their line ("SICINIUS:" above the words)
    marked: Counter[str] = field(default_factory=Counter)  # doubted labels printed in bold


def _vouched_name(candidate: Opening, evidence: _Evidence) -> Label | None:
    """A name the grammar doubts, printed in the text's own shape of label: one word once
    ('[00:04:13] Reda:' where turns open with a time code, 'Gentlewoman:' alone where
    labels stand alone), or a label in bold again and again ('**Lead 2A**:')."""
    if evidence.marked and evidence.marked[label_key(candidate.printed)] >= CONVENTION_REPEAT:
        word = clean_label(candidate.printed)
        words = word.casefold().split()
        if len(words) <= _MARKED_WORDS and not set(words) & SENTENCE_WORDS:
            return Label(printed=candidate.printed, name=word)
    timed = candidate.offset is not None and evidence.timed >= CONVENTION_MIN
    alone = not candidate.body and evidence.alone >= CONVENTION_MIN
    if not (timed or alone):
        return None
    word = clean_label(candidate.printed)
    if not ONE_WORD.fullmatch(word) or word.casefold() in NOT_NAMES:
        return None
    return Label(printed=candidate.printed, name=hearing_name(word))


# A label in bold the grammar doubts is somebody's when short: "**Lead 2A**:".
_MARKED_WORDS = 4


def read_openings(
    paragraphs: list[Block], header: Header
) -> tuple[list[Opening | None], list[ParseWarning]]:
    """One entry per paragraph: its opening with the parsed label, or None."""
    texts = [paragraph.text for paragraph in paragraphs]
    stage = [is_stage_direction(text) for text in texts]
    candidates = [None if stage[i] else find_opening(text) for i, text in enumerate(texts)]
    if not any(candidate and candidate.printed == "Q" for candidate in candidates):
        # A bare "A" answers a "Q"; without any, "A  few words" is just a sentence.
        candidates = [c if c is None or c.form != BARE_Q else None for c in candidates]
    else:
        _answers_after_questions(texts, stage, candidates)
    for index, candidate in enumerate(candidates):
        if candidate and candidate.printed.casefold() in NARRATIVE_LABELS:
            candidates[index] = Opening("", texts[index], NARRATION)
    # A copy with its capitals lost ("erin burnett, cnn host: well ..."): its labels are
    # read with them given back.
    read_label = _capitals_restored if _lower_cased(texts) else parse_label
    labels = [read_label(c.printed) if c and c.printed else None for c in candidates]
    for index, candidate in enumerate(candidates):
        if candidate and candidate.form == VOICE and labels[index] is None:
            # The caption says whose voice it is, whatever the name looks like.
            labels[index] = Label(printed=candidate.printed, name=candidate.printed)
    conventions = other_conventions(texts, stage, candidates, labels)
    for index, (candidate, label) in conventions.accepted.items():
        candidates[index], labels[index] = candidate, label
    evidence = _evidence(candidates, labels, texts)
    openings: list[Opening | None] = []
    warnings: list[ParseWarning] = []
    for index, paragraph in enumerate(paragraphs):
        candidate, label = candidates[index], labels[index]
        if candidate and candidate.form == NARRATION:
            openings.append(candidate)
            continue
        if candidate and label is None:
            label = read_label(candidate.printed, evidence.names) or _vouched_name(
                candidate, evidence
            )
        if candidate is None and not stage[index]:
            candidate = find_full_stop_opening(texts[index], evidence.printed_labels)
            label = parse_label(candidate.printed, evidence.names) if candidate else None
        if candidate is None or (label is None and is_examination_heading(texts[index])):
            openings.append(None)
            continue
        doubt = _reads_as_quotation(candidate, label, evidence) if label else None
        if doubt and is_examination_heading(texts[index]):
            openings.append(None)  # named by name_examination
            continue
        if label and not doubt:
            openings.append(replace(candidate, label=label))
            continue
        if doubt:
            message = f'"{candidate.printed}:" kept in the turn as a quotation: {doubt}'
        elif candidate.form == COLON and len(candidate.printed.split()) <= _WARN_WORDS:
            message = f'"{candidate.printed}:" does not read as a speaker label'
        else:
            message = ""
        if message:
            warnings.append(ParseWarning(paragraph.line_start, message))
        openings.append(None)
    _bind_label_lines(openings)
    _time_codes_in_words(openings)
    name_examination(texts, openings)
    screenplay_action(paragraphs, stage, openings)
    warnings += [
        ParseWarning(paragraphs[i].line_start, message) for i, message in conventions.doubts
    ]
    dash_openings, dash_warnings = read_dash_turns(paragraphs, openings, stage, header)
    _headings(texts, stage, dash_openings)
    return dash_openings, warnings + dash_warnings


# A text whose paragraphs are in capitals this often shouts; its capitals are no headings.
_SHOUTING_SHARE = 0.3
_SHOUTING_MIN = 2


def _headings(texts: list[str], stage: list[bool], openings: list[Opening | None]) -> None:
    """Headings ("**Break**", "### Part two", "EMPLOYMENT INSURANCE") are narrative."""
    spoken = [text for text, direction in zip(texts, stage, strict=True) if not direction]
    shouting = sum(text.isupper() for text in spoken) > max(
        _SHOUTING_MIN, _SHOUTING_SHARE * len(spoken)
    )
    for index, opening in enumerate(openings):
        if opening is None and not stage[index] and is_heading(texts[index], not shouting):
            openings[index] = Opening("", texts[index], NARRATION)


_TO_THE_SECOND = re.compile(r"\d:\d\d:\d\d|\d[.,]\d")


def _time_codes_in_words(openings: list[Opening | None]) -> None:
    """'Name: [00:01:23] Hello': the code is the turn's offset where the text prints codes
    with its labels; once in a text ('Smith: (10:30) We begin.') it may be the words."""
    coded = [i for i, o in enumerate(openings) if o and o.label and body_time_code(o)]
    timed = sum(1 for o in openings if o and o.label and o.offset is not None)
    for index in coded:
        code = body_time_code(openings[index]).group(0)
        # A code to the second ("[00:12:12.12]") is a recording's wherever it stands.
        if len(coded) + timed >= CONVENTION_MIN or _TO_THE_SECOND.search(code):
            openings[index] = without_body_time_code(openings[index])


# A text has lost its capitals when fewer of its letters than this are capitals.
_LOWER_CASED_SHARE = 0.002


_ABBREVIATION_LETTER = re.compile(r"\b[a-z]\.")


def _capitals_restored(printed: str, known_names: frozenset[str] = frozenset()) -> Label | None:
    # ("u.s." -> "U.S.": the letters of an abbreviation are capitals.)
    restored = title_case(_ABBREVIATION_LETTER.sub(lambda m: m.group().upper(), printed))
    label = parse_label(restored, known_names)
    return replace(label, printed=printed) if label else None


def _lower_cased(texts: list[str]) -> bool:
    sample = []
    size = 0
    for text in texts:
        sample.append(text[:_LOWER_CASED_SAMPLE])
        size += len(sample[-1])
        if size >= _LOWER_CASED_SAMPLE:
            break
    joined = "".join(sample)
    letters = sum(map(str.isalpha, joined))
    return letters > 0 and sum(map(str.isupper, joined)) < _LOWER_CASED_SHARE * letters


_LOWER_CASED_SAMPLE = 2000


def _answers_after_questions(
    texts: list[str], stage: list[bool], candidates: list[Opening | None]
) -> None:
    """ "Q Who is he?" then "A A doorman.": with one space, "A" answers where it follows
    question after question; once, or elsewhere, it is an article."""
    answers: dict[int, Opening] = {}
    questions = 0
    question = False
    for index, text in enumerate(texts):
        if stage[index]:
            continue
        candidate = candidates[index]
        if candidate is None and question:
            answer = find_answer(text)
            if answer is not None:
                answers[index] = answer
        question = candidate is not None and candidate.printed == "Q"
        questions += question
    # Most questions answered so: a briefing's "Q" answered by named labels is no examination
    # ("A mass shooting just happened." after a reporter's question is the reporter's).
    if len(answers) >= CONVENTION_MIN and 2 * len(answers) >= questions:
        for index, answer in answers.items():
            candidates[index] = answer


def _evidence(
    candidates: list[Opening | None], labels: list[Label | None], texts: list[str]
) -> _Evidence:
    names: set[str] = set()
    printed_labels: set[str] = set()
    for candidate, label in zip(candidates, labels, strict=True):
        if candidate and label and not label.anonymous:
            names.update(_name_and_surname(label.name))
        if candidate and label and candidate.form == COLON:
            printed_labels.add(label_key(candidate.printed))
    names |= _recurring_surnames(candidates, labels)
    return _Evidence(
        names=frozenset(names),
        printed_labels=frozenset(printed_labels),
        name_counts=Counter(
            name_key(label.name) for label in labels if label and not label.anonymous
        ),
        upper_names=_upper_case_style_names(candidates, labels),
        timed=sum(
            1
            for candidate, label in zip(candidates, labels, strict=True)
            if candidate
            and candidate.offset is not None
            and (label or label_key(candidate.printed) in names)
        ),
        alone=sum(
            1
            for candidate, label in zip(candidates, labels, strict=True)
            if candidate and label and candidate.form == COLON and not candidate.body
        ),
        marked=Counter(
            label_key(candidate.printed)
            for candidate, label, text in zip(candidates, labels, texts, strict=True)
            if candidate
            and not label
            and candidate.form == COLON
            and text.lstrip("> ").startswith(("**", "__"))
        ),
    )


def _reads_as_quotation(candidate: Opening, label: Label, evidence: _Evidence) -> str | None:
    """Why a label that parses is a source quoted inside a turn, if it is."""
    if (
        evidence.upper_names is not None
        and candidate.form != HEARING
        and candidate.body  # (a label alone on its line quotes nobody: "First Senator:")
        and _foreign_style(label, evidence.upper_names)
    ):
        return "speaker labels in this text are upper case"
    if (
        not label.anonymous
        and candidate.body[:1] in _OPENING_QUOTES
        and evidence.name_counts[name_key(label.name)] <= 1
    ):
        # 'Larry Sabato: “Yeah, it’s a homerun.”', 'Lipetsk, Yevgeny Zaitsev: “About ...”'
        return "a name printed once, before a quotation mark"
    return None


def _name_and_surname(name: str) -> set[str]:
    key = name_key(name)
    return {key, key.split()[-1]} if key else set()


def _bind_label_lines(openings: list[Opening | None]) -> None:
    """In a text that prints labels on lines of their own, the next paragraph is the words.

    So "PRIME MINISTER LEE:" then "Vice President Harris, ladies and gentlemen: ..." is
    one turn of Lee's, not a label without words and a turn of "Vice President Harris".
    """
    alone = [i for i, o in enumerate(openings) if o is not None and o.label and not o.body]
    if len(alone) < _LABEL_LINES_MIN:
        return
    for index in alone:
        following = openings[index + 1] if index + 1 < len(openings) else None
        if following is not None and following.form == COLON and following.body:
            openings[index + 1] = None


def _recurring_surnames(candidates: list[Opening | None], labels: list[Label | None]) -> set[str]:
    """Name keys of one-word labels ("Merkel:") that open paragraph after paragraph."""
    counts = Counter(
        clean_label(candidate.printed)
        for candidate, label in zip(candidates, labels, strict=True)
        if candidate and label is None and candidate.form == COLON
    )
    return {
        name_key(word)
        for word, count in counts.items()
        if count >= _RECURRING_LABEL
        and SURNAME.fullmatch(word)
        and word.casefold() not in NOT_NAMES
    }


def _upper_case_style_names(
    candidates: list[Opening | None], labels: list[Label | None]
) -> frozenset[str] | None:
    """Name keys of the upper-case labels when the text prints its labels in upper case."""
    upper: set[str] = set()
    upper_count = mixed_count = 0
    for candidate, label in zip(candidates, labels, strict=True):
        if candidate is None or label is None:
            continue
        printed = clean_label(candidate.printed)
        if printed.upper() == printed:
            upper_count += 1
            if not label.anonymous:
                upper |= _name_and_surname(label.name)
        elif not label.anonymous and name_key(label.name) not in _ROLE_KEYS:
            mixed_count += 1
    if upper_count < _UPPER_STYLE_MIN or upper_count < _UPPER_STYLE_RATIO * mixed_count:
        return None
    return frozenset(upper)


def _foreign_style(label: Label, upper_names: frozenset[str]) -> bool:
    """A mixed-case personal label in an upper-case text, naming nobody who speaks in it."""
    printed = clean_label(label.printed)
    if label.anonymous or printed.upper() == printed or name_key(label.name) in _ROLE_KEYS:
        return False
    return not _name_and_surname(label.name) & upper_names
