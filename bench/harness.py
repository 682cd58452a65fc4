"""What the benchmarks share: the database, servers they start and stop, wrk, the machine.

Used by api_bench.py and perf.py (run them from the project's .venv); no Django here.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit, urlunsplit

try:
    import psycopg
    from psycopg import sql
except ImportError:  # pragma: no cover - depends on the interpreter
    sys.exit(f"{Path(sys.argv[0]).stem}: error: psycopg is missing; run it with .venv/bin/python")

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def say(message: str = "") -> None:
    print(message, flush=True)


def fail(message: str) -> NoReturn:
    print(f"{Path(sys.argv[0]).stem}: error: {message}", file=sys.stderr, flush=True)
    sys.exit(2)


# --- the database -------------------------------------------------------------------------


def with_dbname(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def dbname_of(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if not name:
        fail(f"--database-url {url!r} names no database")
    return name


def where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 5432}"


def connect(url: str, autocommit: bool = False) -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(url, connect_timeout=5, autocommit=autocommit)
    except psycopg.OperationalError as error:
        reason = " ".join(line.strip() for line in str(error).splitlines()) or repr(error)
        fail(f"PostgreSQL not reachable at {where(url)}, database {dbname_of(url)}: {reason}")


def existing_turns(url: str) -> int | None:
    """Turns in the database, or None if it or its turn table does not exist."""
    try:
        conn = psycopg.connect(url, connect_timeout=5)
    except psycopg.OperationalError:
        return None
    with conn:
        if conn.execute("SELECT to_regclass('interviews_turn')").fetchone() == (None,):
            return None
        row = conn.execute("SELECT count(*) FROM interviews_turn").fetchone()
        return int(row[0]) if row else 0


def drop_database(url: str) -> None:
    with connect(with_dbname(url, "postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(dbname_of(url))
            )
        )


def create_database(url: str) -> None:
    drop_database(url)
    with connect(with_dbname(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname_of(url))))


def django_env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # One client hammering from one address: measure the API, not the throttle.
        "DJANGO_API_THROTTLE_ANON": "",
    }


def manage(url: str, *args: str) -> str:
    command = [sys.executable, "manage.py", *args]
    done = subprocess.run(
        command, cwd=ROOT, env=django_env(url), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        print((done.stdout + done.stderr)[-3000:], file=sys.stderr)
        fail(f"`manage.py {' '.join(args)}` exited with {done.returncode}")
    return done.stdout


# --- servers ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    command: list[str], env: dict[str, str], port: int, log: Path, probe: str, cwd: Path = ROOT
) -> subprocess.Popen[bytes]:
    """Start a server and wait until GET probe answers (any HTTP status); fail after 60 s."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            fail(f"{command[0]} exited with {process.returncode}:\n{tail}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=2).close()
            return process
        except urllib.error.HTTPError:
            return process  # it answers
        except OSError:
            time.sleep(0.3)
    stop(process)
    fail(f"{command[0]} did not answer on 127.0.0.1:{port} within 60 s; see {log}")


def gunicorn_command(app: str, port: int, gunicorn: Path | None = None) -> list[str]:
    """gunicorn with 2 sync workers (one per core of the benchmark machines)."""
    if gunicorn is None:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        if not gunicorn.exists():
            gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    if not gunicorn.exists():
        fail(f"gunicorn not found at {gunicorn}; run `make install`")
    return [str(gunicorn), app, "--workers", "2", "--bind", f"127.0.0.1:{port}"]


def start_gunicorn(url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    """The project: config.wsgi, DEBUG off, no throttle."""
    return start_server(
        gunicorn_command("config.wsgi", port), django_env(url), port, log, "/api/outlets"
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def get(url: str) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read(), time.perf_counter() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.perf_counter() - started


# --- load ---------------------------------------------------------------------------------


@dataclass
class Endpoint:
    name: str
    path: str
    shown: str  # the path as printed (cursors abridged)
    expect_results: int | None = None


@dataclass
class Result:
    endpoint: Endpoint
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    p95_ms: float | None = None


def find_wrk() -> str | None:
    found = shutil.which("wrk")
    if found or not shutil.which("apt-get") or os.geteuid() != 0:
        return found
    say("wrk is not on PATH: trying `apt-get install -y wrk`")
    for command in (
        ["apt-get", "install", "-y", "-qq", "wrk"],
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "wrk"],
    ):
        subprocess.run(command, capture_output=True, check=False)
        if shutil.which("wrk"):
            return shutil.which("wrk")
    say("could not install wrk")
    return None


def wrk_version(wrk: str) -> str:
    version = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)
    return (version.stdout or version.stderr).split("[")[0].strip() or "wrk"


# Printed by wrk at the end of a run: exact percentiles (microseconds), 95 included.
_PERCENTILES_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("PERCENTILES %d %d %d %d\\n", latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def run_wrk(wrk: str, url: str, endpoint: Endpoint, connections: int, seconds: int) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_PERCENTILES_LUA)
    try:
        command = [
            wrk,
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            script.name,
            url,
        ]
        output = subprocess.run(command, capture_output=True, text=True, check=False).stdout
    finally:
        Path(script.name).unlink(missing_ok=True)

    def number(pattern: str) -> re.Match[str] | None:
        return re.search(pattern, output, re.MULTILINE)

    rps, total = number(r"^Requests/sec:\s+([\d.]+)"), number(r"(\d+) requests in")
    exact = number(r"^PERCENTILES (\d+) (\d+) (\d+) (\d+)$")
    if not (rps and total and exact):
        fail(f"could not read wrk's output:\n{output}")
    p50, p95, p99 = (int(exact.group(i)) / 1000 for i in (1, 2, 3))
    non_2xx = number(r"Non-2xx or 3xx responses:\s+(\d+)")
    sockets = number(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (
        sum(int(n) for n in sockets.groups()) if sockets else 0
    )
    return Result(endpoint, int(total.group(1)), float(rps.group(1)), p50, p99, errors, p95)


# --- the report ---------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    try:
        models = re.findall(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = models[0].strip() if models else platform.processor() or cpu
    except OSError:
        pass
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = ""
    try:
        kb = re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        memory = f", {int(kb.group(1)) / 1024**2:.0f} GiB RAM" if kb else ""
    except OSError:
        pass
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    return f"nproc {nproc}, {cpu}{memory}, {platform.system()} {platform.release()}, {now}"


# --- bench/RESULTS.md ---------------------------------------------------------------------

RESULTS = ROOT / "bench" / "RESULTS.md"


def markers(name: str) -> tuple[str, str]:
    """The comments that hold a script's own section of RESULTS.md between them."""
    return f"<!-- {name}.py: start -->", f"<!-- {name}.py: end -->"


def write_section(name: str, section: str) -> None:
    """Replace the script's section of RESULTS.md (section includes its markers), or
    append it at the end the first time."""
    start, end = markers(name)
    text = RESULTS.read_text(encoding="utf-8")
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n\n" + section + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    say(f"\nwritten to {RESULTS.relative_to(ROOT)}")
