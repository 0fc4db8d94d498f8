"""Settings of sign-in with directory accounts (issue 17), read from the environment: LDAP /
Active Directory (django-auth-ldap) is on when LDAP_SERVER_URI is set, OpenID Connect
(mozilla-django-oidc) when OIDC_RP_CLIENT_ID is; both are off by default. The variables are
listed in docs/deployment.md ("Sign-in with directory accounts")."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

LDAP_BACKEND = "registry.backends.DirectoryLDAPBackend"
OIDC_BACKEND = "registry.backends.DirectoryOIDCBackend"


def _flag(environ, name: str, default: bool) -> bool:
    value = environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _required(environ, name: str, why: str) -> str:
    value = environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when {why} is.")
    return value


def _group_type(name: str):
    from django_auth_ldap.config import (
        GroupOfNamesType,
        GroupOfUniqueNamesType,
        NestedActiveDirectoryGroupType,
        PosixGroupType,
    )

    types = {
        "groupOfNames": GroupOfNamesType,
        "groupOfUniqueNames": GroupOfUniqueNamesType,
        "posixGroup": PosixGroupType,
        # Active Directory: memberOf, groups within groups included.
        "activeDirectory": NestedActiveDirectoryGroupType,
    }
    if name not in types:
        raise ImproperlyConfigured(f"LDAP_GROUP_TYPE must be one of {', '.join(types)}.")
    return types[name]()


def ldap_settings(environ) -> dict:
    """AUTH_LDAP_* of django-auth-ldap, or {"LDAP_ENABLED": False}."""
    uri = environ.get("LDAP_SERVER_URI", "").strip()
    if not uri:
        return {"LDAP_ENABLED": False}
    import ldap
    from django_auth_ldap.config import LDAPSearch

    why = "LDAP_SERVER_URI"
    return {
        "LDAP_ENABLED": True,
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_START_TLS": _flag(environ, "LDAP_START_TLS", False),
        # A service account that may search users and groups (empty: anonymous search).
        "AUTH_LDAP_BIND_DN": environ.get("LDAP_BIND_DN", ""),
        "AUTH_LDAP_BIND_PASSWORD": environ.get("LDAP_BIND_PASSWORD", ""),
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(
            _required(environ, "LDAP_USER_BASE", why),
            ldap.SCOPE_SUBTREE,
            environ.get("LDAP_USER_FILTER", "(uid=%(user)s)"),
        ),
        "AUTH_LDAP_GROUP_SEARCH": LDAPSearch(
            _required(environ, "LDAP_GROUP_BASE", why), ldap.SCOPE_SUBTREE
        ),
        "AUTH_LDAP_GROUP_TYPE": _group_type(environ.get("LDAP_GROUP_TYPE", "groupOfNames")),
        # registry.services.directory creates and updates the user, not the library.
        "AUTH_LDAP_ALWAYS_UPDATE_USER": False,
        "AUTH_LDAP_USER_ATTR_MAP": {},
        "AUTH_LDAP_USER_ATTRLIST": ["givenName", "sn", "mail"],
        # A sign-in waits this long for the directory, then says it does not answer.
        "AUTH_LDAP_CONNECTION_OPTIONS": {
            ldap.OPT_NETWORK_TIMEOUT: int(environ.get("LDAP_TIMEOUT_SECONDS", "5")),
            ldap.OPT_TIMEOUT: int(environ.get("LDAP_TIMEOUT_SECONDS", "5")),
            ldap.OPT_REFERRALS: 0,  # Active Directory's referrals lead outside the search
        },
    }


def oidc_settings(environ) -> dict:
    """mozilla-django-oidc's OIDC_* settings, or {"OIDC_ENABLED": False}."""
    client_id = environ.get("OIDC_RP_CLIENT_ID", "").strip()
    if not client_id:
        return {
            "OIDC_ENABLED": False,
            "OIDC_BUTTON_TEXT": "",
            "OIDC_OP_ISSUER": "",
            "OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS": 0,
        }
    why = "OIDC_RP_CLIENT_ID"
    return {
        "OIDC_ENABLED": True,
        "OIDC_BUTTON_TEXT": environ.get("OIDC_BUTTON_TEXT", "учетную запись организации"),
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": _required(environ, "OIDC_RP_CLIENT_SECRET", why),
        "OIDC_RP_SIGN_ALGO": environ.get("OIDC_RP_SIGN_ALGO", "RS256"),
        # The provider's address: its endpoints are read from its discovery document
        # (portal.oidc), unless set one by one below.
        "OIDC_OP_ISSUER": _required(environ, "OIDC_OP_ISSUER", why),
        "OIDC_OP_AUTHORIZATION_ENDPOINT": environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", ""),
        "OIDC_OP_TOKEN_ENDPOINT": environ.get("OIDC_OP_TOKEN_ENDPOINT", ""),
        "OIDC_OP_USER_ENDPOINT": environ.get("OIDC_OP_USER_ENDPOINT", ""),
        "OIDC_OP_JWKS_ENDPOINT": environ.get("OIDC_OP_JWKS_ENDPOINT", ""),
        "OIDC_RP_SCOPES": environ.get("OIDC_RP_SCOPES", "openid email profile"),
        "OIDC_USERNAME_CLAIM": environ.get("OIDC_USERNAME_CLAIM", "preferred_username"),
        "OIDC_GROUPS_CLAIM": environ.get("OIDC_GROUPS_CLAIM", "groups"),
        "OIDC_USE_PKCE": True,
        "OIDC_TIMEOUT": int(environ.get("OIDC_TIMEOUT_SECONDS", "10")),
        "OIDC_VERIFY_SSL": environ.get("OIDC_CA_BUNDLE") or True,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "oidc_authentication_callback",
        # portal.oidc.OIDCSessionRefresh: the provider is asked again (prompt=none) this
        # long after sign-in, so lost groups end the session; 0 turns it off.
        "OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS": int(
            environ.get("OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS", "900")
        ),
    }


def backends(ldap: dict, oidc: dict) -> list[str]:
    """The directory backends switched on, after the portal's own passwords."""
    return [LDAP_BACKEND] * ldap["LDAP_ENABLED"] + [OIDC_BACKEND] * oidc["OIDC_ENABLED"]
