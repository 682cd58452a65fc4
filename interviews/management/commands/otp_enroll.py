"""Give an editor a second factor: an authenticator app's secret and recovery codes."""

import base64

import segno
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10


class Command(BaseCommand):
    help = (
        "Enrol a staff account for the admin's second factor: prints, once, the secret for "
        "an authenticator app (as a QR code and as text) and 10 single-use recovery codes. "
        "Enrolling again replaces both."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--no-qr", action="store_true", help="print no QR code")

    def handle(self, username, no_qr=False, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no such user: {username}")
        if not user.is_staff:
            raise CommandError(f"{username} is not staff: the admin would not let them in")
        with transaction.atomic():
            TOTPDevice.objects.filter(user=user).delete()
            StaticDevice.objects.filter(user=user).delete()
            app = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)
            recovery = StaticDevice.objects.create(user=user, name="recovery codes")
            codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
            for code in codes:
                recovery.token_set.create(token=code)
        secret = base64.b32encode(app.bin_key).decode("ascii")
        if not no_qr:
            segno.make(app.config_url, error="m").terminal(out=self.stdout, compact=True)
        self.stdout.write(f"secret: {secret}")
        self.stdout.write(f"url: {app.config_url}")
        self.stdout.write("recovery codes (each works once; keep them somewhere safe):")
        for code in codes:
            self.stdout.write(f"  {code}")
