from datetime import timedelta

from django.core.management.base import CommandError
from django.utils import timezone

from apps.core.exceptions import DomainError
from apps.tenants.management.base import MunicipalityCommand
from apps.tenants.models import StaffMember
from apps.tenants.services import api_token_create


class Command(MunicipalityCommand):
    help = "Create an API token for a staff member of one municipality; prints the key once."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--email", required=True, help="E-mail of the staff member.")
        parser.add_argument("--name", default="integratie", help="What the token is for.")
        parser.add_argument(
            "--days",
            type=int,
            default=90,
            help="Days until it expires (at most API_TOKEN_MAX_DAYS).",
        )

    def handle_in_municipality(self, municipality, **options):
        staff = StaffMember.objects.filter(
            user__email__iexact=options["email"], is_active=True
        ).first()
        if staff is None:
            raise CommandError("No active staff member with that e-mail in this municipality.")
        try:
            _token, key = api_token_create(
                actor=None,
                municipality=municipality,
                staff_member=staff,
                name=options["name"],
                expires_at=timezone.now() + timedelta(days=options["days"]),
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(key)
