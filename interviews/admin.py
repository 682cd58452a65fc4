from django.contrib import admin
from django.db import models

from .models import Alias, Appearance, Event, Outlet, Participant, Turn


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 0
    fields = ["name"]


class AppearanceInline(admin.TabularInline):
    model = Appearance
    extra = 0
    autocomplete_fields = ["participant", "outlets"]
    fields = ["participant", "role", "outlets", "label"]
    readonly_fields = ["label"]


class TurnInline(admin.StackedInline):
    model = Turn
    fk_name = "event"
    extra = 0
    ordering = ["sequence"]
    autocomplete_fields = ["speaker"]
    fields = [
        ("sequence", "kind", "speaker"),
        "text",
        ("speaker_label", "attribution"),
        ("line_start", "line_end"),
    ]
    readonly_fields = ["speaker_label", "line_start", "line_end"]
    show_change_link = True


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "time", "location", "slug"]
    list_filter = ["date"]
    date_hierarchy = "date"
    search_fields = ["title", "slug", "summary"]
    readonly_fields = ["source_name", "source_sha256"]
    # Django 6's default; says so now instead of warning on every form.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [AppearanceInline, TurnInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_anonymous"]
    list_filter = ["is_anonymous"]
    search_fields = ["name", "slug", "aliases__name"]
    inlines = [AliasInline]


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]


@admin.register(Appearance)
class AppearanceAdmin(admin.ModelAdmin):
    list_display = ["participant", "event", "role"]
    list_select_related = ["participant", "event"]
    list_filter = ["outlets"]
    search_fields = ["participant__name", "event__title", "role"]
    autocomplete_fields = ["event", "participant", "outlets"]


@admin.register(Turn)
class TurnAdmin(admin.ModelAdmin):
    list_display = ["event", "sequence", "kind", "speaker", "short_text"]
    list_select_related = ["event", "speaker"]
    list_filter = ["kind", ("speaker", admin.RelatedOnlyFieldListFilter), "event"]
    search_fields = ["text", "speaker_label"]
    autocomplete_fields = ["event", "speaker", "in_reply_to"]
    readonly_fields = ["speaker_label", "line_start", "line_end"]
    ordering = ["event", "sequence"]

    @admin.display(description="text")
    def short_text(self, turn):
        return turn.text[:100]
