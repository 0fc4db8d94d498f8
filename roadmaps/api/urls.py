from rest_framework.routers import SimpleRouter

from roadmaps.api import views

router = SimpleRouter()
router.register("roadmaps", views.RoadmapViewSet, basename="roadmap")
router.register("measures", views.MeasureViewSet, basename="measure")

urlpatterns = router.urls
