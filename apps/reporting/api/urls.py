from rest_framework.routers import SimpleRouter

from apps.reporting.api import schema  # noqa: F401 - applies the OpenAPI description
from apps.reporting.api.views import ReportViewSet

router = SimpleRouter()
router.register("reports", ReportViewSet, basename="report")

urlpatterns = router.urls
