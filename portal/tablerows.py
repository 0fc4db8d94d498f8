"""A django-tables2 table's header and rows drawn in Python, the markup of its Bootstrap 5
template (templates/portal/_table_fast.html extends it and replaces only these two blocks).

django-tables2 works out, for every cell of a page, the column's accessor, whether the field
has choices, which arguments its render method takes, and the cell's attributes, then a
template loop draws it: 25 rows × 14 columns were about 55 ms of a registry page of 130 ms
CPU (docs/benchmarks.md). What does not change from one row to the next is worked out here
once per column. The values are still django-tables2's: the same Accessor, render_<column>()
methods, defaults, links and row attributes. A column this module does not draw the fast way
(attributes computed per cell, field choices, many-to-many, a localize setting, a link
column's text) is drawn cell by cell by django-tables2's own code and the template's markup;
tests/portal/test_tablerows.py compares both drawings of a table."""

from __future__ import annotations

from django.template import Context, Template
from django.template.base import render_value_in_context
from django.utils.html import escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django_tables2 import ManyToManyColumn
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.rows import BoundRow
from django_tables2.utils import Accessor, AttributeDict, signature

_CONTEXT = Context()  # autoescape on; localization and time zone as the settings say
# the cell of django_tables2/bootstrap5.html, for the columns drawn by django-tables2
_TEMPLATE_CELL = Template(
    "{% load l10n %}<td {{ column.attrs.td.as_html }}>{% if column.localize == None %}"
    "{{ cell }}{% else %}{% if column.localize %}{{ cell|localize }}{% else %}"
    "{{ cell|unlocalize }}{% endif %}{% endif %}</td>"
)
_ARGUMENTS = frozenset(("value", "record", "column", "bound_column", "bound_row", "table"))


def _static_td(table, bound_column) -> bool:
    """The cell attributes have no callable (django-tables2 computes them per cell)."""
    attrs = dict(table.attrs)
    attrs.update(dict(bound_column.column.attrs))
    td = attrs.get("td", attrs.get("cell", {}))
    return not any(callable(value) for value in td.values())


def _has_choices(table, accessor: Accessor) -> bool:
    model = getattr(table._meta, "model", None)
    return model is None or bool(getattr(accessor.get_field(model), "choices", None))


class _TemplateCell:
    """A cell as django-tables2 draws it: its value, then the template's <td>."""

    def __init__(self, bound_column):
        self.bound_column = bound_column

    def __call__(self, row, record) -> str:
        column = self.bound_column
        value = row.get_cell(column.name)
        column.current_value, column.current_record = value, record
        return _TEMPLATE_CELL.render(Context({"column": column, "cell": value}))


class _FastCell:
    """A cell drawn with what was worked out for its column: django-tables2's steps (value by
    the accessor, the default for an empty one, render, link), none of them repeated per cell
    that does not depend on the row."""

    def __init__(self, table, bound_column, args: tuple[str, ...], catch_all: bool):
        self.table = table
        self.bound_column = bound_column
        self.column = bound_column.column
        self.accessor = Accessor(bound_column.accessor)
        self.render = bound_column.render
        self.link = bound_column.link
        self.default = bound_column.default
        self.empty_values = self.column.empty_values
        self.arguments = tuple(_ARGUMENTS) if catch_all else args
        self.td = f"<td {bound_column.attrs['td'].as_html()}>"

    def __call__(self, row, record) -> str:
        try:
            value = self.accessor.resolve(record)
        except Exception:  # as django-tables2: a value that is not there is the default
            value = None
        if value in self.empty_values:
            content = self.default
        else:
            available = {
                "value": value,
                "record": record,
                "column": self.column,
                "bound_column": self.bound_column,
                "bound_row": row,
                "table": self.table,
            }
            content = self.render(**{name: available[name] for name in self.arguments})
            if self.link:
                content = self.link(content, **available)
        return self.td + render_value_in_context(content, _CONTEXT) + "</td>"


def _cell(table, bound_column):
    column = bound_column.column
    accessor = Accessor(bound_column.accessor)
    args, catch_all = signature(bound_column.render)
    if (
        not accessor
        or column.localize is not None
        or isinstance(column, (ManyToManyColumn, BaseLinkColumn))
        or not _static_td(table, bound_column)
        or _has_choices(table, accessor)
        or (not catch_all and not set(args) <= _ARGUMENTS)
    ):
        return _TemplateCell(bound_column)
    return _FastCell(table, bound_column, args, catch_all)


def rows(table) -> str:
    """The <tr> of the table's page (or of every row when it is not paginated)."""
    cells = [_cell(table, bound_column) for bound_column in table.columns]
    lines = []
    for row in table.paginated_rows:
        record = row.record
        if type(row) is BoundRow:
            drawn = "".join(cell(row, record) for cell in cells)
        else:  # a pinned row: django-tables2's own
            drawn = "".join(_TemplateCell(column)(row, record) for column in table.columns)
        lines.append(f"<tr {row.attrs.as_html()}>{drawn}</tr>")
    if not lines and table.empty_text:
        lines.append(
            format_html('<tr><td colspan="{}">{}</td></tr>', len(table.columns), table.empty_text)
        )
    return mark_safe("\n".join(lines))


def header(table, request) -> str:
    """The <th> of the shown columns: a sortable one links to the page sorted by it
    (django-tables2's querystring_replace: the current query with the sort replaced)."""
    cells = []
    for column in table.columns:
        text = render_value_in_context(column.header, _CONTEXT)
        if column.orderable:
            params = dict(request.GET)
            params[table.prefixed_order_by_field] = column.order_by_alias.next
            href = escape("?" + urlencode(params, doseq=True))
            text = f'<a href="{href}">{text}</a>'
        th = AttributeDict(column.attrs["th"]).as_html()
        cells.append(f'<th {th} scope="col">{text}</th>')
    return mark_safe("\n".join(cells))
