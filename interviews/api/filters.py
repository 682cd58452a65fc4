"""One FilterSet per list endpoint. Unknown names match nothing; malformed values are a 400."""

from django import forms
from django.db.models import Exists, OuterRef
from django.db.models.expressions import RawSQL
from django.forms.utils import pretty_name
from django.http import QueryDict
from django_filters import rest_framework as filters
from django_filters.utils import translate_validation

from ..models import Appearance, Event, Outlet, Participant, Turn
from .search import search
from .selectors import (
    RANKED,
    listed,
    outlets_named,
    participant_ids_lookup,
    participants_with_name_part,
)


class _SharedFields(dict):
    """A form's fields, shared by its instances instead of deep-copied for each one.

    A Form copies its fields per instance so that one may change them; these forms only
    validate query parameters (and render in the browsable API), which changes nothing.
    """

    def __deepcopy__(self, memo):
        return dict(self)


class FilterSet(filters.FilterSet):
    """django-filter's FilterSet with its form class built once, not per request, and each
    filter labelled by its parameter ("Date after") rather than by a model field and
    lookup it may not have.

    The stock FilterSet makes a form class (a field per filter) for every request and
    the form deep-copies its fields; these filters' fields depend on nothing in the
    request. It pays on every page of turns (bench/ab.py, bench/RESULTS.md).
    """

    @classmethod
    def get_filters(cls):
        found = super().get_filters()
        for name, filter_ in found.items():
            if filter_._label is None:
                filter_.label = pretty_name(name)
        return found

    @classmethod
    def _form_class(cls):
        if "_cached_form_class" not in cls.__dict__:
            fields = {name: filter_.field for name, filter_ in cls.base_filters.items()}
            form_class = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
            form_class.base_fields = _SharedFields(form_class.base_fields)
            cls._cached_form_class = form_class
        return cls._cached_form_class

    def get_form_class(self):
        return self._form_class()

    @classmethod
    def validate(cls, data: QueryDict) -> dict:
        """The cleaned values of data (query parameters), or the 400 naming a bad one:
        what is_valid() checks, without a FilterSet instance (which copies every filter)."""
        form = cls._form_class()(data)
        if not form.is_valid():
            raise translate_validation(form.errors)
        return form.cleaned_data


class _RepeatableWidget(forms.TextInput):
    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return ",".join(value for value in values if value) or None


class RepeatableCharFilter(filters.CharFilter):
    """A text filter that may be repeated (?x=a&x=b) or given as a comma list (?x=a,b): OR."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra["widget"] = _RepeatableWidget


MAX_ID = 2**63 - 1


class IdFilter(filters.NumberFilter):
    """A row id: a whole number within the database's bigint range."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class SearchFilter(filters.CharFilter):
    """`q`: full-text search (see interviews.api.search)."""

    def __init__(self, *args, search_fields=("text",), **kwargs):
        super().__init__(*args, **kwargs)
        self.search_fields = search_fields

    def filter(self, queryset, value):
        if not value:
            return queryset
        return search(queryset, value, self.search_fields)


