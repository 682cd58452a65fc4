"""The editing tool. Every change is recorded (django-simple-history) and kept across imports."""

from django.contrib import admin
from django.contrib.postgres.search import SearchQuery
from django.db import models
from django.db.models import Count
from django.db.models.functions import Coalesce
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from ..api.search import CONFIG
from ..api.selectors import participants_with_name_part
from ..models import (
    Alias,
    Appearance,
    Correction,
    Event,
    Office,
    OfficeHolder,
    Outlet,
    OutletAlias,
    Participant,
    Turn,
)
from . import actions as admin_actions
from . import services
from .filters import AutocompleteFilter, AutocompleteFilterMedia
from .paginators import EstimatedCountPaginator


class CorrectionsMixin:
    """Records the fields an editor changes, so imports keep them (interviews.ingest.loading)."""

    # Identity fields: changing them would orphan the row from its transcript.
    identity_fields: tuple[str, ...] = ("slug",)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + list(self.identity_fields) if obj is not None else readonly

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            services.correction_record(instance=obj, fields=form.changed_data, user=request.user)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        structure_changed = bool(formset.deleted_objects)
        for inline_form in formset.forms:
            instance = inline_form.instance
            if not inline_form.has_changed() or instance.pk is None:
                continue
            if instance in formset.new_objects:
                structure_changed |= isinstance(instance, Turn)
                fields = [f.name for f in instance._meta.concrete_fields if f.editable]
            else:
                fields = inline_form.changed_data
            services.correction_record(instance=instance, fields=fields, user=request.user)
        if structure_changed and isinstance(form.instance, Event):
            services.correction_record(
                instance=form.instance, fields=[Correction.STRUCTURE], user=request.user
            )


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1
    fields = ["name"]


class OutletAliasInline(admin.TabularInline):
    model = OutletAlias
    extra = 1
    fields = ["name", "slug"]
    readonly_fields = ["slug"]


class AppearanceInline(admin.TabularInline):
    model = Appearance
    extra = 0
    autocomplete_fields = ["participant", "outlets"]
    fields = ["participant", "role", "outlets", "label"]
    readonly_fields = ["label"]


