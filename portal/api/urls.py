"""The schema and its documentation (the apps' endpoints come from their own api/urls.py)."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import path
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from portal.api.views import UnscopedAPIMixin


class SchemaView(UnscopedAPIMixin, SpectacularAPIView):
    """Схема OpenAPI 3: YAML, с ?format=json — JSON."""

    unscoped_because = "the API's description: no rows"
    permission_classes = [AllowAny]
    authentication_classes = []


# Swagger UI's page has one <style> block; its script is a file (the split view), so only
# styles are loosened, and only on this page.
@method_decorator(csp_update({"style-src": [UNSAFE_INLINE]}), name="dispatch")
class DocsView(UnscopedAPIMixin, SpectacularSwaggerSplitView):
    unscoped_because = "the API's documentation: no rows"
    permission_classes = [AllowAny]
    authentication_classes = []


urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
]
