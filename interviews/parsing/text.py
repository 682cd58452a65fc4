"""Decoding, normalisation, paragraph blocks and the string keys used for matching."""

from __future__ import annotations

import re
import unicodedata

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
