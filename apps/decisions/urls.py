from django.urls import path

from apps.decisions import config_views, provision_views, views

app_name = "decisions"

urlpatterns = [
    path("loket/wachtrij/", views.QueueView.as_view(), name="queue"),
    path("loket/voorstellen/<int:pk>/", views.ReviewView.as_view(), name="review"),
    path(
        "loket/voorstellen/<int:pk>/termijn/",
        views.ProposalDeadlineView.as_view(),
        name="proposal_deadline",
    ),
    path("besluiten/<int:pk>/", views.DecisionDetailView.as_view(), name="detail"),
    path("besluiten/<int:pk>/brief/", views.DecisionLetterView.as_view(), name="letter"),
    path("termijnen/", views.DeadlinesView.as_view(), name="deadlines"),
    path(
        "termijnen/vragen/<int:pk>/persoonlijk-plan/",
        views.QuestionPersonalPlanView.as_view(),
        name="question_personal_plan",
    ),
    path(
        "termijnen/vragen/<int:pk>/onderzoekstermijn/",
        views.QuestionDeadlineView.as_view(),
        name="question_deadline",
    ),
    # #21 part 2: a provision's lifecycle
    path(
        "inwoners/<int:pk>/voorzieningen/",
        provision_views.ResidentProvisionsView.as_view(),
        name="resident_provisions",
    ),
    path(
        "voorzieningen/<int:pk>/",
        provision_views.ProvisionDetailView.as_view(),
        name="provision_detail",
    ),
    path(
        "voorzieningen/<int:pk>/opschorten/",
        provision_views.ProvisionSuspendView.as_view(),
        name="provision_suspend",
    ),
    path(
        "voorzieningen/<int:pk>/hervatten/",
        provision_views.ProvisionResumeView.as_view(),
        name="provision_resume",
    ),
    path(
        "voorzieningen/<int:pk>/intrekken/",
        provision_views.ProvisionWithdrawView.as_view(),
        name="provision_withdraw",
    ),
    path(
        "beheer/voorzieningen/",
        config_views.ProvisionTypeListView.as_view(),
        name="provision_type_list",
    ),
    path(
        "beheer/voorzieningen/nieuw/",
        config_views.ProvisionTypeEditView.as_view(),
        name="provision_type_create",
    ),
    path(
        "beheer/voorzieningen/<int:pk>/",
        config_views.ProvisionTypeEditView.as_view(),
        name="provision_type_edit",
    ),
    # #21 part 1: providers (zorgaanbieders)
    path("beheer/aanbieders/", config_views.ProviderListView.as_view(), name="provider_list"),
    path(
        "beheer/aanbieders/nieuw/",
        config_views.ProviderEditView.as_view(),
        name="provider_create",
    ),
    path(
        "beheer/aanbieders/<int:pk>/",
        config_views.ProviderEditView.as_view(),
        name="provider_edit",
    ),
]

# Objections (bezwaar, #21 part 3).
urlpatterns += [
    path(
        "besluiten/<int:pk>/bezwaar/",
        views.ObjectionRegisterView.as_view(),
        name="objection_register",
    ),
    path("besluiten/bezwaren/", views.ObjectionListView.as_view(), name="objection_list"),
    path(
        "besluiten/bezwaren/<int:pk>/",
        views.ObjectionDetailView.as_view(),
        name="objection_detail",
    ),
    path(
        "besluiten/bezwaren/<int:pk>/verdagen/",
        views.ObjectionExtendView.as_view(),
        name="objection_extend",
    ),
    path(
        "besluiten/bezwaren/<int:pk>/intrekken/",
        views.ObjectionWithdrawView.as_view(),
        name="objection_withdraw",
    ),
    path(
        "besluiten/bezwaren/<int:pk>/beslissen/",
        views.ObjectionDecideView.as_view(),
        name="objection_decide",
    ),
    path(
        "besluiten/bezwaren/<int:pk>/brief/",
        views.ObjectionLetterView.as_view(),
        name="objection_letter",
    ),
]
