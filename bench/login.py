"""How fast the admin's login refuses a locked-out account, beside a normal failed login.

    .venv/bin/python bench/login.py              # --attempts 200

Starts gunicorn (2 workers) on a database of its own with one editor, then times, from
one client over new connections: wrong passwords before the lockout (each hashes the
password: the cost a brute force would make the server pay), and attempts after it
(refused by django-axes before any hashing). Reports p50 / p95 / max in ms, server and
loopback included, and writes them between this script's markers in bench/RESULTS.md.
The target (issue 20): refused attempts well under 50 ms.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time

import requests
from harness import (
    OUT,
    create_database,
    drop_database,
    free_port,
    manage,
    markers,
    say,
    start_gunicorn,
    stop,
    write_section,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/interviews_login_bench"
LOGIN = "/admin/login/"
PASSWORD = "right-horse-battery-9"


def attempt(base: str, password: str) -> tuple[int, float]:
    """One login on a new connection; its status and the POST's milliseconds."""
    with requests.Session() as browser:
        form = browser.get(f"{base}{LOGIN}", timeout=10).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
        started = time.perf_counter()
        answer = browser.post(
            f"{base}{LOGIN}",
            {"username": "editor", "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{base}{LOGIN}"},
            allow_redirects=False,
            timeout=10,
        )
        return answer.status_code, (time.perf_counter() - started) * 1000


def summary(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return f"{statistics.median(times):.1f} | {p95:.1f} | {times[-1]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    url = args.database_url
    create_database(url)
    server = None
    try:
        manage(url, "migrate", "-v0")
        manage(
            url,
            "shell",
            "-v0",
            "-c",
            "from django.contrib.auth.models import User; "
            f"User.objects.create_user('editor', password='{PASSWORD}', is_staff=True)",
        )
        port = free_port()
        OUT.mkdir(parents=True, exist_ok=True)
        server = start_gunicorn(url, port, OUT / "login-gunicorn.log")
        base = f"http://127.0.0.1:{port}"
        failed = []
        for _ in range(4):  # the failures allowed before the lockout
            status, ms = attempt(base, "wrong")
            assert status == 200, status
            failed.append(ms)
        assert attempt(base, "wrong")[0] == 429  # the fifth locks
        refused = []
        for _ in range(args.attempts):
            status, ms = attempt(base, PASSWORD if len(refused) % 2 else "wrong")
            assert status == 429, status
            refused.append(ms)
    finally:
        if server is not None:
            stop(server)
        drop_database(url)
    lines = [
        markers("login")[0],
        "## The admin's login under brute force (bench/login.py)",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: gunicorn, 2 workers; one "
        "client, a new connection per attempt (the CSRF form fetched first, not timed).",
        "",
        "| attempt | n | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|",
        f"| wrong password, before the lockout (hashed) | {len(failed)} | {summary(failed)} |",
        f"| locked out, wrong or right password (refused) | {len(refused)} | {summary(refused)} |",
        "",
        markers("login")[1],
    ]
    section = "\n".join(lines)
    say(section)
    if not args.no_write:
        write_section("login", section)


if __name__ == "__main__":
    main()
