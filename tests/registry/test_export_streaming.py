"""The export streams (issue 13): rows are fetched in chunks (and, off PostgreSQL, columns 12
and 14 are read per chunk), so the rows must not depend on where a chunk ends; each finished
sheet is closed early, so its rows must still be written once, in order; progress comes in
steps and at the end."""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.models import PlacementPoint, Process
from registry.services import registry_rows as rows_module
from registry.services import xlsx_export
from registry.services.registry_rows import registry_rows
from registry.services.xlsx_export import export_registry
from tests.conftest import make_link, make_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(world):
    """Rows of two authorities linked within and across them, some with placement points."""
    rows = [make_process(world.authority, world.unit, str(n)) for n in range(3, 9)]
    points = list(PlacementPoint.objects.order_by("order")[:2])
    for k, row in enumerate(rows):
        make_link(world.own_row, row) if k % 2 else make_link(row, world.other_unit_row)
        row.placement_points.set(points[: k % 3])
    make_link(world.city_row, rows[0])  # another authority's row: its full name is written
    rows[1].placement_url = "https://example.ru/service"
    rows[1].save()
    return world


def test_rows_are_the_same_wherever_a_chunk_ends(linked, monkeypatch):
    whole = list(registry_rows(Process.objects.all()))
    assert any("Администрация города Омска: 1" in row.values[11] for row in whole)
    assert any(row.values[13] for row in whole)
    for size in (1, 2, 5):
        monkeypatch.setattr(rows_module, "CHUNK_SIZE", size)
        assert list(registry_rows(Process.objects.all())) == whole


def sheet_row_numbers(path) -> dict[str, list[int]]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: [int(n) for n in re.findall(rb'<row r="(\d+)"', archive.read(name))]
            for name in archive.namelist()
            if name.startswith("xl/worksheets/sheet")
        }


def test_every_row_of_every_sheet_is_written_once_in_order(linked, tmp_path):
    path = tmp_path / "all.xlsx"
    result = export_registry(Process.objects.all(), str(path))
    numbers = sheet_row_numbers(path)
    assert len(numbers) == 3  # the summary and two authorities
    for rows in numbers.values():
        assert rows == sorted(set(rows))
    book = openpyxl.load_workbook(path)
    written = [
        row[0]
        for name in result.sheets
        for row in book[name].iter_rows(min_row=6, values_only=True)
        if row[0] and not row[0].startswith("*")
    ]
    assert len(written) == result.rows == Process.objects.count()
    for name in result.sheets:  # the note closes each sheet
        assert book[name].cell(book[name].max_row, 1).value.startswith("*")


def test_progress_comes_in_steps_and_at_the_end(linked, tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_export, "PROGRESS_EVERY", 3)
    calls = []
    export_registry(Process.objects.all(), str(tmp_path / "p.xlsx"), progress=calls.append)
    total = Process.objects.count()
    assert calls == [*range(3, total + 1, 3), total]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL builds the texts")
def test_on_postgresql_the_rows_are_one_query_whatever_their_number(linked, monkeypatch):
    """Columns 12 and 14 are aggregated in the rows' own query: no query per chunk (the
    fallback's four), so the reader only fetches."""
    monkeypatch.setattr(rows_module, "CHUNK_SIZE", 2)
    with CaptureQueriesContext(connection) as ctx:
        rows = list(registry_rows(Process.objects.all()))
    assert len(rows) == Process.objects.count() > 2 * 2
    assert len(ctx.captured_queries) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the fallback is SQLite's")
def test_the_fallback_reads_the_same_rows_as_postgresql(linked, monkeypatch):
    monkeypatch.setattr(rows_module, "CHUNK_SIZE", 3)  # chunks end between linked rows
    ordered = Process.objects.order_by(*rows_module.REGISTRY_ORDER)
    assert list(rows_module._rows_joined_here(ordered)) == list(registry_rows(ordered))
