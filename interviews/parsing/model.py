"""The parser's result: plain frozen dataclasses, no Django."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

# Turn kinds follow Popolo's speech "type" codes where they exist.
SPEECH = "speech"
NARRATIVE = "narrative"
QUESTION = "question"
ANSWER = "answer"

# The date a turn of an undated event is ordered by: turns are paged by (date, event,
# sequence), and a key needs a value.
UNDATED = dt.date(1, 1, 1)


def count_words(text: str) -> int:
    """Words as a turn's word_count counts them: runs of characters between white space."""
    return len(text.split())


# Outlet kinds.
NEWS_AGENCY = "news_agency"
NEWSPAPER = "newspaper"
TV = "tv"
RADIO = "radio"
MAGAZINE = "magazine"
ONLINE = "online"
OTHER = "other"


class TranscriptError(ValueError):
    """Input that cannot be turned into a transcript; carries the line number when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass(frozen=True)
class Block:
    """A paragraph of the source with its 1-based line span."""

    lines: tuple[str, ...]
    line_start: int
    line_end: int

    @cached_property
    def text(self) -> str:
        # Hard-wrapped lines of one paragraph are re-joined with single spaces.
        return " ".join(line.strip() for line in self.lines if line.strip())


@dataclass(frozen=True)
class OutletRef:
    name: str
    kind: str = OTHER
    slug: str = ""  # of an outlet already stored (its name may since have been corrected)


@dataclass(frozen=True)
class Label:
    """A speaker label split into its parts, as printed."""

    printed: str
    name: str
    role: str = ""
    outlets: tuple[OutletRef, ...] = ()
    attribution: str = ""
    anonymous: bool = False


@dataclass(frozen=True)
class Speaker:
    """One identity within a transcript."""

    key: str
    name: str
    label: str
    role: str = ""
    outlets: tuple[OutletRef, ...] = ()
    aliases: tuple[str, ...] = ()
    anonymous: bool = False
    # A role that names nobody ("Moderator", an unresolved "The President"): one person,
    # but only within this event; never the same participant as another event's.
    per_event: bool = False


@dataclass(frozen=True)
class Turn:
    sequence: int
    kind: str
    text: str
    speaker: str | None = None
    speaker_label: str = ""
    attribution: str = ""
    line_start: int = 0
    line_end: int = 0
    in_reply_to: int | None = None  # sequence of the question an answer replies to
    offset: float | None = None  # seconds into the recording, from a time code

    @property
    def word_count(self) -> int:
        return count_words(self.text)


@dataclass(frozen=True)
class ParseWarning:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class Header:
    title: str
    date: dt.date | None = None
    time: dt.time | None = None
    location: str = ""


@dataclass(frozen=True)
class ParsedTranscript:
    title: str
    date: dt.date | None
    time: dt.time | None
    location: str
    summary: str
    source_sha256: str
    source_name: str
    turns: tuple[Turn, ...]
    speakers: tuple[Speaker, ...]
    warnings: tuple[ParseWarning, ...] = field(default=())

    def speaker(self, key: str) -> Speaker:
        return next(speaker for speaker in self.speakers if speaker.key == key)
