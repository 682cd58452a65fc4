"""The deployment files, read statically: no Docker engine is needed to run these tests.

docker-compose.yml is parsed as YAML, its `${VAR:-default}` interpolation resolved the way
Compose would with none of the variables set; the Dockerfile is parsed by the small reader
below, which joins `\\` continuations and drops comment lines as Docker does.
"""

import itertools
import json
import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_DATA_DIR = "/var/lib/postgresql/data"
SHELLS = {"sh", "bash", "/bin/sh", "/bin/bash", "/usr/bin/env"}

MIGRATE = re.compile(r"\bpython3? manage\.py migrate\b[^\n]*--no-?input")
LOAD_FIXTURES = re.compile(r"\bpython3? manage\.py load_fixtures (?P<fixtures>[^;&|\n]+)")
EXEC_GUNICORN = re.compile(
    r"(?:^|&&|;)\s*exec gunicorn config\.wsgi(?::application)?\b(?P<options>[^\n]*)", re.M
)


# docker-compose.yml


_COMPOSE_VARIABLE = re.compile(
    r"\$\$|\$\{(?P<name>\w+)(?:(?P<operator>:?[-?])(?P<argument>[^}]*))?\}|\$(?P<bare>\w+)"
)


def interpolate(value: str) -> str:
    """`value` as Compose passes it to a container when none of its variables is set."""

    def replace(match: re.Match) -> str:
        if match[0] == "$$":
            return "$"
        operator = match["operator"] or ""
        if operator.endswith("-"):
            return match["argument"]
        if operator.endswith("?"):
            return f"<required {match['name']}>"
        return ""

    return _COMPOSE_VARIABLE.sub(replace, value)


def expand_container_variables(word: str, environment: dict[str, str]) -> str:
    """`word` with `$NAME` / `${NAME}` replaced as a shell inside the container would."""
    return re.sub(
        r"\$\{(\w+)\}|\$(\w+)",
        lambda match: environment.get(match[1] or match[2], ""),
        word,
    )


def raw_environment(service: dict) -> dict[str, str]:
    """A service's `environment`, in either of its two spellings, before interpolation."""
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.partition("=")[::2] for item in environment)
    return {name: "" if value is None else str(value) for name, value in environment.items()}


def environment(service: dict) -> dict[str, str]:
    return {name: interpolate(value) for name, value in raw_environment(service).items()}


def command_words(command: str | list[str]) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else [str(word) for word in command]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def db(compose) -> dict:
    return compose["services"]["db"]


@pytest.fixture(scope="module")
def web(compose) -> dict:
    return compose["services"]["web"]


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def mounts(service: dict) -> dict[str, str]:
    """A service's volumes as {target: source}, in either of their two spellings."""
    found = {}
    for mount in service.get("volumes", []):
        if isinstance(mount, str):
            source, target = mount.split(":")[:2]
        else:
            source, target = mount.get("source", ""), mount.get("target", "")
        found[target.rstrip("/")] = source
    return found


def published_ports(service: dict) -> set[str]:
    return {
        port if isinstance(port, str) else f"{port.get('published')}:{port.get('target')}"
        for port in service.get("ports", [])
    }


# Dockerfile


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str
    line: int

    def exec_form(self) -> list[str] | None:
        try:
            words = json.loads(self.arguments)
        except ValueError:
            return None
        if isinstance(words, list) and all(isinstance(word, str) for word in words):
            return words
        return None

    def words(self) -> list[str]:
        return self.exec_form() or shlex.split(self.arguments)


def parse_dockerfile(text: str) -> list[Instruction]:
    instructions: list[Instruction] = []
    parts: list[str] = []
    start = 0
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        # Docker drops blank and comment lines, within a continuation too.
        if not line or line.startswith("#"):
            continue
        if not parts:
            start = number
        if line.endswith("\\"):
            parts.append(line[:-1].strip())
            continue
        parts.append(line)
        keyword, _, arguments = " ".join(part for part in parts if part).partition(" ")
        instructions.append(Instruction(keyword.upper(), arguments.strip(), start))
        parts = []
    assert not parts, f"Dockerfile ends inside the continuation started on line {start}"
    return instructions


