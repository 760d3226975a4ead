from rest_framework.routers import DefaultRouter

from apps.letters.api import schema  # noqa: F401 - applies the OpenAPI description
from apps.letters.api.views import (
    CaseLetterViewSet,
    LetterViewSet,
    ProposalLetterViewSet,
    QuestionLetterViewSet,
)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("letters", LetterViewSet, basename="letter")
router.register(
    r"questions/(?P<question_pk>[0-9]+)/letters", QuestionLetterViewSet, basename="question-letter"
)
router.register(r"cases/(?P<case_pk>[0-9]+)/letters", CaseLetterViewSet, basename="case-letter")
router.register(
    r"proposals/(?P<proposal_pk>[0-9]+)/letters",
    ProposalLetterViewSet,
    basename="proposal-letter",
)

urlpatterns = router.urls
