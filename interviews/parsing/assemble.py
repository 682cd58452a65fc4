"""Blocks to turns: openings, continuations, stage directions, lead and closing narration."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from .exchanges import classify_exchanges
from .header import parse_header
from .identity import IdentityResolver
from .labels import parse_label, split_opening
from .model import NARRATIVE, SPEECH, Block, ParsedTranscript, ParseWarning, TranscriptError, Turn
from .text import decode, split_blocks

_STAGE_DIRECTION = re.compile(
    r"""^(
        [(\[].*[)\]]\.?                                  # (Applause.)  [inaudible]
      | [*\s]{3,} | \*\*\*                               # * * *
      | <\s*(…|\.\.\.)\s*>                               # <…>
      | END | \\?\#+                                     # END, markdown rules
      | \d{1,2}:\d{2}\s*[AP]\.?M\.?(\s+[A-Z]{2,4})?        # 12:52 P.M. EST
    )$""",
    re.VERBOSE,
)
_FIRST_OR_SECOND_PERSON = re.compile(r"\b(I|me|my|we|us|our|you|your)\b", re.IGNORECASE)
_THIRD_PERSON_START = re.compile(r"^(The|He|She|They|His|Her)\b")
_PAST_TENSE = re.compile(r"\b(\w+ed|met|took|held|gave|made|laid|began|spoke|was|were)\b")


@dataclass
class _OpenTurn:
    kind: str
    speaker: str | None
    speaker_label: str
    attribution: str
    paragraphs: list[str]
    line_start: int
    line_end: int

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
        )


@dataclass
class _Assembler:
    identity: IdentityResolver = field(default_factory=IdentityResolver)
    turns: list[_OpenTurn] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    last_speaker: _OpenTurn | None = None

    def add(self, block: Block, is_last: bool) -> None:
        text = block.text
        if _STAGE_DIRECTION.match(text.strip()):
            self._narrative(block, text)
            return
        opening = split_opening(text)
        label = parse_label(opening[0], self.identity.known_names()) if opening else None
        if opening and label and opening[1].strip():
            key = self.identity.resolve(label, block.line_start)
            turn = _OpenTurn(
                SPEECH,
                key,
                label.printed,
                label.attribution,
                [opening[1].strip()],
                block.line_start,
                block.line_end,
            )
            self.turns.append(turn)
            self.last_speaker = turn
            return
        if opening and not label and len(opening[0].split()) <= 6:
            self.warnings.append(
                ParseWarning(block.line_start, f'"{opening[0]}:" does not read as a speaker label')
            )
        if self.last_speaker is None:
            self._narrative(block, text)
        elif is_last and _looks_like_closing_narration(text):
            self.warnings.append(
                ParseWarning(block.line_start, "closing third-person paragraph kept as narrative")
            )
            self._narrative(block, text)
        elif self.turns[-1] is self.last_speaker:
            self.last_speaker.paragraphs.append(text)
            self.last_speaker.line_end = block.line_end
        else:
            # Speech resumes after a stage direction: the same speaker goes on.
            previous = self.last_speaker
            turn = _OpenTurn(
                SPEECH, previous.speaker, "", "", [text], block.line_start, block.line_end
            )
            self.turns.append(turn)
            self.last_speaker = turn

    def _narrative(self, block: Block, text: str) -> None:
        self.turns.append(
            _OpenTurn(NARRATIVE, None, "", "", [text], block.line_start, block.line_end)
        )


def _looks_like_closing_narration(text: str) -> bool:
    return (
        len(text) < 300
        and not _FIRST_OR_SECOND_PERSON.search(text)
        and not re.search(r"[?!\"“”«»]", text)
        and bool(_THIRD_PERSON_START.match(text))
        and bool(_PAST_TENSE.search(text))
    )


def parse_transcript(data: bytes, source_name: str = "") -> ParsedTranscript:
    """Parse the raw bytes of a transcript; raises TranscriptError for unusable input."""
    text = decode(data)
    header, body = parse_header(split_blocks(text))
    assembler = _Assembler()
    for index, block in enumerate(body):
        assembler.add(block, is_last=index == len(body) - 1)
    if not any(turn.kind == SPEECH for turn in assembler.turns):
        raise TranscriptError('no speaker turns found (no paragraph opens with "Name: ...")')
    speakers = assembler.identity.speakers()
    turns = [turn.close(number) for number, turn in enumerate(assembler.turns, start=1)]
    lead = next((turn for turn in assembler.turns if turn.kind != NARRATIVE), None)
    summary_turns = assembler.turns[: assembler.turns.index(lead)] if lead else []
    return ParsedTranscript(
        title=header.title,
        date=header.date,
        time=header.time,
        location=header.location,
        summary=summary_turns[0].paragraphs[0] if summary_turns else "",
        source_sha256=hashlib.sha256(data).hexdigest(),
        source_name=source_name,
        turns=tuple(classify_exchanges(turns, speakers)),
        speakers=speakers,
        warnings=tuple(
            sorted(assembler.warnings + assembler.identity.warnings, key=lambda w: w.line)
        ),
    )
