"""`{% can "change" object as may_change %}`: the templates' form of portal.scoping.can()."""

from django import template

from portal.scoping import can as allowed

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, action, obj) -> bool:
    request = context.get("request")
    return request is not None and obj is not None and allowed(request.user, action, obj)
