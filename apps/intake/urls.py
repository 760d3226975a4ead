from django.urls import path

from apps.intake import views

app_name = "intake"

urlpatterns = [
    path("intake/", views.IntakeHomeView.as_view(), name="home"),
    path("intake/inbox/<int:team_pk>/", views.InboxView.as_view(), name="inbox"),
    path("intake/vragen/nieuw/", views.QuestionRegisterView.as_view(), name="question_register"),
    path("intake/triage-uitkomst/", views.TriagePreviewView.as_view(), name="triage_preview"),
    path("intake/vragen/<int:pk>/", views.QuestionDetailView.as_view(), name="question_detail"),
    path(
        "intake/vragen/<int:pk>/oppakken/",
        views.QuestionAssignView.as_view(),
        name="question_assign",
    ),
    path(
        "intake/vragen/<int:pk>/doorsturen/",
        views.QuestionForwardView.as_view(),
        name="question_forward",
    ),
    path(
        "intake/vragen/<int:pk>/corrigeren/",
        views.QuestionEditView.as_view(),
        name="question_edit",
    ),
    path(
        "intake/vragen/<int:pk>/omschrijving-corrigeren/",
        views.QuestionDescriptionCorrectView.as_view(),
        name="question_correct_description",
    ),
    path(
        "intake/vragen/<int:pk>/afsluiten/",
        views.QuestionCloseView.as_view(),
        name="question_close",
    ),
    path("intake/inwoners/", views.ResidentSearchView.as_view(), name="resident_search"),
    path("intake/inwoners/<int:pk>/", views.ResidentDetailView.as_view(), name="resident_detail"),
    path(
        "intake/inwoners/<int:pk>/wijzigen/",
        views.ResidentEditView.as_view(),
        name="resident_edit",
    ),
    path(
        "intake/inwoners/<int:pk>/huishouden/nieuw/",
        views.HouseholdCreateView.as_view(),
        name="household_create",
    ),
    path(
        "intake/inwoners/<int:pk>/huishouden/lid-toevoegen/",
        views.HouseholdMemberAddView.as_view(),
        name="household_member_add",
    ),
    path(
        "intake/inwoners/<int:pk>/huishouden/verlaten/",
        views.HouseholdLeaveView.as_view(),
        name="household_leave",
    ),
]
