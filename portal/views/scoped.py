"""The views' side of portal.scoping: a signed-in page takes its rows from restrict(), or
says why it has none. Apart from the rules so that models may import the rules before the
user model (which LoginRequiredMixin loads) exists."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.shortcuts import get_object_or_404

from portal.scoping import VIEW, restrict
from portal.views.breadcrumbs import BreadcrumbsMixin


class ScopedViewMixin(BreadcrumbsMixin, LoginRequiredMixin):
    """A signed-in page whose rows come from the one entry point.

    `get_queryset()` restricts `queryset` (or `model`) by `scope_action`, so Django's generic
    views (DetailView, ListView, FilterView, UpdateView) cannot show an unscoped row; other
    views take their rows with `self.scoped(...)` and `self.scoped_object(...)`.
    """

    model = None
    queryset = None
    scope_action = VIEW

    def get_queryset(self):
        if self.queryset is not None:
            return restrict(self.queryset, self.request.user, self.scope_action)
        if self.model is None:
            raise ImproperlyConfigured(f"{type(self).__name__}: укажите model или queryset.")
        return restrict(self.model, self.request.user, self.scope_action)

    def scoped(self, queryset_or_model, action: str | None = None) -> models.QuerySet:
        return restrict(queryset_or_model, self.request.user, action or self.scope_action)

    def scoped_object(self, queryset_or_model=None, action: str | None = None, **lookup):
        """The one row the user reaches, or 404 (another authority's rows do not exist)."""
        queryset = (
            self.get_queryset()
            if queryset_or_model is None and action is None
            else self.scoped(
                queryset_or_model
                if queryset_or_model is not None
                else self.queryset
                if self.queryset is not None
                else self.model,
                action,
            )
        )
        return get_object_or_404(queryset, **lookup)


class UnscopedViewMixin(BreadcrumbsMixin):
    """A page with no per-authority rows (the public registry, sign-in, a token feed). It
    says why in `unscoped_because`; the URL test refuses a page that is neither this nor
    ScopedViewMixin."""

    unscoped_because: str = ""
