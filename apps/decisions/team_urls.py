"""The voorwerk pages of the team side, under the case: they keep the `cases`
namespace and paths (config/urls.py adds them to the cases app's URLs)."""

from django.urls import path

from apps.decisions import team_views as views

urlpatterns = [
    # Voorwerk, team side
    path(
        "casussen/<int:pk>/voorstellen/nieuw/",
        views.ProposalCreateView.as_view(),
        name="proposal_create",
    ),
    path(
        "casussen/voorstellen/<int:pk>/", views.ProposalDetailView.as_view(), name="proposal_detail"
    ),
    path(
        "casussen/voorstellen/<int:pk>/wijzigen/",
        views.ProposalEditView.as_view(),
        name="proposal_edit",
    ),
    path(
        "casussen/voorstellen/<int:pk>/indienen/",
        views.ProposalSubmitView.as_view(),
        name="proposal_submit",
    ),
    path(
        "casussen/voorstellen/<int:pk>/intrekken/",
        views.ProposalWithdrawView.as_view(),
        name="proposal_withdraw",
    ),
]
