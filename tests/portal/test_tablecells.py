"""portal.tablecells: the remembered signature gives what django-tables2's own gives."""

from __future__ import annotations

import functools

import django_tables2 as tables
import pytest
from django_tables2 import utils

from portal import tablecells


class Table:
    def render_plain(self, record, value):
        pass

    def render_keywords(self, value, **kwargs):
        pass

    def render_star(self, *args, record):
        pass

    @staticmethod
    def render_static(value):
        pass

    @classmethod
    def render_class(cls, record):
        pass


def function(record, value, bound_column=None):
    pass


class CallableObject:
    def __call__(self, record):
        pass


CALLABLES = [
    Table().render_plain,
    Table().render_keywords,
    Table().render_star,
    Table.render_static,
    Table.render_class,
    function,
    lambda value: value,
    functools.partial(function, value=1),
    CallableObject(),
]


@pytest.mark.parametrize("fn", CALLABLES)
def test_the_remembered_signature_is_django_tables2s(fn):
    assert tablecells.signature(fn) == tablecells._uncached(fn)
    assert tablecells.signature(fn) == tablecells.signature(fn)


def test_it_is_installed_and_tables_render_with_it():
    assert utils.signature is tablecells.signature

    class Names(tables.Table):
        name = tables.Column()

        def render_name(self, value, record):
            return f"{value} ({record['n']})"

    table = Names([{"name": "Отдел", "n": 1}, {"name": "Управление", "n": 2}])
    assert [row.get_cell("name") for row in table.rows] == ["Отдел (1)", "Управление (2)"]
