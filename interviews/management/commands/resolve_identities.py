from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from interviews.ingest.identities import identities_resolve
from interviews.models import Event


class Command(BaseCommand):
    help = (
        "Resolve the speakers of imported events to people again, with the current rules and "
        "office table (THE PRESIDENT -> who held the office that day, MS. PSAKI -> Jen Psaki). "
        "Editors' corrections are kept, as on re-import. Prints what was merged and split."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "events", nargs="*", metavar="EVENT", help="Event slugs (default: every event)."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would change, and change nothing.",
        )

    def handle(self, *args, **options):
        slugs = list(dict.fromkeys(options["events"]))
        try:
            with transaction.atomic():
                events = Event.objects.all()
                if slugs:
                    events = events.filter(slug__in=slugs)
                    missing = sorted(set(slugs) - set(events.values_list("slug", flat=True)))
                    if missing:
                        raise CommandError(f"no such event: {', '.join(missing)}")
                result = identities_resolve(events=events)
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except DatabaseError as error:
            reason = (str(error).strip() or "error").splitlines()[0]
            raise CommandError(f"nothing was changed: {reason}") from None
        verbosity = options["verbosity"]
        if verbosity >= 1:
            for old, into, turns in result.merged:
                self.stdout.write(f"merged {old} into {into} ({turns} turns)")
            for old, parts in result.split:
                shown = ", ".join(f"{slug} ({turns})" for slug, turns in parts[:5])
                more = f" and {len(parts) - 5} more" if len(parts) > 5 else ""
                self.stdout.write(f"split {old} into {shown}{more}")
            if verbosity >= 2:
                for slug in result.created:
                    self.stdout.write(f"new participant {slug}")
            prefix = "would have resolved" if options["dry_run"] else "resolved"
            self.stdout.write(
                self.style.SUCCESS(
                    f"{prefix} {result.events} events: {result.turns_moved} turns moved, "
                    f"{len(result.merged)} merged, {len(result.split)} split, "
                    f"{len(result.created)} new participants, {result.kept} corrected "
                    f"records kept, {result.skipped} events left as editors split or joined them"
                )
            )
