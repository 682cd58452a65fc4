"""Imported rows have no history (imports are not edits). Before an editor's first change
to a row, its state as imported is recorded, so the history shows the original value and
the change can be reverted to it."""

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
