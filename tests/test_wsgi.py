"""What the WSGI process does for its memory: responses freed when sent, start-up frozen."""

import gc
import io
import weakref
from contextlib import contextmanager

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from .conftest import run_python

RELEASE = "interviews.middleware.ReleaseResponseMiddleware"


@contextmanager
def kept_test_transaction():
    """As Django's test client does: requests do not close the test's connection."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def served_and_sent(path):
    """A weak reference to the response of a fresh WSGI handler (the settings'
    middleware) to GET path, after the body was sent and the response closed, with the
    garbage collector off."""
    handler = WSGIHandler()
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
    }
    statuses = []
    with kept_test_transaction():
        response = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
        assert statuses == ["200 OK"]
        assert b"".join(response)
        sent = weakref.ref(response)
        response.close()  # what the server does once it has sent the body
    return sent


@pytest.fixture
def no_collector():
    gc.collect()
    gc.disable()
    yield
    gc.enable()


@pytest.mark.parametrize(
    "path",
    [
        "/api/turns",
        "/api/events/2022-02-23-ilham-aliyev-met-with-the-heads-of-russias-top-mass-media/turns",
        "/api/participants",
        "/api/schema/",
    ],
)
def test_a_sent_response_is_freed_without_the_garbage_collector(seed, no_collector, path):
    assert served_and_sent(path)() is None  # freed by reference counting, with its data


def test_without_the_release_a_response_waits_for_the_collector(seed, settings, no_collector):
    """DRF's cycles (response -> renderer_context -> view -> response) are still there:
    the middleware is what frees the response."""
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != RELEASE]
    sent = served_and_sent("/api/turns")
    assert sent() is not None
    gc.collect()
    assert sent() is None


def test_the_wsgi_module_freezes_what_start_up_made():
    result = run_python(
        "-c",
        "import gc; before = gc.get_freeze_count(); import config.wsgi; "
        "print(before, gc.get_freeze_count())",
    )
    assert result.returncode == 0, result.stderr
    before, after = map(int, result.stdout.split())
    assert before == 0 and after > 10_000


def test_the_site_has_sessions_users_and_messages(db, client, admin_user):
    """(The history's user of an admin change: tests/test_admin_actions.py.)"""
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    request = response.wsgi_request
    assert request.user == admin_user and request.session.session_key
    assert hasattr(request, "_messages")
    assert client.get("/healthz").wsgi_request.user.is_authenticated
