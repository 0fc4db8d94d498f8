from rest_framework.routers import SimpleRouter

from segmentation.api import views

router = SimpleRouter()
router.register("segment-profiles", views.ProfileViewSet, basename="segment_profile")
router.register("touchpoints", views.TouchpointViewSet, basename="touchpoint")
router.register("assessments", views.AssessmentViewSet, basename="assessment")

urlpatterns = router.urls
