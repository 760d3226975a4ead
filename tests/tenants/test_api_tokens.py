from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from apps.tenants.models import ApiToken


def test_admin_issues_a_key_that_is_shown_once_and_works(client, admin_user, municipality):
    with scope(municipality=municipality):
        staff = admin_user.staff_memberships.get()
    client.force_login(admin_user)
    response = client.post(
        "/beheer/api-sleutels/",
        {"name": "Koppeling KCC", "staff_member": staff.pk, "days": 30},
        follow=True,
    )
    assert response.redirect_chain, response.context["form"].errors
    assert response["Cache-Control"] == "no-store"
    key = response.context["new_key"]
    assert key in response.content.decode()
    with scopes_disabled():
        token = ApiToken.objects.get()
        assert key not in (token.key_hash, token.prefix)
    # Not shown again.
    assert key not in client.get("/beheer/api-sleutels/").content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").status_code == 200
    # Revoked: refused from then on.
    assert client.post(f"/beheer/api-sleutels/{token.pk}/intrekken/").status_code == 302
    assert api.get("/api/v1/me/").status_code == 401


def test_bad_input_issues_nothing(client, admin_user, municipality):
    client.force_login(admin_user)
    response = client.post("/beheer/api-sleutels/", {"name": "", "days": 0})
    assert set(response.context["form"].errors) == {"name", "staff_member", "days"}
    with scopes_disabled():
        assert not ApiToken.objects.exists()
