import hashlib
import logging
import secrets

from django.utils import timezone
from django_scopes import scopes_disabled

from apps.tenants.models import ApiToken

# A marker for secret scanners, not a secret.
TOKEN_PREFIX = "tgp_"  # noqa: S105  # nosec B105

logger = logging.getLogger(__name__)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def generate_key() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_from_header(header: str, *, client: str | None = None) -> tuple[bool, ApiToken | None]:
    """Parse an `Authorization: Token <key>` header.

    Returns (header_was_a_token, usable_token_or_None). The lookup crosses
    municipalities on purpose: the token decides which municipality's scope the
    request enters. A refused key is logged (a warning, with why and from which
    client address): a revoked or expired key still in use is a leaked key or an
    integration to update."""
    scheme, _, key = header.partition(" ")
    if scheme.lower() not in {"token", "bearer"} or not key.strip():
        return False, None
    now = timezone.now()
    with scopes_disabled():
        token = (
            ApiToken.objects.select_related(
                # With the person's access version: the one query who the
                # user is costs (apps.accounts.access_version).
                "municipality",
                "staff_member__user__access_stamp",
            )
            .filter(key_hash=hash_key(key.strip()))
            .first()
        )
        if token is None:
            logger.warning("API key refused: unknown key, from %s", client)
            return True, None
        reason = refusal_reason(token, now)
        if reason:
            logger.warning(
                "API key refused: %s (key %s…, id %s, municipality %s), from %s",
                reason,
                token.prefix,
                token.pk,
                token.municipality_id,
                client,
            )
            return True, None
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return True, token


def refusal_reason(token, now) -> str:
    """Why the key may not be used now; empty when it may."""
    if token.revoked_at is not None:
        return "revoked"
    if not token.is_usable(now):
        return "expired"
    if not acts_for_its_issuer_or_an_integration(token):
        return "issued by someone else for a person"
    if not token.municipality.is_active:
        return "municipality inactive"
    if not token.staff_member.is_active:
        return "access to the municipality ended"
    if not token.staff_member.user.is_active:
        return "account inactive"
    return ""


def acts_for_its_issuer_or_an_integration(token) -> bool:
    """Checked on every use, not only when issued: a key issued by one person
    never acts as another person (only as an integration account, or as the
    issuer themselves; keys made at the shell have no issuer)."""
    staff = token.staff_member
    return token.created_by_id in (None, staff.user_id) or staff.is_integration
