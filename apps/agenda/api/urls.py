from rest_framework.routers import DefaultRouter

from apps.agenda.api import schema  # noqa: F401 (the viewsets' OpenAPI annotations)
from apps.agenda.api.views import AppointmentViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("appointments", AppointmentViewSet, basename="appointment")

urlpatterns = router.urls
