"""Sign-in backends of the organization's directory (issue 17), in AUTHENTICATION_BACKENDS only
when switched on (config/directory.py). Both hand the directory's answer — the user name,
the groups, the names — to registry.services.directory, which maps the groups to a role and
creates or updates the user; a refusal is a SignInRefused with its Russian reason (counted
by django-axes like a wrong password)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import ldap
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django_auth_ldap.backend import LDAPBackend, _LDAPUser, ldap_error
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


def active_only(user):
    """What a session's backend gives back: neither library's get_user checks is_active
    (Django's ModelBackend does), so a deactivated directory user's open session would
    still open pages."""
    return user if user is not None and user.is_active else None


class DirectoryUnavailable(Exception):
    """The directory did not answer a lookup: nothing is concluded about the user."""


@dataclass
class DirectoryEntry:
    """What the directory says about a user now (registry.services.directory_sync)."""

    groups: list
    names: dict


class DirectoryLDAPBackend(LDAPBackend):
    """LDAP / Active Directory: django-auth-ldap binds as the user and finds his groups; the
    portal user is the service's (AUTH_LDAP_ALWAYS_UPDATE_USER is off, so the library saves
    nothing itself)."""

    def get_or_build_user(self, username, ldap_user):
        user = directory.sign_in(
            ldap_user._request, Directory.LDAP, username, ldap_user.group_dns, **names(ldap_user)
        )
        return user, False

    def get_user(self, user_id):
        return active_only(super().get_user(user_id))

    def entry(self, user) -> DirectoryEntry | None:
        """The user's entry found by the service account (django-auth-ldap's LDAPUser, as
        get_user attaches it to a user), None if the directory has no such user any more;
        DirectoryUnavailable if it did not answer (the library reports a failed search by
        its ldap_error signal and answers "no such user")."""
        failures = []

        def failed(sender, context, exception, **kwargs):
            failures.append(exception)

        ldap_error.connect(failed, sender=type(self), weak=False)
        try:
            ldap_user = _LDAPUser(self, user=user)
            _ = ldap_user.connection  # binds as the service account: raises if it cannot
            found = ldap_user.attrs is not None
            groups = list(ldap_user.group_dns) if found else []
        except ldap.LDAPError as error:
            failures.append(error)
        finally:
            ldap_error.disconnect(failed, sender=type(self))
        if failures:
            raise DirectoryUnavailable(str(failures[0]))
        return DirectoryEntry(groups, names(ldap_user)) if found else None


def names(ldap_user) -> dict:
    attrs = ldap_user.attrs
    return {
        "first_name": first(attrs, "givenName"),
        "last_name": first(attrs, "sn"),
        "email": first(attrs, "mail"),
    }


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

    def get_user(self, user_id):
        return active_only(super().get_user(user_id))

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
            subject=str(payload.get("sub") or ""),
            first_name=claims.get("given_name") or "",
            last_name=claims.get("family_name") or "",
            email=claims.get("email") or "",
        )
