from django.urls import path

from apps.intake import config_views as views

app_name = "intake_config"

urlpatterns = [
    path("beheer/triage/", views.TriageRuleListView.as_view(), name="triage_list"),
    path("beheer/triage/nieuw/", views.TriageRuleEditView.as_view(), name="triage_rule_create"),
    path("beheer/triage/<int:pk>/", views.TriageRuleEditView.as_view(), name="triage_rule_edit"),
    path(
        "beheer/triage/<int:pk>/verplaatsen/",
        views.TriageRuleMoveView.as_view(),
        name="triage_rule_move",
    ),
    path("beheer/leefgebieden/", views.LifeDomainListView.as_view(), name="life_domain_list"),
    path(
        "beheer/leefgebieden/nieuw/",
        views.LifeDomainEditView.as_view(),
        name="life_domain_create",
    ),
    path(
        "beheer/leefgebieden/<int:pk>/",
        views.LifeDomainEditView.as_view(),
        name="life_domain_edit",
    ),
    path("beheer/intake/", views.IntakeSettingsEditView.as_view(), name="intake_settings"),
]
