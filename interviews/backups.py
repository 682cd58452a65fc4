"""Backups of the database with django-dbbackup, and restores that refuse a mismatch.

`manage.py dbbackup -O FILE` and `manage.py dbrestore -I FILE --noinput` use this
connector (settings.DBBACKUP_CONNECTORS): PostgreSQL's own pg_dump and psql, the
embedded wheel's (PostgreSQL 18), whichever server DATABASE_URL names — a newer pg_dump
reads an older server, so one pair of tools serves a laptop's embedded server and
production alike. The backup is SQL (`-z` compresses it): pg_restore 18 sets a
PostgreSQL 17 parameter on any server, which an older one refuses, while the SQL
pg_dump writes is the source server's own. A restore is one transaction that stops at
the first error (nothing changed then), and it first compares the backup's applied
migrations with the database's: a backup of another schema version is refused with
one line, before anything is touched.
"""

from dbbackup.db.exceptions import CommandConnectorError
from dbbackup.db.postgresql import PgDumpConnector
from django.core.management.base import CommandError
from django.db.migrations.recorder import MigrationRecorder

from config import localdb

# pg_dump 18 writes this on any server; PostgreSQL before 17 does not know the parameter.
_NEWER_SERVERS_ONLY = b"SET transaction_timeout = 0;\n"


class Connector(PgDumpConnector):
    dump_cmd = str(localdb.binaries() / "pg_dump")
    restore_cmd = str(localdb.binaries() / "psql")

    @property
    def settings(self):
        settings = super().settings
        if settings["ENGINE"] == "config.localdb":
            # The embedded server: started if need be, reached by its own socket.
            server = localdb.ensure_running()
            settings["HOST"], settings["PORT"] = str(server.socket_dir), server.port
        return settings

    def _restore_dump(self, dump):
        in_backup = self._migrations_in(dump)
        dump.seek(0)
        applied = set(MigrationRecorder(self.connection).applied_migrations())
        if in_backup != applied:
            newer, older = sorted(applied - in_backup), sorted(in_backup - applied)
            raise CommandError(
                "the backup is of another schema version: "
                + "; ".join(
                    part
                    for part in (
                        f"the database has {len(newer)} migration(s) it lacks"
                        f" (first: {'.'.join(newer[0])})"
                        if newer
                        else "",
                        f"it has {len(older)} the database lacks (first: {'.'.join(older[0])})"
                        if older
                        else "",
                    )
                    if part
                )
                + ". Restore it with the code of its version; nothing was changed."
            )
        if self.connection.pg_version < 170000:
            dump = _without(dump, _NEWER_SERVERS_ONLY)
        try:
            return super()._restore_dump(dump)
        except CommandConnectorError as error:
            raise CommandError(f"restore failed, nothing changed: {_first_error(error)}") from None

    def _create_dump(self):
        try:
            return super()._create_dump()
        except CommandConnectorError as error:
            raise CommandError(f"backup failed: {_first_error(error)}") from None

    def _migrations_in(self, dump) -> set[tuple[str, str]]:
        """The (app, name) pairs of the backup's django_migrations table, read line by
        line from its COPY block (a backup may be gigabytes)."""
        dump.seek(0)
        lines = iter(dump)
        for line in lines:
            if line.startswith(b"COPY public.django_migrations "):
                break
        else:
            raise CommandError("the backup has no django_migrations table: not this project's")
        found = set()
        for line in lines:
            if line.rstrip(b"\n") == b"\\.":
                return found
            _, app, name, *_ = line.decode("utf-8").rstrip("\n").split("\t")
            found.add((app, name))
        raise CommandError("the backup ends inside its django_migrations table: it is cut off")


def _without(dump, line: bytes):
    """The dump without that exact line (copied to a temporary file, as dbbackup does)."""
    import tempfile

    dump.seek(0)
    kept = tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024)  # noqa: SIM115 (returned open)
    for each in dump:
        if each != line:
            kept.write(each)
    kept.seek(0)
    return kept


def _first_error(error: Exception) -> str:
    """The tool's first ERROR line (psql and pg_dump say several), else the message's last."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    errors = [line for line in lines if "ERROR" in line or "error:" in line]
    return (errors or lines or ["unknown error"])[0]
