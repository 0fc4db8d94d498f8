"""The registry list as a django-tables2 table, one column per column of the typical form."""

from __future__ import annotations

from functools import partialmethod

import django_tables2 as tables
from django.conf import settings
from django.core.paginator import Paginator
from django.utils.html import format_html, format_html_join

from registry.columns import COLUMNS
from registry.models import Process, Proposal
from registry.models.processes import SORTS

DEFAULT_COLUMNS = (
    "identifier",
    "authority",
    "unit",
    "function_name",
    "group",
    "name",
    "responsible",
    "status",
    "kind",
)
ALWAYS_VISIBLE = ("identifier",)


class ProcessTable(tables.Table):
    identifier = tables.Column(
        linkify=True,
        # unique tie-breaks: pages do not overlap, and each order has its index (issue 13)
        order_by=("identifier_number", "identifier", "id"),
        attrs={"td": {"class": "text-nowrap"}},
    )
    authority = tables.Column(
        verbose_name="Орган власти",
        accessor="authority__display_name",
        order_by=("authority__full_name", "authority__id", "identifier_number", "id"),
    )
    unit = tables.Column(
        verbose_name="Структурное подразделение",
        accessor="unit__display_name",
        order_by=("unit__full_name", "unit__id", "identifier_number", "id"),
    )
    life_situation = tables.Column()
    function_name = tables.Column(attrs={"td": {"class": "wide"}})
    client = tables.Column()
    regulating_act = tables.Column()
    group = tables.Column()
    name = tables.Column(attrs={"td": {"class": "wide"}}, accessor="name")
    responsible = tables.Column()
    status = tables.Column()
    input_data = tables.Column()
    output_data = tables.Column()
    links = tables.Column(accessor="pk", orderable=False)
    kind = tables.Column()
    placement = tables.Column(accessor="pk", orderable=False)

    class Meta:
        model = Process
        fields = ()
        # Column 1 of the form, who keeps the row, then columns 2 … 14.
        sequence = (
            COLUMNS[0].table_column,
            "authority",
            "unit",
            *(column.table_column for column in COLUMNS[1:]),
        )
        attrs = {"class": "table table-sm table-hover align-top registry-table"}
        row_attrs = {
            "class": lambda record: "table-secondary excluded-row" if record.is_excluded else ""
        }
        empty_text = "Процессов, отвечающих условиям отбора, нет."

    def __init__(self, *args, columns=None, **kwargs):
        super().__init__(*args, **kwargs)
        for column in COLUMNS:
            name = column.table_column
            if name in self.columns and columns and column.number in columns:
                self.columns[name].column.verbose_name = column.label(columns)

    def order_keys(self, column: str, queryset, is_descending: bool):
        """Sorts by the keys one index of the rows holds in this order (Process SORTS)."""
        # rows without a value last, then first: PostgreSQL's default, which its index holds
        # (SQLite's default is the other way round)
        keys = [
            key.desc(nulls_first=True) if is_descending else key.asc(nulls_last=True)
            for key in SORTS[column]
        ]
        return queryset.order_by(*keys), True

    # django-tables2 calls order_<column>(queryset, is_descending) where a table has one
    order_life_situation = partialmethod(order_keys, "life_situation")
    order_function_name = partialmethod(order_keys, "function_name")
    order_client = partialmethod(order_keys, "client")
    order_regulating_act = partialmethod(order_keys, "regulating_act")
    order_group = partialmethod(order_keys, "group")
    order_name = partialmethod(order_keys, "name")
    order_responsible = partialmethod(order_keys, "responsible")
    order_status = partialmethod(order_keys, "status")
    order_input_data = partialmethod(order_keys, "input_data")
    order_output_data = partialmethod(order_keys, "output_data")
    order_kind = partialmethod(order_keys, "kind")

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        # tables2 takes ?per_page= as it comes; only the sizes offered are served.
        sizes = settings.REGISTRY_PAGE_SIZES
        per_page = int(per_page) if str(per_page).isdecimal() else sizes[0]
        if per_page not in sizes:
            per_page = sizes[0]
        return super().paginate(paginator_class, per_page, page, *args, **kwargs)

    def render_name(self, record, value):
        if record.is_non_typical:
            return format_html('{} <span class="badge text-bg-warning">нетиповой</span>', value)
        return format_html("{} {}", record.typical_process.code, value)

    def render_identifier(self, record, value):
        if record.is_excluded:
            return format_html('{} <span class="badge text-bg-secondary">исключен</span>', value)
        return value

    def render_group(self, record, value):
        return str(value)

    def render_links(self, record):
        text = record.links_text() or "—"
        if any(other.is_excluded for other, _ in record.related_links()):
            return format_html(
                '{} <span class="badge text-bg-warning">связь с исключенным</span>', text
            )
        return text

    def render_placement(self, record):
        points = format_html_join(
            "", "<div>{}</div>", ((p.name,) for p in record.placement_points.all())
        )
        if record.placement_url:
            points = format_html(
                '{}<div><a href="{}" rel="noopener" target="_blank">{}</a></div>',
                points,
                record.placement_url,
                record.placement_url,
            )
        return points or "—"


def column_choices(table_class=ProcessTable, columns=None) -> list[tuple[str, str]]:
    table = table_class([], columns=columns)
    return [(name, str(table.columns[name].header)) for name in table_class._meta.sequence]


class ProposalTable(tables.Table):
    pk = tables.Column(verbose_name="№", linkify=True, attrs={"td": {"class": "text-nowrap"}})
    authority = tables.Column(accessor="authority__display_name", order_by="authority__full_name")
    unit = tables.Column(accessor="unit__display_name", order_by="unit__full_name")
    author = tables.Column()
    state = tables.Column()
    item_count = tables.Column(verbose_name="Строк", orderable=False)
    submitted_at = tables.DateTimeColumn(format="d.m.Y")
    review_due = tables.DateColumn(format="d.m.Y")
    decided_at = tables.DateTimeColumn(format="d.m.Y")

    class Meta:
        model = Proposal
        fields = (
            "pk",
            "authority",
            "unit",
            "author",
            "state",
            "item_count",
            "submitted_at",
            "review_due",
            "decided_at",
        )
        order_by = ("-submitted_at",)
        attrs = {"class": "table table-sm table-hover align-top", "data-testid": "proposals"}
        row_attrs = {"class": lambda record: "table-danger" if record.review_overdue else ""}
        empty_text = "Предложений нет."

    def render_review_due(self, record, value):
        if value is None:
            return "—"
        if record.review_overdue:
            return format_html(
                '{:%d.%m.%Y} <span class="badge text-bg-danger">просрочено</span>', value
            )
        return f"{value:%d.%m.%Y}"
