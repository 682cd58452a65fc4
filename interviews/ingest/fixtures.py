"""A ParsedTranscript as Django fixture records with natural keys (pure, no Django).

The same transcript always gives the same records in the same order, so the
serialised file is byte-identical from run to run. Records carry no primary
keys: ``loaddata`` looks each one up by its natural key, so loading a fixture
twice updates rows instead of adding them twice.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..parsing import UNDATED, OutletRef, ParsedTranscript, name_key, slugify

Record = dict[str, Any]
PER_EVENT = "--"


def event_slug_for(parsed: ParsedTranscript) -> str:
    """'2022-02-23-ilham-aliyev-met-with-the-heads-of-…': date first, then the title."""
    title = slugify(parsed.title, max_length=60) or parsed.source_sha256[:12]
    return f"{parsed.date.isoformat()}-{title}" if parsed.date else title


def participant_slug_for(parsed: ParsedTranscript, speaker_key: str, event_slug: str) -> str:
    speaker = parsed.speaker(speaker_key)
    if speaker.anonymous or speaker.per_event:
        # Anonymous classes ("Journalist") and roles that name nobody ("Moderator") are one
        # participant per event, never shared.
        return per_event_slug(speaker.name, event_slug)
    return slugify(speaker.name) or f"speaker-{name_key(speaker.name).encode().hex()[:16]}"


def outlet_slug_for(outlet: OutletRef) -> str:
    return outlet.slug or slugify(outlet.name)


def per_event_slug(name: str, event_slug: str) -> str:
    """'moderator--2023-01-25-background-press-call-…': a participant of one event only."""
    return f"{slugify(name, max_length=30)}{PER_EVENT}{event_slug}"[:200]


def to_fixture(
    parsed: ParsedTranscript,
    event_slug: str | None = None,
    participant_slugs: Mapping[str, str] | None = None,
) -> list[Record]:
    """Outlets, participants, aliases, the event, appearances and turns, in that order.

    participant_slugs maps speaker keys to the slugs of people already known
    (from other transcripts); the others get slugs made from their names.
    """
    event_slug = event_slug or event_slug_for(parsed)
    event_key = [event_slug]
    known = participant_slugs or {}
    slugs = {
        s.key: known.get(s.key) or participant_slug_for(parsed, s.key, event_slug)
        for s in parsed.speakers
    }

    outlets: dict[str, Record] = {}
    for speaker in parsed.speakers:
        for outlet in speaker.outlets:
            slug = outlet_slug_for(outlet)
            outlets.setdefault(
                slug,
                _record("outlet", slug=slug, name=outlet.name, kind=outlet.kind),
            )

    records: list[Record] = sorted(outlets.values(), key=lambda r: r["fields"]["slug"])
    for speaker in sorted(parsed.speakers, key=lambda s: slugs[s.key]):
        records.append(
            _record(
                "participant",
                slug=slugs[speaker.key],
                name=speaker.name,
                name_key=name_key(speaker.name),
                is_anonymous=speaker.anonymous,
            )
        )
        for alias in sorted(speaker.aliases):
            records.append(
                _record(
                    "alias",
                    participant=[slugs[speaker.key]],
                    name=alias,
                    key=name_key(alias),
                )
            )
    records.append(
        _record(
            "event",
            slug=event_slug,
            title=parsed.title,
            date=parsed.date.isoformat() if parsed.date else None,
            time=parsed.time.isoformat(timespec="minutes") if parsed.time else None,
            location=parsed.location,
            summary=parsed.summary,
            source_name=parsed.source_name,
            source_sha256=parsed.source_sha256,
        )
    )
    for speaker in sorted(parsed.speakers, key=lambda s: slugs[s.key]):
        records.append(
            _record(
                "appearance",
                event=event_key,
                participant=[slugs[speaker.key]],
                role=speaker.role,
                label=speaker.label,
                outlets=[[outlet_slug_for(outlet)] for outlet in speaker.outlets],
            )
        )
    event_date = (parsed.date or UNDATED).isoformat()
    for turn in parsed.turns:
        records.append(
            _record(
                "turn",
                event=event_key,
                sequence=turn.sequence,
                speaker=[slugs[turn.speaker]] if turn.speaker else None,
                speaker_label=turn.speaker_label,
                kind=turn.kind,
                text=turn.text,
                attribution=turn.attribution,
                line_start=turn.line_start,
                line_end=turn.line_end,
                in_reply_to=[event_slug, turn.in_reply_to] if turn.in_reply_to else None,
                event_date=event_date,
                word_count=turn.word_count,
                # Only where the transcript prints a time code: other fixtures stay as they were.
                **({"offset": turn.offset} if turn.offset is not None else {}),
            )
        )
    return records


def dumps(records: list[Record]) -> str:
    """Stable JSON text for a fixture file (UTF-8, sorted field order, final newline)."""
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def _record(model: str, **fields: Any) -> Record:
    return {"model": f"interviews.{model}", "fields": fields}


def write_atomically(path: Path, text: str) -> None:
    """Write beside the target, then rename: readers never see a half-written file.

    The file gets the mode a plain write would leave: the target's own if it exists,
    else what the umask allows (mkstemp's private 0600 would lock out other users, and
    the container's user after `COPY . .`). Raises OSError; the target is untouched then.
    """
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask (reading it means setting it: put straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
