"""The API against its own OpenAPI schema: property-based tests with schemathesis.

Every operation of /api/schema/ goes through schemathesis' coverage and fuzzing phases, with
schema-valid and schema-invalid data, sent in-process to the WSGI application (on the seed
transcript), under every built-in check: no 5xx, status codes, content types, bodies and headers
as documented, valid data accepted, invalid data rejected, 405 for other methods.

SCHEMATHESIS_MAX_EXAMPLES (default 25) bounds the fuzzing phase of each operation; generation is
derandomized, so a run is repeatable. `make fuzz` (bench/fuzz_api.py) runs 500 per operation;
it sets SCHEMATHESIS_REPORT to a file where each operation's tally is appended as a JSON line.
"""

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import schemathesis
from django.apps import apps
from django.core.management.color import no_style
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from hypothesis import HealthCheck, settings
from rest_framework.throttling import AnonRateThrottle
from schemathesis.config import SchemathesisConfig

from config.wsgi import application

from .conftest import SEED_FIXTURE

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25"))
REPORT = os.environ.get("SCHEMATHESIS_REPORT")
BIN = Path(sys.executable).parent


def _seed(model):
    records = json.loads(SEED_FIXTURE.read_text(encoding="utf-8"))
    return [record["fields"] for record in records if record["model"] == f"interviews.{model}"]


EVENTS, PEOPLE, OUTLETS, TURNS = (
    _seed("event"),
    _seed("participant"),
    _seed("outlet"),
    _seed("turn"),
)


def _dictionaries():
    """Values from the seed transcript, so that lookups find something, not only 404s and []."""
    # Ids count from 1 in fixture order: the fuzz_data fixture starts the sequences afresh.
    questions = [n for n, turn in enumerate(TURNS, start=1) if turn["kind"] == "question"]
    values = {
        "event_slugs": [event["slug"] for event in EVENTS],
        "participant_slugs": [person["slug"] for person in PEOPLE],
        "participants": [p["slug"] for p in PEOPLE] + [p["name"] for p in PEOPLE],
        "name_parts": [person["name"].split()[-1].lower() for person in PEOPLE],
        "outlet_slugs": [outlet["slug"] for outlet in OUTLETS],
        "outlets": [o["slug"] for o in OUTLETS] + [o["name"] for o in OUTLETS],
        "outlet_words": [outlet["name"].split()[0] for outlet in OUTLETS],
        "turn_ids": list(range(1, len(TURNS) + 1)),
        "question_ids": questions,
        "searches": ["vaccine", '"vaccine nationalism"', "vaccine -children", "media or press"],
        # Event 1's turn 40, and an offset (interviews/api/pagination.py, Cursor).
        "cursors": ["a1.40", "b1.40", "o10"],
    }
    # Ids stay numbers: the schema types them as integers.
    return {
        name: {"values": [v if isinstance(v, int) else str(v) for v in entries]}
        for name, entries in values.items()
    }


def _bind(path, **parameters):
    """Half of the values of these parameters of `path` come from a seed dictionary."""
    return {
        "include-path": path,
        "parameters": {
            name: {"dictionary": dictionary, "probability": 0.5}
            for name, dictionary in parameters.items()
        },
    }


CONFIG = {
    "seed": 20220223,
    # No example database: the same examples on every run, and nothing written to .hypothesis/.
    "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
    "dictionaries": _dictionaries(),
    "operations": [
        _bind("/api/events/{slug}", **{"path.slug": "event_slugs"}),
        _bind("/api/events/{slug}/turns", **{"path.slug": "event_slugs"}, cursor="cursors"),
        _bind("/api/events/{slug}/turns.csv", **{"path.slug": "event_slugs"}),
        _bind("/api/participants/{slug}", **{"path.slug": "participant_slugs"}),
        _bind("/api/outlets/{slug}", **{"path.slug": "outlet_slugs"}),
        _bind("/api/turns/{id}", **{"path.id": "turn_ids"}),
        _bind(
            "/api/turns",
            speaker="participants",
            event="event_slugs",
            outlet="outlets",
            in_reply_to="question_ids",
            q="searches",
            cursor="cursors",
        ),
        _bind("/api/events", participant="participants", outlet="outlets", q="searches"),
        _bind("/api/participants", name="name_parts", event="event_slugs", outlet="outlets"),
        _bind("/api/outlets", name="outlet_words"),
    ],
}

schema = schemathesis.openapi.from_wsgi(
    "/api/schema/", application, config=SchemathesisConfig.from_dict(CONFIG)
)


@dataclass
class Tally:
    operation: str = ""
    statuses: Counter = field(default_factory=Counter)
    failed: int = 0


@pytest.fixture
def fuzz_data(db, monkeypatch, request):
    """The seed transcript, ids from 1, no throttle; yields a tally of the answers."""
    models = apps.get_app_config("interviews").get_models()
    with connection.cursor() as cursor:
        # Empty tables in this test's transaction: each sequence restarts at 1.
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    event = request.getfixturevalue("seed")
    assert event.pk == 1 and event.turns.order_by("pk").first().pk == 1
    # Thousands of requests from one address: 429s would hide everything else.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute"})
    # Django's WSGI handler closes the connection after each request, which would break the
    # test's transaction; django.test.Client holds these signals back the same way.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    tally = Tally()
    yield tally
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)
    if REPORT:
        with open(REPORT, "a", encoding="utf-8") as report:
            line = {
                "operation": tally.operation,
                "statuses": tally.statuses,
                "failed": tally.failed,
            }
            report.write(json.dumps(line) + "\n")
    if not tally.failed:
        # The seed dictionaries reach real rows: every operation answers some requests with 200.
        assert tally.statuses[200], f"{tally.operation}: no 200 among {dict(tally.statuses)}"


# The data is only read, so sharing the fixture between generated examples is what we want.
@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api(case, fuzz_data):
    fuzz_data.operation = case.operation.label
    try:
        # The WSGI transport hands back the bytes as sent, without decoding gzip as an
        # HTTP client does: ask for them plain (tests/test_formats.py tests gzip).
        response = case.call(headers={"Accept-Encoding": "identity"})
        fuzz_data.statuses[response.status_code] += 1
        case.validate_response(response)
    except BaseException:
        fuzz_data.failed += 1
        raise


def test_a_stock_schemathesis_run_passes(served_seed, tmp_path):
    """schemathesis' command line as it ships, every check on, against a real server of the
    seed: exit status 0. No configuration, no dictionaries, no check left out; a fixed seed
    only, so that a run is repeatable."""
    command = [BIN / "schemathesis", "run", f"{served_seed}/api/schema/", "--checks", "all"]
    done = subprocess.run(
        [*command, "--seed", "20220223", "--no-color"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=tmp_path,  # no configuration file found; what it writes is left there
    )
    assert done.returncode == 0, done.stdout[-4000:]
    assert "generated" in done.stdout and " passed" in done.stdout
