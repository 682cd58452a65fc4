from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from interviews.ingest.fixtures import dumps, to_fixture, write_atomically
from interviews.ingest.imports import office_table
from interviews.parsing import TranscriptError, parse_transcript


class Command(BaseCommand):
    help = (
        "Parse a raw transcript (.txt) into a loaddata fixture of the event, its participants, "
        "outlets and turns."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="Path of the transcript text file (UTF-8).")
        parser.add_argument(
            "-o",
            "--output",
            help="Fixture file to write (JSON). Without it the fixture goes to standard output.",
        )
        parser.add_argument(
            "--slug", help="Event slug to use instead of the one made from date and title."
        )

    def handle(self, *args, **options):
        source = Path(options["source"])
        try:
            data = source.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"{source}: no such file") from None
        except IsADirectoryError:
            raise CommandError(f"{source}: is a directory, not a transcript file") from None
        except OSError as error:
            raise CommandError(f"{source}: cannot read ({error.strerror})") from None
        # Role labels ("THE PRESIDENT") are resolved with the office table editors keep in
        # the database; without a database the transcript's own evidence has to do.
        unavailable = None
        try:
            offices = office_table()
        except DatabaseError as error:
            offices, unavailable = (), (str(error).strip() or "error").splitlines()[0]
        try:
            parsed = parse_transcript(data, source_name=source.name, offices=offices)
        except TranscriptError as error:
            raise CommandError(f"{source}: {error}") from None
        text = dumps(to_fixture(parsed, event_slug=options["slug"]))
        if unavailable is not None:
            self.stderr.write(
                self.style.WARNING(
                    f"{source}: no office table ({unavailable}); role labels such as "
                    '"THE PRESIDENT" resolved from the transcript alone'
                )
            )
        for warning in parsed.warnings:
            self.stderr.write(self.style.WARNING(f"{source}:{warning.line}: {warning.message}"))
        if options["output"]:
            output = Path(options["output"])
            try:
                write_atomically(output, text)
            except OSError as error:
                raise CommandError(f"{output}: cannot write ({error.strerror})") from None
            if options["verbosity"] >= 1:
                speech = sum(1 for turn in parsed.turns if turn.speaker)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{options['output']}: {len(parsed.turns)} turns ({speech} speech), "
                        f"{len(parsed.speakers)} speakers, {len(parsed.warnings)} warnings"
                    )
                )
        else:
            self.stdout.write(text, ending="")
