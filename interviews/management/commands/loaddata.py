from django.core.management.commands import loaddata

from interviews.corrections import ImportGuard


class Command(loaddata.Command):
    help = (
        "Installs the named fixture(s) in the database, keeping every correction editors "
        "made in the admin (corrected fields, split or joined turns, merged participants)."
    )

    def handle(self, *fixture_labels, **options):
        self.guard = ImportGuard()
        super().handle(*fixture_labels, **options)
        if self.guard.kept_records and options["verbosity"] >= 1:
            self.stdout.write(self.style.WARNING(self.guard.summary()))

    def save_obj(self, obj):
        if not self.guard.prepare(obj):
            return False
        return super().save_obj(obj)
