"""Backups that restore (django-dbbackup with interviews/backups.py): every row and every
editor's correction back; a backup of another schema version refused; a failed restore
changes nothing; the embedded server backed up and restored alike."""

import pytest
from django.core.management import call_command
from django.db import connection

from config import localdb
from interviews.editing import services
from interviews.models import Correction, Participant, Turn

from .conftest import SEED_FIXTURE, database_url_of_tests, run_python


def manage(*args, **environment):
    return run_python("manage.py", *args, environment=environment, timeout=300)


def state():
    """Every table of the project's, as text, in a stable order."""
    tables = [t for t in connection.introspection.table_names() if t.startswith("interviews_")]
    found = {}
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f'SELECT t::text FROM "{table}" t ORDER BY 1')
            found[table] = [row[0] for row in cursor.fetchall()]
    return found


@pytest.fixture
def corrected(transactional_db):
    """The seed, with an editor's correction (a reassigned speaker, recorded)."""
    from django.contrib.auth.models import User

    call_command("load_fixtures", SEED_FIXTURE, verbosity=0)
    turn = Turn.objects.get(speaker__slug="vladislav-fronin")
    turn.speaker = Participant.objects.get(slug="mikhail-gusman")
    turn.save()
    editor = User.objects.create_user("editor")
    services.correction_record(instance=turn, fields=["speaker"], user=editor)
    return turn


def test_a_backup_restores_every_row_and_the_corrections(corrected, tmp_path):
    url = database_url_of_tests()
    before = state()
    backup = tmp_path / "archive.sql"
    made = manage("dbbackup", "-O", str(backup), DATABASE_URL=url)
    assert made.returncode == 0, made.stderr[-2000:]
    Turn.objects.filter(sequence__gt=40).delete()
    Correction.objects.all().delete()
    assert state() != before
    restored = manage("dbrestore", "-I", str(backup), "--noinput", DATABASE_URL=url)
    assert restored.returncode == 0, restored.stderr[-2000:]
    assert state() == before
    turn = Turn.objects.get(pk=corrected.pk)
    assert turn.speaker.slug == "mikhail-gusman"
    assert Correction.objects.get(object_id=turn.pk).field == "speaker"


def test_a_backup_of_another_schema_version_is_refused_and_changes_nothing(corrected, tmp_path):
    url = database_url_of_tests()
    backup = tmp_path / "archive.sql"
    assert manage("dbbackup", "-O", str(backup), DATABASE_URL=url).returncode == 0
    Turn.objects.filter(sequence__gt=80).delete()
    with connection.cursor() as cursor:  # the code moved on: a migration the backup lacks
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('interviews', %s, now())",
            ["9999_later"],
        )
    before = state()
    refused = manage("dbrestore", "-I", str(backup), "--noinput", DATABASE_URL=url)
    assert refused.returncode != 0
    assert refused.stderr.strip().splitlines()[-1] == (
        "CommandError: the backup is of another schema version: the database has 1"
        " migration(s) it lacks (first: interviews.9999_later). Restore it with the code"
        " of its version; nothing was changed."
    )
    assert "Traceback" not in refused.stderr
    assert state() == before


def test_a_restore_that_fails_midway_changes_nothing(corrected, tmp_path):
    url = database_url_of_tests()
    backup = tmp_path / "archive.sql"
    assert manage("dbbackup", "-O", str(backup), DATABASE_URL=url).returncode == 0
    text = backup.read_bytes()
    cut = text.index(b"COPY public.interviews_turn ")  # after the migrations, inside the data
    (tmp_path / "cut.sql").write_bytes(
        text[:cut] + b"COPY public.interviews_turn (id) FROM stdin;\nx\n"
    )
    Turn.objects.filter(sequence__gt=80).delete()
    before = state()
    failed = manage("dbrestore", "-I", str(tmp_path / "cut.sql"), "--noinput", DATABASE_URL=url)
    assert failed.returncode != 0 and "Traceback" not in failed.stderr
    assert (
        failed.stderr.strip()
        .splitlines()[-1]
        .startswith("CommandError: restore failed, nothing changed: ")
    )
    assert state() == before


def test_the_embedded_server_is_backed_up_and_restored(tmp_path):
    folder = tmp_path / "pg"
    embedded = {"DJANGO_EMBEDDED_DB_DIR": str(folder)}
    try:
        for command in (["migrate", "-v0"], ["load_fixtures", str(SEED_FIXTURE), "-v0"]):
            done = manage(*command, **embedded)
            assert done.returncode == 0, done.stderr[-2000:]
        backup = tmp_path / "laptop.sql"
        assert manage("dbbackup", "-O", str(backup), **embedded).returncode == 0
        count = "from interviews.models import Turn; print(Turn.objects.count())"
        deleted = "from interviews.models import Turn; Turn.objects.filter(sequence__gt=9).delete()"
        assert manage("shell", "-v0", "-c", deleted, **embedded).returncode == 0
        assert manage("shell", "-v0", "-c", count, **embedded).stdout.strip() == "9"
        restored = manage("dbrestore", "-I", str(backup), "--noinput", **embedded)
        assert restored.returncode == 0, restored.stderr[-2000:]
        assert manage("shell", "-v0", "-c", count, **embedded).stdout.strip() == "87"
    finally:
        localdb.stop(folder)
