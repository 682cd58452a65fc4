"""Imports keep editors' corrections.

Fixtures carry natural keys, so loading one again finds the existing rows and
would overwrite them. Before each object of an import is saved, ImportGuard
puts back every field an editor corrected (services and the admin record them
as Correction rows), and leaves alone all turns of an event whose turns an
editor split or joined. Merged participants and outlets are reached through
their redirects (see the managers' get_by_natural_key), so an import adds no
twin. Imports write no history: the history is the editors'.
"""

from collections import Counter

from .models import UNDATED, Correction, Event, Outlet, Participant, Turn

# Fields computed from another field: restored together with it.
DERIVED = {
    ("interviews.participant", "name"): ["name_key"],
    ("interviews.alias", "name"): ["key"],
    ("interviews.turn", "text"): ["word_count"],
}


class ImportGuard:
    def __init__(self) -> None:
        self.kept = Counter()  # model label -> corrected records kept
        self.kept_fields = 0
        self._structure_corrected: dict[int, bool] = {}
        self._event_dates: dict[int, object] = {}

    @property
    def kept_records(self) -> int:
        return sum(self.kept.values())

    def prepare(self, deserialized) -> bool:
        """Adjust a deserialized object before it is saved; False means do not save it."""
        instance = deserialized.object
        instance.skip_history_when_saving = True
        label = instance._meta.label_lower
        if isinstance(instance, Turn):
            # The event's date as it now stands (an editor may have corrected it).
            instance.event_date = self._event_date(instance.event_id)
        if isinstance(instance, Turn) and self._turns_corrected(instance.event_id):
            if instance.pk is not None:
                self.kept[label] += 1
            return False
        if instance.pk is None:
            return True
        if self._redirected(instance):
            # A merged-away participant or outlet: its survivor's row is the editors'.
            self.kept[label] += 1
            return False
        fields = list(
            Correction.objects.filter(model=label, object_id=instance.pk).values_list(
                "field", flat=True
            )
        )
        if not fields:
            return True
        current = type(instance)._default_manager.filter(pk=instance.pk).first()
        if current is None:
            return True
        for name in fields:
            if name == Correction.STRUCTURE:
                continue  # handled per turn above
            field = instance._meta.get_field(name)
            if field.many_to_many:
                deserialized.m2m_data.pop(name, None)
                continue
            for attribute in [field.attname, *DERIVED.get((label, name), [])]:
                setattr(instance, attribute, getattr(current, attribute))
        self.kept[label] += 1
        self.kept_fields += len(fields)
        return True

    def summary(self) -> str:
        parts = ", ".join(
            f"{count} {label.split('.')[1]}" for label, count in sorted(self.kept.items())
        )
        return f"Kept {self.kept_records} corrected records ({parts}); editors' values win."

    @staticmethod
    def _redirected(instance) -> bool:
        if not isinstance(instance, Participant | Outlet):
            return False
        stored = type(instance)._default_manager.filter(pk=instance.pk).values_list("slug")
        return stored.first() != (instance.slug,)

    def _event_date(self, event_id):
        if event_id not in self._event_dates:
            date = Event.objects.filter(pk=event_id).values_list("date", flat=True).first()
            self._event_dates[event_id] = date or UNDATED
        return self._event_dates[event_id]

    def _turns_corrected(self, event_id) -> bool:
        if event_id not in self._structure_corrected:
            self._structure_corrected[event_id] = Correction.objects.filter(
                model="interviews.event", object_id=event_id, field=Correction.STRUCTURE
            ).exists()
        return self._structure_corrected[event_id]
