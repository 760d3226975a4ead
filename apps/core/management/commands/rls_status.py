"""Reports, per table, whether PostgreSQL keeps municipalities apart there:
row-level security on and forced, the policy present, the table's owner and
what the application's role may do. Exits with status 1 when a table that holds
municipality data lacks any of it (docs/security.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from apps.core import rls


class Command(BaseCommand):
    help = "Show row-level security per table; fail when a municipality table lacks it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Also list tables without municipality data."
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "Row-level security exists only on PostgreSQL; this database is "
                f"{connection.vendor} (make run's SQLite has the application's scopes only)."
            )
        states = rls.table_states()
        missing = []
        self.stdout.write(f"{'table':45} {'data':5} {'rls':4} {'force':5} {'policy':6} rights")
        for state in states:
            if not (state["municipality_data"] or options["all"]):
                continue
            ok = state["enabled"] and state["forced"] and state["policy"]
            if state["municipality_data"] and not ok:
                missing.append(state["table"])
            self.stdout.write(
                f"{state['table']:45} {_yn(state['municipality_data']):5} "
                f"{_yn(state['enabled']):4} {_yn(state['forced']):5} {_yn(state['policy']):6} "
                f"{state['app_rights'] if state['app_rights'] is not None else '-'}"
            )
        if missing:
            raise CommandError(
                "Municipality data without row-level security: "
                + ", ".join(missing)
                + ". Run `manage.py migrate` as the tables' owner."
            )
        self.stdout.write(self.style.SUCCESS("Every municipality table has row-level security."))


def _yn(value) -> str:
    return "yes" if value else "no"
