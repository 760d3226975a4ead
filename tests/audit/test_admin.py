"""The access log in the platform admin: read only, and reading it is logged."""

import pytest
from django.contrib import admin
from django_scopes import scope, scopes_disabled

from apps.audit.admin import AccessLogEntryAdmin
from apps.audit.models import AccessLogEntry
from tests.conftest import make_person, residents_shown_by
from tests.factories import AccessLogEntryFactory, ResidentFactory, UserFactory

CHANGELIST = "/platformbeheer/audit/accesslogentry/"


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def entry(municipality):
    with scope(municipality=municipality):
        return AccessLogEntryFactory(
            municipality=municipality,
            resident=ResidentFactory(municipality=municipality, surname="Dekker"),
            user_label="Karin <karin@example.test>",
            object_label="Vraag 12",
            reason="oorspronkelijk",
        )


def all_entries():
    with scopes_disabled():
        return list(AccessLogEntry.objects.order_by("pk").values_list("pk", "reason", "action"))


def test_the_admin_offers_no_add_change_or_delete(rf, superuser, entry):
    model_admin = admin.site._registry[AccessLogEntry]
    assert isinstance(model_admin, AccessLogEntryAdmin)
    request = rf.get(CHANGELIST)
    request.user = superuser
    assert model_admin.has_view_permission(request, entry)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    assert model_admin.get_actions(request) == {}  # no "delete selected"


def test_writing_through_the_admin_is_refused(client, superuser, entry):
    client.force_login(superuser)
    before = all_entries()
    change_url = f"{CHANGELIST}{entry.pk}/change/"
    assert client.get(f"{CHANGELIST}add/").status_code == 403
    assert client.post(f"{CHANGELIST}add/", {"action": "view"}).status_code == 403
    assert client.post(change_url, {"reason": "gewijzigd", "action": "change"}).status_code == 403
    assert client.get(f"{CHANGELIST}{entry.pk}/delete/").status_code == 403
    assert client.post(f"{CHANGELIST}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert bulk.status_code in (200, 302)
    after = all_entries()
    assert [row for row in after if row[0] == entry.pk] == [r for r in before if r[0] == entry.pk]


def test_the_platform_admin_reads_filters_and_searches_and_that_is_logged(
    client, superuser, entry, municipality
):
    client.force_login(superuser)
    listing = client.get(CHANGELIST, {"q": "Dekker", "action__exact": "view"})
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [entry]
    detail = client.get(f"{CHANGELIST}{entry.pk}/change/")
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content  # shown read only
    with scope(municipality=municipality):
        logged = list(AccessLogEntry.objects.filter(user=superuser).order_by("pk"))
    # The list showed one resident: the search entry names them on its own
    # resident too (log_list), so the indexed resident filter finds it.
    assert [(e.action, e.resident) for e in logged] == [
        ("search", entry.resident),
        ("view", entry.resident),
    ]
    assert "Dekker" in logged[0].object_label
    # The list showed the resident's name: the search names them.
    assert residents_shown_by(logged[0]) == [entry.resident_id]
    assert logged[0].object_ids == [entry.pk]
    assert logged[1].acted_as["roles"] == ["platform_admin"]
    # The search's own entry lists, read only, the resident it showed; opening it
    # is a read of that resident too.
    search_url = f"{CHANGELIST}{logged[0].pk}/change/"
    opened = client.get(search_url)
    assert opened.status_code == 200 and b'name="_save"' not in opened.content
    assert f"{entry.resident.full_name} ({entry.resident_id})" in opened.content.decode()
    with scope(municipality=municipality):
        last = AccessLogEntry.objects.filter(user=superuser).order_by("-pk").first()
    assert last.object_id == str(logged[0].pk)
    assert residents_shown_by(last) == [entry.resident_id]


def test_a_municipality_admin_cannot_open_the_platform_admin(client, municipality, entry):
    client.force_login(make_person(municipality, admin=True))
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and "login" in response["Location"]
