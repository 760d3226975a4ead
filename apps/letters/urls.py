from django.urls import path

from apps.letters import views

app_name = "letters"

urlpatterns = [
    path(
        "intake/vragen/<int:pk>/brieven/ontvangstbevestiging/",
        views.AcknowledgementCreateView.as_view(),
        name="acknowledgement_create",
    ),
    path(
        "intake/vragen/<int:pk>/brieven/verlenging/",
        views.PostponementCreateView.as_view(),
        name="postponement_create",
    ),
    path(
        "intake/vragen/<int:pk>/brieven/uitnodiging/",
        views.InvitationCreateView.as_view(),
        name="invitation_create",
    ),
    path(
        "casussen/<int:pk>/brieven/verslag/",
        views.CaseReportCreateView.as_view(),
        name="case_report_create",
    ),
    path(
        "loket/voorstellen/<int:pk>/brieven/verdaging/",
        views.ProposalLetterCreateView.as_view(),
        name="proposal_postponement_create",
    ),
    path("brieven/<int:pk>/pdf/", views.LetterDownloadView.as_view(), name="letter_pdf"),
    path("beheer/brieven/", views.LetterTemplateListView.as_view(), name="template_list"),
    path("beheer/brieven/nieuw/", views.LetterTemplateCreateView.as_view(), name="template_create"),
    path("beheer/brieven/<int:pk>/", views.LetterTemplateEditView.as_view(), name="template_edit"),
]
