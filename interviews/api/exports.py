"""CSV for every list endpoint: `.csv` after its path, `?format=csv` or `Accept: text/csv`
streams all matching rows."""

import csv

from django.db import transaction
from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer

from .renderers import JSONRenderer

BATCH = 1000


class CSVRenderer(BaseRenderer):
    """Lets content negotiation pick CSV; list views stream the rows themselves."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raise NotImplementedError("CSV is streamed by CSVExportMixin.list")


class _Echo:
    def write(self, value):
        return value


class CSVExportMixin:
    """Adds CSV to the list actions named in csv_actions.

    csv_columns is a list of (header, function of a row); csv_response streams any
    iterable of rows (a queryset read in batches, a selector's stream).
    """

    csv_actions = ("list",)
    csv_columns: list = []

    def get_renderers(self):
        renderers = super().get_renderers()
        if getattr(self, "action", None) in self.csv_actions:
            renderers.append(CSVRenderer())
        return renderers

    def perform_content_negotiation(self, request, force=False):
        # A method the URL does not allow gets its 405 (in JSON), not a 404 because ?format=
        # names no renderer for it (?format=csv is offered to GET alone).
        force = force or request.method not in self.allowed_methods
        return super().perform_content_negotiation(request, force)

    def wants_csv(self):
        renderer = getattr(self.request, "accepted_renderer", None)
        return isinstance(renderer, CSVRenderer)

    def list(self, request, *args, **kwargs):
        if self.wants_csv():
            queryset = self.filter_queryset(self.get_queryset())
            # The database is chosen now, while the request is being answered (a replica,
            # interviews/replicas.py); the rows are read later, as the response streams.
            return self.csv_response(_streamed(queryset.using(queryset.db)))
        return super().list(request, *args, **kwargs)

    def csv_response(self, rows):
        # Every row, unpaginated: no paging parameter is used, but a malformed one is still
        # rejected, as it is without CSV.
        if self.paginator is not None:
            self.paginator.validate_parameters(self.request)
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse(
            self._csv_lines(writer, rows), content_type="text/csv; charset=utf-8"
        )
        name = self.basename if self.action == "list" else f"{self.basename}-{self.action}"
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response

    def _csv_lines(self, writer, rows):
        columns = self.csv_columns
        yield writer.writerow([header for header, _ in columns])
        for row in rows:
            yield writer.writerow([value(row) for _, value in columns])

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors (a 400 naming a bad parameter) are JSON even when CSV was asked for.
        if response.status_code >= 400 and self.wants_csv():
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


def _streamed(queryset):
    """The rows a batch at a time, in a transaction of their own: the server-side cursor
    then needs no WITH HOLD (which a pooler in transaction mode breaks, and which makes
    PostgreSQL copy the whole result first); closing the response early rolls it back."""
    with transaction.atomic(using=queryset.db):
        yield from queryset.iterator(chunk_size=BATCH)
