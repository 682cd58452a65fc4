"""The database goes away and comes back while gunicorn keeps serving.

gunicorn reaches PostgreSQL through a TCP relay owned by the test: closing the
relay (its listener and every open connection) is, for the web process, the
database stopping; opening it again is the database coming back. The web
process is never restarted.
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import psycopg
import pytest

from .conftest import ROOT, SEED_FIXTURE, free_port, gunicorn_serving

DATABASE = "interviews_faults"
POSTGRES = ("127.0.0.1", 5432)


class Relay:
    """Forwards a local port to PostgreSQL until stopped; can start again on the same port."""

    def __init__(self):
        self.port = free_port()
        self._listener = None
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self):
        with self._lock:
            if self._listener:
                _close(self._listener)  # shutdown wakes the accept() blocked on it
                self._listener = None
            for connection in self._connections:
                _close(connection)
            self._connections.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(POSTGRES)
            with self._lock:
                self._connections += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=_pipe, args=(source, target), daemon=True).start()


def _pipe(source, target):
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    finally:
        _close(source)
        _close(target)


def _close(sock):
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def get(url, timeout=15):
    """(status, JSON body, seconds taken)."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    return status, json.loads(body), time.monotonic() - started


@pytest.fixture(scope="module")
def relay():
    relay = Relay()
    relay.start()
    yield relay
    relay.stop()


@pytest.fixture(scope="module")
def server(relay):
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        db.execute(f"CREATE DATABASE {DATABASE}")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{relay.port}/{DATABASE}",
        "DJANGO_SECRET_KEY": "faults-test-key",
        "DJANGO_DB_CONNECT_TIMEOUT": "2",
        "DJANGO_CONN_MAX_AGE": "600",  # keep connections: the relay will cut them
        "DJANGO_API_THROTTLE_ANON": "",
    }
    for command in (["migrate", "-v0"], ["load_fixtures", str(SEED_FIXTURE), "-v0"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300
        )
    with gunicorn_serving(env, workers=1) as base:
        yield base
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def test_database_down_then_back(server, relay):
    turns = f"{server}/api/turns?speaker=mikhail-gusman"
    status, body, _ = get(turns)
    assert status == 200 and len(body["results"]) == 16
    assert get(f"{server}/readyz")[:2] == (200, {"status": "ok", "database": "up"})

    relay.stop()  # PostgreSQL "stops": open connections drop, new ones are refused
    for url in (turns, f"{server}/api/events", turns):
        status, body, seconds = get(url)
        assert status == 503, body
        assert body == {"detail": "The database is unavailable; try again shortly."}
        assert seconds < 5
    assert get(f"{server}/readyz")[:2] == (503, {"status": "unavailable", "database": "down"})
    assert get(f"{server}/healthz")[:2] == (200, {"status": "ok"})

    relay.start()  # PostgreSQL is back; gunicorn was never restarted
    status, body, _ = get(turns)
    assert status == 200 and len(body["results"]) == 16
    assert get(f"{server}/readyz")[0] == 200
