"""The PostgreSQL backend, on the embedded server: started on a process's first connection."""

import psycopg
from django.db.backends.postgresql import base

from . import LocalDatabaseError, ensure_running


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        try:
            server = ensure_running()
        except LocalDatabaseError as error:
            # Raised inside connect(): Django reports it as its own OperationalError.
            raise psycopg.OperationalError(f"embedded PostgreSQL: {error}") from None
        params = super().get_connection_params()
        params["host"] = str(server.socket_dir)
        params["port"] = server.port
        return params
