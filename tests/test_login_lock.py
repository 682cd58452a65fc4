"""The admin's door: wrong passwords for one account from one address are limited
(django-axes), cheaply, for that pair only, and an administrator can unlock it."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import base_user
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

LOGIN = "/admin/login/"
PASSWORD = "right-horse-battery-9"


@pytest.fixture
def editors(db):
    return [
        User.objects.create_user(name, password=PASSWORD, is_staff=True)
        for name in ("editor", "other-editor")
    ]


def attempt(username, password, address="203.0.113.7"):
    return Client(REMOTE_ADDR=address).post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}
    )


def logged_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_five_failures_then_refused_even_with_the_right_password(editors):
    for _ in range(4):
        response = attempt("editor", "wrong")
        assert response.status_code == 200  # the form again
    locked = attempt("editor", "wrong")  # the fifth failure: locked from now on
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert attempt("editor", PASSWORD).status_code == 429


def test_a_locked_out_attempt_hashes_no_password(editors, monkeypatch):
    for _ in range(5):
        attempt("editor", "wrong")
    hashed = []
    for name in ("check_password", "make_password"):
        real = getattr(base_user, name)
        monkeypatch.setattr(
            base_user, name, lambda *a, _real=real, **k: hashed.append(1) or _real(*a, **k)
        )
    assert attempt("editor", "wrong").status_code == 429
    assert attempt("editor", PASSWORD).status_code == 429
    assert hashed == []
    assert logged_in(attempt("other-editor", PASSWORD)) and hashed  # others are checked


def test_only_that_account_from_that_address_is_locked(editors):
    for _ in range(6):
        attempt("editor", "wrong")
    assert logged_in(attempt("other-editor", PASSWORD))  # another editor, same address
    assert logged_in(attempt("editor", PASSWORD, address="198.51.100.4"))  # elsewhere


def test_the_refusal_does_not_tell_whether_the_account_exists(editors):
    for name in ("editor", "nobody-by-this-name"):
        for _ in range(6):
            response = attempt(name, "wrong")
        assert response.status_code == 429
    assert attempt("editor", "wrong").content == attempt("nobody-by-this-name", "wrong").content


def test_a_command_unlocks_and_the_cool_off_ends_it(editors):
    import datetime

    for _ in range(6):
        attempt("editor", "wrong")
    call_command("axes_reset_username", "editor")
    assert logged_in(attempt("editor", PASSWORD))
    for _ in range(6):
        attempt("editor", "wrong")
    assert attempt("editor", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert logged_in(attempt("editor", PASSWORD))


def test_superusers_see_failures_in_the_admin(editors, admin_client):
    for _ in range(6):
        attempt("editor", "wrong")
    page = admin_client.get("/admin/axes/accessattempt/")
    assert page.status_code == 200
    assert "editor" in page.content.decode() and "203.0.113.7" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_through_a_live_server_with_two_workers():
    """40 wrong passwords for one editor over new connections (either worker): refused
    from the fifth on; the right one refused meanwhile while another editor logs in;
    the unlock command, then the cool-off, let the right password in again."""
    import re

    import requests

    from .conftest import database_url_of_tests, gunicorn_serving, run_python

    for name in ("editor", "other-editor"):
        User.objects.create_user(name, password=PASSWORD, is_staff=True)

    def post(url, username, password):
        with requests.Session() as browser:  # a new connection, and a new CSRF cookie
            form = browser.get(f"{url}{LOGIN}", timeout=10).text
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
            answer = browser.post(
                f"{url}{LOGIN}",
                {"username": username, "password": password, "csrfmiddlewaretoken": token},
                headers={"Referer": f"{url}{LOGIN}"},
                allow_redirects=False,
                timeout=10,
            )
            return answer.status_code

    with gunicorn_serving({"DJANGO_API_THROTTLE_ANON": ""}, workers=2) as url:
        statuses = [post(url, "editor", "wrong") for _ in range(40)]
        assert statuses == [200] * 4 + [429] * 36, statuses
        assert post(url, "editor", PASSWORD) == 429
        assert post(url, "other-editor", PASSWORD) == 302
        unlocked = run_python(
            "manage.py",
            "axes_reset_username",
            "editor",
            environment={"DATABASE_URL": database_url_of_tests()},
        )
        assert unlocked.returncode == 0, unlocked.stderr[-1000:]
        assert post(url, "editor", PASSWORD) == 302
        for _ in range(5):
            post(url, "editor", "wrong")
        assert post(url, "editor", PASSWORD) == 429
        import datetime

        AccessAttempt.objects.update(
            attempt_time=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
        )  # the cool-off has passed
        assert post(url, "editor", PASSWORD) == 302


def test_behind_a_trusted_proxy_the_lockout_counts_by_the_clients_address(editors, settings):
    """With one proxy in front, every request comes from its address: the client's is the
    one the proxy appended to X-Forwarded-For (what a client wrote before it is ignored)."""
    settings.TRUSTED_PROXIES = 1
    proxy = "10.0.0.2"

    def through_proxy(client_address, password, claimed=""):
        forwarded = f"{claimed}, {client_address}" if claimed else client_address
        return Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded).post(
            LOGIN, {"username": "editor", "password": password, "next": "/admin/"}
        )

    for _ in range(5):
        through_proxy("203.0.113.7", "wrong", claimed="198.51.100.99")
    assert through_proxy("203.0.113.7", PASSWORD).status_code == 429
    assert logged_in(through_proxy("198.51.100.4", PASSWORD))  # another client, same proxy
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
