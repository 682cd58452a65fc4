import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from interviews.ingest.fixtures import dumps, write_atomically
from interviews.ingest.imports import (
    IMPORTED,
    UNCHANGED,
    flush_commits,
    office_table,
    transcript_import,
)
from interviews.parsing import TranscriptError
from interviews.parsing.ahead import parsed_files

# From this many files on, parse ahead in a worker process (see --parse-workers).
AHEAD_FROM = 8


def transcript_files(paths: list[str]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The .txt files named or found (recursively) in folders, sorted; and unusable paths."""
    found: list[Path] = []
    missing: list[tuple[Path, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.txt") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            missing.append((path, "no such file or folder"))
    return list(dict.fromkeys(found)), missing


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else "error"


class Command(BaseCommand):
    help = (
        "Parse and load transcripts (files, or folders of .txt files), each in its own "
        "transaction. Importing again changes nothing; editors' corrections are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Transcript files or folders of them.")
        parser.add_argument(
            "--fixtures-dir",
            help="Also write each transcript's fixture (JSON) into this folder (made if need be).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load transcripts again even when their text has not changed.",
        )
        parser.add_argument(
            "--parse-workers",
            type=int,
            default=None,
            metavar="N",
            help=(
                "Processes parsing the next files while one loads (default: 1 for "
                f"{AHEAD_FROM} files or more on a machine of several cores, else 0)."
            ),
        )
        parser.add_argument(
            "--progress",
            choices=["auto", "always", "never"],
            default="auto",
            help="Progress bar: auto shows it on a terminal only (default).",
        )

    def handle(self, *args, **options):
        files, failed = transcript_files(options["paths"])
        total = len(files) + len(failed)
        fixtures_dir = Path(options["fixtures_dir"]) if options["fixtures_dir"] else None
        if fixtures_dir:
            try:
                fixtures_dir.mkdir(parents=True, exist_ok=True)
            except FileExistsError:
                raise CommandError(f"{fixtures_dir}: not a folder, for --fixtures-dir") from None
            except OSError as error:
                raise CommandError(f"{fixtures_dir}: cannot make it ({error.strerror})") from None
        verbosity = options["verbosity"]
        counts = {IMPORTED: 0, UNCHANGED: 0}
        warnings = kept = turns = 0
        show = options["progress"] == "always" or (
            options["progress"] == "auto" and sys.stderr.isatty() and verbosity > 0
        )
        workers = options["parse_workers"]
        if workers is None:  # a worker pays for its start-up (~0.3 s) on a batch
            workers = 1 if len(files) >= AHEAD_FROM and (os.cpu_count() or 1) > 1 else 0
        try:
            offices = office_table()
        except DatabaseError as error:
            raise CommandError(f"cannot read the office table ({_first_line(error)})") from None
        parsed = parsed_files(files, workers, offices=offices)
        for item in tqdm(
            parsed, total=len(files), disable=not show, unit="file", file=sys.stderr, leave=False
        ):
            path = item.path
            if item.unreadable:
                failed.append((path, f"cannot read or write ({item.unreadable})"))
                continue
            if item.error:
                failed.append((path, item.error))
                continue
            try:
                result = transcript_import(
                    parsed=item.transcript,
                    source_name=path.name,
                    force=options["force"],
                    durable=False,  # each commit unwaited; flushed once below
                )
                if fixtures_dir and result.records:
                    write_atomically(fixtures_dir / f"{path.stem}.json", dumps(result.records))
            except TranscriptError as error:
                failed.append((path, str(error)))
                continue
            except OSError as error:
                failed.append((path, f"cannot read or write ({error.strerror})"))
                continue
            except DatabaseError as error:
                # Rolled back whole: nothing of this transcript was stored.
                failed.append((path, f"could not be stored ({_first_line(error)})"))
                continue
            counts[result.status] += 1
            warnings += len(result.warnings)
            kept += result.kept
            turns += len(result.parsed.turns) if result.status == IMPORTED else 0
            if verbosity >= 2:
                self.stdout.write(f"{path}: {result.status} as {result.event_slug}")
                for warning in result.warnings:
                    self.stdout.write(self.style.WARNING(f"{path}:{warning}"))
        if counts[IMPORTED]:
            try:
                flush_commits()  # what is reported imported is on disk
            except DatabaseError as error:
                raise CommandError(
                    f"the imported transcripts may not be on disk ({_first_line(error)})"
                ) from None
        for path, message in failed:
            self.stderr.write(self.style.ERROR(f"{path}: {message}"))
        if verbosity >= 1:
            self.stdout.write(
                f"{counts[IMPORTED]} imported ({turns} turns), {counts[UNCHANGED]} unchanged, "
                f"{len(failed)} failed, {warnings} warnings, {kept} corrected records kept"
            )
        if failed:
            raise CommandError(f"{len(failed)} of {total} transcripts failed")
