"""OpenID Connect sign-in (mozilla-django-oidc), the kernel's part: the provider's endpoints
read from its discovery document, the two pages of the code flow (404 while OIDC is off) and
the checks of the ID token the library leaves out. The backend that turns the provider's
claims into a portal user is the registry's (registry.backends)."""

from __future__ import annotations

import logging
import time

import requests
from django.conf import settings
from django.contrib import auth, messages
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import View
from mozilla_django_oidc.middleware import SessionRefresh
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from portal.auth import refusal_of
from portal.views.scoped import UnscopedViewMixin

log = logging.getLogger(__name__)

# The library's setting -> the discovery document's key (OpenID Connect Discovery 1.0, 3).
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_discovered: dict[str, dict] = {}

FAILED = (
    "Вход через внешнюю учетную запись не выполнен. Повторите попытку или обратитесь к "
    "администратору портала."
)


def discovery(issuer: str) -> dict:
    """The provider's discovery document, read once per process."""
    if issuer not in _discovered:
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        if document.get("issuer", "").rstrip("/") != issuer.rstrip("/"):
            raise ImproperlyConfigured(f"{url}: issuer {document.get('issuer')!r}")
        _discovered[issuer] = document
    return _discovered[issuer]


def oidc_setting(attr, *default):
    """A mozilla-django-oidc setting; an endpoint not set explicitly comes from discovery."""
    value = getattr(settings, attr, None)
    if attr in DISCOVERED and not value and settings.OIDC_OP_ISSUER:
        value = discovery(settings.OIDC_OP_ISSUER).get(DISCOVERED[attr])
        if value:
            return value
    return import_from_settings(attr, *default)


def check_issuer_and_audience(payload: dict) -> dict:
    """What mozilla-django-oidc does not check in the ID token: it is the configured
    provider's (iss) and it is meant for this portal (aud, OpenID Connect Core 3.1.3.7)."""
    issuer = settings.OIDC_OP_ISSUER
    if issuer and payload.get("iss", "").rstrip("/") != issuer.rstrip("/"):
        raise SuspiciousOperation("ID token of another issuer")
    audience = payload.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if settings.OIDC_RP_CLIENT_ID not in audiences:
        raise SuspiciousOperation("ID token for another client")
    return payload


class OIDCPageMixin(UnscopedViewMixin):
    """Not there at all while OIDC is off. The library's settings (the endpoints, maybe
    discovered) are read when a request comes, so a provider that does not answer is a
    message on the login page, not an error page."""

    unscoped_because = "signing in through the identity provider: no rows before the user"
    get_settings = staticmethod(oidc_setting)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            super().__init__()
        except (requests.RequestException, ValueError, ImproperlyConfigured) as error:
            log.warning("OpenID Connect provider unavailable: %s", error)
            return failed(request, FAILED)
        return super().dispatch(request, *args, **kwargs)


def failed(request, message: str):
    messages.error(request, message)
    return HttpResponseRedirect(reverse("login"))


class OIDCSignInView(OIDCPageMixin, OIDCAuthenticationRequestView):
    """«Войти через …»: off to the provider's sign-in page."""


class OIDCCallbackView(OIDCPageMixin, OIDCAuthenticationCallbackView):
    """Back from the provider: the user is signed in, or the login page says why not."""

    def login_failure(self):
        # A session refresh refused (no mapped group now, switched off): the library only
        # signs out on the provider's own error, the portal on its refusal too.
        if self.request.user.is_authenticated:
            auth.logout(self.request)
        return failed(self.request, refusal_of(self.request) or FAILED)


class OIDCSessionRefresh(SessionRefresh):
    """mozilla-django-oidc's SessionRefresh: a GET page of a user signed in through the
    provider, OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS after his sign-in, goes to the provider
    again with prompt=none and back through the callback, which maps his groups as they are
    now (or signs him out). Always in MIDDLEWARE; does nothing while OIDC or the renewal is
    off, and reads the library's settings (maybe discovered) only when a refresh is due.
    A script's request (fetch(): a job's progress; Sec-Fetch-Mode other than navigate) is
    answered 403 with `refresh_url`, as the library answers an XMLHttpRequest: the browser
    refuses a fetch's redirect to the provider, the script reloads its page instead."""

    get_settings = staticmethod(oidc_setting)
    OIDC_EXEMPT_URLS = ()

    def __init__(self, get_response):
        super(SessionRefresh, self).__init__(get_response)

    @cached_property
    def exempt_urls(self):
        # The portal's own pages of signing in and out (the library's list names a logout
        # view the portal does not have).
        names = ("oidc_authentication_init", "oidc_authentication_callback", "login", "logout")
        return {reverse(name) for name in names}

    def process_request(self, request):
        if not (settings.OIDC_ENABLED and settings.OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS):
            return None
        if not self.is_refreshable_url(request):
            return None
        if request.session.get("oidc_id_token_expiration", 0) > time.time():
            return None
        try:
            super().__init__(self.get_response)
        except (requests.RequestException, ValueError, ImproperlyConfigured) as error:
            log.warning("OpenID Connect provider unavailable for a refresh: %s", error)
            return None  # the page opens; the refresh is tried again on the next one
        response = super().process_request(request)
        script = request.headers.get("Sec-Fetch-Mode", "navigate") != "navigate"
        if script and isinstance(response, HttpResponseRedirect):
            answer = JsonResponse({"refresh_url": response.url}, status=403)
            answer["refresh_url"] = response.url
            return answer
        return response
