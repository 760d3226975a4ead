from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def portal_base_url_check(app_configs, **kwargs):
    """Links in mail sent by background tasks are built on PORTAL_BASE_URL."""
    url = urlsplit(settings.PORTAL_BASE_URL)
    problems = []
    if url.scheme != "https":
        problems.append("does not start with https://")
    if url.path not in ("", "/"):
        problems.append("must be scheme and host only, without a path")
    return [Warning(f"PORTAL_BASE_URL {problem}.", id="portal.W001") for problem in problems]
