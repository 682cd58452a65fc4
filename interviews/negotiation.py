"""Content negotiation as DRF does it, with each answer remembered.

DRF parses the Accept header and matches it against every renderer on each request
(~80 µs on the 2-core machines, a few percent of a page of turns). The answer depends
only on the renderers' classes, the `format` asked for and the Accept header, so it is
kept per combination (a bounded number: the header is the client's to choose).
"""

from rest_framework.negotiation import DefaultContentNegotiation

_LIMIT = 1024


class ContentNegotiation(DefaultContentNegotiation):
    _answers: dict = {}

    def select_renderer(self, request, renderers, format_suffix=None):
        key = (
            tuple(type(renderer) for renderer in renderers),
            format_suffix,
            request.query_params.get(self.settings.URL_FORMAT_OVERRIDE),
            request.META.get("HTTP_ACCEPT", "*/*"),
        )
        answer = self._answers.get(key)
        if answer is None:
            # A renderer that fits nothing raises (404 or 406), and is not remembered.
            renderer, media_type = super().select_renderer(request, renderers, format_suffix)
            index = next(i for i, known in enumerate(renderers) if known is renderer)
            if len(self._answers) >= _LIMIT:
                self._answers.clear()
            answer = self._answers[key] = (index, media_type)
        index, media_type = answer
        return renderers[index], media_type
