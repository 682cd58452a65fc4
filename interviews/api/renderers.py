"""JSON rendered by orjson: DRF's JSONRenderer, without its cost on large pages.

A page of turns is tens of kilobytes of JSON, and json.dumps was a sizeable part of the
request; orjson writes it in a small fraction of the time. The output is DRF's: compact,
UTF-8, U+2028/U+2029 escaped (as DRF does, for JavaScript); anything orjson would write
differently (dates and times, dataclasses) goes through DRF's encoder, and `indent`
requests use DRF's renderer.
"""

import re

import orjson
from rest_framework import renderers

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


class JSONRenderer(renderers.JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=self.encoder_class().default, option=_OPTIONS)
        except TypeError:  # an integer beyond 64 bits, say: DRF's renderer knows how
            return super().render(data, accepted_media_type, renderer_context)
        if _has_line_separator(body):
            body = body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return body


_SEPARATOR = re.compile(rb"\xe2\x80[\xa8\xa9]")
_LOOKS_BEHIND = 32


def _has_line_separator(body: bytes) -> bool:
    """Whether the UTF-8 body holds U+2028 or U+2029 (E2 80 A8, E2 80 A9).

    Their last byte is rare in English (one search for a byte is fast: look behind each
    one found), common in French or Russian (é is C3 A9): after _LOOKS_BEHIND of them, a
    regular expression finds the three bytes in one pass instead."""
    looked = 0
    for last in b"\xa8\xa9":
        at = body.find(last, 2)
        while at != -1:
            if body[at - 2] == 0xE2 and body[at - 1] == 0x80:
                return True
            looked += 1
            if looked > _LOOKS_BEHIND:
                return _SEPARATOR.search(body) is not None
            at = body.find(last, at + 1)
    return False
