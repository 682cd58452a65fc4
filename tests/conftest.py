import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]
SEED_TRANSCRIPT = ROOT / "fixtures" / "transcripts" / "2022-02-23-tass-russian-media-heads.txt"
SEED_FIXTURE = ROOT / "fixtures" / "2022-02-23-tass-russian-media-heads.json"


def run_python(*args, environment=None, timeout=120):
    """`python *args` in the project folder, its output captured, in the environment a
    fresh shell would give it: none of this process's DJANGO_* settings or DATABASE_URL
    (the settings' defaults apply), then `environment`."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    env.update(environment or {})
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def seed(db):
    """The seed transcript's committed fixture, loaded; returns its Event."""
    from interviews.models import Event

    call_command("load_fixtures", SEED_FIXTURE, verbosity=0)
    return Event.objects.get()


@pytest.fixture
def editor_login(client, db):
    """The test client logged in as a member of the Editors group (made by a migration)."""
    from django.contrib.auth.models import Group, User

    editor = User.objects.create_user("editor", password="pw-editor-17", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


@pytest.fixture
def api(client):
    """A test client that asks for JSON."""

    class JSONClient:
        def get(self, path, **extra):
            extra.setdefault("HTTP_ACCEPT", "application/json")
            return client.get(path, **extra)

    return JSONClient()


@pytest.fixture(autouse=True)
def fresh_throttle():
    """Throttle counts live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()


def bitmap_plan(queryset=None, statement=None) -> str:
    """PostgreSQL's plan for a queryset, or a statement (sql, params), with only bitmap
    scans allowed: the test data is too small to need an index, and a bitmap scan needs a
    matching index condition."""
    from django.db import connection

    sql, params = statement or queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def empty_database_url(django_db_blocker):
    """A DATABASE_URL for a new, empty database on the tests' server (dropped afterwards)."""
    import uuid
    from urllib.parse import quote

    import psycopg
    from django.db import connection

    with django_db_blocker.unblock():
        params = connection.get_connection_params()
    server = {key: params[key] for key in ("host", "port", "user", "password") if params.get(key)}
    name = f"empty_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    user = quote(server.get("user", ""), safe="")
    password = f":{quote(server['password'], safe='')}" if server.get("password") else ""
    host = quote(str(server.get("host", "")), safe="")
    port = f":{server['port']}" if server.get("port") else ""
    yield f"postgres://{user}{password}@{host}{port}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_url_of_tests():
    """The URL of the test database (for a server process the test starts)."""
    from django.db import connection

    settings_dict = connection.settings_dict
    return (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}"
        f"/{settings_dict['NAME']}"
    )


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn_serving(environment, workers=2):
    """gunicorn serving the project on the test database, as `make run` does; its URL.

    environment is added to this one (DATABASE_URL is the test database's)."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_tests(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        **environment,
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    # Its log to a file: a pipe nobody reads would fill and stop the workers.
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [gunicorn, "config.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):
                try:
                    urllib.request.urlopen(f"{url}/healthz", timeout=2).close()
                    break
                except OSError:
                    if server.poll() is not None:
                        log.seek(0)
                        pytest.fail(f"gunicorn exited: {log.read().decode()[-2000:]}")
                    time.sleep(0.1)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)


@pytest.fixture
def served_seed(transactional_db):
    """The seed in the test database, served by gunicorn as `make run` serves it (two
    workers, throttle off: a run is thousands of requests from one address); its URL."""
    call_command("load_fixtures", SEED_FIXTURE, verbosity=0)
    with gunicorn_serving({"DJANGO_API_THROTTLE_ANON": ""}) as url:
        yield url
