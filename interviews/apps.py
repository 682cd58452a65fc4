from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "interviews"
    verbose_name = "Interview transcripts"

    def ready(self):
        # The receivers, and the admin's registrations: admin.py lives with the rest of
        # the editing wing, where Django's autodiscovery does not look.
        from . import signals  # noqa: F401
        from .editing import admin  # noqa: F401
