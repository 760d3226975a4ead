"""System checks of the documents app (registered in DocumentsConfig.ready)."""

from django.conf import settings
from django.core.checks import Warning


def check_virus_scanner(app_configs, **kwargs):
    """A deployment (DEBUG off) without CLAMD_ADDRESS stores every uploaded
    document unscanned. Say so in `check --deploy`, unless the operator chose
    that on purpose with DOCUMENT_SCAN=off."""
    if settings.DEBUG or settings.CLAMD_ADDRESS or settings.DOCUMENT_SCAN == "off":
        return []
    return [
        Warning(
            "CLAMD_ADDRESS is empty: uploaded documents are stored unscanned.",
            hint=(
                "Set CLAMD_ADDRESS to a clamd (tcp://host:port or a unix socket path), or set "
                "DOCUMENT_SCAN=off to say that uploads are stored unscanned on purpose."
            ),
            id="documents.W001",
        )
    ]
