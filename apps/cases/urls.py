from django.urls import path

from apps.cases import views, work_views

app_name = "cases"

urlpatterns = [
    path("casussen/", views.CaseListView.as_view(), name="list"),
    path("casussen/<int:pk>/", views.CaseDetailView.as_view(), name="detail"),
    path("casussen/<int:pk>/omschrijving/", views.CaseTitleView.as_view(), name="title"),
    path("casussen/<int:pk>/overdragen/", views.CaseHandOverView.as_view(), name="hand_over"),
    path("casussen/<int:pk>/ander-team/", work_views.CaseTransferView.as_view(), name="transfer"),
    path("teams/<int:pk>/werk/", work_views.TeamWorkView.as_view(), name="team_work"),
    path("beheer/teams/<int:pk>/beeindigen/", work_views.TeamEndView.as_view(), name="team_end"),
    path(
        "teams/<int:team_pk>/werk/<int:pk>/overdragen/",
        work_views.WorkReassignView.as_view(),
        name="work_reassign",
    ),
    path(
        "casussen/<int:pk>/activiteiten/nieuw/",
        views.ActivityCreateView.as_view(),
        name="activity_create",
    ),
    path(
        "casussen/activiteiten/<int:pk>/corrigeren/",
        views.ActivityCorrectView.as_view(),
        name="activity_correct",
    ),
    path("casussen/<int:pk>/zrm/nieuw/", views.AssessmentCreateView.as_view(), name="assessment"),
    path("casussen/<int:pk>/afsluiten/", views.CaseCloseView.as_view(), name="close"),
    path("casussen/<int:pk>/heropenen/", views.CaseReopenView.as_view(), name="reopen"),
    path("casussen/<int:pk>/delen/", views.CaseShareView.as_view(), name="share"),
    path("casussen/<int:pk>/delen/intrekken/", views.CaseUnshareView.as_view(), name="unshare"),
    path("casussen/<int:pk>/schil/", views.CaseJoinView.as_view(), name="join"),
    path(
        "casussen/<int:pk>/schil/intrekken/", views.CaseJoinRevokeView.as_view(), name="join_revoke"
    ),
    path(
        "casussen/<int:pk>/vragen/<int:question_pk>/toevoegen/",
        views.CaseAddQuestionView.as_view(),
        name="add_question",
    ),
    path(
        "casussen/vervolgcontacten/<int:pk>/",
        views.FollowUpRecordView.as_view(),
        name="follow_up",
    ),
    # The support plan
    path("casussen/<int:pk>/plan/", views.PlanView.as_view(), name="plan"),
    path("casussen/<int:pk>/plan/starten/", views.PlanStartView.as_view(), name="plan_start"),
    path(
        "casussen/plannen/<int:pk>/samenvatting/",
        views.PlanSummaryView.as_view(),
        name="plan_summary",
    ),
    path("casussen/plannen/<int:pk>/doelen/nieuw/", views.GoalAddView.as_view(), name="goal_add"),
    path("casussen/plannen/<int:pk>/afspreken/", views.PlanAgreeView.as_view(), name="plan_agree"),
    path(
        "casussen/doelen/<int:pk>/verwijderen/",
        views.GoalRemoveView.as_view(),
        name="goal_remove",
    ),
    path(
        "casussen/doelen/<int:pk>/oplossingen/nieuw/",
        views.SolutionAddView.as_view(),
        name="solution_add",
    ),
    path(
        "casussen/oplossingen/<int:pk>/verwijderen/",
        views.SolutionRemoveView.as_view(),
        name="solution_remove",
    ),
    # Opening a case from a question; the household overview
    path("intake/vragen/<int:pk>/casus/", views.CaseOpenView.as_view(), name="open"),
    path("intake/huishoudens/<int:pk>/", views.HouseholdView.as_view(), name="household"),
]
