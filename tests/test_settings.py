"""Settings come from the environment, with safe defaults."""

import json

import pytest

from .conftest import run_python

PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']), 'host': db.get('HOST'), "
    "'debug': settings.DEBUG, 'hosts': settings.ALLOWED_HOSTS, 'key': settings.SECRET_KEY, "
    "'cors': settings.CORS_ALLOWED_ORIGINS, 'health': db['CONN_HEALTH_CHECKS'], "
    "'prepare': db.get('OPTIONS', {}).get('prepare_threshold', 'unset'), "
    "'parallel': settings.DB_PARALLEL_WORKERS}))"
)


def load_settings(**environment):
    environment["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return run_python("-c", PROBE, environment=environment, timeout=60)


def test_defaults_are_the_embedded_postgresql_with_debug_off():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["engine"] == "config.localdb"
    assert loaded["name"] == "interviews"
    assert loaded["debug"] is False
    assert loaded["hosts"] == ["localhost", "127.0.0.1", "[::1]"]
    assert loaded["cors"] == []  # no browser origin may read the API unless configured


def test_everything_from_the_environment():
    result = load_settings(
        DATABASE_URL="postgres://app:secret@db.example:5432/transcripts",
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_DEBUG="true",
        DJANGO_ALLOWED_HOSTS="api.example.org, www.example.org",
        DJANGO_CORS_ALLOWED_ORIGINS="https://app.example.org",
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["engine"] == "django.db.backends.postgresql"
    assert (loaded["name"], loaded["host"]) == ("transcripts", "db.example")
    assert loaded["debug"] is True
    assert loaded["hosts"] == ["api.example.org", "www.example.org"]
    assert loaded["key"] == "k" * 50
    assert loaded["cors"] == ["https://app.example.org"]


@pytest.mark.parametrize("value", ["0", "false", "no", ""])
def test_debug_stays_off_for_false_values(value):
    assert json.loads(load_settings(DJANGO_DEBUG=value).stdout)["debug"] is False


def test_a_malformed_boolean_is_a_clear_error():
    result = load_settings(DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG='maybe' is not a boolean" in result.stderr


def test_database_connection_options():
    pg = "postgres://app@db.example:5432/transcripts"
    default = json.loads(load_settings(DATABASE_URL=pg).stdout)
    assert (default["health"], default["prepare"]) == (False, 1)
    assert default["parallel"] == 0
    unset = load_settings(DATABASE_URL=pg, DJANGO_DB_PARALLEL_WORKERS="")
    assert json.loads(unset.stdout)["parallel"] is None
    changed = load_settings(
        DATABASE_URL=pg, DJANGO_CONN_HEALTH_CHECKS="1", DJANGO_DB_PREPARED_QUERIES="0"
    )
    assert (json.loads(changed.stdout)["health"], json.loads(changed.stdout)["prepare"]) == (
        True,
        None,
    )
    assert json.loads(load_settings().stdout)["prepare"] == 1  # the embedded server too


@pytest.mark.parametrize(
    "url", ["sqlite:///db.sqlite3", "mysql://app@db.example/transcripts", "not a url"]
)
def test_a_database_other_than_postgresql_is_refused_in_one_line(url):
    result = run_python("manage.py", "check", environment={"DATABASE_URL": url})
    assert result.returncode != 0
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("configuration error: DATABASE_URL="), line
    assert "the project runs on PostgreSQL only" in line, line


@pytest.mark.django_db
def test_connections_plan_without_parallel_workers():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
