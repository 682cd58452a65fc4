"""Decoding, normalisation, paragraph blocks and the string keys used for matching."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from .model import Block, TranscriptError

_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}
# Control characters that never occur in text (tab, newline and carriage return do).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A line holding only whitespace (spaces, NBSP, tabs) separates paragraphs.
_BLANK = re.compile(r"^[\s\u00a0\u2007\u202f\ufeff]*$")


def decode(data: bytes) -> str:
    """UTF-8 bytes (a BOM is fine) to NFC text with '\\n' line ends."""
    if not data:
        raise TranscriptError("the file is empty")
    for bom, encoding in _BOMS.items():
        if data.startswith(bom):
            raise TranscriptError(f"the text is {encoding}, not UTF-8; save it as UTF-8")
    if b"\x00" in data[:65536]:
        raise TranscriptError("the file is binary data, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TranscriptError(
            f"the text is not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})",
            line=line,
        ) from None
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise TranscriptError(
            f"the file holds control character U+{ord(control.group()):04X}; is it binary?",
            line=line,
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise TranscriptError("the file holds only whitespace")
    return text


def split_blocks(text: str) -> list[Block]:
    """Paragraphs separated by blank lines, or one per line when the text has no blank lines."""
    lines = text.split("\n")
    blank = [bool(_BLANK.match(line)) for line in lines]
    content = [index for index, is_blank in enumerate(blank) if not is_blank]
    has_blank_separators = any(blank[index] for index in range(content[0], content[-1] + 1))
    blocks: list[Block] = []
    current: list[int] = []
    for index in range(len(lines)):
        if blank[index] or not has_blank_separators:
            if current:
                blocks.append(_block(lines, current))
                current = []
            if blank[index]:
                continue
        current.append(index)
    if current:
        blocks.append(_block(lines, current))
    return blocks


def _block(lines: list[str], indices: list[int]) -> Block:
    return Block(
        lines=tuple(lines[index] for index in indices),
        line_start=indices[0] + 1,
        line_end=indices[-1] + 1,
    )


def strip_accents(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def name_key(name: str) -> str:
    """Case-, accent-, hyphen- and transliteration-insensitive key of a name.

    "Sergei Mikhaylov" and "Sergei Mikhailov", "Dmitriy" and "Dmitry",
    "Jean-Pierre" and "jean pierre" give the same key.
    """
    # Names repeat through a text; long strings are no names and are not kept.
    return _cached_name_key(name) if len(name) <= _CACHED_KEY_CHARS else _name_key(name)


_CACHED_KEY_CHARS = 200


@lru_cache(maxsize=4096)
def _cached_name_key(name: str) -> str:
    return _name_key(name)


def _name_key(name: str) -> str:
    key = strip_accents(name).casefold()
    key = re.sub(r"[^\w\s]|_", " ", key)
    key = re.sub(r"\s+", " ", key).strip()
    # Common Cyrillic transliteration variants: iy/y/i, doubled vowels.
    key = key.replace("iy", "i").replace("y", "i")
    key = re.sub(r"([aeiou])\1+", r"\1", key)
    return key


def slugify(value: str, max_length: int = 80) -> str:
    """ASCII slug as Django's slugify makes it, cut at a word boundary."""
    value = strip_accents(value).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value.lower())
    value = re.sub(r"[-\s_]+", "-", value).strip("-")
    if len(value) > max_length:
        value = value[:max_length].rsplit("-", 1)[0]
    return value


_SENTENCE_END = re.compile(r"[.?!…:;\"”»)\]]\s*$")
# Lines longer than this are whole paragraphs, not a hard-wrapped paragraph's pieces.
WRAP_WIDTH = 100


def split_paragraphs(
    blocks: list[Block],
    opens_turn: Callable[[str], bool],
    stands_alone: Callable[[str], bool] = lambda line: False,
) -> list[Block]:
    """Blocks that hold several paragraphs, one per line, split into one block per paragraph.

    A block whose lines (but the last) are all short is one hard-wrapped paragraph, except
    that a line opening a turn ("Name: ...") starts a new one, and a label that stands alone
    on its line ("Speaker 1  0:05", "MARGARET") is a paragraph of its own. A block with a
    long line holds paragraphs separated by single newlines.
    """
    paragraphs: list[Block] = []
    for block in blocks:
        lines = block.lines
        one_per_line = max(len(line.strip()) for line in lines[:-1] or [""]) > WRAP_WIDTH
        after_label = len(lines) > 1 and stands_alone(lines[0].strip())
        current = [0]
        for index in range(1, len(lines)):
            # A label after a finished sentence opens a paragraph; after a line broken
            # mid-sentence it ends a long label ("Commander of the detachment\nJohn Smith:").
            after_sentence = after_label or bool(_SENTENCE_END.search(lines[index - 1]))
            line = lines[index].strip()
            label = after_sentence and stands_alone(line)
            if one_per_line or after_label or label or (after_sentence and opens_turn(line)):
                paragraphs.append(_piece(block, current))
                current = []
            after_label = label
            current.append(index)
        paragraphs.append(_piece(block, current))
    return paragraphs


def _piece(block: Block, indices: list[int]) -> Block:
    if len(indices) == len(block.lines):
        return block
    return Block(
        lines=tuple(block.lines[index] for index in indices),
        line_start=block.line_start + indices[0],
        line_end=block.line_start + indices[-1],
    )
