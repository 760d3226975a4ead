import pytest
from celery import shared_task
from django.core.management import call_command
from django.core.management.base import CommandError
from django_scopes import ScopeError, get_scope, scope

from apps.teams.models import Area, Membership, Organisation, Team
from apps.tenants.management.base import MunicipalityCommand
from apps.tenants.models import ApiToken, StaffMember
from apps.tenants.tasks import MunicipalityTask
from tests.factories import AreaFactory, TeamFactory
from tests.test_cross_municipality_relations import scoped_models


@pytest.mark.parametrize("model", [StaffMember, Area, Organisation, Team, Membership, ApiToken])
def test_query_without_a_scope_raises(db, model):
    with pytest.raises(ScopeError):
        list(model.objects.all())


def test_every_municipality_owned_model_is_scoped():
    # django-scopes' ScopedManager is the only manager with `with_scope`.
    unscoped = [
        m.__name__ for m in scoped_models() if not hasattr(m._default_manager, "with_scope")
    ]
    assert not unscoped, f"use ScopedManager(municipality=...) on {unscoped}"


def test_a_scope_shows_only_its_municipality(municipality, other_municipality):
    with scope(municipality=municipality):
        mine = AreaFactory(municipality=municipality, name="Elst")
    with scope(municipality=other_municipality):
        AreaFactory(municipality=other_municipality, name="Elst")
    with scope(municipality=municipality):
        assert list(Area.objects.all()) == [mine]


@shared_task(base=MunicipalityTask)
def _count_teams(*, municipality_id):
    return (get_scope()["municipality"].pk, Team.objects.count())


def test_celery_base_task_runs_inside_the_municipality_scope(municipality, other_municipality):
    with scope(municipality=municipality):
        TeamFactory(municipality=municipality)
    with scope(municipality=other_municipality):
        TeamFactory.create_batch(2, municipality=other_municipality)
    result = _count_teams.delay(municipality_id=municipality.pk).get()
    assert result == (municipality.pk, 1)


def test_celery_base_task_without_municipality_refuses(db):
    with pytest.raises(ValueError, match="municipality_id"):
        _count_teams.apply(kwargs={}, throw=True).get()


class _CountCommand(MunicipalityCommand):
    def handle_in_municipality(self, municipality, **options):
        self.stdout.write(f"{municipality.cbs_code}:{Team.objects.count()}")


def test_management_command_base_enters_the_scope(municipality, other_municipality, capsys):
    with scope(municipality=other_municipality):
        TeamFactory(municipality=other_municipality)
    call_command(_CountCommand(), municipality=municipality.cbs_code)
    assert capsys.readouterr().out.strip() == f"{municipality.cbs_code}:0"
    with pytest.raises(CommandError):
        call_command(_CountCommand(), municipality="GM9999")
