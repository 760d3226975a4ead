from django.urls import path
from rest_framework.routers import DefaultRouter

from apps.cases.api import schema  # noqa: F401 (the viewsets' OpenAPI annotations)
from apps.cases.api.views import (
    ActivityViewSet,
    AssessmentViewSet,
    CaseViewSet,
    PlanViewSet,
    TeamEndViewSet,
    TeamWorkOfView,
    WorkReassignmentViewSet,
)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("cases", CaseViewSet, basename="case")
router.register("activities", ActivityViewSet, basename="activity")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("plans", PlanViewSet, basename="plan")
router.register("work-reassignments", WorkReassignmentViewSet, basename="work-reassignment")
# Beside the teams config API (apps.teams.api): /teams/{id}/open-work/ and /teams/{id}/end/.
router.register("teams", TeamEndViewSet, basename="team")

urlpatterns = [
    *router.urls,
    path("teams/<int:team_pk>/work/<int:pk>/", TeamWorkOfView.as_view(), name="team-work-of"),
]
