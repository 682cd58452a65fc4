from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "interviews"
    verbose_name = "Interview transcripts"

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers)
