"""`{% nav_menus as menus %}` and `{% breadcrumbs %}` of base.html (portal.navigation)."""

from django import template

from portal.navigation import menus_for, section_crumbs

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_menus(context):
    request = context.get("request")
    return menus_for(request) if request is not None else []


@register.inclusion_tag("portal/_breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """The page's `breadcrumbs` if it gives them, else its view's (BreadcrumbsMixin); none on
    a page of no section (the home page, sign-in)."""
    request = context.get("request")
    crumbs = context.get("breadcrumbs")
    if crumbs is None and request is not None:
        match = getattr(request, "resolver_match", None)
        view_class = getattr(getattr(match, "func", None), "view_class", None)
        getter = getattr(view_class, "get_breadcrumbs", None)
        crumbs = getter(request, context) if getter else section_crumbs(request)
    crumbs = list(crumbs or [])
    return {"crumbs": crumbs if len(crumbs) > 1 else []}
