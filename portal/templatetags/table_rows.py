"""`{% table_header table %}` and `{% table_rows table %}`: portal.tablerows in a template
(templates/portal/_table_fast.html)."""

from django import template

from portal import tablerows

register = template.Library()


@register.simple_tag(takes_context=True)
def table_header(context, table):
    return tablerows.header(table, context["request"])


@register.simple_tag
def table_rows(table):
    return tablerows.rows(table)
