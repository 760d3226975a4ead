import ipaddress
import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import DomainError

# An id as our own pages write it: ASCII digits, at most 18 (a bigint holds 18
# digits whatever they are). `str.isdigit()` is no check for this: it accepts
# "²", which `int()` refuses.
_ID = re.compile(r"[0-9]{1,18}")


def parse_id(value) -> int | None:
    """The id in a query or form value read without a form (`?team=12`), or None
    for anything else: empty, signed, not ASCII digits, too long."""
    if isinstance(value, str) and _ID.fullmatch(value):
        return int(value)
    return None


MISSING_VERSION = _("Het formulier mist de versie; laad de pagina opnieuw.")


def posted_version(request) -> int:
    """The version of the row as the user saw it, posted by a page's button
    (take, submit, withdraw, reopen, switch access off). A post without it is
    refused with DomainError: the change would overwrite a colleague's unseen."""
    version = parse_id(request.POST.get("version"))
    if version is None:
        raise DomainError(MISSING_VERSION)
    return version


def client_ip(request) -> str | None:
    """The client's address, the same way DRF's throttling finds it with
    NUM_PROXIES: with TRUSTED_PROXY_COUNT proxies in front, the address the
    outermost trusted proxy added to X-Forwarded-For; with 0, the address of
    the connection itself (a client can put anything in that header).

    Used for the login lock (django-axes) too, so both count per the same
    client. Something that is not an IP address falls back to the connection's
    address (the database stores addresses as `inet`)."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    if not addresses:
        return remote
    candidate = addresses[-min(count, len(addresses))]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return remote
    return candidate


def is_htmx(request) -> bool:
    """Whether htmx asked for this (it then swaps a part of the page in): the
    `HX-Request` header, except when htmx restores a page from history, which
    needs the whole page."""
    headers = request.headers
    restoring = headers.get("HX-History-Restore-Request") == "true"
    return headers.get("HX-Request") == "true" and not restoring
