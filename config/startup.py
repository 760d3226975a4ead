"""Start-up checks of the entry points (manage.py, config/wsgi.py,
config/celery.py, config/gunicorn.conf.py).

A missing or wrong setting stops the start with one line on stderr that names
the setting, and a non-zero exit status, not a traceback: what an operator
reads in `docker compose logs`. Nothing here imports Django models.
"""

import sys

# The exit status gunicorn's master reads as "the application could not be
# loaded": it stops instead of starting new workers that fail the same way.
APP_LOAD_ERROR = 4


def one_line(text) -> str:
    return " ".join(str(text).split())


def fail(message, status: int = 1):
    """Prints `message` as one line on stderr and ends the process."""
    sys.stderr.write(one_line(message) + "\n")
    sys.stderr.flush()
    raise SystemExit(status)


def load_settings():
    """Imports the settings; an ImproperlyConfigured from them is returned as
    the line to print (None when all is well)."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 -- imports config.settings
    except ImproperlyConfigured as exc:
        return f"ImproperlyConfigured: {one_line(exc)}"
    return None


def check_serving_settings():
    """What a server answering requests needs beyond what every command needs."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    if not settings.DEBUG and not settings.ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must be set when DEBUG is off (production): the host "
            "names the portal answers to, separated by commas."
        )


def database_address() -> str:
    from django.db import connections

    params = connections["default"].settings_dict
    if not params.get("HOST"):
        return str(params.get("NAME") or "")
    return f"{params['HOST']}:{params.get('PORT') or 5432}"


def database_unreachable_line(exc) -> str:
    first = one_line(str(exc).strip().splitlines()[0]) if str(exc).strip() else type(exc).__name__
    return f"DATABASE_URL: database at {database_address()} does not answer ({first})"


def check_database():
    """Connects to the default database once; returns the line to print when it
    does not answer (None when it does). Closes the connection again, so a
    forking server does not hand one socket to several workers."""
    from django.db import OperationalError, connections

    connection = connections["default"]
    try:
        connection.ensure_connection()
    except OperationalError as exc:
        return database_unreachable_line(exc)
    finally:
        connection.close()
    return None


def is_connection_failure(exc) -> bool:
    """An OperationalError raised while connecting (no connection was ever
    opened), not one of a query on an open connection."""
    from django.db import OperationalError, connections

    return isinstance(exc, OperationalError) and connections["default"].connection is None


def check_server_start(*, database: bool = True):
    """Everything a web server needs before it takes requests: settings that
    load, ALLOWED_HOSTS, and (once, in gunicorn's master) a database that
    answers. Ends the process with one line when something is wrong."""
    from django.core.exceptions import ImproperlyConfigured

    problem = load_settings()
    if problem is None:
        try:
            check_serving_settings()
        except ImproperlyConfigured as exc:
            problem = f"ImproperlyConfigured: {one_line(exc)}"
    if problem is None and database:
        problem = check_database()
    if problem is not None:
        fail(problem, APP_LOAD_ERROR)
