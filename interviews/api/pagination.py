"""Pagination: page numbers for the small lists, keyset cursors for turns.

Turns can number in the millions for one speaker, where OFFSET gets slower
page by page. Turns in their natural order (event date, event, sequence) are
paged by key instead: the cursor holds the key of the last row seen and the
next page is `WHERE (event_date, event_id, sequence) > cursor`, which an index
answers as fast on the 2,000th page as on the first. Other orders (search
relevance) fall back to an offset kept in the cursor.
"""

import re
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from urllib import parse

from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .selectors import TurnQuery

MAX_PAGE_SIZE = 500
MAX_OFFSET = 2**63 - 1  # a bigint: beyond it the database refuses the OFFSET
DEFAULT_PAGE_SIZE = 50


def page_size_from(request, parameter="page_size"):
    raw = request.query_params.get(parameter)
    if raw is None:
        return DEFAULT_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError({parameter: [f"Must be an integer from 1 to {MAX_PAGE_SIZE}."]})
    return size


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages of 50 by default; `page_size` up to 500. A bad `page_size` is a 400, not a clamp."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    page_size_query_description = f"Results per page, 1 to {MAX_PAGE_SIZE} (default 50)."

    def get_page_size(self, request):
        return page_size_from(request, self.page_size_query_param)

    def paginate_queryset(self, queryset, request, view=None):
        self.validate_parameters(request)  # a malformed page is a 400, not DRF's 404
        return super().paginate_queryset(queryset, request, view)

    def validate_parameters(self, request):
        """Reject a malformed page or page size without a query (CSV reads every row).

        A page past the last one is still DRF's 404: the number is well formed, the page
        is not there."""
        page_size_from(request, self.page_size_query_param)
        page = request.query_params.get(self.page_query_param) or "1"
        try:
            valid = page in self.last_page_strings or int(page) >= 1
        except ValueError:
            valid = False
        if not valid:
            raise ValidationError({self.page_query_param: ["A page number: 1 or more, or 'last'."]})


MAX_ID = 2**63 - 1  # a bigint
MAX_SEQUENCE = 2**31 - 1  # an integer: Turn.sequence
# Empty is allowed: it is the first page, as if there were no cursor.
CURSOR_PATTERN = r"^(?:[ab][0-9]{1,30}\.[0-9]{1,30}|o[0-9]{1,30})?$"
_CURSOR = re.compile(CURSOR_PATTERN)


@dataclass(frozen=True)
class Cursor:
    """A position in a list of turns: after (or before) a turn, or an offset."""

    key: tuple[int, int] | None = None  # (event id, sequence) of a turn
    backwards: bool = False  # the page before the key, not after it
    offset: int = 0

    @classmethod
    def parse(cls, raw: str) -> "Cursor":
        """The cursor a link holds; ValueError unless raw is one (CURSOR_PATTERN).

        Numbers past the columns' range are clamped: no row lies beyond them, so the
        position is the same and the database is asked nothing it cannot represent."""
        if not raw or not _CURSOR.fullmatch(raw):
            raise ValueError(raw)
        if raw[0] == "o":
            return cls(offset=min(int(raw[1:]), MAX_OFFSET))
        event_id, sequence = raw[1:].split(".")
        return cls(
            key=(min(int(event_id), MAX_ID), min(int(sequence), MAX_SEQUENCE)),
            backwards=raw[0] == "b",
        )

    def __str__(self) -> str:
        if self.key is None:
            return f"o{self.offset}"
        return f"{'b' if self.backwards else 'a'}{self.key[0]}.{self.key[1]}"


FIRST_PAGE = Cursor()  # the link back to the start: no cursor at all


def _key_of(turn) -> tuple[int, int]:
    return (turn.event_id, turn.sequence)


