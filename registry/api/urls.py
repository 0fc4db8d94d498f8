from rest_framework.routers import SimpleRouter

from registry.api import open_data, views

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("catalogue", views.CatalogueViewSet, basename="catalogue")
router.register("processes", views.ProcessViewSet, basename="process")
router.register("versions", views.VersionViewSet, basename="version")
router.register("proposals", views.ProposalViewSet, basename="proposal")
router.register("campaigns", views.CampaignViewSet, basename="campaign")

urlpatterns = [*router.urls, *open_data.urlpatterns]
