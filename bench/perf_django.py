"""The Django side of bench/perf.py: each subcommand runs in a process of its own.

  import-transcripts PATH...  manage.py import_transcripts, in-process
  import-fixtures FILE...     the project's set-based import (interviews.ingest.loading) of fixture
                              files, each in one transaction
  loaddata FILE...            manage.py loaddata (Django's own, record by record)
  subset OUT TURNS PATH...    parse transcripts in order until TURNS turns; write their
                              fixture records to OUT and the files' names to OUT.files
  probe PATH...               each URL through Django's test client: queries, time

Each prints one JSON line: what it did, its wall time, and the process's peak RSS. Uses
DATABASE_URL like the project; run it with the project's .venv/bin/python.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: ru_maxrss would count the parent's, kept
    across fork and exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def turn_count() -> int:
    from interviews.models import Turn

    return Turn.objects.count()


def import_transcripts(paths: list[str]) -> dict:
    from io import StringIO

    from django.core.management import call_command

    before = turn_count()
    output = StringIO()
    started = time.perf_counter()
    call_command("import_transcripts", *paths, progress="never", stdout=output, stderr=output)
    seconds = time.perf_counter() - started
    return {"turns": turn_count() - before, "seconds": seconds, "output": output.getvalue()}


def import_fixtures(paths: list[str]) -> dict:
    from django.db import transaction

    from interviews.ingest.loading import fixture_load

    created = 0
    started = time.perf_counter()
    for path in paths:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
        with transaction.atomic():
            result = fixture_load(records=records)
        created += result.created["interviews.turn"] + result.updated["interviews.turn"]
        del records, result
    return {"turns": created, "seconds": time.perf_counter() - started, "files": len(paths)}


def loaddata(paths: list[str]) -> dict:
    from io import StringIO

    from django.core.management import call_command

    before = turn_count()
    started = time.perf_counter()
    call_command("loaddata", *paths, stdout=StringIO())
    return {"turns": turn_count() - before, "seconds": time.perf_counter() - started}


def subset(out: str, wanted: int, paths: list[str]) -> dict:
    from interviews.ingest.fixtures import dumps, to_fixture
    from interviews.management.commands.import_transcripts import transcript_files
    from interviews.parsing import TranscriptError, parse_transcript

    files, _ = transcript_files(paths)
    records, chosen, turns = [], [], 0
    for path in files:
        if turns >= wanted:
            break
        try:
            parsed = parse_transcript(path.read_bytes(), source_name=path.name)
        except TranscriptError:
            continue
        records += to_fixture(parsed)
        chosen.append(str(path))
        turns += len(parsed.turns)
    Path(out).write_text(dumps(records), encoding="utf-8")
    Path(out + ".files").write_text("\n".join(chosen) + "\n", encoding="utf-8")
    return {"turns": turns, "transcripts": len(chosen), "records": len(records)}


def probe(paths: list[str]) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, found = Client(), {}
    for path in paths:
        client.get(path)  # warm
        times = []
        for _ in range(5):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        found[path] = {
            "status": response.status_code,
            "queries": len(captured.captured_queries),
            "ms": statistics.median(times),
            "sql_ms": sum(float(q["time"]) for q in captured.captured_queries) * 1000,
        }
    return {"probes": found}


def main() -> None:
    import django

    command, args = sys.argv[1], sys.argv[2:]
    if command == "probe":
        os.environ["DJANGO_ALLOWED_HOSTS"] = os.environ.get("DJANGO_ALLOWED_HOSTS", "") + (
            ",testserver"
        )
    django.setup()
    started = time.perf_counter()
    if command == "import-transcripts":
        result = import_transcripts(args)
    elif command == "import-fixtures":
        result = import_fixtures(args)
    elif command == "loaddata":
        result = loaddata(args)
    elif command == "subset":
        result = subset(args[0], int(args[1]), args[2:])
    elif command == "probe":
        result = probe(args)
    else:
        sys.exit(f"perf_django: unknown command {command!r}")
    result.update(wall=time.perf_counter() - started, peak_rss_mb=peak_rss_mb())
    print(json.dumps(result))


if __name__ == "__main__":
    main()
