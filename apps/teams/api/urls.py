from rest_framework.routers import DefaultRouter

from apps.teams.api.views import MembershipViewSet, TeamViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("teams", TeamViewSet, basename="team")
router.register("memberships", MembershipViewSet, basename="membership")

urlpatterns = router.urls
