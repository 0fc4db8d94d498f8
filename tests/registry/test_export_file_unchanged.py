"""The coordinator's XLSX stays the file it was (issue 13, item 3): how its rows are read may
change for speed, what it says may not. The demo data plus rows that stress every column —
links within and across authorities, empty cells, cells at the length limit, line breaks
of every kind, text that looks like a formula — are exported and compared cell by cell
(value, type, style), with the sheets' layout, against a snapshot the code before the
change wrote (tests/registry/data/export_snapshot.<database>.json).

After a deliberate change of the file: EXPORT_SNAPSHOT_WRITE=1 pytest this module, and
review the snapshot's diff.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from django.db import connection

from portal.cells import CELL_MAX_CHARS
from registry.models import LifeSituation, Organization, PlacementPoint, Process
from registry.services.demo import load_demo
from registry.services.registry_rows import registry_rows
from registry.services.xlsx_export import export_registry
from tests.conftest import make_link, make_process

pytestmark = pytest.mark.django_db

# One per database: the registry's order puts a row without a number (А-12) last on
# PostgreSQL and first on SQLite (NULLS LAST / FIRST), today as before.
SNAPSHOT = Path(__file__).parent / "data" / f"export_snapshot.{connection.vendor}.json"
DAY = date(2026, 3, 2)
LONG = 200  # longer values are kept in the snapshot as their length and digest


@pytest.fixture
def demo_and_edges(settings):
    """The demo's registry, and rows of the demo's first authority that stress each column."""
    settings.DEBUG = True
    load_demo()
    authority, other = (
        Organization.objects.filter(kind="authority", processes__isnull=False)
        .distinct()
        .order_by("full_name")[:2]
    )
    unit = authority.children.filter(kind="unit").first()
    points = list(PlacementPoint.objects.order_by("order", "pk"))
    edge = [
        make_process(
            authority,
            unit,
            "900",
            client="",
            input_data="",
            output_data="",
            placement_url="",
            life_situation=None,
        ),
        make_process(
            authority,
            unit,
            "901",
            function_name="Строка первая\nвторая\r\nтретья\rчетвертая",
            client="=СУММ(A1:A2)",
            regulating_act="+7 (3812) 00-00-00",
            responsible="  пробелы по краям  ",
            input_data="-1",
            output_data="@ссылка",
            placement_url="https://example.ru/a?b=1&c=<2>",
            life_situation=LifeSituation.objects.create(name="Рождение ребенка 👶"),
        ),
        make_process(
            authority,
            unit,
            "902",
            function_name="я" * CELL_MAX_CHARS,
            input_data=("строка\n" * 5000)[:CELL_MAX_CHARS],
            output_data="𝔘" * 100 + "\x07 управляющий знак",
            is_non_typical=True,
            typical_process=None,
            process_name="Нетиповой процесс «Прием заявлений»",
            placement_url="https://www.gosuslugi.ru/600000",
        ),
        make_process(authority, unit, "А-12"),  # no number: after the numbered ones in links
        make_process(authority, unit, "910"),
    ]
    edge[0].placement_points.set(points[:2])
    edge[2].placement_points.set(points[-1:])
    same_identifier = make_process(other, other.children.filter(kind="unit").first(), "900")
    for predecessor, successor in [
        (edge[3], edge[0]),
        (edge[4], edge[0]),
        (edge[1], edge[0]),
        (same_identifier, edge[0]),  # another authority's row: its full name is written
        (edge[0], edge[2]),
        (edge[0], same_identifier),
    ]:
        make_link(predecessor, successor)
    removed = make_link(edge[2], edge[1])
    removed.removed_at = removed.created_at
    removed.save()
    group = edge[4].group
    group.short_name = ""  # column 6 falls back to the group's full name
    group.save()
    return authority


def _style(cell) -> list:
    font, align, border = cell.font, cell.alignment, cell.border
    return [
        font.name,
        font.sz,
        bool(font.b),
        bool(font.i),
        align.horizontal,
        align.vertical,
        bool(align.wrap_text),
        border.left.style,
        border.top.style,
        cell.number_format,
    ]


def _value(value):
    if isinstance(value, str) and len(value) > LONG:
        return {"len": len(value), "sha256": hashlib.sha256(value.encode()).hexdigest()}
    return value


def snapshot(path) -> list[dict]:
    """Every sheet of the file: its layout, and each written cell's value, type and style."""
    book = openpyxl.load_workbook(path)
    sheets = []
    for sheet in book.worksheets:
        sheets.append(
            {
                "name": sheet.title,
                "merged": sorted(str(r) for r in sheet.merged_cells.ranges),
                "freeze": sheet.freeze_panes,
                "print_titles": sheet.print_title_rows,
                "footer": sheet.oddFooter.center.text,
                "widths": {k: d.width for k, d in sorted(sheet.column_dimensions.items())},
                "heights": {str(k): d.height for k, d in sorted(sheet.row_dimensions.items())},
                "cells": [
                    [cell.coordinate, _value(cell.value), cell.data_type, _style(cell)]
                    for row in sheet.iter_rows()
                    for cell in row
                    if cell.value is not None
                ],
            }
        )
    return sheets


