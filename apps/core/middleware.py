import logging
import time

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _

from apps.core.http import is_htmx

# When a session's inactivity timeout was last pushed back (seconds since the epoch).
SESSION_REFRESHED_KEY = "_portal_refreshed"


class IdleSessionMiddleware(SessionMiddleware):
    """Django's session middleware with the inactivity timeout
    (SESSION_COOKIE_AGE after the last request) written at most once per
    SESSION_REFRESH_SECONDS, instead of on every request as
    SESSION_SAVE_EVERY_REQUEST does (an UPDATE of the session row, in a
    savepoint, on every page and API call). A session therefore ends between
    SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS and SESSION_COOKIE_AGE after the
    last request. A changed session is saved at once, as always."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            refreshed = session.get(SESSION_REFRESHED_KEY, 0)
            if now - refreshed >= settings.SESSION_REFRESH_SECONDS:
                session[SESSION_REFRESHED_KEY] = now  # modified: saved with a new expiry
        return super().process_response(request, response)


class LanguageMiddleware:
    """Dutch unless the person chose another language with the switcher (the
    language cookie). Unlike Django's LocaleMiddleware it ignores the browser's
    Accept-Language: staff work in Dutch whatever their browser says."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class HtmxRedirectMiddleware:
    """A redirect in answer to htmx becomes a page load (`HX-Redirect`).

    The browser follows a redirect by itself, and htmx would swap the page it
    leads to (the start page, the second-factor page, the page of another
    municipality's form) into the part of the page it meant to change: a page
    in a table row. With `HX-Redirect` htmx loads it as a page instead. Listed
    after the messages middleware and before the ones that redirect (scope,
    second factor), so their redirects pass through here too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_htmx(request) and 300 <= response.status_code < 400 and "Location" in response:
            page_load = HttpResponse(headers={"HX-Redirect": response["Location"]})
            page_load.cookies = response.cookies
            patch_vary_headers(page_load, ["HX-Request"])
            return page_load
        return response


class PrivatePagesMiddleware:
    """What a signed-in person gets is never kept by a browser or proxy cache:
    the pages and API answers hold residents' names and files. An answer that
    says otherwise itself (Cache-Control set by the view) is left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            add_never_cache_headers(response)
        return response


def body_limit_for(path: str) -> int:
    """The largest request body the view at `path` accepts: its
    `max_request_body()` (a document upload), else REQUEST_BODY_MAX_BYTES."""
    try:
        match = resolve(path)
    except Resolver404:
        return settings.REQUEST_BODY_MAX_BYTES
    view_class = getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)
    own = getattr(view_class, "max_request_body", None)
    return own() if own is not None else settings.REQUEST_BODY_MAX_BYTES


class RequestBodyLimitMiddleware:
    """Refuses a request whose declared body is larger than its view accepts,
    before anything reads it. Django's own limit (DATA_UPLOAD_MAX_MEMORY_SIZE)
    leaves uploaded files out, and the CSRF check reads a page's body before the
    view: without this, any page would spool a file of any size to disk. A page
    gets the 400 page (as for Django's limits), the API a JSON 413; both are
    written to the security log. A body of unknown length (chunked) is left to
    the reverse proxy's limit (docs/deployment: client_max_body_size)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            limit = body_limit_for(request.path_info)
            if length > limit:
                message = f"Request body of {length} bytes exceeds {limit} for {request.path_info}"
                if request.path_info.startswith("/api/"):
                    logging.getLogger("django.security.RequestDataTooBig").error(
                        message, extra={"status_code": 413, "request": request}
                    )
                    return JsonResponse(
                        {"detail": _("Het verzoek is te groot. Er is niets opgeslagen.")},
                        status=413,
                    )
                raise RequestDataTooBig(message)
        return self.get_response(request)
