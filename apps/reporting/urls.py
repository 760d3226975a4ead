from django.urls import path

from apps.reporting import views

app_name = "reporting"

urlpatterns = [
    path("rapportages/", views.ReportListView.as_view(), name="list"),
    path("rapportages/<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("rapportages/<int:pk>/status/", views.ReportStatusView.as_view(), name="status"),
    path(
        "rapportages/<int:pk>/<str:kind>/",
        views.ReportDownloadView.as_view(),
        name="download",
    ),
    path("beheer/rapportages/", views.ReportSettingsView.as_view(), name="settings"),
]