@dataclass(frozen=True)
class Dockerfile:
    instructions: list[Instruction]

    def of(self, keyword: str) -> list[Instruction]:
        return [instruction for instruction in self.instructions if instruction.keyword == keyword]

    def index(self, instruction: Instruction) -> int:
        return self.instructions.index(instruction)

    def workdir(self) -> str:
        workdirs = self.of("WORKDIR")
        assert workdirs, "the Dockerfile sets no WORKDIR"
        return workdirs[-1].arguments.rstrip("/")

    def start_words(self) -> list[str]:
        """What the container runs when nothing overrides it: ENTRYPOINT, then CMD."""
        entrypoints, cmds = self.of("ENTRYPOINT"), self.of("CMD")
        words = entrypoints[-1].words() if entrypoints else []
        return words + (cmds[-1].words() if cmds else [])

    def copies_repository_into_workdir(self) -> bool:
        targets = {"", ".", self.workdir()}
        return any(
            len(words) == 2 and words[0] == "." and words[1].rstrip("/") in targets
            for words in (
                [word for word in copy.words() if not word.startswith("--")]
                for copy in self.of("COPY")
            )
        )


@pytest.fixture(scope="module")
def dockerfile() -> Dockerfile:
    return Dockerfile(parse_dockerfile((ROOT / "Dockerfile").read_text(encoding="utf-8")))


def copy_sources(instruction: Instruction) -> list[str]:
    """The local source paths of a COPY or ADD: every word but the flags and the destination."""
    words = [word for word in instruction.words() if not word.startswith("--")]
    return [source for source in words[:-1] if "://" not in source]


def is_copied_from_another_stage(instruction: Instruction) -> bool:
    return any(word.startswith("--from=") for word in instruction.words())


# .dockerignore


def _dockerignore_regex(pattern: str) -> re.Pattern:
    """Go's filepath.Match syntax, plus `**` for any number of directories, as Docker reads it."""
    regex, position = "", 0
    while position < len(pattern):
        if pattern.startswith("**/", position):
            regex, position = regex + "(?:.*/)?", position + 3
        elif pattern.startswith("**", position):
            regex, position = regex + ".*", position + 2
        elif pattern[position] == "*":
            regex, position = regex + "[^/]*", position + 1
        elif pattern[position] == "?":
            regex, position = regex + "[^/]", position + 1
        elif pattern[position] == "[":
            end = pattern.index("]", position + 1)
            regex += "[" + pattern[position + 1 : end].replace("^", "\\^", 1) + "]"
            position = end + 1
        else:
            regex, position = regex + re.escape(pattern[position]), position + 1
    return re.compile(regex)


def dockerignore_rules() -> list[tuple[bool, re.Pattern]]:
    rules = []
    for raw_line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines():
        line = raw_line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = line.removeprefix("!").strip().removeprefix("./").strip("/")
        rules.append((negated, _dockerignore_regex(pattern)))
    return rules


def is_ignored(path: str) -> bool:
    """Whether `path` (relative to the repository) stays out of the Docker build context."""
    parts = path.split("/")
    prefixes = ["/".join(parts[:length]) for length in range(1, len(parts) + 1)]
    ignored = False
    for negated, regex in dockerignore_rules():
        if any(regex.fullmatch(prefix) for prefix in prefixes):
            ignored = not negated
    return ignored


# The start command, whichever file holds it


