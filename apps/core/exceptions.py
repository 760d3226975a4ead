"""Domain errors raised by services; pages and the API turn them into clear messages."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule refused the change. `message` is shown to the user."""

    default_message = _("De wijziging is niet toegestaan.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class ConcurrentEditError(DomainError):
    default_message = _(
        "Iemand anders heeft dit gegeven intussen gewijzigd. "
        "Laad de pagina opnieuw en voer uw wijziging nogmaals in."
    )
