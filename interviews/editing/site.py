"""The admin site: a second factor after the password where settings.OTP_REQUIRED says so.

django-otp's admin site, named "admin" (the URLs stay admin:…). With OTP_REQUIRED (on in
production) the login asks for a one-time password from the editor's authenticator app
(TOTP) or one of their recovery codes, and only a session verified that way reaches the
admin: a password alone does not. Without it (a laptop) the login is Django's own, so
`make run` needs no phone. Enrolment: `manage.py otp_enroll USERNAME`.
"""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class EditorsAdminSite(OTPAdminSite):
    def __init__(self, name="admin"):
        super().__init__(name)

    # Read on each request, so a test (or a setting) can turn the second factor on.
    @property
    def login_form(self):
        return OTPAdminAuthenticationForm if settings.OTP_REQUIRED else AdminAuthenticationForm

    @property
    def login_template(self):
        return "otp/admin111/login.html" if settings.OTP_REQUIRED else None

    def has_permission(self, request):
        if settings.OTP_REQUIRED:
            return super().has_permission(request)  # staff, and verified by a device
        return AdminSite.has_permission(self, request)