def repository_path(container_path: str, dockerfile: Dockerfile) -> Path:
    """Where a file the container sees at `container_path` comes from in this repository."""
    assert dockerfile.copies_repository_into_workdir(), "the Dockerfile has no `COPY . .`"
    workdir = dockerfile.workdir()
    relative = container_path
    if container_path.startswith(workdir + "/"):
        relative = container_path[len(workdir) + 1 :]
    assert not relative.startswith("/"), f"{container_path} is not copied from the repository"
    return ROOT / relative


def start_script(web: dict, dockerfile: Dockerfile) -> Path:
    """The script the web container runs on start (compose `command`, else the image's)."""
    words = command_words(web["command"]) if web.get("command") else dockerfile.start_words()
    while words and words[0] in SHELLS:
        words = words[1:]
    assert words, "the web container has no start command"
    assert words[0].endswith(".sh"), f"the web container starts {words}, not a start script"
    return repository_path(words[0], dockerfile)


def shell_logic(script: Path) -> str:
    """The script's commands: continuations joined, comments and blank lines dropped."""
    text = re.sub(r"\\\n\s*", " ", script.read_text(encoding="utf-8"))
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("#"))


@pytest.fixture(scope="module")
def start_logic(web, dockerfile) -> str:
    return shell_logic(start_script(web, dockerfile))


# The database service


def test_db_runs_postgresql_16(db):
    assert re.fullmatch(r"postgres:16(?:\.\d+)*(?:-[\w.]+)?", db["image"]), db["image"]


def test_db_keeps_its_data_in_a_named_volume(compose, db):
    sources = []
    for mount in db.get("volumes", []):
        if isinstance(mount, str):
            source, _, rest = mount.partition(":")
            target = rest.split(":")[0]
        else:
            source, target = mount.get("source", ""), mount.get("target", "")
        if target.rstrip("/") == POSTGRES_DATA_DIR:
            sources.append(source)
    assert sources, f"nothing is mounted at {POSTGRES_DATA_DIR}"
    declared = compose.get("volumes") or {}
    assert all(source in declared for source in sources), (sources, list(declared))


def test_db_healthcheck_runs_pg_isready_over_tcp_as_the_app_user(db):
    healthcheck = db["healthcheck"]
    test = healthcheck["test"]
    if isinstance(test, list):
        kind, *arguments = test
        command = " ".join(arguments) if kind == "CMD-SHELL" else shlex.join(arguments)
    else:
        command = test
    db_environment = environment(db)
    words = [
        expand_container_variables(word, db_environment)
        for word in shlex.split(interpolate(command))
    ]
    assert "pg_isready" in words, command
    options = dict(itertools.pairwise(words))
    assert options.get("-U") == db_environment["POSTGRES_USER"], command
    assert options.get("-d") == db_environment["POSTGRES_DB"], command
    # The image's first-start init server answers on the Unix socket only: TCP means truly up.
    assert options.get("-h") in {"127.0.0.1", "localhost"}, command
    assert {"interval", "timeout", "retries"} <= set(healthcheck), healthcheck


# The web service


def test_web_builds_from_the_repository_dockerfile(web):
    build = web["build"]
    context = build if isinstance(build, str) else build.get("context")
    assert context in {".", "./"}, build
    dockerfile_name = (
        "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
    )
    assert (ROOT / dockerfile_name).is_file()


def test_web_starts_only_once_the_db_is_healthy(web):
    depends_on = web["depends_on"]
    assert isinstance(depends_on, dict), "the short list form does not wait for health"
    assert depends_on["db"]["condition"] == "service_healthy"


def test_web_database_url_points_at_the_db_service(db, web):
    url = urlsplit(environment(web)["DATABASE_URL"])
    db_environment = environment(db)
    assert url.scheme in {"postgres", "postgresql"}, url
    assert url.hostname == "db", url
    assert url.port in {None, 5432}, url
    assert url.username == db_environment["POSTGRES_USER"]
    assert url.password == db_environment["POSTGRES_PASSWORD"]
    assert url.path.removeprefix("/") == db_environment["POSTGRES_DB"]


