from rest_framework.routers import DefaultRouter

from apps.intake.api import schema  # noqa: F401  (the OpenAPI description of the views)
from apps.intake.api.views import (
    LifeDomainViewSet,
    QuestionViewSet,
    ResidentViewSet,
    TriageRuleViewSet,
)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("residents", ResidentViewSet, basename="resident")
router.register("questions", QuestionViewSet, basename="question")
router.register("triage-rules", TriageRuleViewSet, basename="triage-rule")
router.register("life-domains", LifeDomainViewSet, basename="life-domain")

urlpatterns = router.urls
