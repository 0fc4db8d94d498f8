"""`Authorization: Token <key>` or `Bearer <key>` (as NetBox accepts both)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from portal.api import tokens

KEYWORDS = ("token", "bearer")
BAD_HEADER = "Заголовок Authorization: укажите «Token <ключ>» или «Bearer <ключ>»."
UNKNOWN = "Ключ API не найден."
REVOKED = "Ключ API отозван."
EXPIRED = "Срок действия ключа API истек."
INACTIVE = "Учетная запись владельца ключа отключена."


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(BAD_HEADER)
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(UNKNOWN) from None
        token = tokens.token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(UNKNOWN)
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(REVOKED)
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(EXPIRED)
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(INACTIVE)
        tokens.note_use(token)
        return token.user, token

    def authenticate_header(self, request):
        # A request without a valid key is a 401 with this challenge, not a 403.
        return "Token"


class TokenScheme(OpenApiAuthenticationExtension):
    """How the schema names the key: one header, either keyword."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "«Token <ключ>» или «Bearer <ключ>»",
        }
