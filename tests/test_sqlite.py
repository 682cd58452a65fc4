"""The API on the embedded SQLite default, as `make run` serves it.

The suite runs on PostgreSQL, where pages of turns come from interviews.turn_sql;
SQLite takes the ORM path and its own search. A child process with its own
settings (DATABASE_URL=sqlite) migrates, loads the seed and asks the API.
"""

import json

from .conftest import SEED_FIXTURE, run_python

PROBE = """
import json, sys, django
from django.core.management import call_command
django.setup()
call_command("migrate", verbosity=0)
call_command("loaddata", sys.argv[1], verbosity=0)
from django.test import Client
client = Client(HTTP_HOST="localhost")
answers = {}
for url in sys.argv[2:]:
    accept = "*/*" if "format=" in url else "application/json"
    response = client.get(url, HTTP_ACCEPT=accept)
    body = response.json() if response["Content-Type"].startswith("application/json") else None
    answers[url] = [response.status_code, body]
print(json.dumps(answers))
"""

EVENT = "2022-02-23-ilham-aliyev-met-with-the-heads-of-russias-top-mass-media"
URLS = [
    "/api/turns?speaker=mikhail-gusman&page_size=100",
    "/api/turns?speaker=Sergei%20Mikhaylov",
    "/api/turns?speaker=mikhail-gusman,margarita-simonyan&page_size=100",
    "/api/turns?speaker=nobody",
    "/api/turns?q=vaccine%20nationalism",
    "/api/turns?kind=question&outlet=rossiyskaya-gazeta",
    f"/api/events/{EVENT}/turns?page_size=100",
    "/api/events/no-such-event/turns",
    "/api/participants?name=gusm",
    "/api/turns?kind=nonsense",
    "/api/turns/5",
    "/api/events",
    "/api/turns?format=csv&speaker=mikhail-gusman",
]


def test_the_api_on_sqlite(tmp_path):
    environment = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_API_THROTTLE_ANON": "",
    }
    result = run_python("-c", PROBE, str(SEED_FIXTURE), *URLS, environment=environment)
    assert result.returncode == 0, result.stderr[-2000:]
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    statuses = {url: status for url, (status, _) in answers.items()}
    assert statuses == {**dict.fromkeys(URLS, 200), URLS[7]: 404, URLS[9]: 400}

    def results(url):
        return answers[url][1]["results"]

    assert len(results(URLS[0])) == 16
    assert {t["speaker"]["slug"] for t in results(URLS[1])} == {"sergei-mikhailov"}
    assert len(results(URLS[2])) == 16 + 8
    assert results(URLS[3]) == []
    assert "<mark>" in results(URLS[4])[0]["highlight"]
    assert [t["speaker"]["slug"] for t in results(URLS[5])] == ["vladislav-fronin"]
    assert [t["sequence"] for t in results(URLS[6])] == list(range(1, 88))
    assert [p["slug"] for p in results(URLS[8])] == ["mikhail-gusman"]
    assert answers[URLS[10]][1]["sequence"] == 5
    assert answers[URLS[11]][1]["count"] == 1
    assert answers[URLS[12]][1] is None  # CSV, not JSON
