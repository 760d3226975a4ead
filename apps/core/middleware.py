from django.conf import settings
from django.utils import translation


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
