import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError

from interviews.ingest.loading import fixture_load


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


class Command(BaseCommand):
    help = (
        "Load fixture files (JSON, natural keys: what parse_transcript writes, and "
        "fixtures/offices.json) with the import's loader, all in one transaction. Loading "
        "again changes nothing; editors' corrections are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="Fixture files (JSON).")

    def handle(self, *args, **options):
        records = []
        for name in options["files"]:
            path = Path(name)
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                raise CommandError(f"{path}: no such file") from None
            except OSError as error:
                raise CommandError(f"{path}: cannot read ({error.strerror})") from None
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                raise CommandError(f"{path}: not a JSON fixture ({error})") from None
            if not isinstance(loaded, list) or not all(isinstance(r, dict) for r in loaded):
                raise CommandError(f"{path}: not a fixture (a JSON list of records)")
            records += loaded
        try:
            result = fixture_load(records=records)
        except DeserializationError as error:
            raise CommandError(f"nothing was loaded: {_first_line(error)}") from None
        except DatabaseError as error:
            raise CommandError(f"nothing was loaded: {_first_line(error)}") from None
        if options["verbosity"] >= 1:
            created, updated = sum(result.created.values()), sum(result.updated.values())
            message = f"Loaded {len(records)} records: {created} new, {updated} already there"
            if result.kept_records:
                kept = ", ".join(
                    f"{count} {label.split('.')[1]}" for label, count in sorted(result.kept.items())
                )
                message += f"; kept {result.kept_records} corrected records ({kept})"
            self.stdout.write(message)
