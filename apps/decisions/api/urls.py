from rest_framework.routers import DefaultRouter

from apps.decisions.api import schema  # noqa: F401 - applies the OpenAPI description
from apps.decisions.api.views import (
    DecisionViewSet,
    ObjectionViewSet,
    ProposalViewSet,
    ProviderViewSet,
    ProvisionTypeViewSet,
    ProvisionViewSet,
)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("provision-types", ProvisionTypeViewSet, basename="provision-type")
router.register("providers", ProviderViewSet, basename="provider")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("provisions", ProvisionViewSet, basename="provision")  # #21 part 2
router.register("objections", ObjectionViewSet, basename="objection")

urlpatterns = router.urls
