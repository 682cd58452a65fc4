"""Transcript parsing: pure Python, no Django imports."""

from .assemble import parse_transcript
from .model import (
    ANSWER,
    NARRATIVE,
    QUESTION,
    SPEECH,
    UNDATED,
    Label,
    OutletRef,
    ParsedTranscript,
    ParseWarning,
    Speaker,
    TranscriptError,
    Turn,
    count_words,
)
from .offices import OfficeTerm
from .text import name_key, slugify

__all__ = [
    "ANSWER",
    "NARRATIVE",
    "QUESTION",
    "SPEECH",
    "UNDATED",
    "Label",
    "OfficeTerm",
    "OutletRef",
    "ParseWarning",
    "ParsedTranscript",
    "Speaker",
    "TranscriptError",
    "Turn",
    "count_words",
    "name_key",
    "parse_transcript",
    "slugify",
]
