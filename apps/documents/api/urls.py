from rest_framework.routers import DefaultRouter

from apps.documents.api import schema  # noqa: F401 - applies the OpenAPI description
from apps.documents.api.views import DocumentViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("documents", DocumentViewSet, basename="document")

urlpatterns = router.urls
