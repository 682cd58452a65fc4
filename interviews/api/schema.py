"""OpenAPI generation: DRF-spectacular's, plus what it leaves out or gets wrong here.

The error answers every operation can give; what query parameters accept as the API reads
them (bounds, whole numbers, no NUL, an empty value meaning "not given"); times of day as
they are written. tests/test_schemathesis.py holds the API to the result.
"""

import copy

from django import forms
from django_filters import NumberFilter
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import pagination, serializers
from rest_framework.settings import api_settings

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Each malformed parameter, with what is wrong with it.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
# What Django's form fields take as text: anything without NUL (PostgreSQL text cannot hold it).
NO_NUL = r"^[^\x00]*$"
# A time of day as DRF writes it: "15:40:00", no offset (RFC 3339 partial-time). OpenAPI's
# `format: time` is RFC 3339 full-time, which needs an offset ("15:40:00Z").
LOCAL_TIME = {
    "type": "string",
    "format": "partial-time",
    "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$",
    "example": "15:40:00",
}


CSV = "text/csv"
CSV_BODY = {
    "type": "string",
    "description": "CSV text: a header row, then every matching row, unpaginated.",
}


def _json(description, schema):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


class AutoSchema(SpectacularAutoSchema):
    def _get_filter_parameters(self):
        parameters = super()._get_filter_parameters()
        filters = getattr(getattr(self.view, "filterset_class", None), "base_filters", {})
        for parameter in parameters:
            schema, declared = parameter["schema"], filters.get(parameter["name"])
            if isinstance(declared, NumberFilter) and issubclass(
                declared.field_class, forms.IntegerField
            ):
                # Read as "number"; the form field takes whole numbers within its bounds.
                schema.update(type="integer")
                bounds = {"minimum": "min_value", "maximum": "max_value"}
                schema.update(
                    (key, declared.extra[name])
                    for key, name in bounds.items()
                    if name in declared.extra
                )
            if schema.get("type") == "array":
                continue  # a multiple-choice filter: an empty value is a 400
            # django-filter skips a filter whose value is empty: `?q=` is no `q` at all.
            parameter["allowEmptyValue"] = True
            if schema.get("type") == "string" and not {"enum", "format", "pattern"} & set(schema):
                schema["pattern"] = NO_NUL  # Django's form fields answer NUL with a 400
        return parameters

    def _get_pagination_parameters(self):
        parameters = super()._get_pagination_parameters()
        paginator = self._get_paginator()
        max_page_size = getattr(paginator, "max_page_size", None)
        for parameter in parameters:
            schema = parameter["schema"]
            if parameter["name"] == getattr(paginator, "page_size_query_param", None):
                schema.setdefault("minimum", 1)
                if max_page_size:
                    schema.setdefault("maximum", max_page_size)
            if isinstance(paginator, pagination.PageNumberPagination) and (
                parameter["name"] == paginator.page_query_param
            ):
                schema.setdefault("minimum", 1)
                parameter["allowEmptyValue"] = True  # an empty `page` is the first
        return parameters

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.TimeField) and schema.get("format") == "time":
            schema.update(LOCAL_TIME)
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method != "GET":
            return responses
        ok = responses.get("200", {}).get("content", {})
        if CSV in ok:  # spectacular gives every renderer the JSON page's schema
            ok[CSV] = {"schema": CSV_BODY}
        if self._is_list_view() or self.view.action == "turns":
            responses.setdefault("400", _json("A malformed parameter.", FIELD_ERRORS))
        responses.setdefault("404", _json("No such object (or page).", DETAIL))
        responses.setdefault(
            "406", _json("The Accept header or format asks for what is not offered.", DETAIL)
        )
        responses.setdefault("429", _json("Too many requests: see the Retry-After header.", DETAIL))
        responses.setdefault("503", _json("The database is unavailable: see Retry-After.", DETAIL))
        return responses


# Parameters of a page, not of the rows: a CSV export has every row.
PAGING = {"cursor", "page", "page_size"}
# `format` picks the body that the path now says: a generated client given the choice
# would ask the JSON operation for CSV and parse it as JSON.
FORMAT = api_settings.URL_FORMAT_OVERRIDE


def postprocess(result, generator, request, public):
    """The schema as clients and linters read it (a drf-spectacular postprocessing hook).

    Paths in their canonical form, without the trailing slash: the router answers both,
    and every link the API writes has none. Each list's CSV export is an operation of its
    own at the list's `.csv` path (the router's format suffix), so that a generated client
    has a function that returns text: one operation with two bodies gets one parser, and
    clients generated from it parsed the CSV as JSON. Nullable references as one of the
    object or null (_nullable_reference).
    """
    paths = {}
    for path, operations in result["paths"].items():
        path = path.rstrip("/") or "/"
        for operation in operations.values():
            if operation.get("security") == [{}]:
                # "Anonymous allowed", the only scheme: generated clients read any
                # `security` as needing credentials (the root's `[]` says there are none).
                del operation["security"]
        paths[path] = operations
        export = _csv_export(path, operations.get("get"))
        if export:
            paths[f"{path}.csv"] = {"get": export}
    result["paths"] = paths
    result["security"] = []
    for component in result.get("components", {}).get("schemas", {}).values():
        for name, prop in component.get("properties", {}).items():
            if prop.get("nullable") and "allOf" in prop and "type" not in prop:
                component["properties"][name] = _nullable_reference(prop)
    return result


def _nullable_reference(prop: dict) -> dict:
    """`allOf: [ref], nullable` as OpenAPI 3.0 can say it: one of the object or null.

    `nullable` needs a `type` beside it (linters reject it alone), but a `type` beside the
    reference hides the null from generated clients (they then crash on null).
    """
    null = {"type": "object", "nullable": True, "enum": [None]}
    rest = {k: v for k, v in prop.items() if k not in ("allOf", "nullable")}
    return {**rest, "oneOf": [*prop["allOf"], null]}


def _csv_export(path, operation):
    """The CSV half of a list operation, taken out of it as an operation of its own."""
    ok = (operation or {}).get("responses", {}).get("200", {})
    body = ok.get("content", {}).pop(CSV, None)
    if body is None:
        return None
    operation["parameters"] = [p for p in operation["parameters"] if p["name"] != FORMAT]
    export = {
        **copy.deepcopy(operation),
        "operationId": f"{operation['operationId']}_csv",
        "summary": f"{operation['summary']} as CSV",
        "description": (
            f"{operation['description']}\n\nAs CSV: a header row, then every matching row, "
            f"unpaginated. The same as `{path}?format=csv` or `Accept: text/csv` on `{path}`."
        ),
        "parameters": [p for p in operation.get("parameters", []) if p["name"] not in PAGING],
        "responses": {
            **operation["responses"],
            "200": {"description": "Every matching row.", "content": {CSV: body}},
        },
    }
    return export
