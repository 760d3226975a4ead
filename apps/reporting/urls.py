from django.urls import path

from apps.reporting import views

app_name = "reporting"

urlpatterns = [
    path("rapportages/", views.ReportListView.as_view(), name="list"),
    path("rapportages/dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("rapportages/<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("rapportages/<int:pk>/status/", views.ReportStatusView.as_view(), name="status"),
    path("rapportages/<int:pk>/pdf/", views.ReportDownloadView.as_view(kind="pdf"), name="pdf"),
    path("rapportages/<int:pk>/csv/", views.ReportDownloadView.as_view(kind="csv"), name="csv"),
    path("beheer/rapportages/", views.ReportSettingsView.as_view(), name="settings"),
]
