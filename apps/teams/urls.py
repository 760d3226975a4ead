from django.urls import path

from apps.teams import views

app_name = "teams"

urlpatterns = [
    path("teams/", views.TeamOverviewView.as_view(), name="team_overview"),
    path("teams/<int:pk>/", views.TeamDetailView.as_view(), name="team_detail"),
    path("beheer/", views.ConfigurationHomeView.as_view(), name="config_home"),
    path("beheer/gebieden/", views.AreaListView.as_view(), name="area_list"),
    path("beheer/gebieden/nieuw/", views.AreaEditView.as_view(), name="area_create"),
    path("beheer/gebieden/<int:pk>/", views.AreaEditView.as_view(), name="area_edit"),
    path("beheer/organisaties/", views.OrganisationListView.as_view(), name="organisation_list"),
    path(
        "beheer/organisaties/nieuw/",
        views.OrganisationEditView.as_view(),
        name="organisation_create",
    ),
    path(
        "beheer/organisaties/<int:pk>/",
        views.OrganisationEditView.as_view(),
        name="organisation_edit",
    ),
    path("beheer/teams/", views.TeamConfigListView.as_view(), name="team_config_list"),
    path("beheer/teams/nieuw/", views.TeamEditView.as_view(), name="team_create"),
    path("beheer/teams/<int:pk>/", views.TeamEditView.as_view(), name="team_edit"),
    path("beheer/inlooplocaties/", views.TeamLocationListView.as_view(), name="location_list"),
    path(
        "beheer/inlooplocaties/nieuw/",
        views.TeamLocationEditView.as_view(),
        name="location_create",
    ),
    path(
        "beheer/inlooplocaties/<int:pk>/",
        views.TeamLocationEditView.as_view(),
        name="location_edit",
    ),
    path("beheer/lidmaatschappen/", views.MembershipListView.as_view(), name="membership_list"),
    path(
        "beheer/lidmaatschappen/nieuw/",
        views.MembershipEditView.as_view(),
        name="membership_create",
    ),
    path(
        "beheer/lidmaatschappen/<int:pk>/",
        views.MembershipEditView.as_view(),
        name="membership_edit",
    ),
]
