"""List filters for models with tens of thousands of rows: pick one by autocomplete."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.forms import Media


class AutocompleteFilter(admin.FieldListFilter):
    """Filter by one related object, chosen with the admin's own autocomplete.

    Django's RelatedFieldListFilter lists every object (RelatedOnlyFieldListFilter first
    reads every row to find the ones in use): with tens of thousands of speakers and
    events that was seconds and megabytes per page. This one renders one select that asks
    the related model's admin search as the editor types; choosing reloads the list
    filtered (interviews/static/interviews/autocomplete_filter.js).
    """

    template = "admin/interviews/autocomplete_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.lookup_kwarg = f"{field_path}__{field.target_field.attname}__exact"
        super().__init__(field, request, params, model, model_admin, field_path)
        value = self.used_parameters.get(self.lookup_kwarg)
        self.value = value[-1] if isinstance(value, list) else value
        self.widget = AutocompleteSelect(field, model_admin.admin_site)
        # The widget renders the chosen object only (the rest come from the autocomplete).
        related = field.remote_field.model._default_manager
        chosen = related.filter(pk=self.value) if str(self.value).isdigit() else related.none()
        self.widget.choices = forms.ModelChoiceField(queryset=chosen, required=False).choices

    def expected_parameters(self):
        return [self.lookup_kwarg]

    def has_output(self):
        return True

    def choices(self, changelist):
        yield {
            "selected": self.value is None,
            "query_string": changelist.get_query_string(remove=[self.lookup_kwarg]),
            "display": "All",
        }

    def rendered(self):
        attrs = {"class": "interviews-autocomplete-filter", "data-parameter": self.lookup_kwarg}
        return self.widget.render(self.lookup_kwarg, self.value, attrs=attrs)


class AutocompleteFilterMedia:
    """For a ModelAdmin with AutocompleteFilters: their scripts, once, in the page's head
    (after Django's jQuery set-up: interviews/static/interviews/autocomplete_filter.js)."""

    @property
    def media(self):
        return (
            super().media
            + AutocompleteSelect(None, self.admin_site).media
            + Media(js=["admin/js/jquery.init.js", "interviews/autocomplete_filter.js"])
        )
