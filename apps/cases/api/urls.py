from django.urls import path
from rest_framework.routers import DefaultRouter

from apps.cases.api import schema  # noqa: F401 (the viewsets' OpenAPI annotations)
from apps.cases.api.views import (
    ActivityViewSet,
    AssessmentViewSet,
    CaseViewSet,
    PlanViewSet,
    TeamEndView,
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

urlpatterns = [
    *router.urls,
    path("teams/<int:team_pk>/work/<int:pk>/", TeamWorkOfView.as_view(), name="team-work-of"),
    path("teams/<int:pk>/end/", TeamEndView.as_view(), name="team-end"),
]