class TurnCursorPagination(pagination.BasePagination):
    """Keyset pagination over turn order; `next` / `previous` links carry a cursor.

    A cursor is a position a client copies from a link: `a<event>.<sequence>` (the page
    after that turn), `b<event>.<sequence>` (the page before it) or `o<offset>` (search
    results by relevance). Every string of that form is a position, so the schema's
    pattern says exactly which cursors are accepted: one naming no event gives an empty
    page, numbers beyond any row's are the end. Anything else is a 400; empty is absent.
    """

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset: TurnQuery, request, view=None):
        """A page of the turns a TurnQuery (interviews.api.selectors) matches."""
        self.request = request
        self.page_size = page_size_from(request, self.page_size_query_param)
        cursor = self._decode(request.query_params.get(self.cursor_query_param))
        if queryset.keyset:
            return self._keyset_page(queryset, cursor)
        return self._offset_page(queryset, cursor)

    def validate_parameters(self, request):
        """Reject what paginate_queryset would, without a query (CSV reads every row)."""
        page_size_from(request, self.page_size_query_param)
        self._decode(request.query_params.get(self.cursor_query_param))

    def _keyset_page(self, query, cursor):
        if cursor is not None and cursor.key is None:
            cursor = None  # an offset cursor from another ordering: start over
        backwards = bool(cursor and cursor.backwards)
        key = cursor.key if cursor else None
        rows = query.page(
            self.page_size + 1,
            after=None if backwards else key,
            before=key if backwards else None,
        )
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if backwards:
            rows.reverse()
        # Going back, the cursor row itself lies ahead; going forward, a cursor means rows behind.
        has_next = more if not backwards else True
        has_previous = more if backwards else cursor is not None
        self.next_cursor = Cursor(key=_key_of(rows[-1])) if rows and has_next else None
        self.previous_cursor = (
            Cursor(key=_key_of(rows[0]), backwards=True) if rows and has_previous else None
        )
        if not rows and cursor is not None:
            # An empty page past either end: point back to the first page.
            self.previous_cursor = FIRST_PAGE if not backwards else None
        return rows

    def _offset_page(self, query, cursor):
        offset = cursor.offset if cursor else 0
        rows = query.page(self.page_size + 1, offset=offset)
        more = len(rows) > self.page_size
        self.next_cursor = Cursor(offset=offset + self.page_size) if more else None
        self.previous_cursor = (
            Cursor(offset=max(offset - self.page_size, 0)) if offset > 0 else None
        )
        return rows[: self.page_size]

    def _decode(self, raw):
        if not raw:
            return None
        try:
            return Cursor.parse(raw)
        except ValueError:
            raise ValidationError({self.cursor_query_param: ["Invalid cursor."]}) from None

    def _link(self, cursor):
        """This URL with the cursor (none: without one), as DRF's replace_query_param and
        remove_query_param write it; the URL is parsed once for both links of a page."""
        if cursor is None:
            return None
        scheme, netloc, path, params, fragment = self._url_parts
        if cursor is not FIRST_PAGE:
            params = {**params, self.cursor_query_param: [str(cursor)]}
        query = parse.urlencode(sorted(params.items()), doseq=True)
        return parse.urlunsplit((scheme, netloc, path, query, fragment))

    @cached_property
    def _url_parts(self):
        scheme, netloc, path, query, fragment = parse.urlsplit(self.request.build_absolute_uri())
        params = parse.parse_qs(query, keep_blank_values=True)
        params.pop(self.cursor_query_param, None)
        return scheme, netloc, path, params, fragment

    def get_paginated_response(self, data):
        return Response(
            OrderedDict(
                [
                    ("next", self._link(self.next_cursor)),
                    ("previous", self._link(self.previous_cursor)),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Position from a `next` or `previous` link; empty or absent: the first page."
                ),
                "schema": {"type": "string", "pattern": CURSOR_PATTERN},
                "allowEmptyValue": True,
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page, 1 to {MAX_PAGE_SIZE} (default 50).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]
