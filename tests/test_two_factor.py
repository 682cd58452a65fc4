"""The admin's second factor (django-otp): required where settings.OTP_REQUIRED (production),
a TOTP app or a single-use recovery code after the password; enrolment by a command."""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import run_python

PASSWORD = "right-horse-battery-9"


@pytest.fixture
def enrolled(db, settings):
    """An editor enrolled: their recovery codes; the second factor required."""
    settings.OTP_REQUIRED = True
    User.objects.create_user("editor", password=PASSWORD, is_staff=True, is_superuser=True)
    out = io.StringIO()
    call_command("otp_enroll", "editor", stdout=out)
    printed = out.getvalue()
    secret = re.search(r"^secret: ([A-Z2-7]+)$", printed, re.M)[1]
    assert "otpauth://totp/" in printed and "\u2588" in printed  # the QR code, in blocks
    return re.findall(r"^  ([a-z0-9]{8})$", printed, re.M), secret


def current_token():
    device = TOTPDevice.objects.get(user__username="editor")
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def log_in(client, token=None, device=TOTPDevice):
    """The admin's login form: the password, then the device chosen and its token."""
    data = {"username": "editor", "password": PASSWORD, "next": "/admin/"}
    if token is not None:
        chosen = device.objects.get(user__username="editor")
        data.update(otp_device=chosen.persistent_id, otp_token=token)
    return client.post("/admin/login/", data)


def reaches_the_admin(client):
    return client.get("/admin/").status_code == 200


def test_the_password_alone_does_not_reach_the_admin(enrolled):
    client = Client()
    response = log_in(client)
    assert response.status_code == 200  # the form again, asking for a device and its token
    page = response.content.decode()
    assert 'name="otp_token"' in page and 'name="otp_device"' in page
    assert not reaches_the_admin(client)


def test_password_and_a_valid_token_do_and_a_reused_or_wrong_one_does_not(enrolled):
    client = Client()
    token = current_token()
    assert log_in(client, token).status_code == 302
    assert reaches_the_admin(client)
    again = Client()
    assert log_in(again, token).status_code == 200  # the same token, twice: refused
    assert not reaches_the_admin(again)
    wrong = Client()
    assert log_in(wrong, "000000" if token != "000000" else "111111").status_code == 200
    assert not reaches_the_admin(wrong)


def test_a_recovery_code_works_once(enrolled):
    codes, _ = enrolled
    assert len(codes) == 10
    first = Client()
    assert log_in(first, codes[0], StaticDevice).status_code == 302
    assert reaches_the_admin(first)
    second = Client()
    assert log_in(second, codes[0], StaticDevice).status_code == 200
    assert not reaches_the_admin(second)


def test_a_session_logged_in_without_a_device_is_not_let_in(enrolled):
    """A session that passed only the password (force_login) is not verified."""
    client = Client()
    client.force_login(User.objects.get(username="editor"))
    assert not reaches_the_admin(client)


def test_enrolling_again_replaces_the_secret_and_codes(enrolled):
    codes, secret = enrolled
    out = io.StringIO()
    call_command("otp_enroll", "editor", "--no-qr", stdout=out)
    assert secret not in out.getvalue()
    assert (
        Client()
        .post("/admin/login/", {"username": "editor", "password": PASSWORD, "otp_token": codes[1]})
        .status_code
        == 200
    )


def test_enrolment_refuses_unknown_and_non_staff_accounts(db):
    User.objects.create_user("reader", password=PASSWORD)
    with pytest.raises(CommandError, match=r"^no such user: nobody$"):
        call_command("otp_enroll", "nobody")
    with pytest.raises(CommandError, match="is not staff"):
        call_command("otp_enroll", "reader")


def test_without_the_requirement_the_password_is_enough(db, settings):
    settings.OTP_REQUIRED = False
    User.objects.create_user("editor", password=PASSWORD, is_staff=True)
    client = Client()
    assert log_in(client).status_code == 302 and reaches_the_admin(client)


def test_production_requires_it():
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.OTP_REQUIRED)"
    )
    production = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "k3y-" + "x7Qp" * 16,
    }
    assert run_python("-c", script, environment=production).stdout.strip() == "True"
    development = {"DJANGO_SETTINGS_MODULE": "config.settings"}
    assert run_python("-c", script, environment=development).stdout.strip() == "False"
