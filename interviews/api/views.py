from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from ..models import Appearance, Event, Outlet, Participant, ParticipantRedirect, Turn
from . import selectors
from .exports import CSVExportMixin
from .filters import MAX_ID, EventFilter, OutletFilter, ParticipantFilter, TurnFilter
from .pagination import TurnCursorPagination
from .renderers import JSONRenderer
from .selectors import TurnQuery
from .serializers import (
    EventDetailSerializer,
    EventSerializer,
    OutletSerializer,
    ParticipantDetailSerializer,
    ParticipantSerializer,
    TurnSerializer,
)


def _total(queryset, expression):
    """A correlated subquery: one number per outer row, computed only for the rows returned."""
    return Coalesce(
        Subquery(
            queryset.order_by()
            .annotate(group=Value(1))
            .values("group")
            .annotate(total=expression)
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _date(day) -> str:
    return day.isoformat() if day else ""


# A turn's CSV row: columns of a TurnRow (interviews.api.selectors).
TURN_CSV_COLUMNS = [
    ("id", lambda t: t.id),
    ("event", lambda t: t.event_slug),
    ("date", lambda t: _date(t.event_day)),
    ("sequence", lambda t: t.sequence),
    ("speaker", lambda t: t.speaker_slug or ""),
    ("speaker_name", lambda t: t.speaker_name or ""),
    ("speaker_label", lambda t: t.speaker_label),
    ("role", lambda t: t.role),
    ("outlets", lambda t: "; ".join(t.outlet_names)),
    ("kind", lambda t: t.kind),
    ("in_reply_to", lambda t: t.in_reply_to_id or ""),
    ("text", lambda t: t.text),
    # Last, so that readers of the columns before it by position are not disturbed.
    ("offset", lambda t: "" if t.offset is None else t.offset),
]


class TurnListMixin(CSVExportMixin):
    """Lists of turns: read by interviews.api.selectors, a page (JSON) or a stream (CSV)."""

    def page_response(self, page):
        serializer = TurnSerializer(context=self.get_serializer_context())
        return self.get_paginated_response([serializer.to_representation(row) for row in page])


@extend_schema_view(
    list=extend_schema(summary="List events"),
    retrieve=extend_schema(summary="Get an event"),
)
class EventViewSet(TurnListMixin, viewsets.ReadOnlyModelViewSet):
    """Meetings, interviews and press conferences, newest first."""

    queryset = Event.objects.annotate(
        turn_count=_total(Turn.objects.filter(event=OuterRef("pk")), Count("*")),
        word_count=_total(Turn.objects.filter(event=OuterRef("pk")), Sum("word_count")),
    ).order_by("-date", "slug")
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filterset_class = EventFilter
    csv_actions = ("list", "turns")
    csv_columns_of = {"turns": TURN_CSV_COLUMNS}
    event_csv_columns = [
        ("slug", lambda e: e.slug),
        ("title", lambda e: e.title),
        ("date", lambda e: e.date.isoformat() if e.date else ""),
        ("time", lambda e: e.time.isoformat(timespec="minutes") if e.time else ""),
        ("location", lambda e: e.location),
        ("source_url", lambda e: e.source_url),
        ("turn_count", lambda e: e.turn_count),
        ("word_count", lambda e: e.word_count),
        ("summary", lambda e: e.summary),
    ]

    @property
    def csv_columns(self):
        return TURN_CSV_COLUMNS if self.action == "turns" else self.event_csv_columns

    def get_queryset(self):
        if self.action == "turns":
            # Whether the event exists: not its turn and word totals.
            return Event.objects.only("id", "slug")
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

    def get_object(self):
        event = super().get_object()
        if self.action == "retrieve":
            _attach_word_shares(event)
        return event

    @extend_schema(
        summary="Get an event's transcript",
        filters=False,
        responses=TurnSerializer(many=True),
    )
    @action(
        detail=True,
        filterset_class=None,
        filter_backends=[],
        pagination_class=TurnCursorPagination,
    )
    def turns(self, request, slug=None, format=None):
        """The turns of one event in order: the transcript."""
        # The event by its slug inside the page's statement: one round trip. An empty
        # page asks whether the event exists at all (a 404 if not).
        query = TurnQuery.of_event(slug)
        if self.wants_csv():
            self.get_object()  # a 404 before the stream starts
            return self.csv_response(query.stream())
        try:
            page = self.paginate_queryset(query)
        except ValidationError:
            self.get_object()  # no such event: a 404 before a bad parameter's 400
            raise
        if not page:
            self.get_object()
        return self.page_response(page)


def _attach_word_shares(event):
    """Turns, words and share of the event's words for each appearance, in one query."""
    totals = {
        row["speaker"]: row
        for row in Turn.objects.filter(event=event, speaker__isnull=False)
        .values("speaker")
        .annotate(turns=Count("id"), words=Sum("word_count"))
        .order_by()
    }
    spoken = sum(row["words"] for row in totals.values()) or 1
    for appearance in event.appearances.all():
        row = totals.get(appearance.participant_id, {"turns": 0, "words": 0})
        appearance.turn_count = row["turns"]
        appearance.word_count = row["words"]
        appearance.word_share = round(row["words"] / spoken, 4)


@extend_schema_view(
    list=extend_schema(summary="List participants"),
    retrieve=extend_schema(summary="Get a participant"),
)
class ParticipantViewSet(CSVExportMixin, viewsets.ReadOnlyModelViewSet):
    """People who speak in the transcripts, and anonymous classes such as "Journalist"."""

    queryset = (
        Participant.objects.annotate(
            turn_count=_total(Turn.objects.filter(speaker=OuterRef("pk")), Count("*")),
            word_count=_total(Turn.objects.filter(speaker=OuterRef("pk")), Sum("word_count")),
            event_count=_total(Appearance.objects.filter(participant=OuterRef("pk")), Count("*")),
        )
        .prefetch_related("aliases")
        .order_by("name", "slug")
    )
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filterset_class = ParticipantFilter
    csv_columns = [
        ("slug", lambda p: p.slug),
        ("name", lambda p: p.name),
        ("is_anonymous", lambda p: p.is_anonymous),
        ("aliases", lambda p: "; ".join(a.name for a in p.aliases.all())),
        ("turn_count", lambda p: p.turn_count),
        ("word_count", lambda p: p.word_count),
        ("event_count", lambda p: p.event_count),
    ]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list" and not self.wants_csv():
            # As a plain list: ParticipantSerializer's direct path reads it without making
            # a related manager and a queryset per participant.
            queryset = queryset.prefetch_related(None).prefetch_related(
                Prefetch("aliases", to_attr="alias_list")
            )
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

    def retrieve(self, request, *args, **kwargs):
        try:
            return super().retrieve(request, *args, **kwargs)
        except Http404:
            redirect = ParticipantRedirect.objects.filter(slug=kwargs["slug"]).first()
            if redirect is None:
                raise
            # Merged into another participant: send clients to the survivor.
            return HttpResponsePermanentRedirect(
                reverse("participant-detail", kwargs={"slug": redirect.participant.slug})
            )


@extend_schema_view(
    list=extend_schema(summary="List outlets"),
    retrieve=extend_schema(summary="Get an outlet"),
)
class OutletViewSet(CSVExportMixin, viewsets.ReadOnlyModelViewSet):
    """Media organisations that participants appear for."""

    queryset = Outlet.objects.order_by("name", "slug")
    serializer_class = OutletSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filterset_class = OutletFilter
    csv_columns = [
        ("slug", lambda o: o.slug),
        ("name", lambda o: o.name),
        ("kind", lambda o: o.kind),
    ]


@extend_schema_view(
    list=extend_schema(summary="List turns"),
    retrieve=extend_schema(
        summary="Get a turn",
        # The path's digits, read as a number: no turn beyond a bigint, so a 404 there.
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="The turn's id.")
        ],
    ),
)
class TurnViewSet(TurnListMixin, viewsets.ReadOnlyModelViewSet):
    """Every turn of speech and narrative passage; by event date then sequence unless asked."""

    # The model, for the router and the schema: turns are read by interviews.api.selectors.
    queryset = Turn.objects.all()
    serializer_class = TurnSerializer
    filterset_class = TurnFilter
    pagination_class = TurnCursorPagination
    csv_columns = TURN_CSV_COLUMNS
    lookup_value_regex = "[0-9]+"

    def list(self, request, *args, **kwargs):
        # The FilterSet's form validates (a 400 names the bad parameter); its values.
        query = TurnQuery.from_filters(TurnFilter.validate(request.query_params))
        if self.wants_csv():
            return self.csv_response(query.stream())
        return self.page_response(self.paginate_queryset(query))

    def retrieve(self, request, *args, **kwargs):
        pk = int(kwargs["pk"])
        if pk > MAX_ID:  # names no turn (PostgreSQL would refuse the number)
            raise NotFound()
        row = selectors.turn(pk)
        if row is None:
            raise NotFound("No Turn matches the given query.")
        serializer = TurnSerializer(context=self.get_serializer_context())
        return Response(serializer.to_representation(row))


def api_not_found(request, *args, **kwargs):
    """JSON 404 for any /api/ path that names no endpoint."""
    return JsonResponse({"detail": "Not found."}, status=404)


class SchemaView(SpectacularAPIView):
    """The OpenAPI document (YAML by default, JSON by Accept or ?format=json); its errors
    (a POST's 405, a `format` it does not offer) in JSON, as the rest of the API answers."""

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
