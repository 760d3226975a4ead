import ipaddress

from django.conf import settings


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
