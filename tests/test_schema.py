"""OpenAPI schema, Swagger UI and ReDoc, served from local files only."""

import os
import re
import subprocess

import pytest
import yaml
from django.core.management import call_command

from interviews.api.schema import CSV_BODY

from .conftest import ROOT

COMMON = {"page_size"}
LIST_PARAMETERS = {
    "/api/turns": COMMON
    | {"speaker", "event", "outlet", "kind", "date_after", "date_before", "in_reply_to", "q"}
    | {"ordering", "cursor"},
    "/api/events": COMMON | {"date_after", "date_before", "participant", "outlet", "q", "page"},
    "/api/participants": COMMON | {"name", "event", "outlet", "page"},
    "/api/outlets": COMMON | {"name", "kind", "page"},
    "/api/events/{slug}/turns": COMMON | {"cursor"},
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
    [kind] = [p for p in schema["paths"]["/api/turns"]["get"]["parameters"] if p["name"] == "kind"]
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
    assert "/api/turns" in response.json()["paths"]


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
    in_reply_to = _query_parameters(schema, "/api/turns")["in_reply_to"]["schema"]
    assert in_reply_to == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


def test_event_time_is_a_local_time(schema, seed, api):
    time = schema["components"]["schemas"]["Event"]["properties"]["time"]
    assert time["format"] != "time"  # RFC 3339 full-time, with an offset: not what is served
    served = api.get(f"/api/events/{seed.slug}").json()["time"]
    assert re.fullmatch(time["pattern"], served)


@pytest.mark.parametrize("path", [*LIST_PARAMETERS])
def test_csv_is_an_operation_of_its_own_declared_as_text(schema, path):
    """One operation, one body: a generated client parses CSV as text, not as the JSON
    page (it crashed when the list's operation offered both)."""
    listed = schema["paths"][path]["get"]
    assert list(listed["responses"]["200"]["content"]) == ["application/json"]
    assert listed["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].startswith(
        "#/components/schemas/Paginated"
    )
    export = schema["paths"][f"{path}.csv"]["get"]
    assert export["operationId"] == f"{listed['operationId']}_csv"
    assert export["responses"]["200"]["content"] == {
        "text/csv": {"schema": {"type": "string", "description": CSV_BODY["description"]}}
    }
    paging = {"cursor", "page", "page_size"}
    names = {p["name"] for p in export["parameters"] if p["in"] == "query"}
    assert names == LIST_PARAMETERS[path] - paging


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


def test_paths_are_the_form_links_use(schema, api, seed):
    """No trailing slash in the schema, as in every link the API writes and the README."""
    assert all(not path.endswith("/") for path in schema["paths"])
    body = api.get("/api/turns?page_size=1").json()
    link = body["next"].split("?")[0].removeprefix("http://testserver")
    assert link in schema["paths"]
    turn_link = body["results"][0]["url"].removeprefix("http://testserver")
    assert re.sub(r"/\d+$", "/{id}", turn_link) in schema["paths"]


def test_turn_ids_in_paths_are_integers(schema):
    [id_] = schema["paths"]["/api/turns/{id}"]["get"]["parameters"]
    assert id_["in"] == "path" and id_["schema"]["type"] == "integer"


def test_nullable_references_are_one_of_the_object_or_null(schema):
    speaker = schema["components"]["schemas"]["Turn"]["properties"]["speaker"]
    reference, null = speaker["oneOf"]
    assert reference == {"$ref": "#/components/schemas/ParticipantRef"}
    assert null == {"type": "object", "nullable": True, "enum": [None]}
    for name, component in schema["components"]["schemas"].items():
        for field, prop in component.get("properties", {}).items():
            assert not prop.get("nullable") or "type" in prop, f"{name}.{field}"


def test_servers_licence_security_and_summaries(schema):
    assert schema["servers"] == [{"url": "/", "description": "This server"}]
    assert schema["security"] == []  # none: anonymous, read-only
    assert not any("security" in op for ops in schema["paths"].values() for op in ops.values())
    assert schema["info"]["license"]["name"] == "BSD-3-Clause"
    summaries = [op["summary"] for ops in schema["paths"].values() for op in ops.values()]
    assert len(summaries) == 14 and len(set(summaries)) == 14


def test_redocly_lint_is_clean(tmp_path):
    """Redocly CLI's recommended rules: no error and no warning (make test installs it)."""
    redocly = ROOT / "node_modules" / ".bin" / "redocly"
    if not redocly.exists():
        pytest.fail(f"{redocly} is missing: `make test` installs it (npm ci, package-lock.json)")
    path = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(path))
    done = subprocess.run(
        [redocly, "lint", "--extends", "recommended", "--format", "stylish", path],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,  # no redocly.yaml but the rules named here
        env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"},
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "warning" not in output.lower().replace("deprecation warning: node.js", ""), output
