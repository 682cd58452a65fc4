"""A failure at any point of an import leaves the database exactly as it was.

The fault is injected in PostgreSQL itself: a row trigger on every table of the
app counts the rows an import writes and raises at the N-th, so the test holds
whatever path the import takes (ORM saves, bulk inserts or COPY).
"""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from interviews.ingest.imports import transcript_import

from .conftest import SEED_FIXTURE, SEED_TRANSCRIPT

OTHER = (
    "Earlier talk\n\n1 March 2021\n\nIlham Aliyev: Hello again.\n\n"
    "Mikhail Gusman: Welcome back. Shall we start?\n"
)


def tables():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename LIKE 'interviews\\_%' ORDER BY tablename"
        )
        return [row[0] for row in cursor.fetchall()]


def snapshot():
    """Every row of every table of the app, as text."""
    state = {}
    with connection.cursor() as cursor:
        for table in tables():
            cursor.execute(f"SELECT t::text FROM {table} t ORDER BY 1")
            state[table] = [row[0] for row in cursor.fetchall()]
    return state


@pytest.fixture
def fault():
    """fault(n): the n-th row written from now on raises. Returns rows written so far."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE SEQUENCE IF NOT EXISTS injected_fault_rows")
        cursor.execute("CREATE TABLE IF NOT EXISTS injected_fault (at bigint)")
        cursor.execute(
            """
            CREATE OR REPLACE FUNCTION injected_fault() RETURNS trigger AS $$
            BEGIN
              IF nextval('injected_fault_rows') = (SELECT at FROM injected_fault LIMIT 1) THEN
                RAISE EXCEPTION 'injected fault in %', TG_TABLE_NAME;
              END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql
            """
        )
        for table in tables():
            cursor.execute(
                f"CREATE TRIGGER injected_fault BEFORE INSERT OR UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION injected_fault()"
            )

    def arm(at):
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval('injected_fault_rows', 1, false)")
            cursor.execute("DELETE FROM injected_fault")
            cursor.execute("INSERT INTO injected_fault VALUES (%s)", [at])

    def written():
        with connection.cursor() as cursor:
            cursor.execute("SELECT last_value - 1 + is_called::int FROM injected_fault_rows")
            return cursor.fetchone()[0]

    arm.written = written
    return arm


IMPORTS = {
    "import_transcripts": lambda: transcript_import(
        data=SEED_TRANSCRIPT.read_bytes(), source_name="seed.txt"
    ),
    "load_fixtures": lambda: call_command("load_fixtures", SEED_FIXTURE, verbosity=0),
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", IMPORTS)
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_a_failed_import_changes_nothing(fault, path, where):
    transcript_import(data=OTHER.encode(), source_name="other.txt")
    before = snapshot()

    # A dry run, in a transaction rolled back, counts the rows this import writes.
    fault(at=-1)
    with pytest.raises(RuntimeError), transaction.atomic():
        IMPORTS[path]()
        rows = fault.written()
        raise RuntimeError("roll back the dry run")
    assert snapshot() == before
    assert rows > 100  # the seed: 87 turns, 16 people, 11 outlets, ...

    fault(at={"first": 1, "middle": rows // 2, "last": rows}[where])
    # transcript_import raises the database's error; the command says it in one line.
    with pytest.raises((DatabaseError, CommandError), match="injected fault"):
        IMPORTS[path]()
    assert snapshot() == before
