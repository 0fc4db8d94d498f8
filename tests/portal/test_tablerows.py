"""portal.tablerows draws a table as the portal's django-tables2 template (portal/_table.html,
Bootstrap 5 in a scroll box) does: the same header (sort links), rows, cells, attributes and
empty text, for the registry's table and for columns it leaves to django-tables2 (attributes
per cell, choices, localize, many-to-many)."""

from __future__ import annotations

import django_tables2 as tables
import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.test.html import parse_html
from django_tables2 import RequestConfig

from registry.models import Process, User
from registry.tables import ProcessTable
from tests.conftest import make_link, make_process

pytestmark = pytest.mark.django_db

BOTH = Template(
    "{% load django_tables2 %}{% render_table table 'portal/_table.html' %}"
    "<hr>{% render_table table 'portal/_table_fast.html' %}"
)


def drawn_both_ways(table_class, data, query="", **kwargs):
    request = RequestFactory().get(f"/list/?{query}")
    request.user = User()
    table = table_class(data, **kwargs)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    html = BOTH.render(Context({"table": table, "request": request}))
    django_tables2s, ours = html.split("<hr>")
    # the rows' odd/even class follows a counter over the table's life: compare without it
    return parse_html(django_tables2s.replace("odd", "even")), parse_html(
        ours.replace("odd", "even")
    )


def registry_rows(world):
    excluded = make_process(world.authority, world.unit, "300", typical_code="4.5")
    excluded.is_excluded = True
    excluded.placement_url = "https://example.org/?a=1&b=<2>"
    excluded.save()
    excluded.placement_points.set([1, 2])
    odd = make_process(
        world.authority,
        world.unit,
        "301",
        is_non_typical=True,
        typical_process=None,
        process_name="Свой процесс",
        function_name='Кавычки " и <теги> & амперсанд',
    )
    make_link(excluded, odd)
    make_link(odd, world.city_row)
    return Process.objects.with_related().order_by("pk")


@pytest.mark.parametrize("query", ["", "sort=-authority", "sort=name&q=x&q=y", "page=1"])
def test_the_registry_table_is_drawn_as_django_tables2_draws_it(world, query):
    rows = registry_rows(world)
    expected, drawn = drawn_both_ways(ProcessTable, rows, query)
    assert drawn == expected
    assert "исключен" in str(drawn) and "нетиповой" in str(drawn)
    for row in rows:  # ProcessTable.row_url(): the row's own page
        assert f'href="{row.get_absolute_url()}"' in str(drawn)


def test_hidden_columns_are_not_drawn(world):
    expected, drawn = drawn_both_ways(
        ProcessTable, registry_rows(world), exclude=["unit", "placement", "links"]
    )
    assert drawn == expected
    assert "Структурное подразделение" not in str(drawn)


def test_an_empty_table_says_so(world):
    expected, drawn = drawn_both_ways(ProcessTable, Process.objects.none())
    assert drawn == expected
    assert "Процессов, отвечающих условиям отбора, нет." in str(drawn)


class Unusual(tables.Table):
    """Columns portal.tablerows leaves to django-tables2, and a render with **kwargs."""

    role = tables.Column()  # a field with choices: get_role_display()
    username = tables.Column(attrs={"td": {"data-length": lambda value: len(value)}})
    date_joined = tables.DateTimeColumn(localize=False)
    groups = tables.ManyToManyColumn()
    last_name = tables.Column(linkify=lambda record: f"/u/{record.pk}/", default="нет")
    first_name = tables.Column(empty_values=())

    class Meta:
        model = User
        fields = ("role", "username", "date_joined", "groups", "last_name", "first_name")
        row_attrs = {"data-id": lambda record: record.pk}

    def render_first_name(self, value, **kwargs):
        return f"{value or '—'} ({kwargs['bound_row'].record.username})"


def test_columns_left_to_django_tables2_are_drawn_as_it_draws_them(world):
    users = User.objects.order_by("pk")
    expected, drawn = drawn_both_ways(Unusual, users)
    assert drawn == expected
    assert world.coordinator.get_role_display() in str(drawn)
