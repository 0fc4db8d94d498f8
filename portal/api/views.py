"""The API's side of portal.scoping, after NetBox's BaseViewSet (netbox/api/viewsets): every
endpoint's rows come from restrict(user, action), applied here once, so no endpoint can
forget it. As on the pages, a row outside the user's scope is a 404 and a row he sees but may
not change is a 403."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS

from portal.scoping import CHANGE, VIEW, can, restrict

CANNOT_CHANGE = "Эту запись вы можете читать, но не изменять."


class ScopedAPIMixin:
    """`queryset` restricted by `scope_action` (reads) for every list and object; a write
    to an object also needs `can(user, write_action, obj)`."""

    scope_action = VIEW
    write_action = CHANGE

    def get_queryset(self):
        if self.queryset is None:
            raise ImproperlyConfigured(f"{type(self).__name__}: укажите queryset.")
        return restrict(self.queryset, self.request.user, self.scope_action)

    def get_object(self):
        obj = super().get_object()
        if self.request.method not in SAFE_METHODS and not can(
            self.request.user, self.write_action, obj
        ):
            raise PermissionDenied(CANNOT_CHANGE)
        return obj


class ScopedReadViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """A list and a detail of scoped rows."""


class UnscopedAPIMixin:
    """An endpoint with no per-authority rows (the catalogue, open data): it says why in
    `unscoped_because`; tests/test_scoping_everywhere.py refuses an endpoint that is
    neither this nor ScopedAPIMixin."""

    unscoped_because: str = ""
