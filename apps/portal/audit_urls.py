from django.urls import path

from apps.portal import audit_views as views

# The namespace stays "audit" (audit:log, ...): these pages lived in apps.audit,
# whose kernel part (the log, log_access) sits below every app they read.
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