class TurnFilter(FilterSet):
    """The parameters of the turn lists: validated here (a 400 names a bad one), read by
    interviews.api.selectors.TurnQuery.from_filters, which holds the SQL of each."""

    speaker = RepeatableCharFilter(
        help_text=(
            "Speaker slug, full name or alias, case- and accent-insensitive. "
            "Repeat the parameter or separate values by commas for OR."
        ),
    )
    event = RepeatableCharFilter(help_text="Event slug; repeat or comma-separate for OR.")
    outlet = RepeatableCharFilter(
        help_text=(
            "Outlet slug or name: turns of speakers appearing for that outlet at that event. "
            "Repeat or comma-separate for OR."
        ),
    )
    kind = filters.MultipleChoiceFilter(
        choices=Turn.Kind.choices,
        distinct=False,
        help_text=(
            "Kind of turn; repeat for OR. question: a non-principal speaker asks (a question "
            "mark or 'I would like to ask…'); answer: the principal's next turn after a "
            "question; speech: any other speech; narrative: text that is not speech."
        ),
    )
    date_after = filters.DateFilter(
        field_name="event_date",
        lookup_expr="gte",
        help_text="Event on or after (YYYY-MM-DD).",
    )
    date_before = filters.DateFilter(
        field_name="event_date",
        lookup_expr="lte",
        help_text="Event on or before (YYYY-MM-DD).",
    )
    in_reply_to = IdFilter(
        field_name="in_reply_to_id",
        help_text="Id of the question turn these answer.",
    )
    q = filters.CharFilter(
        help_text=(
            'Full-text search of the text: words (English stemming), "exact phrase", '
            "or, -exclude. Results are ordered by relevance unless `ordering` says otherwise, "
            f"and carry a `highlight`. The first {RANKED} matches found are ranked; any "
            "others follow them in date order."
        ),
    )
    ordering = filters.ChoiceFilter(
        choices=[
            ("date", "Event date, then sequence (default)"),
            ("-date", "Newest event first, last turn first"),
            # Without q every turn matches equally: ties are in date order.
            (
                "relevance",
                f"Best match first, ties by date (the default with q; of the first {RANKED} "
                "matches found, then the others by date)",
            ),
        ],
        help_text="Order of results.",
    )

    class Meta:
        model = Turn
        fields = [
            "speaker",
            "event",
            "outlet",
            "kind",
            "date_after",
            "date_before",
            "in_reply_to",
            "q",
            "ordering",
        ]


class EventFilter(FilterSet):
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
        help_text="Events where this participant (slug, name or alias) appears; OR if several.",
    )
    outlet = RepeatableCharFilter(
        method="filter_outlet",
        help_text="Events with a participant appearing for this outlet (slug or name).",
    )
    q = SearchFilter(
        search_fields=("title", "summary"),
        help_text='Full-text search of title and summary ("phrase", or, -exclude).',
    )

    class Meta:
        model = Event
        fields = ["date_after", "date_before", "participant", "outlet", "q"]

    @property
    def qs(self):
        queryset = super().qs
        if self.form.cleaned_data.get("q"):
            queryset = queryset.order_by("-rank", "-date", "slug")
        return queryset

    def filter_participant(self, queryset, name, value: str):
        names = listed(value)
        if not names:
            return queryset.none()
        # Reviewed: participant_ids_lookup's values are %s parameters (selectors' docstring).
        ids = RawSQL(*participant_ids_lookup(names))  # nosec B611
        matching = Appearance.objects.filter(event=OuterRef("pk"), participant_id__in=ids)
        return queryset.filter(Exists(matching))

    def filter_outlet(self, queryset, name, value: str):
        ids = outlets_named(listed(value))
        matching = Appearance.objects.filter(event=OuterRef("pk"), outlets__in=ids)
        return queryset.filter(Exists(matching))


class ParticipantFilter(FilterSet):
    name = filters.CharFilter(
        method="filter_name",
        help_text="Part of the name or of an alias, case- and accent-insensitive.",
    )
    event = RepeatableCharFilter(
        method="filter_event", help_text="Participants of this event (slug); OR if several."
    )
    outlet = RepeatableCharFilter(
        method="filter_outlet",
        help_text="Participants who appeared for this outlet (slug or name); OR if several.",
    )

    class Meta:
        model = Participant
        fields = ["name", "event", "outlet"]

    def filter_name(self, queryset, name, value: str):
        return queryset.filter(participants_with_name_part(value))

    def filter_event(self, queryset, name, value: str):
        matching = Appearance.objects.filter(
            participant=OuterRef("pk"), event__slug__in=[v.lower() for v in listed(value)]
        )
        return queryset.filter(Exists(matching))

    def filter_outlet(self, queryset, name, value: str):
        matching = Appearance.objects.filter(
            participant=OuterRef("pk"), outlets__in=outlets_named(listed(value))
        )
        return queryset.filter(Exists(matching))


class OutletFilter(FilterSet):
    name = filters.CharFilter(
        field_name="name", lookup_expr="icontains", help_text="Part of the outlet's name."
    )
    kind = filters.MultipleChoiceFilter(
        choices=Outlet.Kind.choices, distinct=False, help_text="Kind of outlet; repeat for OR."
    )

    class Meta:
        model = Outlet
        fields = ["name", "kind"]
