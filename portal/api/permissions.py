"""Who may call an endpoint at all; which rows, the endpoint's Scope (portal.api.views)."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from portal.models import APIToken

READ_ONLY = "Ключ выдан только для чтения: изменения через API им не вносятся."


class TokenAccess(BasePermission):
    """Signed in (by a token or a session) unless the view is open data; a read-only token
    reads only."""

    message = READ_ONLY

    def has_permission(self, request, view):
        if getattr(view, "open_without_sign_in", False):
            return request.method in SAFE_METHODS
        if not (request.user and request.user.is_authenticated):
            return False
        token = request.auth
        return not (
            request.method not in SAFE_METHODS
            and isinstance(token, APIToken)
            and not token.writable
        )
