"""Admin actions with an intermediate page: reassign, merge, split; and the plain ones."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.db.models import Count, Q
from django.template.response import TemplateResponse

from ..models import Appearance, Event, Participant, Turn
from . import services

APPLY = "apply"
# A participant at more events than this picks them by autocomplete, not checkboxes.
CHECKBOXES_UP_TO = 200


def _use_speaker_autocomplete(field, admin_site):
    """The admin's participant autocomplete on a plain form field."""
    field.widget = AutocompleteSelect(Turn._meta.get_field("speaker"), admin_site)
    field.widget.choices = field.choices


class ReassignForm(forms.Form):
    speaker = forms.ModelChoiceField(
        queryset=Participant.objects.all(), label="New speaker", required=False
    )

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        _use_speaker_autocomplete(self.fields["speaker"], admin_site)


class SurvivorForm(forms.Form):
    survivor = forms.ModelChoiceField(queryset=None, widget=forms.RadioSelect, required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = candidates


class SplitForm(forms.Form):
    before_paragraph = forms.IntegerField(label="Split before paragraph", required=False)
    speaker = forms.ModelChoiceField(
        queryset=Participant.objects.all(),
        required=False,
        label="Speaker of the new turn",
        help_text="Leave empty to keep the same speaker.",
    )

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        _use_speaker_autocomplete(self.fields["speaker"], admin_site)


class ParticipantSplitForm(forms.Form):
    events = forms.ModelMultipleChoiceField(
        queryset=Event.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Their turns and appearances at these events move to the other participant.",
    )
    name = forms.CharField(
        max_length=300,
        required=False,
        label="New participant's name",
        help_text="Leave empty to keep the same name (change it later).",
    )
    into = forms.ModelChoiceField(
        queryset=Participant.objects.all(),
        required=False,
        label="Or move them to",
        help_text="An existing participant, instead of a new one.",
    )

    def __init__(self, *args, participant, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        events = Event.objects.filter(appearances__participant=participant)
        field = self.fields["events"]
        if events.count() > CHECKBOXES_UP_TO:
            # Thousands of checkboxes (and a count of turns for each) were megabytes and
            # seconds: the events are picked by name instead. The autocomplete offers any
            # event; the field accepts only this person's ("Select a valid choice").
            field.widget = AutocompleteSelectMultiple(
                Appearance._meta.get_field("event"), admin_site
            )
            field.queryset = events  # also gives the widget its choices
        else:
            field.queryset = events.annotate(
                spoken=Count("turns", filter=Q(turns__speaker=participant))
            ).order_by("date", "slug")
            field.label_from_instance = lambda event: f"{event} — {event.spoken} turn(s)"
        _use_speaker_autocomplete(self.fields["into"], admin_site)


def _page(modeladmin, request, queryset, *, title, form, action, template, **context):
    return TemplateResponse(
        request,
        f"admin/interviews/{template}.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "opts": modeladmin.model._meta,
            "queryset": queryset,
            "form": form,
            "media": modeladmin.media + form.media,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "apply": APPLY,
            **context,
        },
    )


def _only(modeladmin, request, queryset, message):
    """The one selected row, or None after telling the editor to select exactly one."""
    if queryset.count() != 1:
        modeladmin.message_user(request, message, messages.ERROR)
        return None
    return queryset.get()


def _run(modeladmin, request, call, success):
    """Call a service; report its EditError as a message without changing anything."""
    try:
        result = call()
    except services.EditError as error:
        modeladmin.message_user(request, str(error), messages.ERROR)
        return None
    modeladmin.message_user(request, success(result), messages.SUCCESS)
    return None


@admin.action(description="Reassign speaker…", permissions=["change"])
def reassign_speaker(modeladmin, request, queryset):
    form = ReassignForm(
        request.POST if APPLY in request.POST else None, admin_site=modeladmin.admin_site
    )
    if APPLY in request.POST and form.is_valid():
        return _run(
            modeladmin,
            request,
            lambda: services.turn_reassign(
                turns=queryset, speaker=form.cleaned_data["speaker"], user=request.user
            ),
            lambda count: f"{count} turn(s) now spoken by {form.cleaned_data['speaker']}.",
        )
    return _page(
        modeladmin,
        request,
        queryset,
        title="Reassign speaker",
        form=form,
        action="reassign_speaker",
        template="reassign_speaker",
    )


@admin.action(description="Mark as narrative", permissions=["change"])
def mark_narrative(modeladmin, request, queryset):
    count = services.turn_mark_narrative(turns=queryset, user=request.user)
    modeladmin.message_user(request, f"{count} turn(s) marked as narrative.", messages.SUCCESS)


@admin.action(description="Join selected turns", permissions=["change"])
def join_turns(modeladmin, request, queryset):
    return _run(
        modeladmin,
        request,
        lambda: services.turn_join(turns=list(queryset), user=request.user),
        lambda turn: f"Joined into turn {turn.sequence} of {turn.event.slug}.",
    )


@admin.action(description="Split turn…", permissions=["change"])
def split_turn(modeladmin, request, queryset):
    turn = _only(modeladmin, request, queryset, "Select exactly one turn to split.")
    if turn is None:
        return None
    form = SplitForm(
        request.POST if APPLY in request.POST else None, admin_site=modeladmin.admin_site
    )
    if APPLY in request.POST and form.is_valid():
        return _run(
            modeladmin,
            request,
            lambda: services.turn_split(
                turn=turn,
                before_paragraph=form.cleaned_data["before_paragraph"] or 0,
                speaker=form.cleaned_data["speaker"],
                user=request.user,
            ),
            lambda new: f"Split: paragraphs from there on are now turn {new.sequence}.",
        )
    return _page(
        modeladmin,
        request,
        queryset,
        title=f"Split turn {turn.sequence} of {turn.event}",
        form=form,
        action="split_turn",
        template="split_turn",
        paragraphs=list(enumerate(turn.text.split("\n\n"), start=1)),
    )


@admin.action(description="Split by event…", permissions=["change"])
def split_participant(modeladmin, request, queryset):
    participant = _only(modeladmin, request, queryset, "Select exactly one participant to split.")
    if participant is None:
        return None
    form = ParticipantSplitForm(
        request.POST if APPLY in request.POST else None,
        participant=participant,
        admin_site=modeladmin.admin_site,
    )
    if APPLY in request.POST and form.is_valid():
        events = form.cleaned_data["events"]
        return _run(
            modeladmin,
            request,
            lambda: services.participant_split(
                participant=participant,
                events=events,
                name=form.cleaned_data["name"],
                into=form.cleaned_data["into"],
                user=request.user,
            ),
            lambda into: f"Turns of {participant} at {len(events)} event(s) now spoken by {into}.",
        )
    return _page(
        modeladmin,
        request,
        queryset,
        title=f"Split {participant} by event",
        form=form,
        action="split_participant",
        template="split_participant",
        participant=participant,
    )


def _merge_action(service, noun):
    @admin.action(description="Merge into…", permissions=["change"])
    def merge(modeladmin, request, queryset):
        form = SurvivorForm(request.POST if APPLY in request.POST else None, candidates=queryset)
        if APPLY in request.POST and form.is_valid():
            survivor = form.cleaned_data["survivor"]
            if survivor is None:
                modeladmin.message_user(request, f"Choose the {noun} to keep.", messages.ERROR)
                return None
            return _run(
                modeladmin,
                request,
                lambda: service(
                    survivor=survivor,
                    others=queryset.exclude(pk=survivor.pk),
                    user=request.user,
                ),
                lambda count: f"Merged {count} {noun}(s) into {survivor}.",
            )
        return _page(
            modeladmin,
            request,
            queryset,
            title=f"Merge {noun}s",
            form=form,
            action=f"merge_{noun}s",
            template="merge",
            noun=noun,
        )

    merge.__name__ = f"merge_{noun}s"
    return merge


merge_participants = _merge_action(services.participant_merge, "participant")
merge_outlets = _merge_action(services.outlet_merge, "outlet")
