"""Several web processes behaving as one, each part real and started here: the throttle
counted in a shared Redis (Debian's redis-server, gunicorn with two workers), reads from a
streaming replica, the API behind PgBouncer, and docker-compose.yml's scripts (the
replica's clone, the web image's setup) run on real PostgreSQL servers."""

import contextlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.core.management import call_command

from .conftest import (
    ROOT,
    SEED_FIXTURE,
    database_url_of_tests,
    free_port,
    gunicorn_serving,
    run_python,
)

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture
def redis_url(tmp_path):
    """A redis-server of this test's own, keeping nothing on disk; its URL."""
    if not shutil.which(REDIS_SERVER):
        pytest.fail("redis-server is missing: apt-get install -y redis-server (make test does)")
    port = free_port()
    options = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", tmp_path]
    server = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if _redis(port, "PING") == "+PONG":
                break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0", server, port
    finally:
        server.terminate()
        server.wait(timeout=10)


def _redis(port, *command):
    """One command in Redis' inline protocol; the first line of the answer (None: down)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall((" ".join(command) + "\r\n").encode())
            return connection.recv(4096).decode().split("\r\n")[0]
    except OSError:
        return None


def _statuses(url, count):
    statuses = []
    for _ in range(count):
        try:
            with urllib.request.urlopen(f"{url}/api/outlets", timeout=5) as answer:
                statuses.append(answer.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    return statuses


@pytest.mark.django_db(transaction=True)
def test_every_worker_counts_a_client_in_one_place(redis_url):
    url_of_redis, _, port = redis_url
    call_command("load_fixtures", SEED_FIXTURE, verbosity=0)
    environment = {"DJANGO_CACHE_URL": url_of_redis, "DJANGO_API_THROTTLE_ANON": "6/minute"}
    with gunicorn_serving(environment, workers=2) as url:
        statuses = _statuses(url, 14)
    # Two workers counting apart would let up to 12 through.
    assert statuses == [200] * 6 + [429] * 8, statuses
    keys = _redis(port, "KEYS", "*throttle_anon_*")
    assert keys and keys.startswith("*1"), keys  # one counter, for 127.0.0.1


@pytest.mark.django_db(transaction=True)
def test_redis_down_leaves_the_api_answering(redis_url):
    """A counter, not data: without Redis requests go unthrottled (and it is logged)."""
    url_of_redis, server, _ = redis_url
    call_command("load_fixtures", SEED_FIXTURE, verbosity=0)
    server.terminate()
    server.wait(timeout=10)
    environment = {"DJANGO_CACHE_URL": url_of_redis, "DJANGO_API_THROTTLE_ANON": "2/minute"}
    with gunicorn_serving(environment, workers=1) as url:
        statuses = _statuses(url, 4)
        with urllib.request.urlopen(f"{url}/api/schema/?format=json", timeout=5) as schema:
            assert "paths" in json.loads(schema.read())
    assert statuses == [200] * 4


def test_a_cache_url_that_is_not_redis_is_one_line():
    from .conftest import run_python

    done = run_python("manage.py", "check", environment={"DJANGO_CACHE_URL": "memcached://x"})
    assert done.returncode != 0
    assert "DJANGO_CACHE_URL='memcached://x': use redis://host:6379/0" in done.stderr
    assert "Traceback" not in done.stderr


# --- behind PgBouncer in transaction mode -----------------------------------------------------

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


@pytest.fixture
def pgbouncer_port():
    """Debian's PgBouncer in transaction mode, two server connections per database, in
    front of the test's PostgreSQL; its port."""
    import tempfile

    from django.db import connection

    if not os.path.exists(PGBOUNCER):
        pytest.fail("pgbouncer is missing: apt-get install -y pgbouncer (make test does)")
    port = free_port()
    settings_dict = connection.settings_dict
    with tempfile.TemporaryDirectory() as folder:
        if os.geteuid() == 0:  # PgBouncer refuses root: it runs as `postgres`, writing here
            shutil.chown(folder, "postgres")
        users = os.path.join(folder, "users.txt")
        with open(users, "w") as file:
            file.write(f'"{settings_dict["USER"]}" ""\n')
        ini = os.path.join(folder, "pgbouncer.ini")
        with open(ini, "w") as file:
            file.write(
                "[databases]\n"
                f"* = host={settings_dict['HOST']} port={settings_dict['PORT']}\n"
                "[pgbouncer]\n"
                f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
                f"auth_type = trust\nauth_file = {users}\n"
                "pool_mode = transaction\ndefault_pool_size = 2\nmax_client_conn = 200\n"
                f"logfile = {folder}/pgbouncer.log\npidfile = {folder}/pgbouncer.pid\n"
            )
        for path in (users, ini):
            os.chmod(path, 0o644)
        as_user = ["-u", "postgres"] if os.geteuid() == 0 else []
        bouncer = subprocess.Popen(
            [PGBOUNCER, *as_user, ini], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            for _ in range(100):
                if bouncer.poll() is not None:
                    pytest.fail(f"pgbouncer exited: {bouncer.stderr.read().decode()[-1000:]}")
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.05)
            yield port
        finally:
            bouncer.terminate()
            bouncer.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_the_api_behind_pgbouncer_in_transaction_mode(pgbouncer_port):
    """Pages, a search, the admin, and CSV streams side by side, each longer than one
    batch, through two server connections that transactions take turns on."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from interviews.models import Event, Participant, Turn, turn_order_date

    call_command("load_fixtures", SEED_FIXTURE, verbosity=0)
    event = Event.objects.create(slug="long-hearing", title="A long hearing", date="2024-05-01")
    witness = Participant.objects.create(name="Witness", slug="witness")
    Turn.objects.bulk_create(
        Turn(
            event=event,
            sequence=n,
            speaker=witness,
            text=f"Statement {n} about vaccines.",
            event_date=turn_order_date(event.date),
        )
        for n in range(1, 2501)
    )
    total = Turn.objects.count()
    name = connection.settings_dict["NAME"]
    environment = {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pgbouncer_port}/{name}",
        # PgBouncer 1.18 keeps no prepared statement across transactions.
        "DJANGO_DB_PREPARED_QUERIES": "0",
        "DJANGO_API_THROTTLE_ANON": "",
    }
    with gunicorn_serving(environment, workers=2) as url:

        def get(path):
            with urllib.request.urlopen(f"{url}{path}", timeout=60) as answer:
                return answer.status, answer.read()

        for path in [
            "/api/turns?speaker=mikhail-gusman",
            f"/api/turns?speaker=witness&cursor=a{event.pk}.2000",
            "/api/events/long-hearing/turns?page_size=500",
            "/api/turns?q=vaccines",
            "/api/participants?name=gusm",
            "/admin/login/",
        ]:
            for _ in range(3):  # again and again, on whichever server connection
                status, _ = get(path)
                assert status == 200, path
        with ThreadPoolExecutor(8) as pool:
            exports = list(pool.map(lambda _: get("/api/turns.csv"), range(8)))
            # The other lists' CSV, read through the ORM: also one transaction a stream.
            lists = ["/api/participants.csv", "/api/events.csv", "/api/outlets.csv"] * 4
            listed = list(pool.map(get, lists))
        assert all(status == 200 and body.count(b"\n") > 1 for status, body in listed)
    for status, body in exports:
        assert status == 200
        import csv
        import io

        rows = list(csv.reader(io.StringIO(body.decode())))
        assert len(rows) == total + 1, len(rows)  # header and every turn, none cut off


# --- a streaming replica --------------------------------------------------------------------


PG_BIN = "/usr/lib/postgresql/15/bin"


class Cluster:
    """A PostgreSQL cluster of Debian's binaries in a folder of the test's (as `postgres`
    when the test runs as root: PostgreSQL refuses root)."""

    def __init__(self, folder, port):
        self.folder, self.port = folder, port
        self.data = os.path.join(folder, f"data-{port}")

    @staticmethod
    def run(*command):
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run(
            [*as_postgres, *command], capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-2000:])
        return done.stdout

    def start(self):
        self.run(
            f"{PG_BIN}/pg_ctl",
            "-D",
            self.data,
            "-l",
            f"{self.data}.log",
            "-w",
            "start",
            "-o",
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1",
        )

    def stop(self):
        self.run(f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def url(self, name="interviews"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def sql(self, statement, name="interviews"):
        import psycopg

        with psycopg.connect(self.url(name), autocommit=True, connect_timeout=3) as conn:
            cursor = conn.execute(statement)
            return cursor.fetchall() if cursor.description else None


@pytest.fixture
def primary_and_replica():
    """A primary and its streaming replica (pg_basebackup), each started on a free port,
    with the project's schema migrated on the primary; both stopped at the end."""
    import tempfile

    if not os.path.exists(f"{PG_BIN}/pg_basebackup"):
        pytest.fail(f"{PG_BIN} is missing: Debian's postgresql-15 package")
    with tempfile.TemporaryDirectory() as folder:
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
        primary, replica = Cluster(folder, free_port()), Cluster(folder, free_port())
        Cluster.run(f"{PG_BIN}/initdb", "-D", primary.data, "-U", "postgres", "--auth=trust")
        with open(os.path.join(primary.data, "postgresql.conf"), "a") as conf:
            conf.write("wal_level = replica\nmax_wal_senders = 4\nfsync = off\n")
        primary.start()
        started = [primary]
        try:
            Cluster.run(
                f"{PG_BIN}/pg_basebackup",
                "-h",
                "127.0.0.1",
                "-p",
                str(primary.port),
                "-U",
                "postgres",
                "-D",
                replica.data,
                "-R",
                "-X",
                "stream",
            )
            replica.start()
            started.append(replica)
            primary.sql("CREATE DATABASE interviews", name="postgres")
            migrated = run_python(
                "manage.py", "migrate", "-v0", environment={"DATABASE_URL": primary.url()}
            )
            assert migrated.returncode == 0, migrated.stderr[-2000:]
            yield primary, replica
        finally:
            for cluster in started:
                with contextlib.suppress(AssertionError):  # stopped by the test
                    cluster.stop()


