"""Imported rows have no history (imports are not edits). Before an editor's first change
to a row, its state as imported is recorded, so the history shows the original value and
the change can be reverted to it."""

from django.conf import settings
from django.db.backends.signals import connection_created
from django.db.models.signals import pre_save
from django.dispatch import receiver

IMPORTED = "As imported"


@receiver(pre_save, dispatch_uid="interviews.record_imported_state")
def record_imported_state(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or getattr(instance, "skip_history_when_saving", False):
        return
    if sender._meta.app_label != "interviews":
        return
    history = getattr(sender, "history", None)
    if history is None or history.filter(**{sender._meta.pk.attname: instance.pk}).exists():
        return
    stored = sender._default_manager.filter(pk=instance.pk).first()
    if stored is not None:
        stored._history_user = None  # the import, not the editor now logged in
        history.bulk_history_create([stored], default_change_reason=IMPORTED)


@receiver(connection_created, dispatch_uid="interviews.no_parallel_plans")
def limit_parallel_plans(sender, connection, **kwargs):
    """settings.DB_PARALLEL_WORKERS on each new PostgreSQL connection (see settings)."""
    workers = getattr(settings, "DB_PARALLEL_WORKERS", None)
    if workers is not None:
        with connection.cursor() as cursor:
            cursor.execute(f"SET max_parallel_workers_per_gather = {int(workers)}")