def test_web_requires_the_operator_to_set_a_secret_key(web):
    secret_key = raw_environment(web)["DJANGO_SECRET_KEY"]
    assert re.fullmatch(r"\$\{DJANGO_SECRET_KEY:?\?[^}]+\}", secret_key), secret_key


def test_web_allows_the_host_its_published_port_is_reached_on(web):
    allowed_hosts = environment(web)["DJANGO_ALLOWED_HOSTS"].split(",")
    assert "localhost" in allowed_hosts, allowed_hosts


def test_the_proxy_publishes_port_8000_and_the_web_containers_nothing(services):
    assert "8000:8000" in published_ports(services["proxy"]), services["proxy"].get("ports")
    # Two containers of one service cannot both bind a host port.
    assert not published_ports(services["web"]), services["web"]["ports"]


def test_start_script_is_an_executable_strict_bash_script(web, dockerfile):
    script = start_script(web, dockerfile)
    assert script.is_file(), script
    assert os.access(script, os.X_OK), f"{script.name} is not executable: chmod +x"
    assert not is_ignored(script.relative_to(ROOT).as_posix()), ".dockerignore drops the script"
    lines = script.read_text(encoding="utf-8").splitlines()
    assert lines[0] in {"#!/usr/bin/env bash", "#!/bin/bash"}, lines[0]
    assert "set -euo pipefail" in shell_logic(script)


def test_start_migrates_then_loads_fixtures_then_execs_gunicorn(start_logic):
    migrate = MIGRATE.search(start_logic)
    loading = LOAD_FIXTURES.search(start_logic)
    gunicorn = EXEC_GUNICORN.search(start_logic)
    assert migrate, "no `python manage.py migrate --noinput`"
    assert loading, "no `python manage.py load_fixtures`"
    assert gunicorn, "no `exec gunicorn config.wsgi`"
    assert migrate.start() < loading.start() < gunicorn.start()
    assert "--bind 0.0.0.0:8000" in gunicorn["options"], gunicorn[0]


def test_fixtures_the_start_loads_exist(start_logic):
    patterns = shlex.split(LOAD_FIXTURES.search(start_logic)["fixtures"])
    assert patterns == ["fixtures/*.json"], patterns
    fixtures = sorted(ROOT.glob(patterns[0]))
    assert fixtures, "no fixture matches fixtures/*.json"
    for fixture in fixtures:
        records = json.loads(fixture.read_text(encoding="utf-8"))
        assert records, f"{fixture.name} is empty"
        assert all({"model", "fields"} <= set(record) for record in records), fixture.name
        assert not is_ignored(fixture.relative_to(ROOT).as_posix()), fixture.name


# The image


def test_image_is_based_on_python_3_11(dockerfile):
    words = [word for word in dockerfile.of("FROM")[-1].words() if not word.startswith("--")]
    assert re.fullmatch(r"python:3\.11(?:\.\d+)?(?:-[\w.-]+)?", words[0]), words[0]


def test_image_installs_requirements_before_copying_the_code(dockerfile):
    requirements_copy = next(
        copy for copy in dockerfile.of("COPY") if copy_sources(copy) == ["requirements.txt"]
    )
    install = next(
        run
        for run in dockerfile.of("RUN")
        if re.search(r"\bpip install\b.*-r requirements\.txt", run.arguments)
    )
    code_copy = next(copy for copy in dockerfile.of("COPY") if copy_sources(copy) == ["."])
    assert (
        dockerfile.index(requirements_copy)
        < dockerfile.index(install)
        < dockerfile.index(code_copy)
    )


def test_image_copies_only_paths_that_exist_in_the_build_context(dockerfile):
    copies = [
        instruction
        for instruction in dockerfile.of("COPY") + dockerfile.of("ADD")
        if not is_copied_from_another_stage(instruction)
    ]
    assert copies
    for instruction in copies:
        for source in copy_sources(instruction):
            if source.rstrip("/") in {".", ""}:
                continue
            assert list(ROOT.glob(source)), f"line {instruction.line}: {source} does not exist"
            assert not is_ignored(source), f"line {instruction.line}: .dockerignore drops {source}"


