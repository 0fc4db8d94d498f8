from django.urls import path
from rest_framework.routers import SimpleRouter

from segmentation.api import views

router = SimpleRouter()
router.register("segment-profiles", views.ProfileViewSet, basename="segment_profile")
router.register("touchpoints", views.TouchpointViewSet, basename="touchpoint")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("surveys", views.SurveyViewSet, basename="survey")

urlpatterns = [
    path(
        "surveys/groups/<int:pk>/results/",
        views.SurveyGroupResultsView.as_view(),
        name="survey_group_results",
    ),
    *router.urls,
]
