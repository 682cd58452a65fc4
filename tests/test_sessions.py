"""Editors' sessions and cookies: a working day, HttpOnly and SameSite everywhere, Secure in
production; a password change ends the account's other sessions."""

import json

from django.contrib.auth.models import User
from django.test import Client

from .conftest import run_python

PASSWORD = "right-horse-battery-9"


def login(client):
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    return response


def test_a_session_lasts_a_working_day_and_its_cookies_are_not_for_scripts(db):
    User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    client = Client()
    client.get("/admin/login/")  # the CSRF cookie
    csrf = client.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    session = login(client).cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"
    # Ends with the browser (no Max-Age), and on the server after nine hours at most.
    assert session["max-age"] == "" and session["expires"] == ""
    assert client.session.get_expiry_age() == 9 * 3600


def test_production_cookies_are_secure():
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
        "s.SESSION_COOKIE_AGE]))"
    )
    done = run_python(
        "-c",
        script,
        environment={
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": "k3y-" + "x7Qp" * 16,
            "DJANGO_SESSION_HOURS": "8",
        },
    )
    assert done.returncode == 0, done.stderr[-1000:]
    assert json.loads(done.stdout) == [True, True, True, True, "Lax", 8 * 3600]


def test_a_password_change_ends_the_other_sessions(db):
    User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    here, elsewhere = Client(), Client()
    login(here)
    login(elsewhere)
    assert elsewhere.get("/admin/").status_code == 200
    changed = here.post(
        "/admin/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-horse-battery-10",
            "new_password2": "another-horse-battery-10",
        },
    )
    assert changed.status_code == 302
    assert here.get("/admin/").status_code == 200  # this session was kept
    response = elsewhere.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