@admin.register(Event)
class EventAdmin(CorrectionsMixin, SimpleHistoryAdmin):
    list_display = ["title", "date", "time", "location", "slug"]
    list_filter = ["date"]
    date_hierarchy = "date"
    search_fields = ["title", "slug", "summary"]
    readonly_fields = ["transcript", "source_name", "source_sha256"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # The turns are edited in their own list, a page at a time (an event may have
    # hundreds: a form with a widget for each of them was seconds and megabytes).
    inlines = [AppearanceInline]

    @admin.display(description="transcript")
    def transcript(self, event):
        if event.pk is None:
            return "-"
        count = event.turns.count()
        url = reverse("admin:interviews_turn_changelist") + f"?event__id__exact={event.pk}"
        return format_html(
            '<a href="{}">{} turn{}, in order</a>: edit, reassign, split or join them there.',
            url,
            count,
            pluralize(count),
        )


@admin.register(Participant)
class ParticipantAdmin(CorrectionsMixin, SimpleHistoryAdmin):
    list_display = ["name", "slug", "is_anonymous", "turn_count"]
    list_filter = ["is_anonymous"]
    search_fields = ["name", "slug", "aliases__name"]
    readonly_fields = ["turn_count"]
    inlines = [AliasInline]
    actions = [admin_actions.merge_participants, admin_actions.split_participant]

    def get_queryset(self, request):
        # Counted for the rows shown, by the speaker index: a Count over the join
        # counted every turn of every participant for each page (not sortable for that).
        turns = Turn.objects.filter(speaker=models.OuterRef("pk")).order_by()
        counted = turns.values("speaker").annotate(n=Count("*")).values("n")
        queryset = (
            super()
            .get_queryset(request)
            .annotate(number_of_turns=Coalesce(models.Subquery(counted), 0))
        )
        return queryset.order_by("name", "slug")

    def get_search_results(self, request, queryset, search_term):
        """Part of a name or an alias, case- and accent-blind, by the trigram indexes (the
        API's `name=`); or the slug. The changelist and the autocomplete use it."""
        if not search_term.strip():
            return queryset, False
        matching = models.Q(participants_with_name_part(search_term)) | models.Q(
            slug=search_term.strip().lower()
        )
        return queryset.filter(matching), False

    @admin.display(description="turns")
    def turn_count(self, participant):
        return participant.number_of_turns

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            # The old name stays findable: filters and re-imports still reach this person.
            services.alias_add(participant=obj, name=form.initial["name"])


@admin.register(Outlet)
class OutletAdmin(CorrectionsMixin, SimpleHistoryAdmin):
    list_display = ["name", "slug", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "aliases__name"]
    inlines = [OutletAliasInline]
    actions = [admin_actions.merge_outlets]


@admin.register(Appearance)
class AppearanceAdmin(CorrectionsMixin, SimpleHistoryAdmin):
    list_display = ["participant", "event", "role"]
    list_select_related = ["participant", "event"]
    list_filter = ["outlets"]
    search_fields = ["participant__name", "event__title", "role"]
    autocomplete_fields = ["event", "participant", "outlets"]
    identity_fields = ("event", "participant")


class OutletFilter(admin.SimpleListFilter):
    """Turns of speakers appearing for an outlet at the turn's event."""

    title = "outlet"
    parameter_name = "outlet"

    def lookups(self, request, model_admin):
        return Outlet.objects.values_list("slug", "name")

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        appearing = Appearance.objects.filter(
            event=models.OuterRef("event"),
            participant=models.OuterRef("speaker"),
            outlets__slug=self.value(),
        )
        return queryset.filter(models.Exists(appearing))


@admin.register(Turn)
class TurnAdmin(AutocompleteFilterMedia, CorrectionsMixin, SimpleHistoryAdmin):
    list_display = ["sequence", "speaker", "kind", "short_text", "short_event"]
    list_display_links = ["sequence"]
    list_select_related = ["event", "speaker"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    # "Show counts" counted every turn once per filter choice.
    show_facets = admin.ShowFacets.NEVER
    list_filter = [
        "kind",
        ("speaker", AutocompleteFilter),
        OutletFilter,
        ("event", AutocompleteFilter),
    ]
    search_fields = ["text", "speaker_label"]
    autocomplete_fields = ["speaker", "in_reply_to"]
    readonly_fields = ["event", "sequence", "speaker_label", "line_start", "line_end", "offset"]
    ordering = ["event", "sequence"]
    identity_fields = ()
    actions = [
        admin_actions.reassign_speaker,
        admin_actions.mark_narrative,
        admin_actions.split_turn,
        admin_actions.join_turns,
    ]

    @admin.display(description="text")
    def short_text(self, turn):
        return turn.text[:100]

    @admin.display(description="event")
    def short_event(self, turn):
        return f"{turn.event.date or 'undated'} {turn.event.title[:40]}"

    def get_search_results(self, request, queryset, search_term):
        """Full-text search, as the API's `q` (web-search syntax), by the GIN index."""
        if not search_term.strip():
            return queryset, False
        query = SearchQuery(search_term, search_type="websearch", config=CONFIG)
        return queryset.filter(search_vector=query), False


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """What imports will keep: read-only, written by the editing tools."""

    list_display = ["model", "object_id", "field", "user", "created"]
    list_filter = ["model", "field"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OfficeHolderInline(admin.TabularInline):
    model = OfficeHolder
    extra = 1
    fields = ["person", "start", "end", "slug"]
    readonly_fields = ["slug"]


@admin.register(Office)
class OfficeAdmin(CorrectionsMixin, SimpleHistoryAdmin):
    """The dated table role labels ("THE PRESIDENT") are resolved with on import."""

    list_display = ["name", "label_lines", "holder_count"]
    search_fields = ["name", "labels", "holders__person"]
    inlines = [OfficeHolderInline]

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ["name"]} if obj is None else {}  # the slug is fixed once made

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(number_of_holders=Count("holders"))

    @admin.display(description="labels")
    def label_lines(self, office):
        return ", ".join(office.label_list)

    @admin.display(description="holders", ordering="number_of_holders")
    def holder_count(self, office):
        return office.number_of_holders
