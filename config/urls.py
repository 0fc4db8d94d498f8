from django.contrib import admin
from django.urls import include, path

import portal.api.urls
import registry.api.urls
import roadmaps.api.urls
import segmentation.api.urls
from portal.auth import LoginView, LogoutView
from portal.oidc import OIDCCallbackView, OIDCSignInView
from registry.views.processes import HomeView
from registry.views.versions import PublicFileView, PublicIndexView, PublicRegistryView
from segmentation.public_views import SurveyPublicView

admin.site.site_header = "Портал клиентоцентричности: администрирование"
admin.site.site_title = "Администрирование портала"
admin.site.index_title = "Справочники и пользователи"

# The REST API (portal.api): the kernel's schema and docs, each app's endpoints.
api_patterns = [
    *portal.api.urls.urlpatterns,
    *registry.api.urls.urlpatterns,
    *roadmaps.api.urls.urlpatterns,
    *segmentation.api.urls.urlpatterns,
]

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    # OpenID Connect's code flow (404 unless OIDC is switched on: portal.oidc).
    path("accounts/oidc/start/", OIDCSignInView.as_view(), name="oidc_authentication_init"),
    path(
        "accounts/oidc/callback/",
        OIDCCallbackView.as_view(),
        name="oidc_authentication_callback",
    ),
    path("registry/", include("registry.urls")),
    path("roadmaps/", include("roadmaps.urls")),
    path("segmentation/", include("segmentation.urls")),
    path("", include("portal.urls")),  # the kernel's pages: jobs/
    # Published registries: open to everyone, without login.
    path("public/", PublicIndexView.as_view(), name="public_index"),
    path("public/<int:authority_pk>/", PublicRegistryView.as_view(), name="public_registry"),
    path(
        "public/<int:authority_pk>/<int:number>/<str:kind>/",
        PublicFileView.as_view(),
        name="public_file",
    ),
    path("api/", include((api_patterns, "api"))),
    # A survey's short link, printed at a touchpoint: open to everyone, without login.
    path("s/<str:code>/", SurveyPublicView.as_view(), name="survey_public"),
    path("admin/", admin.site.urls),
]
