"""Parsing transcript files ahead of their loading, in worker processes.

A batch import alternates parsing (Python) and loading (mostly PostgreSQL). With
`workers` processes the next files are parsed while the current one loads, on
another core, and results still come back in the files' order (loading order
decides which spelling of a new person becomes the participant). At most
`ahead` results wait at a time, so memory stays bounded on any number of files.

Workers are started by `spawn`: they import this package alone (no Django, no
database connection inherited from the parent).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .assemble import parse_transcript
from .model import ParsedTranscript, TranscriptError
from .offices import OfficeTerm


@dataclass(frozen=True)
class Parsed:
    """One file: its transcript, or why it could not be read or parsed."""

    path: Path
    transcript: ParsedTranscript | None = None
    error: str | None = None  # a TranscriptError's message
    unreadable: str | None = None  # an OSError's strerror


def parse_file(path: Path, offices: tuple[OfficeTerm, ...] = ()) -> Parsed:
    try:
        data = path.read_bytes()
    except OSError as error:
        return Parsed(path, unreadable=error.strerror or str(error))
    try:
        return Parsed(path, parse_transcript(data, source_name=path.name, offices=offices))
    except TranscriptError as error:
        return Parsed(path, error=str(error))


def parsed_files(
    paths: Iterable[Path],
    workers: int = 0,
    ahead: int = 16,
    offices: tuple[OfficeTerm, ...] = (),
) -> Iterator[Parsed]:
    """parse_file of each path, in order; with workers > 0, parsed ahead in that many processes."""
    if workers <= 0:
        yield from (parse_file(path, offices) for path in paths)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque[Future] = deque()
        remaining = iter(paths)
        try:
            for path in remaining:
                pending.append(pool.submit(parse_file, path, offices))
                if len(pending) >= ahead:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:  # the consumer stopped early (an interrupt)
                future.cancel()
