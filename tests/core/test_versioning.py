"""apps/core/versioning: the one way to lock and bump a versioned row. A stale
version is refused with the name of whoever saved the row last (where the row
records it), nothing is saved, and the version goes up by one per change."""

import pytest
from django.db import transaction
from django_scopes import scope

from apps.cases import services as cases
from apps.core.exceptions import ConcurrentEditError
from apps.core.versioning import ChangedByOtherError, bump, lock, save_versioned
from apps.intake.models import Resident
from apps.teams.models import Area
from tests.cases.api_world import build_world, open_case, staff
from tests.factories import AreaFactory, ResidentFactory


@pytest.fixture
def w(municipality, other_municipality):
    return build_world(municipality, other_municipality)


def test_a_stale_edit_hears_who_changed_the_case_and_saves_nothing(w):
    case = open_case(w)
    with scope(municipality=w.municipality):
        loaded = case.version
        cases.case_update(actor=w.colleague, case=case, title="Eerst", expected_version=loaded)
        with pytest.raises(ChangedByOtherError) as refused:
            cases.case_update(actor=w.member, case=case, title="Daarna", expected_version=loaded)
        colleague = staff(w.colleague, w.municipality)
        assert colleague.user.full_name in str(refused.value.message)
        case.refresh_from_db()
        assert case.title == "Eerst"
        assert case.version == loaded + 1
        assert case.updated_by_id == colleague.pk


def test_bump_records_who_and_saves_only_the_given_fields(w):
    case = open_case(w)
    with scope(municipality=w.municipality), transaction.atomic():
        member = staff(w.member, w.municipality)
        current = lock(case, case.version)
        current.title = "Nieuw"
        current.closure_note = "not saved: not among the fields"
        bump(current, member, "title")
    case.refresh_from_db()
    assert (case.title, case.closure_note, case.updated_by_id) == ("Nieuw", "", member.pk)


def test_a_row_without_an_editor_gets_the_general_message(w):
    with scope(municipality=w.municipality):
        resident = ResidentFactory(municipality=w.municipality)
        with transaction.atomic():
            current = lock(resident, resident.version)
            current.surname = "Jansen"
            bump(current, None, "surname")
        with pytest.raises(ChangedByOtherError) as refused, transaction.atomic():
            lock(resident, resident.version)  # the version loaded before the change
        assert str(refused.value.message) == str(ConcurrentEditError.default_message)
        assert Resident.objects.get(pk=resident.pk).version == resident.version + 1


def test_lock_does_not_find_a_row_of_another_municipality(w):
    with (
        scope(municipality=w.municipality),
        pytest.raises(ConcurrentEditError),
        transaction.atomic(),
    ):
        lock(w.foreign.case)


def test_save_versioned_refuses_a_stale_version_and_keeps_the_row(w):
    with scope(municipality=w.municipality):
        area = AreaFactory(municipality=w.municipality, name="Elst")
        loaded = area.version
        area.name = "Elst-Noord"
        save_versioned(area, expected_version=loaded)
        stale = Area.objects.get(pk=area.pk)
        stale.name = "Elst-Zuid"
        with pytest.raises(ConcurrentEditError):
            save_versioned(stale, expected_version=loaded)
        assert Area.objects.get(pk=area.pk).name == "Elst-Noord"
        assert Area.objects.get(pk=area.pk).version == loaded + 1
