"""The API's reads from read replicas (DATABASE_REPLICA_URLS); all else from the primary.

ReplicaReadsMiddleware picks, for each GET or HEAD under /api/, a replica that answers
(a kept connection is pinged first), and ReplicaRouter sends that request's reads there;
the admin, imports and every write use the primary. A replica that does not answer is
passed over for RETRY_SECONDS, and with none answering the primary serves the read.
Replicas lag the primary by their replication delay: editors see their own changes at
once (the admin reads the primary), API clients a moment later.
"""

import contextvars
import random
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

RETRY_SECONDS = 5

_reading_from = contextvars.ContextVar("reading_from", default=None)
_passed_over_until: dict[str, float] = {}


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def answering_replica() -> str | None:
    """A replica that answers now, chosen at random among them; None if there is none."""
    now = time.monotonic()
    candidates = [a for a in replica_aliases() if _passed_over_until.get(a, 0) <= now]
    random.shuffle(candidates)
    for alias in candidates:
        connection = connections[alias]
        try:
            connection.close_if_health_check_failed()
            connection.ensure_connection()
            return alias
        except (OperationalError, InterfaceError):
            connection.close()
            _passed_over_until[alias] = now + RETRY_SECONDS
    return None


class ReplicaRouter:
    """Reads of a request ReplicaReadsMiddleware marked go to its replica."""

    def db_for_read(self, model, **hints):
        return _reading_from.get()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, first, second, **hints):
        return True  # the same rows, wherever they were read

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reads = request.method in ("GET", "HEAD") and request.path_info.startswith("/api/")
        if not (reads and replica_aliases()):
            return self.get_response(request)
        token = _reading_from.set(answering_replica())
        try:
            return self.get_response(request)
        finally:
            _reading_from.reset(token)
