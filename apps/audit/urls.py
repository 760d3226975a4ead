from django.urls import path

from apps.audit import views

app_name = "audit"

urlpatterns = [
    path("beheer/toegangslog/", views.AccessLogView.as_view(), name="log"),
    path("beheer/toegangslog/export/", views.AccessLogExportView.as_view(), name="log_export"),
    path(
        "beheer/toegangslog/inwoner/<int:resident_pk>/",
        views.ResidentAccessOverviewView.as_view(),
        name="resident_overview",
    ),
    path(
        "beheer/toegangslog/inwoner/<int:resident_pk>/csv/",
        views.ResidentAccessOverviewCsvView.as_view(),
        name="resident_overview_csv",
    ),
]