def _until(check, seconds=10):
    """check() until it is true (replication takes a moment); its last value."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            value = check()
        except Exception:  # the replica not there yet
            value = None
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def _status(url, path):
    """The answer's status; for a CSV, 200 only if the whole stream came (a stream that
    fails midway has sent its 200 already)."""
    try:
        with urllib.request.urlopen(f"{url}{path}", timeout=10) as answer:
            body = answer.read()
    except urllib.error.HTTPError as error:
        return error.code
    except http.client.IncompleteRead:
        return "cut off"
    if ".csv" in path and body.count(b"\n") < 2:
        return "no rows"
    return answer.status


def test_api_reads_from_the_replica_writes_go_to_the_primary(primary_and_replica):
    """A real streaming replica (pg_basebackup) beside its primary: an import writes on
    the primary; the API then reads on the replica (it answers with the primary stopped,
    while readiness, which asks the primary, says down), and on the primary when the
    replica is down."""
    primary, replica = primary_and_replica
    loaded = run_python(
        "manage.py", "load_fixtures", str(SEED_FIXTURE), environment={"DATABASE_URL": primary.url()}
    )
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    assert _until(lambda: replica.sql("SELECT count(*) FROM interviews_turn") == [(87,)])
    environment = {
        "DATABASE_URL": primary.url(),
        "DATABASE_REPLICA_URLS": replica.url(),
        "DJANGO_API_THROTTLE_ANON": "",
        "DJANGO_CONN_MAX_AGE": "0",
    }
    reads = [
        "/api/turns?speaker=mikhail-gusman",
        "/api/events/2022-02-23-ilham-aliyev-met-with-the-heads-of-russias-top-mass-media/turns",
        "/api/participants?name=gusm",
        "/api/turns.csv?speaker=ilham-aliyev",
        "/api/participants.csv",  # streamed after the view returns: still the replica's
    ]
    with gunicorn_serving(environment, workers=1) as url:
        before = replica.sql("SELECT sum(xact_commit) FROM pg_stat_database")[0][0]
        assert [_status(url, path) for path in reads] == [200] * len(reads)
        after = replica.sql("SELECT sum(xact_commit) FROM pg_stat_database")[0][0]
        assert after > before  # the replica served them
        primary.stop()
        assert [_status(url, path) for path in reads] == [200] * len(reads)  # the replica alone
        assert _status(url, "/readyz") == 503  # the primary: down
        primary.start()
        replica.stop()
        assert [_status(url, path) for path in reads] == [200] * len(reads)  # back on the primary
        assert _status(url, "/readyz") == 200


def test_a_replica_url_that_is_not_postgres_is_one_line():
    done = run_python("manage.py", "check", environment={"DATABASE_REPLICA_URLS": "mysql://x/y"})
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "DATABASE_REPLICA_URLS: replica 1 is not a postgres:// URL" in done.stderr


def test_only_the_apis_reads_go_to_a_replica(rf, monkeypatch):
    """GET and HEAD under /api/ read from the replica chosen; the admin, writes and
    everything else from the primary."""
    from interviews import replicas
    from interviews.models import Turn

    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica1"])
    monkeypatch.setattr(replicas, "answering_replica", lambda: "replica1")
    router = replicas.ReplicaRouter()
    seen = {}

    def view(request):
        seen[(request.method, request.path)] = router.db_for_read(Turn)

    middleware = replicas.ReplicaReadsMiddleware(view)
    requests = [("get", "/api/turns"), ("head", "/api/events"), ("get", "/admin/")]
    for method, path in [*requests, ("post", "/api/turns"), ("get", "/readyz")]:
        middleware(getattr(rf, method)(path))
    assert seen == {
        ("GET", "/api/turns"): "replica1",
        ("HEAD", "/api/events"): "replica1",
        ("GET", "/admin/"): None,
        ("POST", "/api/turns"): None,
        ("GET", "/readyz"): None,
    }
    assert router.db_for_read(Turn) is None  # after the request: the primary again
    assert router.db_for_write(Turn) == "default"
    assert not router.allow_migrate("replica1", "interviews")


# docker-compose.yml's scripts, run here on real servers (no Docker engine needed)


def _script(*command, environment, timeout=120):
    """A deploy script run as the container would run it (as `postgres` for the database
    ones when the test runs as root), with Debian's PostgreSQL 15 programs on PATH."""
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    path = f"{PG_BIN}:{os.environ['PATH']}"
    return subprocess.run(
        [
            *as_postgres,
            "env",
            f"PATH={path}",
            *(f"{k}={v}" for k, v in environment.items()),
            *command,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_the_compose_replica_clones_its_primary_and_follows_it():
    """deploy/postgres/primary-init.sh on a primary whose pg_hba.conf is the official
    image's (replication allowed on the local socket only, every other login by
    password), then deploy/postgres/replica-start.sh: the clone logs in as the role the
    first script made, and the server it then starts follows the primary."""
    import tempfile

    import psycopg

    def sql(cluster, statement):
        # On the socket: over TCP these servers, as the image's, ask for a password.
        with psycopg.connect(
            host=folder, port=cluster.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            cursor = conn.execute(statement)
            return cursor.fetchall() if cursor.description else None

    with tempfile.TemporaryDirectory() as folder:
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
        primary, replica = Cluster(folder, free_port()), Cluster(folder, free_port())
        Cluster.run(f"{PG_BIN}/initdb", "-D", primary.data, "-U", "postgres", "--auth=trust")
        with open(os.path.join(primary.data, "pg_hba.conf"), "w") as hba:
            hba.write("local all all trust\nlocal replication all trust\n")
            hba.write("host all all all scram-sha-256\n")
        with open(os.path.join(primary.data, "postgresql.conf"), "a") as conf:
            conf.write("fsync = off\n")
        primary.start()
        started = [primary]
        try:
            made = _script(
                str(ROOT / "deploy/postgres/primary-init.sh"),
                environment={
                    "PGHOST": folder,
                    "PGPORT": primary.port,
                    "PGDATA": primary.data,
                    "POSTGRES_USER": "postgres",
                    "POSTGRES_DB": "postgres",
                    "POSTGRES_REPLICATION_PASSWORD": "s3cret'quote",
                },
            )
            assert made.returncode == 0, made.stderr
            Cluster.run(f"{PG_BIN}/pg_ctl", "-D", primary.data, "reload")
            server = [
                f"{PG_BIN}/pg_ctl", "-D", replica.data, "-l", f"{replica.data}.log", "-w",
                "start", "-o", f"-p {replica.port} -k {folder} -c listen_addresses=127.0.0.1",
            ]  # fmt: skip
            cloned = _script(
                str(ROOT / "deploy/postgres/replica-start.sh"),
                *server,
                environment={
                    "PGDATA": replica.data,
                    "PRIMARY_HOST": "127.0.0.1",
                    "PRIMARY_PORT": primary.port,
                    "PGPASSWORD": "s3cret'quote",
                },
                timeout=60,
            )
            assert cloned.returncode == 0, cloned.stderr
            started.append(replica)
            assert sql(replica, "SELECT pg_is_in_recovery()") == [(True,)]
            sql(primary, "CREATE TABLE written_later (n int); INSERT INTO written_later VALUES (7)")
            seen = _until(lambda: sql(replica, "SELECT n FROM written_later"))
            assert seen == [(7,)]
            # Started again, it keeps its data: no second clone.
            replica.stop()
            again = _script(
                str(ROOT / "deploy/postgres/replica-start.sh"),
                *server,
                environment={"PGDATA": replica.data, "PRIMARY_HOST": "127.0.0.1"},
                timeout=60,
            )
            assert again.returncode == 0 and "pg_basebackup" not in again.stderr, again.stderr
            assert sql(replica, "SELECT n FROM written_later") == [(7,)]
        finally:
            for cluster in started:
                with contextlib.suppress(AssertionError):
                    cluster.stop()


@pytest.mark.django_db(transaction=True)
def test_the_start_script_sets_up_then_stops_or_refuses_a_mode_it_does_not_know():
    """`docker-entrypoint.sh setup` (the setup service) migrates and loads the fixtures,
    then exits instead of serving."""
    from interviews.models import Event

    environment = {
        "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}",
        "DATABASE_URL": database_url_of_tests(),
    }
    done = subprocess.run(
        ["bash", "docker-entrypoint.sh", "setup"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert Event.objects.count() == len(list(ROOT.glob("fixtures/2*.json")))
    refused = subprocess.run(
        ["bash", "docker-entrypoint.sh", "migrate"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert refused.returncode == 64
    assert refused.stderr == "docker-entrypoint: expected setup, serve or nothing, not 'migrate'\n"