def exported(tmp_path, queryset, name) -> list[dict]:
    path = tmp_path / f"{name}.xlsx"
    export_registry(queryset, str(path), day=DAY)
    return snapshot(path)


def test_the_export_is_the_file_it_was(demo_and_edges, tmp_path):
    files = {
        "coordinator": exported(tmp_path, Process.objects.filter(is_excluded=False), "all"),
        "authority": exported(
            tmp_path, Process.objects.filter(authority=demo_and_edges), "authority"
        ),
    }
    # JSON's own types (lists, not tuples), as the stored snapshot reads back
    files = json.loads(json.dumps(files, ensure_ascii=False))
    if os.environ.get("EXPORT_SNAPSHOT_WRITE"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(json.dumps(files, ensure_ascii=False, indent=1) + "\n")
    expected = json.loads(SNAPSHOT.read_text())
    for name, sheets in expected.items():
        assert [s["name"] for s in files[name]] == [s["name"] for s in sheets]
        for got, want in zip(files[name], sheets, strict=True):
            assert {k: v for k, v in got.items() if k != "cells"} == {
                k: v for k, v in want.items() if k != "cells"
            }, (name, want["name"])
            assert len(got["cells"]) == len(want["cells"]), (name, want["name"])
            for got_cell, want_cell in zip(got["cells"], want["cells"], strict=True):
                assert got_cell == want_cell, (name, want["name"])


def test_the_edge_rows_are_in_the_file(demo_and_edges):
    """The snapshot holds what the fixture meant: links, fallbacks, breaks, long cells."""
    rows = {
        row.values[0]: row.values
        for row in registry_rows(Process.objects.filter(authority=demo_and_edges))
    }
    other = Organization.objects.filter(kind="authority", processes__identifier="900").exclude(
        pk=demo_and_edges.pk
    )
    assert rows["900"][11] == (
        f"{other.get().full_name}: 900 (предшествующий); 901 (предшествующий); "
        "910 (предшествующий); А-12 (предшествующий); "  # by number, then the text
        f"{other.get().full_name}: 900 (последующий); 902 (последующий)"
    )
    assert rows["901"][11] == "900 (последующий)"  # the removed link is not written
    assert rows["900"][1] == rows["900"][3] == rows["900"][9] == ""
    assert rows["900"][13].count("; ") == 1
    assert rows["902"][13].endswith("; https://www.gosuslugi.ru/600000")
    assert rows["901"][13] == "https://example.ru/a?b=1&c=<2>"
    assert rows["902"][6] == "Нетиповой процесс «Прием заявлений»"
    assert len(rows["902"][2]) == CELL_MAX_CHARS
    assert "\r" in rows["901"][2]  # normalized when written, not when read
    row_910 = Process.objects.get(authority=demo_and_edges, identifier="910")
    assert rows["910"][5] == row_910.group.name


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the fallback is SQLite's")
def test_the_fallback_reads_the_same_edge_rows(demo_and_edges):
    """SQLite's way (links joined here per chunk) writes what PostgreSQL's query builds."""
    from registry.services import registry_rows as module

    ordered = Process.objects.order_by(*module.REGISTRY_ORDER)
    assert list(module._rows_joined_here(ordered)) == list(registry_rows(ordered))
