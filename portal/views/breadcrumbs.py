"""A page's breadcrumbs (portal.navigation): the section its view name belongs to, then the
record the page is about with its parents, then the page's own crumb."""

from __future__ import annotations

from portal.navigation import Crumb, record_crumbs, section_crumbs


class BreadcrumbsMixin:
    """Mixed into ScopedViewMixin and UnscopedViewMixin, so every page has it.

    The crumbs are read from the page's template context when base.html renders, so a view
    that renders with render() has them too. A view overrides `get_breadcrumbs` for a trail
    the two attributes cannot say.
    """

    # The context variable of the record the page is about ("" for none).
    breadcrumb_object: str = "object"
    # The page's own crumb after the record's (an action on it: «История изменений»).
    breadcrumb_title: str = ""

    @classmethod
    def get_breadcrumbs(cls, request, context) -> list[Crumb]:
        crumbs = section_crumbs(request)
        obj = context.get(cls.breadcrumb_object) if cls.breadcrumb_object else None
        if obj is not None and getattr(obj, "pk", None) is not None:
            crumbs += record_crumbs(obj, request.user)
        if cls.breadcrumb_title:
            crumbs.append(Crumb(cls.breadcrumb_title))
        return crumbs
