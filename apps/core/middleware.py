from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from apps.core.http import is_htmx


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
