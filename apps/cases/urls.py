from django.urls import path

from apps.cases import views

app_name = "cases"

urlpatterns = [
    path("casussen/", views.CaseListView.as_view(), name="list"),
    path("casussen/<int:pk>/", views.CaseDetailView.as_view(), name="detail"),
    path(
        "casussen/voorstellen/<int:pk>/", views.ProposalDetailView.as_view(), name="proposal_detail"
    ),
]