def test_image_collects_static_files_with_a_build_only_secret_key(dockerfile):
    collectstatic = next(
        run
        for run in dockerfile.of("RUN")
        if re.search(r"\bmanage\.py collectstatic\b.*--no-?input", run.arguments)
    )
    code_copy = next(copy for copy in dockerfile.of("COPY") if copy_sources(copy) == ["."])
    assert dockerfile.index(code_copy) < dockerfile.index(collectstatic)
    assert re.match(r"DJANGO_SECRET_KEY=\S+ ", collectstatic.arguments), collectstatic.arguments
    # ENV or ARG would bake the throwaway key into the image the server runs with.
    baked = [
        instruction.line
        for instruction in dockerfile.of("ENV") + dockerfile.of("ARG")
        if "DJANGO_SECRET_KEY" in instruction.arguments
    ]
    assert not baked, f"DJANGO_SECRET_KEY set by ENV/ARG on line(s) {baked}"


def test_image_runs_as_a_non_root_user_it_creates(dockerfile):
    users = dockerfile.of("USER")
    assert users, "the container would run as root"
    user = users[-1].arguments.split(":")[0]
    assert user not in {"root", "0"}, user
    assert any(
        re.search(rf"\b(?:useradd|adduser)\b[^&;]*\b{re.escape(user)}\b", run.arguments)
        for run in dockerfile.of("RUN")
        if dockerfile.index(run) < dockerfile.index(users[-1])
    ), f"no RUN creates the user {user!r}"


def test_image_exposes_and_starts_the_web_server(dockerfile):
    assert any("8000" in expose.words() for expose in dockerfile.of("EXPOSE"))
    words = dockerfile.start_words()
    program = next((word for word in words if word not in SHELLS), "")
    if program.endswith("gunicorn"):
        assert "config.wsgi" in words, words
    else:
        script = repository_path(program, dockerfile)
        assert script.name.endswith(".sh") and script.is_file(), words
        assert os.access(script, os.X_OK), f"{script.name} is not executable"
        assert EXEC_GUNICORN.search(shell_logic(script)), f"{script.name} does not exec gunicorn"


def test_dockerignore_keeps_local_state_out_and_the_code_in():
    for path in [
        ".venv",
        ".git",
        "__pycache__",
        "interviews/__pycache__/models.cpython-311.pyc",
        ".pgdata",
        ".pgdata/base/1/1259",
        ".pgdata-test",
        "staticfiles",
        ".pytest_cache",
        ".ruff_cache",
        "bench/out",
    ]:
        assert is_ignored(path), f"{path} would be sent to the Docker build"
    for path in ["manage.py", "requirements.txt", "config/settings.py", "interviews/models.py"]:
        assert not is_ignored(path), f".dockerignore drops {path}"


# Runtime requirements


def test_requirements_pin_gunicorn_and_a_psycopg_that_brings_its_own_libpq():
    requirements = {}
    for raw_line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = raw_line.split("#", 1)[0].strip()
        if line:
            requirement = Requirement(line)
            requirements[requirement.name.lower()] = requirement

    def pinned(name: str) -> bool:
        specifiers = list(requirements[name].specifier) if name in requirements else []
        return (
            len(specifiers) == 1
            and specifiers[0].operator == "=="
            and "*" not in str(specifiers[0])
        )

    assert pinned("gunicorn"), requirements.get("gunicorn")
    assert pinned("psycopg"), requirements.get("psycopg")
    # The slim base image has no libpq: psycopg must ship one (its binary extra).
    assert "binary" in requirements["psycopg"].extras or pinned("psycopg-binary")


