from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django_scopes import scope, scopes_disabled

from apps.core import rls
from apps.tenants.models import Municipality


class MunicipalityCommand(BaseCommand):
    """A management command that works inside one municipality's scope, chosen
    with --municipality (CBS code or name). Subclasses implement
    `handle_in_municipality(municipality, **options)`."""

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipality",
            required=True,
            help="CBS code (GM1734) or name of the municipality to act in.",
        )

    def handle(self, *args, **options):
        with rls.application():
            return self._handle(*args, **options)

    def _handle(self, *args, **options):
        key = options.pop("municipality").strip()
        with scopes_disabled():
            municipality = Municipality.objects.filter(
                Q(cbs_code__iexact=key) | Q(name__iexact=key)
            ).first()
        if municipality is None:
            raise CommandError(f"Unknown municipality: {key}")
        with scope(municipality=municipality):
            return self.handle_in_municipality(municipality, **options)

    def handle_in_municipality(self, municipality, **options):
        raise NotImplementedError
