from django.urls import path

from apps.agenda import views

app_name = "agenda"

urlpatterns = [
    path("agenda/", views.MyAgendaView.as_view(), name="mine"),
    path("agenda/team/", views.TeamAgendaView.as_view(), name="team"),
    path("agenda/afspraken/<int:pk>/", views.AppointmentDetailView.as_view(), name="detail"),
    path(
        "agenda/afspraken/<int:pk>/verzetten/",
        views.AppointmentUpdateView.as_view(),
        name="update",
    ),
    path(
        "agenda/afspraken/<int:pk>/annuleren/",
        views.AppointmentCancelView.as_view(),
        name="cancel",
    ),
    path(
        "agenda/afspraken/<int:pk>/vastleggen/",
        views.AppointmentRecordView.as_view(),
        name="record",
    ),
    path(
        "agenda/casussen/<int:case_pk>/plannen/",
        views.PlanOnCaseView.as_view(),
        name="plan_case",
    ),
    path(
        "agenda/vragen/<int:question_pk>/plannen/",
        views.PlanOnQuestionView.as_view(),
        name="plan_question",
    ),
    path("agenda/kalender/", views.FeedSettingsView.as_view(), name="feed_settings"),
    path("agenda/kalender/<str:key>.ics", views.FeedView.as_view(), name="feed"),
]
