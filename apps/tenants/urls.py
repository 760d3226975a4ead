from django.urls import path

from apps.tenants import views

app_name = "tenants"

urlpatterns = [
    path("mijn-api-sleutels/", views.OwnApiTokenListView.as_view(), name="own_api_tokens"),
    path(
        "mijn-api-sleutels/<int:pk>/intrekken/",
        views.OwnApiTokenRevokeView.as_view(),
        name="own_api_token_revoke",
    ),
    path("beheer/api-sleutels/", views.ApiTokenListView.as_view(), name="api_tokens"),
    path(
        "beheer/api-sleutels/<int:pk>/intrekken/",
        views.ApiTokenRevokeView.as_view(),
        name="api_token_revoke",
    ),
    path(
        "beheer/toegangslog-bewaartermijn/",
        views.AccessLogRetentionView.as_view(),
        name="access_log_retention",
    ),
    path("beheer/medewerkers/", views.StaffListView.as_view(), name="staff_list"),
    path("beheer/medewerkers/uitnodigen/", views.StaffInviteView.as_view(), name="staff_invite"),
    path("beheer/medewerkers/<int:pk>/", views.StaffEditView.as_view(), name="staff_edit"),
    path(
        "beheer/medewerkers/<int:pk>/deactiveren/",
        views.StaffSetActiveView.as_view(activate=False),
        name="staff_deactivate",
    ),
    path(
        "beheer/medewerkers/<int:pk>/uitnodiging/",
        views.StaffResendInvitationView.as_view(),
        name="staff_resend_invitation",
    ),
    path(
        "beheer/medewerkers/<int:pk>/tweestapsverificatie-wissen/",
        views.StaffTwoFactorResetView.as_view(),
        name="staff_two_factor_reset",
    ),
    path(
        "beheer/medewerkers/<int:pk>/activeren/",
        views.StaffSetActiveView.as_view(activate=True),
        name="staff_activate",
    ),
]
