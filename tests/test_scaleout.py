"""Several web processes behaving as one: the throttle counted in a shared Redis.

A real redis-server (Debian's, started here on a port of its own) and gunicorn with two
workers; requests on new connections land on either worker."""

import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from django.core.management import call_command

from .conftest import SEED_FIXTURE, free_port, gunicorn_serving

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture
def redis_url(tmp_path):
    """A redis-server of this test's own, keeping nothing on disk; its URL."""
    if not shutil.which(REDIS_SERVER):
        pytest.fail("redis-server is missing: apt-get install -y redis-server (make test does)")
    port = free_port()
    options = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", tmp_path]
    server = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if _redis(port, "PING") == "+PONG":
                break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0", server, port
    finally:
        server.terminate()
        server.wait(timeout=10)


def _redis(port, *command):
    """One command in Redis' inline protocol; the first line of the answer (None: down)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall((" ".join(command) + "\r\n").encode())
            return connection.recv(4096).decode().split("\r\n")[0]
    except OSError:
        return None


def _statuses(url, count):
    statuses = []
    for _ in range(count):
        try:
            with urllib.request.urlopen(f"{url}/api/outlets", timeout=5) as answer:
                statuses.append(answer.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    return statuses


@pytest.mark.django_db(transaction=True)
def test_every_worker_counts_a_client_in_one_place(redis_url):
    url_of_redis, _, port = redis_url
    call_command("load_fixtures", SEED_FIXTURE, verbosity=0)
    environment = {"DJANGO_CACHE_URL": url_of_redis, "DJANGO_API_THROTTLE_ANON": "6/minute"}
    with gunicorn_serving(environment, workers=2) as url:
        statuses = _statuses(url, 14)
    # Two workers counting apart would let up to 12 through.
    assert statuses == [200] * 6 + [429] * 8, statuses
    keys = _redis(port, "KEYS", "*throttle_anon_*")
    assert keys and keys.startswith("*1"), keys  # one counter, for 127.0.0.1


@pytest.mark.django_db(transaction=True)
def test_redis_down_leaves_the_api_answering(redis_url):
    """A counter, not data: without Redis requests go unthrottled (and it is logged)."""
    url_of_redis, server, _ = redis_url
    call_command("load_fixtures", SEED_FIXTURE, verbosity=0)
    server.terminate()
    server.wait(timeout=10)
    environment = {"DJANGO_CACHE_URL": url_of_redis, "DJANGO_API_THROTTLE_ANON": "2/minute"}
    with gunicorn_serving(environment, workers=1) as url:
        statuses = _statuses(url, 4)
        with urllib.request.urlopen(f"{url}/api/schema/?format=json", timeout=5) as schema:
            assert "paths" in json.loads(schema.read())
    assert statuses == [200] * 4


def test_a_cache_url_that_is_not_redis_is_one_line():
    from .conftest import run_python

    done = run_python("manage.py", "check", environment={"DJANGO_CACHE_URL": "memcached://x"})
    assert done.returncode != 0
    assert "DJANGO_CACHE_URL='memcached://x': use redis://host:6379/0" in done.stderr
    assert "Traceback" not in done.stderr
