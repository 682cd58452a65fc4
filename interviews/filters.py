from django.db.models import Q
from django_filters import rest_framework as filters

from .models import Event, Outlet, Participant, Turn
from .parsing import name_key


def _values(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def participants_named(values: list[str]):
    """Participants whose slug, name or alias matches one of the values (case/accent-blind)."""
    keys = [name_key(value) for value in values]
    slugs = [value.lower() for value in values]
    return Participant.objects.filter(
        Q(slug__in=slugs) | Q(name_key__in=keys) | Q(aliases__key__in=keys)
    ).values("pk")


def outlets_named(values: list[str]):
    query = Q(slug__in=[value.lower() for value in values])
    for value in values:
        query |= Q(name__iexact=value)
    return Outlet.objects.filter(query).values("pk")


class RepeatableCharFilter(filters.CharFilter):
    """A text filter that may be repeated (?x=a&x=b) or given as a comma list (?x=a,b)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra["widget"] = _RepeatableWidget


class _RepeatableWidget(filters.CharFilter.field_class.widget):
    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        joined = ",".join(value for value in values if value)
        return joined or None


class TurnFilter(filters.FilterSet):
    speaker = RepeatableCharFilter(
        method="filter_speaker",
        help_text=(
            "Speaker slug, full name or alias, case- and accent-insensitive. "
            "Repeat the parameter or separate values by commas for OR."
        ),
    )
    event = filters.CharFilter(field_name="event__slug", help_text="Event slug.")
    kind = filters.ChoiceFilter(choices=Turn.Kind.choices, help_text="Kind of turn.")
    in_reply_to = filters.NumberFilter(
        field_name="in_reply_to_id", help_text="Id of the turn this one answers."
    )

    class Meta:
        model = Turn
        fields = ["speaker", "event", "kind", "in_reply_to"]

    def filter_speaker(self, queryset, name, value: str):
        return queryset.filter(speaker__in=participants_named(_values(value)))


class EventFilter(filters.FilterSet):
    date_after = filters.DateFilter(
        field_name="date", lookup_expr="gte", help_text="Events on or after this date (YYYY-MM-DD)."
    )
    date_before = filters.DateFilter(
        field_name="date",
        lookup_expr="lte",
        help_text="Events on or before this date (YYYY-MM-DD).",
    )
    participant = RepeatableCharFilter(
        method="filter_participant",
        help_text="Events where this participant (slug, name or alias) appears.",
    )
    outlet = RepeatableCharFilter(
        method="filter_outlet", help_text="Events with a participant appearing for this outlet."
    )

    class Meta:
        model = Event
        fields = ["date_after", "date_before", "participant", "outlet"]

    def filter_participant(self, queryset, name, value: str):
        ids = participants_named(_values(value))
        return queryset.filter(
            pk__in=Event.objects.filter(appearances__participant__in=ids).values("pk")
        )

    def filter_outlet(self, queryset, name, value: str):
        ids = outlets_named(_values(value))
        return queryset.filter(
            pk__in=Event.objects.filter(appearances__outlets__in=ids).values("pk")
        )


class ParticipantFilter(filters.FilterSet):
    name = filters.CharFilter(
        method="filter_name",
        help_text="Part of the name or of an alias, case- and accent-insensitive.",
    )
    event = filters.CharFilter(
        field_name="appearances__event__slug", help_text="Participants of this event (slug)."
    )

    class Meta:
        model = Participant
        fields = ["name", "event"]

    def filter_name(self, queryset, name, value: str):
        key = name_key(value)
        matching = Participant.objects.filter(
            Q(name_key__contains=key) | Q(aliases__key__contains=key)
        ).values("pk")
        return queryset.filter(pk__in=matching)


class OutletFilter(filters.FilterSet):
    name = filters.CharFilter(
        field_name="name", lookup_expr="icontains", help_text="Part of the outlet's name."
    )
    kind = filters.ChoiceFilter(choices=Outlet.Kind.choices, help_text="Kind of outlet.")

    class Meta:
        model = Outlet
        fields = ["name", "kind"]
