"""The header: title, its repetition, and the date / time / place line."""

from __future__ import annotations

import datetime as dt
import re

from .model import Block, Header, TranscriptError
from .text import name_key

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_YEAR = r"(?P<year>\d{4})"
_DATE_FORMS = [
    re.compile(rf"^(?P<day>\d{{1,2}})\s+{_MONTH},?\s+{_YEAR}"),  # 23 February 2022
    re.compile(rf"^{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+{_YEAR}"),  # June 6, 2019
    re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"),  # 2022-02-23
]
# What may follow the date: ", 15:40", " 15:40", ", 3:52 P.M.", then ", place".
_TIME = re.compile(
    r"^[,\s]+(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:\s*(?P<meridiem>[AaPp])\.?\s*[Mm]\.?)?"
)

# A White House time stamp line after the date: "3:52 P.M. EDT", "11:20 A.M. EST".
_TIME_STAMP = re.compile(
    r"^(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<meridiem>[AaPp])\.?\s*[Mm]\.?(\s+[A-Z]{2,4})?$"
)
# The place line before it ("Roosevelt Room") is short, and no sentence.
_PLACE_MAX_WORDS = 10
_SHORT_LINE = 200


def parse_date_line(line: str) -> tuple[dt.date, dt.time | None, str] | None:
    """'23 February 2022, 15:40' -> (date, time, location), or None if it is no date line."""
    line = line.strip()
    for form in _DATE_FORMS:
        match = form.match(line)
        if match:
            break
    else:
        return None
    month_text = match.group("month")
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.casefold())
    if month is None:
        return None
    try:
        date = dt.date(int(match.group("year")), month, int(match.group("day")))
    except ValueError:
        return None
    rest = line[match.end() :]
    time = None
    time_match = _TIME.match(rest)
    if time_match:
        hour, minute = int(time_match.group("hour")), int(time_match.group("minute"))
        meridiem = (time_match.group("meridiem") or "").lower()
        if meridiem == "p" and hour < 12:
            hour += 12
        elif meridiem == "a" and hour == 12:
            hour = 0
        if hour < 24 and minute < 60:
            time = dt.time(hour, minute)
            rest = rest[time_match.end() :]
    location = rest.strip(" ,;–—-")
    # A line that goes on into a sentence is not a date line.
    if len(location) > 80 or location.endswith((".", "?", "!")):
        return None
    return date, time, location


MAX_TITLE_CHARS = 500  # what an event title holds


def parse_header(blocks: list[Block]) -> tuple[Header, list[Block]]:
    """Title, an optional date line and repetitions of the title; returns the body blocks."""
    if not blocks:
        raise TranscriptError("the file holds no text")
    first = blocks[0]
    if len(first.lines) > 1 and parse_date_line(first.lines[1]):
        title, date_block = first.lines[0].strip(), _drop_lines(first, 1)
        rest = blocks[1:]
    else:
        title = first.text
        date_block, rest = (blocks[1], blocks[2:]) if len(blocks) > 1 else (None, [])
    if len(title) > MAX_TITLE_CHARS:
        raise TranscriptError(
            f"the first paragraph, read as the title, is {len(title):,} characters long "
            f"(at most {MAX_TITLE_CHARS}); put the title on a line of its own",
            line=first.line_start,
        )
    date = time = None
    location = ""
    body: list[Block] = list(rest)
    parsed = parse_date_line(date_block.lines[0]) if date_block else None
    if parsed:
        date, time, location = parsed
        after_date = _drop_lines(date_block, 1)
        if after_date:
            body.insert(0, after_date)
    elif date_block:
        body.insert(0, date_block)
    # A repeated title, as a paragraph or the lines right after the date, is header.
    while body and _is_title_again(body[0].lines[0], title):
        body[0:1] = [block for block in [_drop_lines(body[0], 1)] if block]
    return Header(title=title, date=date, time=time, location=location), body


def _place(text: str) -> str:
    """'Roosevelt Room' before the time stamp; not a sentence, not a long line."""
    if len(text) > _SHORT_LINE:
        return ""
    place = " ".join(text.split())
    if len(place.split()) > _PLACE_MAX_WORDS or place.endswith((".", "?", "!", ":")):
        return ""
    return place


def _is_title_again(line: str, title: str) -> bool:
    # Only a line of about the title's length can repeat it (and long lines cost time).
    if abs(len(line) - len(title)) > len(title) // 2 + 10:
        return False
    return name_key(line) == name_key(title)


def _drop_lines(block: Block, count: int) -> Block | None:
    if count >= len(block.lines):
        return None
    return Block(
        lines=block.lines[count:],
        line_start=block.line_start + count,
        line_end=block.line_end,
    )


def read_lead_place_and_time(header: Header, lead: list[str]) -> Header:
    """Time and place from the lines before the first turn ("Roosevelt Room", "3:52 P.M. EDT")."""
    if header.time is not None:
        return header
    for index, text in enumerate(lead):
        match = len(text) < _SHORT_LINE and _TIME_STAMP.match(" ".join(text.split()))
        if not match:
            continue
        hour, minute = int(match.group("hour")), int(match.group("minute"))
        if not 1 <= hour <= 12 or minute > 59:
            return header
        hour = hour % 12 + (12 if match.group("meridiem").lower() == "p" else 0)
        location = header.location or _place(lead[index - 1] if index else "")
        return Header(header.title, header.date, dt.time(hour, minute), location)
    return header
