"""Content negotiation: DRF's, with a `format` that names nothing a 400 naming the parameter.

DRF answers `?format=xml` (and `?format=csv` where only lists offer CSV) with a 404, as if
the path named nothing; the API's rule is that a malformed parameter is a 400 that
names it. A format suffix in the path (`/api/events/x.xml`) stays a 404: that is a path.
"""

from django.http import Http404
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404:
            if format_suffix:
                raise
            asked = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
            offered = ", ".join(dict.fromkeys(renderer.format for renderer in renderers))
            raise ValidationError(
                {"format": [f"No format {asked!r} here; this endpoint offers: {offered}."]}
            ) from None
