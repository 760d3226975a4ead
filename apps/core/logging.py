"""Log lines a log collector can read, and that carry no personal data.

- `RequestIdMiddleware` gives every request an id (the incoming `X-Request-ID`
  when it is a short safe token, a new one otherwise), answers it in the
  `X-Request-ID` header and keeps the request in a context variable for the
  time of the request.
- `RequestContextFilter` (on the handler) adds `request_id`, `municipality_id`
  and `user_id` to every record logged during that request; outside a request
  they are empty.
- `JsonFormatter` writes one JSON object per line (LOG_FORMAT=json, the
  default with DEBUG off). Ids only: the message is scrubbed of e-mail
  addresses, nine-digit numbers (a BSN) and query strings (search terms), so a
  third-party library that logs a login name or a URL does not put personal
  data in the log.
"""

import contextvars
import json
import logging
import re
import secrets
from datetime import UTC, datetime

from django.http import HttpRequest
from django.utils.functional import empty

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is kept only when it is a short token of safe characters (a
# proxy's UUID, say); anything else could inject text into the log.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

_current_request = contextvars.ContextVar("portal_request", default=None)
_current_request_id = contextvars.ContextVar("portal_request_id", default="")


def request_id_from(header_value: str | None) -> str:
    """The incoming id when it is a safe short token, else a new one."""
    if header_value and _SAFE_REQUEST_ID.match(header_value):
        return header_value
    return secrets.token_hex(16)


def current_request_id() -> str:
    return _current_request_id.get()


def current_request():
    """The request being answered in this context (None in a task, a command or
    a test calling a service directly)."""
    return _current_request.get()


class RequestIdMiddleware:
    """First in MIDDLEWARE, so every response (redirects, errors) has the header
    and every log line of the request its id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        id_token = _current_request_id.set(request_id)
        request_token = _current_request.set(request)
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            return response
        finally:
            _current_request.reset(request_token)
            _current_request_id.reset(id_token)


def _user_id(request):
    # Only a user already loaded by the request: a log line never triggers a
    # session or database lookup of its own.
    user = vars(request).get("user")
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty:
        return None
    if not getattr(wrapped, "is_authenticated", False):
        return None
    return wrapped.pk


def _municipality_id(request):
    municipality = getattr(request, "municipality", None)
    return getattr(municipality, "pk", None)


class RequestContextFilter(logging.Filter):
    """Adds request_id, municipality_id and user_id to every record."""

    def filter(self, record):
        # Django logs a 4xx/5xx answer after the middleware returned, passing
        # the request along: its id is kept on the request for that line.
        request = getattr(record, "request", None)
        if not isinstance(request, HttpRequest):
            request = _current_request.get()
        record.request_id = getattr(request, "request_id", "") or _current_request_id.get()
        record.municipality_id = _municipality_id(request) if request is not None else None
        record.user_id = _user_id(request) if request is not None else None
        return True


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_BSN = re.compile(r"(?<!\d)\d{9}(?!\d)")
_QUERY_STRING = re.compile(r"(/[^\s?\"']*)\?[^\s\"']+")


def scrub(text: str) -> str:
    """Removes what may be personal data from a log message."""
    text = _EMAIL.sub("[e-mail]", text)
    text = _BSN.sub("[number]", text)
    return _QUERY_STRING.sub(r"\1?[query]", text)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id,
    municipality_id, user_id (and the exception, when there is one)."""

    def format(self, record):
        created = datetime.fromtimestamp(record.created, tz=UTC)
        entry = {
            "time": created.isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
            "request_id": getattr(record, "request_id", "") or None,
            "municipality_id": getattr(record, "municipality_id", None),
            "user_id": getattr(record, "user_id", None),
        }
        if record.exc_info:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """The plain-text lines of the local demo, scrubbed the same way."""

    def format(self, record):
        for name in ("request_id", "municipality_id", "user_id"):
            if not hasattr(record, name):
                setattr(record, name, "")
        return scrub(super().format(record))
