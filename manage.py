#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A setting from the environment is missing or wrong: say which, no traceback.
        sys.exit(f"configuration error: {error}")
    except OperationalError as error:
        # No database to talk to (down, unreachable, or the embedded one would not start).
        lines = str(error).strip().splitlines()
        sys.exit(f"database unavailable: {lines[0] if lines else type(error).__name__}")


if __name__ == "__main__":
    main()
