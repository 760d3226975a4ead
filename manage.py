#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    from config.startup import (
        database_unreachable_line,
        fail,
        is_connection_failure,
        load_settings,
        one_line,
    )

    # A missing or wrong setting, or a database that does not answer: one line
    # naming it and a non-zero exit, not a traceback (config/startup.py).
    problem = load_settings()
    if problem is not None:
        fail(problem)
    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        fail(f"ImproperlyConfigured: {one_line(exc)}")
    except OperationalError as exc:
        if not is_connection_failure(exc):
            raise
        fail(database_unreachable_line(exc))


if __name__ == "__main__":
    main()
