"""OpenAPI generation: DRF-spectacular's, plus the error answers every operation can give."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

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


def _json(description, schema):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method != "GET":
            return responses
        if self._is_list_view() or self.view.action == "turns":
            responses.setdefault("400", _json("A malformed parameter.", FIELD_ERRORS))
        responses.setdefault("404", _json("No such object (or page).", DETAIL))
        responses.setdefault(
            "406", _json("The Accept header or format asks for what is not offered.", DETAIL)
        )
        responses.setdefault("429", _json("Too many requests: see the Retry-After header.", DETAIL))
        responses.setdefault("503", _json("The database is unavailable: see Retry-After.", DETAIL))
        return responses
