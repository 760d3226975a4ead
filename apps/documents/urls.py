from django.urls import path

from apps.documents import views

app_name = "documents"

urlpatterns = [
    path(
        "documenten/casus/<int:case_pk>/nieuw/",
        views.CaseDocumentUploadView.as_view(),
        name="case_upload",
    ),
    path(
        "documenten/vraag/<int:question_pk>/nieuw/",
        views.QuestionDocumentUploadView.as_view(),
        name="question_upload",
    ),
    path(
        "documenten/inwoner/<int:resident_pk>/nieuw/",
        views.ResidentDocumentUploadView.as_view(),
        name="resident_upload",
    ),
    path("documenten/<int:pk>/bestand/", views.DocumentDownloadView.as_view(), name="download"),
    path("documenten/<int:pk>/intrekken/", views.DocumentWithdrawView.as_view(), name="withdraw"),
]