# Past one machine: two web containers behind nginx, a streaming replica, Redis.
# (tests/test_scaleout.py runs deploy/postgres/*.sh against real PostgreSQL servers.)


def parse_nginx(text: str) -> list:
    """nginx's configuration as nested [name, arguments, children] (children None for a
    simple directive): comments dropped, quotes honoured, as nginx tokenises it."""
    tokens = re.findall(
        r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|[{};]|[^\s{};"\']+', re.sub(r"#.*", "", text)
    )
    position = 0

    def block() -> list:
        nonlocal position
        directives, words = [], []
        while position < len(tokens):
            token = tokens[position]
            position += 1
            if token == ";":
                directives.append([words[0], words[1:], None])
                words = []
            elif token == "{":
                directives.append([words[0], words[1:], block()])
                words = []
            elif token == "}":
                assert not words, f"nginx.conf: {words} has no `;`"
                return directives
            else:
                words.append(token.strip("\"'"))
        assert not words, f"nginx.conf ends inside {words}"
        return directives

    return block()


def directives(block: list, name: str) -> list:
    return [directive for directive in block if directive[0] == name]


@pytest.fixture(scope="module")
def nginx(services) -> list:
    source = mounts(services["proxy"])["/etc/nginx/conf.d/default.conf"]
    return parse_nginx((ROOT / source).read_text(encoding="utf-8"))


def test_web_runs_twice_from_one_image_the_setup_service_builds(services):
    web, setup = services["web"], services["setup"]
    assert web["deploy"]["replicas"] == 2, web.get("deploy")
    assert web["build"] == setup["build"] and web["image"] == setup["image"]


def test_only_the_setup_service_migrates_and_web_waits_for_it(services, dockerfile):
    setup, web = services["setup"], services["web"]
    assert command_words(setup["command"])[1:] == ["setup"], setup["command"]
    assert command_words(web["command"])[1:] == ["serve"], web["command"]
    assert setup["restart"] == "no", "a setup that finished must not start again"
    assert web["depends_on"]["setup"]["condition"] == "service_completed_successfully"
    assert setup["depends_on"]["db"]["condition"] == "service_healthy"
    # Both run the image's start script, the one the static checks above read.
    for service in (setup, web):
        script = repository_path(command_words(service["command"])[0], dockerfile)
        assert script == ROOT / "docker-entrypoint.sh", script


def test_the_web_containers_read_from_the_replica_and_count_in_redis(services):
    web_environment, db_environment = environment(services["web"]), environment(services["db"])
    replicas = web_environment["DATABASE_REPLICA_URLS"].split(",")
    assert len(replicas) == 1, replicas
    replica, primary = urlsplit(replicas[0]), urlsplit(web_environment["DATABASE_URL"])
    assert replica.hostname == "replica" and replica.port in {None, 5432}, replica
    # A replica has its primary's roles and databases.
    assert (replica.username, replica.password, replica.path) == (
        primary.username,
        primary.password,
        primary.path,
    )
    assert primary.username == db_environment["POSTGRES_USER"]
    cache = urlsplit(web_environment["DJANGO_CACHE_URL"])
    assert cache.scheme == "redis" and cache.hostname == "redis", cache
    assert services["web"]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert environment(services["setup"])["DATABASE_URL"] == web_environment["DATABASE_URL"]


def test_every_setting_the_web_containers_are_given_is_one_that_is_read(services):
    documented = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    start = (ROOT / "docker-entrypoint.sh").read_text(encoding="utf-8")
    for name in environment(services["setup"]) | environment(services["web"]):
        if name.startswith(("DJANGO_", "DATABASE_")):
            read = re.search(rf"^{name}\b", documented, re.M) or f"${{{name}" in start
            assert read, f"{name} is neither a setting nor read by docker-entrypoint.sh"


def test_the_primary_lets_the_replica_stream_and_keeps_wal_for_it(services):
    db, replica = services["db"], services["replica"]
    init = mounts(db)
    script = init.get("/docker-entrypoint-initdb.d/10-replication.sh")
    assert script and (ROOT / script).is_file(), init
    assert os.access(ROOT / script, os.X_OK), f"{script} is not executable"
    text = (ROOT / script).read_text(encoding="utf-8")
    replica_environment, db_environment = environment(replica), environment(db)
    user = replica_environment.get("REPLICATION_USER", "replicator")
    assert re.search(rf"CREATE ROLE {user} WITH REPLICATION LOGIN", text), text
    assert f'"host replication {user} all scram-sha-256" >> "$PGDATA/pg_hba.conf"' in text
    # The password the primary sets is the one the replica logs in with.
    assert "POSTGRES_REPLICATION_PASSWORD" in text
    assert db_environment["POSTGRES_REPLICATION_PASSWORD"] == replica_environment["PGPASSWORD"]
    assert "wal_keep_size=1GB" in command_words(db["command"]), db["command"]


def test_the_replica_clones_db_into_a_volume_of_its_own(compose, services):
    db, replica = services["db"], services["replica"]
    assert replica["image"] == db["image"], "a replica runs its primary's major version"
    assert replica["user"] == "postgres", "the server refuses a data directory it does not own"
    replica_mounts = mounts(replica)
    data = replica_mounts[POSTGRES_DATA_DIR]
    assert data in (compose.get("volumes") or {}) and data != mounts(db)[POSTGRES_DATA_DIR]
    start = command_words(replica["entrypoint"])
    assert len(start) == 1 and (ROOT / replica_mounts[start[0]]).is_file(), start
    assert os.access(ROOT / replica_mounts[start[0]], os.X_OK)
    # Then the image's own entrypoint, which starts the server on the cloned directory.
    assert command_words(replica["command"]) == ["docker-entrypoint.sh", "postgres"]
    assert environment(replica)["PRIMARY_HOST"] == "db"
    assert replica["depends_on"]["db"]["condition"] == "service_healthy"
    test = " ".join(replica["healthcheck"]["test"][1:])
    assert "pg_isready -h 127.0.0.1" in test, test


def test_redis_keeps_nothing_on_disk_and_reports_its_health(services):
    redis = services["redis"]
    assert re.fullmatch(r"redis:7(?:\.\d+)*(?:-[\w.]+)?", redis["image"]), redis["image"]
    words = command_words(redis["command"])
    assert words[0] == "redis-server", words
    assert words[words.index("--save") + 1] == "" and "--appendonly" in words, words
    assert redis["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]


def test_the_proxy_spreads_requests_over_every_web_container(services, nginx):
    proxy = services["proxy"]
    assert proxy["image"].startswith("nginx:1.28"), "upstream `resolve` needs nginx 1.27.3+"
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    (upstream,) = [u for u in directives(nginx, "upstream") if u[1] == ["web"]]
    (server,) = directives(upstream[2], "server")
    # The address gunicorn binds in docker-entrypoint.sh, re-resolved as containers change.
    assert server[1][0] == "web:8000" and "resolve" in server[1][1:], server
    assert directives(upstream[2], "zone"), "`resolve` needs a shared zone"
    assert directives(nginx, "resolver")[0][1][0] == "127.0.0.11", "Docker's DNS"
    (site,) = directives(nginx, "server")
    assert directives(site[2], "listen")[0][1] == ["8000"]
    (location,) = directives(site[2], "location")
    assert directives(location[2], "proxy_pass")[0][1] == ["http://web"]
    headers = {d[1][0]: d[1][1] for d in directives(location[2], "proxy_set_header")}
    assert headers["Host"] == "$http_host"
    assert headers["X-Forwarded-For"] == "$proxy_add_x_forwarded_for"


def test_django_trusts_exactly_the_one_proxy_in_front(services):
    assert environment(services["web"])["DJANGO_TRUSTED_PROXIES"] == "1"
