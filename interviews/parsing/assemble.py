"""Blocks to turns: openings, continuations, stage directions, lead and closing narration."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from .conventions import standalone_lines
from .exchanges import classify_exchanges
from .header import parse_header, read_lead_place_and_time
from .identity import resolve_speakers
from .model import (
    NARRATIVE,
    SPEECH,
    Block,
    Label,
    ParsedTranscript,
    ParseWarning,
    TranscriptError,
    Turn,
)
from .offices import OfficeTerm
from .openings import NARRATION, Opening, is_stage_direction
from .people import introductions, transcript_context
from .reading import line_opens_turn, read_openings
from .text import decode, split_blocks, split_paragraphs

_FIRST_OR_SECOND_PERSON = re.compile(r"\b(I|me|my|we|us|our|you|your)\b", re.IGNORECASE)
_THIRD_PERSON_START = re.compile(r"^(The|He|She|They|His|Her)\b")
_PAST_TENSE = re.compile(r"\b(\w+ed|met|took|held|gave|made|laid|began|spoke|was|were)\b")
# A lead paragraph worth calling a summary is prose, not a place or a time line.
_SUMMARY_MIN_WORDS = 8


@dataclass
class _OpenTurn:
    kind: str
    label: Label | None
    attribution: str
    paragraphs: list[str]
    line_start: int
    line_end: int
    speaker_label: str = ""
    speaker: str | None = None
    opener: _OpenTurn | None = None  # the labelled turn a resumed turn goes on with
    offset: float | None = None
    source: str = ""  # the paragraph as printed, for a label that gets no words

    def close(self, sequence: int) -> Turn:
        return Turn(
            sequence=sequence,
            kind=self.kind,
            text="\n\n".join(self.paragraphs),
            speaker=self.speaker,
            speaker_label=self.speaker_label,
            attribution=self.attribution,
            line_start=self.line_start,
            line_end=self.line_end,
            offset=self.offset,
        )


@dataclass
class _Assembler:
    turns: list[_OpenTurn] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    last_speech: _OpenTurn | None = None

    def add(self, block: Block, opening: Opening | None, is_last: bool) -> None:
        text = block.text
        if opening is None and is_stage_direction(text):
            if self.last_speech is not None and not self.last_speech.paragraphs:
                # A label alone, then "(on phone)" before its words: part of the turn.
                self.last_speech.paragraphs.append(text)
                self.last_speech.line_end = block.line_end
                return
            self._narrative(block, text)
            return
        if opening is not None and opening.form == NARRATION:
            self._narrative(block, text)
            return
        if opening is not None and opening.label is not None:
            self._close_empty_turn()
            label = opening.label
            turn = _OpenTurn(
                SPEECH,
                label,
                label.attribution,
                [opening.body] if opening.body else [],
                block.line_start,
                block.line_end,
                speaker_label=opening.printed,
                offset=opening.offset,
                source=text,
            )
            self.turns.append(turn)
            self.last_speech = turn
            return
        if self.last_speech is None:
            self._narrative(block, text)
        elif is_last and _looks_like_closing_narration(text):
            self.warnings.append(
                ParseWarning(block.line_start, "closing third-person paragraph kept as narrative")
            )
            self._narrative(block, text)
        elif self.turns[-1] is self.last_speech or not self.last_speech.paragraphs:
            # (A label alone on its line keeps waiting for its words across a stage direction.)
            self.last_speech.paragraphs.append(text)
            self.last_speech.line_end = block.line_end
        else:
            # Speech resumes after a stage direction: the same speaker goes on.
            previous = self.last_speech
            turn = _OpenTurn(SPEECH, previous.label, "", [text], block.line_start, block.line_end)
            turn.opener = previous.opener or previous
            self.turns.append(turn)
            self.last_speech = turn

    def finish(self) -> None:
        self._close_empty_turn()

    def _close_empty_turn(self) -> None:
        """A label still without words when the next label comes.

        If only stage directions came after it ("INTERPRETER:" then "(No translation
        provided.)"), they are its words; with nothing at all it was a heading.
        """
        speech = self.last_speech
        if speech is None or speech.paragraphs:
            return
        position = self.turns.index(speech)
        after = self.turns[position + 1 :]
        if after:
            del self.turns[position + 1 :]
            speech.paragraphs = [paragraph for turn in after for paragraph in turn.paragraphs]
            speech.line_end = after[-1].line_end
            return
        self.warnings.append(
            ParseWarning(speech.line_start, f'"{speech.source}" has no words; kept as narrative')
        )
        self.turns[position] = _OpenTurn(
            NARRATIVE, None, "", [speech.source], speech.line_start, speech.line_end
        )
        self.last_speech = next((t for t in reversed(self.turns) if t.kind == SPEECH), None)

    def _narrative(self, block: Block, text: str) -> None:
        self.turns.append(_OpenTurn(NARRATIVE, None, "", [text], block.line_start, block.line_end))


def _looks_like_closing_narration(text: str) -> bool:
    return (
        len(text) < 300
        and not _FIRST_OR_SECOND_PERSON.search(text)
        and not re.search(r"[?!\"“”«»]", text)
        and bool(_THIRD_PERSON_START.match(text))
        and bool(_PAST_TENSE.search(text))
    )


def parse_transcript(
    data: bytes, source_name: str = "", offices: tuple[OfficeTerm, ...] = ()
) -> ParsedTranscript:
    """Parse the raw bytes of a transcript; raises TranscriptError for unusable input.

    offices: the dated table of office holders, to resolve role labels ("THE PRESIDENT").
    """
    text = decode(data)
    header, body = parse_header(split_blocks(text))
    paragraphs = split_paragraphs(body, line_opens_turn, standalone_lines(body))
    openings, warnings = read_openings(paragraphs, header)
    assembler = _Assembler(warnings=warnings)
    for index, (paragraph, opening) in enumerate(zip(paragraphs, openings, strict=True)):
        assembler.add(paragraph, opening, is_last=index == len(paragraphs) - 1)
    assembler.finish()
    if not any(turn.kind == SPEECH for turn in assembler.turns):
        raise TranscriptError(
            'no speaker turns found: no paragraph opens with a label ("Name: ...", '
            '"Mr. NAME. ...", "Q. ..."), nor do names stand alone on their lines'
        )
    opener_at = [
        index for index, turn in enumerate(assembler.turns) if turn.label and turn.opener is None
    ]
    openers = [assembler.turns[index] for index in opener_at]
    texts = ["\n".join(turn.paragraphs) for turn in assembler.turns]
    keys, speakers, identity_warnings = resolve_speakers(
        [(turn.label, turn.line_start) for turn in openers],
        header.title,
        transcript_context(
            header.title,
            header.date,
            [(turn.kind, text) for turn, text in zip(assembler.turns, texts, strict=True)],
            offices,
        ),
        introductions(texts, opener_at),
    )
    for turn, key in zip(openers, keys, strict=True):
        turn.speaker = key
    for turn in assembler.turns:
        if turn.opener is not None:
            turn.speaker = turn.opener.speaker
    turns = [turn.close(number) for number, turn in enumerate(assembler.turns, start=1)]
    lead = next((turn for turn in turns if turn.kind != NARRATIVE), None)
    lead_turns = turns[: turns.index(lead)] if lead else []
    header = read_lead_place_and_time(header, [turn.text for turn in lead_turns])
    return ParsedTranscript(
        title=header.title,
        date=header.date,
        time=header.time,
        location=header.location,
        summary=_summary(lead_turns),
        source_sha256=hashlib.sha256(data).hexdigest(),
        source_name=source_name,
        turns=tuple(classify_exchanges(turns, speakers)),
        speakers=speakers,
        warnings=tuple(sorted(assembler.warnings + identity_warnings, key=lambda w: w.line)),
    )


def _summary(lead_turns: list[Turn]) -> str:
    for turn in lead_turns:
        words = turn.text.count(" ", 0, 1000) + 1
        if words >= _SUMMARY_MIN_WORDS and not is_stage_direction(turn.text):
            return turn.text
    return ""
