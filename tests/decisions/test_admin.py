"""Decisions in the platform admin: read-only for everyone, also a superuser (rule
1: only `proposal_decide` writes a decision). The provision catalogue is editable
there with the same validation and version check as the pages."""

import pytest
from django.contrib import admin
from django_scopes import scope, scopes_disabled

from apps.audit.models import AccessLogEntry
from apps.cases.models import Case, DirectorChange
from apps.decisions.models import DeadlineChange, Decision, Proposal, ProvisionType
from tests.conftest import residents_shown_by
from tests.factories import (
    DeadlineChangeFactory,
    DecisionFactory,
    DirectorChangeFactory,
    ProvisionTypeFactory,
    UserFactory,
)

DECISIONS = "/platformbeheer/decisions/decision/"
CATALOGUE = "/platformbeheer/decisions/provisiontype/"


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def decision(municipality):
    with scope(municipality=municipality):
        return DecisionFactory(municipality=municipality, reasons="oorspronkelijk")


def decisions_now():
    with scopes_disabled():
        return list(Decision.objects.order_by("pk").values_list("pk", "outcome", "reasons"))


@pytest.mark.parametrize("model", [Decision, DeadlineChange, DirectorChange, Case, Proposal])
def test_the_admin_offers_no_add_change_delete_or_actions(rf, superuser, model):
    model_admin = admin.site._registry[model]
    request = rf.get("/platformbeheer/")
    request.user = superuser
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.get_actions(request) == {}  # no "delete selected"


def test_a_superuser_cannot_write_a_decision_through_the_admin(client, superuser, decision):
    client.force_login(superuser)
    before = decisions_now()
    change_url = f"{DECISIONS}{decision.pk}/change/"
    assert client.get(f"{DECISIONS}add/").status_code == 403
    assert client.post(f"{DECISIONS}add/", {"outcome": "granted"}).status_code == 403
    assert (
        client.post(change_url, {"outcome": "refused", "reasons": "gewijzigd"}).status_code == 403
    )
    assert client.get(f"{DECISIONS}{decision.pk}/delete/").status_code == 403
    assert client.post(f"{DECISIONS}{decision.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = client.post(
        DECISIONS, {"action": "delete_selected", "_selected_action": [decision.pk], "post": "yes"}
    )
    assert bulk.status_code in (200, 302)
    assert decisions_now() == before


def test_deadline_changes_cannot_be_written_through_the_admin(client, superuser, municipality):
    with scope(municipality=municipality):
        change = DeadlineChangeFactory(municipality=municipality)
        DirectorChangeFactory(municipality=municipality)
    client.force_login(superuser)
    url = f"/platformbeheer/decisions/deadlinechange/{change.pk}/change/"
    assert client.post(url, {"reason": "anders"}).status_code == 403
    assert client.get("/platformbeheer/decisions/deadlinechange/add/").status_code == 403
    listing = client.get("/platformbeheer/cases/directorchange/")
    assert listing.status_code == 200
    with scopes_disabled():
        assert DeadlineChange.objects.get(pk=change.pk).reason != "anders"


def test_the_platform_admin_reads_a_decision_and_that_is_logged(
    client, superuser, decision, municipality
):
    client.force_login(superuser)
    assert client.get(DECISIONS).status_code == 200
    detail = client.get(f"{DECISIONS}{decision.pk}/change/")
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content  # shown read only
    with scope(municipality=municipality):
        [listed, entry] = AccessLogEntry.objects.filter(user=superuser).order_by("pk")
    assert listed.object_ids == [decision.pk]  # the list, then the decision
    assert entry.action == "view" and entry.object_id == str(decision.pk)
    assert entry.resident_id == decision.resident_id


def test_the_catalogue_is_edited_with_the_version_check(client, superuser, municipality):
    with scope(municipality=municipality):
        provision = ProvisionTypeFactory(municipality=municipality, name="Rolstoel")
    client.force_login(superuser)
    url = f"{CATALOGUE}{provision.pk}/change/"
    data = {
        "name": "Rolstoel (elektrisch)",
        "law": "wmo",
        "legal_basis": "artikel 2.3.5 Wmo 2015",
        "unit": "piece",
        "end_date_required": "",
        "default_duration_weeks": "",
        "is_active": "on",
        "loaded_version": provision.version,
    }
    assert client.post(url, data).status_code == 302
    with scopes_disabled():
        saved = ProvisionType.objects.get(pk=provision.pk)
    assert saved.name == "Rolstoel (elektrisch)" and saved.version == provision.version + 1
    stale = client.post(url, {**data, "name": "Scootmobiel"})
    assert stale.status_code == 200 and "intussen gewijzigd" in stale.content.decode()
    invalid = client.post(url, {**data, "default_duration_weeks": "0", "loaded_version": 2})
    assert invalid.status_code == 200
    with scopes_disabled():
        assert ProvisionType.objects.get(pk=provision.pk).name == "Rolstoel (elektrisch)"


ADMIN_LISTS = [
    (Case, "/platformbeheer/cases/case/", lambda d: d.proposal.case),
    (Proposal, "/platformbeheer/decisions/proposal/", lambda d: d.proposal),
    (Decision, DECISIONS, lambda d: d),
    (DirectorChange, "/platformbeheer/cases/directorchange/", None),
    (DeadlineChange, "/platformbeheer/decisions/deadlinechange/", None),
]


@pytest.mark.parametrize("model, url, shown", ADMIN_LISTS)
def test_platform_admin_lists_and_pages_of_resident_data_are_logged_with_the_resident(
    client, superuser, decision, municipality, model, url, shown
):
    with scope(municipality=municipality):
        if model is DirectorChange:
            obj = DirectorChangeFactory(municipality=municipality, case=decision.proposal.case)
        elif model is DeadlineChange:
            obj = DeadlineChangeFactory(municipality=municipality, proposal=decision.proposal)
        else:
            obj = shown(decision)
    resident_id = decision.resident_id
    client.force_login(superuser)
    assert client.get(url).status_code == 200
    with scopes_disabled():
        [listed] = AccessLogEntry.objects.filter(user=superuser)
    assert listed.municipality == municipality
    assert listed.object_type == model._meta.label_lower
    assert obj.pk in listed.object_ids and residents_shown_by(listed) == [resident_id]
    assert client.get(f"{url}{obj.pk}/change/").status_code == 200
    with scopes_disabled():
        opened = AccessLogEntry.objects.filter(user=superuser).order_by("-pk").first()
    assert opened.object_id == str(obj.pk) and opened.resident_id == resident_id


def test_the_platform_admin_case_list_costs_a_fixed_number_of_queries(
    client, superuser, municipality, django_assert_max_num_queries
):
    from tests.factories import CaseFactory

    client.force_login(superuser)
    with scope(municipality=municipality):
        CaseFactory(municipality=municipality)
    with django_assert_max_num_queries(40) as one:
        client.get("/platformbeheer/cases/case/")
    with scope(municipality=municipality):
        for _ in range(10):
            CaseFactory(municipality=municipality)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/platformbeheer/cases/case/")
