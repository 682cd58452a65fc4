from django.db.models import Count, Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action

from .filters import EventFilter, OutletFilter, ParticipantFilter, TurnFilter
from .models import Appearance, Event, Outlet, Participant, Turn, attach_appearances
from .serializers import (
    EventDetailSerializer,
    EventSerializer,
    OutletSerializer,
    ParticipantDetailSerializer,
    ParticipantSerializer,
    TurnSerializer,
)

TURNS = Turn.objects.select_related("event", "speaker")


class TurnSerializationMixin:
    """Serialise turns with their speaker's appearance fetched in bulk (no N+1)."""

    def get_serializer(self, *args, **kwargs):
        if args and self.get_serializer_class() is TurnSerializer:
            instance = args[0]
            attach_appearances(list(instance) if kwargs.get("many") else [instance])
        return super().get_serializer(*args, **kwargs)


class EventViewSet(TurnSerializationMixin, viewsets.ReadOnlyModelViewSet):
    """Meetings, interviews and press conferences, newest first."""

    queryset = Event.objects.annotate(turn_count=Count("turns")).order_by("-date", "slug")
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filterset_class = EventFilter

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "appearances",
                    queryset=Appearance.objects.select_related("participant")
                    .prefetch_related("outlets")
                    .order_by("participant__name"),
                )
            )
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return EventDetailSerializer
        if self.action == "turns":
            return TurnSerializer
        return EventSerializer

    @extend_schema(filters=False, responses=TurnSerializer(many=True))
    @action(detail=True, filterset_class=None, filter_backends=[])
    def turns(self, request, slug=None):
        """The turns of one event in order: the transcript."""
        event = self.get_object()
        page = self.paginate_queryset(TURNS.filter(event=event).order_by("sequence"))
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)


class ParticipantViewSet(viewsets.ReadOnlyModelViewSet):
    """People who speak in the transcripts, and anonymous classes such as "Journalist"."""

    queryset = (
        Participant.objects.annotate(turn_count=Count("turns"))
        .prefetch_related("aliases")
        .order_by("name", "slug")
    )
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filterset_class = ParticipantFilter

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "appearances",
                    queryset=Appearance.objects.select_related("event")
                    .prefetch_related("outlets")
                    .order_by("-event__date", "event__slug"),
                )
            )
        return queryset

    def get_serializer_class(self):
        return ParticipantDetailSerializer if self.action == "retrieve" else ParticipantSerializer


class OutletViewSet(viewsets.ReadOnlyModelViewSet):
    """Media organisations that participants appear for."""

    queryset = Outlet.objects.order_by("name", "slug")
    serializer_class = OutletSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filterset_class = OutletFilter


class TurnViewSet(TurnSerializationMixin, viewsets.ReadOnlyModelViewSet):
    """Every turn of speech and narrative passage, by event date then sequence."""

    queryset = TURNS.order_by("event__date", "event_id", "sequence")
    serializer_class = TurnSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = TurnFilter
