"""Sign-in backends of the organization's directory (issue 17), in AUTHENTICATION_BACKENDS only
when switched on (config/directory.py). Both hand the directory's answer — the user name,
the groups, the names — to registry.services.directory, which maps the groups to a role and
creates or updates the user; a refusal is a SignInRefused with its Russian reason (counted
by django-axes like a wrong password)."""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django_auth_ldap.backend import LDAPBackend, ldap_error
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from portal.auth import SignInRefused
from portal.oidc import FAILED, check_issuer_and_audience, oidc_setting
from registry.models import Directory
from registry.services import directory

log = logging.getLogger(__name__)

DIRECTORY_DOWN = (
    "Каталог учетных записей организации сейчас не отвечает, вход по его паролю невозможен. "
    "Повторите попытку позже или обратитесь к администратору портала."
)


def first(attrs, name: str) -> str:
    values = (attrs or {}).get(name) or [""]
    return values[0]


class DirectoryLDAPBackend(LDAPBackend):
    """LDAP / Active Directory: django-auth-ldap binds as the user and finds his groups; the
    portal user is the service's (AUTH_LDAP_ALWAYS_UPDATE_USER is off, so the library saves
    nothing itself)."""

    def get_or_build_user(self, username, ldap_user):
        user = directory.sign_in(
            ldap_user._request,
            Directory.LDAP,
            username,
            ldap_user.group_dns,
            first_name=first(ldap_user.attrs, "givenName"),
            last_name=first(ldap_user.attrs, "sn"),
            email=first(ldap_user.attrs, "mail"),
        )
        return user, False


def directory_down(sender, context, user, request, exception, **kwargs):
    """django-auth-ldap's signal of a failed LDAP call: the login page says so."""
    if request is not None:
        request.sign_in_refusal = DIRECTORY_DOWN


ldap_error.connect(directory_down, sender=DirectoryLDAPBackend)


class DirectoryOIDCBackend(OIDCAuthenticationBackend):
    """OpenID Connect: mozilla-django-oidc runs the code flow (token, ID token by the
    provider's keys, userinfo); the user is found by his user name claim, not by e-mail."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # Every sign-in builds every backend: the endpoints (maybe discovered over the
        # network) are read only for a callback from the provider, not for a password.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if request is None or "nonce" not in kwargs:  # only the callback view passes it
            return None
        try:
            super().__init__()
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, SuspiciousOperation, ValueError) as error:
            log.warning("OpenID Connect sign-in failed: %s", error)
            raise SignInRefused(request, FAILED) from error

    def verify_token(self, token, **kwargs):
        return check_issuer_and_audience(super().verify_token(token, **kwargs))

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        # The userinfo answer must be about the ID token's subject (Core 5.3.2).
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo of another subject")
        groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
        return directory.sign_in(
            self.request,
            Directory.OIDC,
            str(claims.get(settings.OIDC_USERNAME_CLAIM) or ""),
            [groups] if isinstance(groups, str) else [str(g) for g in groups],
            first_name=claims.get("given_name") or "",
            last_name=claims.get("family_name") or "",
            email=claims.get("email") or "",
        )
