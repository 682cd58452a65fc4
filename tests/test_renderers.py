"""The orjson renderer writes what DRF's JSONRenderer writes."""

import datetime as dt
import decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

from interviews.api.renderers import JSONRenderer

DATA = [
    {"text": "line\u2028separator\u2029paragraph – “quoted” …", "n": 1, "none": None},
    # Bytes A8/A9 and E2 80 near each other, but no separator: nothing to escape.
    {"text": "Ш – é © “Щ” \u20a9 \u2029", "n": 2},
    {"text": "Ш – é © “Щ” \u20a9 – ü", "n": 3},
    ["\u2028", "\u2029\u2029", "é\u2028"],
    # Dense A8/A9 bytes (French, Russian) past the look-behind limit, then a separator.
    {"text": "élevé à l’été Щ " * 40 + "\u2029", "n": 4},
    {"text": "élevé à l’été Щ " * 40, "n": 5},
    [1, 2.5, True, False, None, "é", {"nested": ["x"]}],
    {"date": dt.date(2022, 2, 23), "time": dt.time(15, 40)},
    {"when": dt.datetime(2022, 2, 23, 15, 40, 1, 123456, tzinfo=dt.UTC)},
    {"price": decimal.Decimal("1.50"), "lazy": gettext_lazy("Not found.")},
    {"big": 2**70},
    {"html": "<script>alert('x')</script>", "slash": "a/b"},
]


@pytest.mark.parametrize("data", DATA)
def test_same_bytes_as_drf(data):
    assert JSONRenderer().render(data) == DRFJSONRenderer().render(data)


def test_indent_is_honoured():
    body = JSONRenderer().render({"a": [1]}, "application/json; indent=2")
    assert body == DRFJSONRenderer().render({"a": [1]}, "application/json; indent=2")
    assert b"\n" in body


def test_none_is_an_empty_body():
    assert JSONRenderer().render(None) == b""
