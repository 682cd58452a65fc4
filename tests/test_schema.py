"""OpenAPI schema, Swagger UI and ReDoc, served from local files only."""

import re

import pytest
import yaml
from django.core.management import call_command

COMMON = {"page_size", "format"}
LIST_PARAMETERS = {
    "/api/turns/": COMMON
    | {"speaker", "event", "outlet", "kind", "date_after", "date_before", "in_reply_to", "q"}
    | {"ordering", "cursor"},
    "/api/events/": COMMON | {"date_after", "date_before", "participant", "outlet", "q", "page"},
    "/api/participants/": COMMON | {"name", "event", "outlet", "page"},
    "/api/outlets/": COMMON | {"name", "kind", "page"},
    "/api/events/{slug}/turns/": COMMON | {"cursor"},
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    # --fail-on-warn turns any generation warning into a failure of this fixture.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_schema_is_openapi_3(schema):
    assert schema["openapi"].startswith("3.")


@pytest.mark.parametrize(("path", "expected"), LIST_PARAMETERS.items())
def test_list_parameters_are_documented(schema, path, expected):
    parameters = {
        p["name"]: p for p in schema["paths"][path]["get"]["parameters"] if p["in"] == "query"
    }
    assert set(parameters) == expected
    for name, parameter in parameters.items():
        assert parameter.get("description"), f"{path} ?{name} has no description"
        assert parameter["schema"].get("type"), f"{path} ?{name} has no type"


def test_only_reads_are_offered(schema):
    methods = {method for operations in schema["paths"].values() for method in operations}
    assert methods == {"get"}


def test_every_operation_has_a_description(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("description"), f"{method.upper()} {path}"


def test_kind_filter_lists_its_choices(schema):
    [kind] = [p for p in schema["paths"]["/api/turns/"]["get"]["parameters"] if p["name"] == "kind"]
    assert kind["schema"]["type"] == "array"
    assert set(kind["schema"]["items"]["enum"]) == {"speech", "question", "answer", "narrative"}


def test_turn_kind_rule_is_documented(schema):
    kind = schema["components"]["schemas"]["Turn"]["properties"]["kind"]
    assert "in_reply_to" in kind["description"] and "principal" in kind["description"]


def test_turn_lists_document_cursor_pages(schema):
    page = schema["components"]["schemas"]["PaginatedTurnList"]
    assert set(page["properties"]) == {"next", "previous", "results"}


def test_schema_endpoint_serves_json(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/turns/" in response.json()["paths"]


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_docs_use_only_local_assets(client, page):
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "assets must not come from a CDN"
    assets = re.findall(r"(?:src|href)=\"(/static/[^\"]+)\"", html)
    assert assets, "the page should load its assets from /static/"
    for asset in assets:
        asset_response = client.get(asset)
        assert asset_response.status_code == 200, asset
        body = b"".join(asset_response.streaming_content)
        assert len(body) > 100, asset


def _query_parameters(schema, path):
    return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"] if p["in"] == "query"}


@pytest.mark.parametrize("path", [*LIST_PARAMETERS])
def test_parameters_say_what_the_api_accepts(schema, path):
    parameters = _query_parameters(schema, path)
    page_size = parameters["page_size"]["schema"]
    assert (page_size["minimum"], page_size["maximum"]) == (1, 500)
    # A blank filter, format, page or cursor counts as absent; a blank page size or kind is a 400.
    for name, parameter in parameters.items():
        blank_is_absent = name not in {"page_size", "kind"}
        assert parameter.get("allowEmptyValue", False) == blank_is_absent, name
        # Text filters refuse NUL (a 400); the cursor's pattern says which positions there are.
        text = parameter["schema"].get("type") == "string" and name != "cursor"
        if text and not {"enum", "format"} & set(parameter["schema"]):
            assert parameter["schema"]["pattern"] == r"^[^\x00]*$", name


def test_in_reply_to_is_a_row_id(schema):
    in_reply_to = _query_parameters(schema, "/api/turns/")["in_reply_to"]["schema"]
    assert in_reply_to == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


def test_event_time_is_a_local_time(schema, seed, api):
    time = schema["components"]["schemas"]["Event"]["properties"]["time"]
    assert time["format"] != "time"  # RFC 3339 full-time, with an offset: not what is served
    served = api.get(f"/api/events/{seed.slug}").json()["time"]
    assert re.fullmatch(time["pattern"], served)


@pytest.mark.parametrize("path", ["/api/turns/", "/api/events/{slug}/turns/", "/api/outlets/"])
def test_csv_is_declared_as_text_and_json_as_the_page(path):
    """A generated client parses text/csv as a string, not as the JSON page (it crashed)."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    content = schema["paths"][path]["get"]["responses"]["200"]["content"]
    assert content["text/csv"]["schema"]["type"] == "string"
    assert content["application/json"]["schema"]["$ref"].startswith(
        "#/components/schemas/Paginated"
    )


def test_every_field_of_a_response_is_required(schema):
    """Every response carries every field (null where it has no value): generated clients
    must not type them optional."""
    components = schema["components"]["schemas"]
    checked = 0
    for name, component in components.items():
        if component.get("type") != "object" or "properties" not in component:
            continue
        if name.startswith("Paginated"):
            continue
        assert set(component.get("required", [])) == set(component["properties"]), name
        checked += 1
    assert checked >= 8
