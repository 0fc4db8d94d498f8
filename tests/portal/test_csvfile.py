"""The one CSV writer: how Russian spreadsheet programs open it, and formulas kept as text."""

import ast
import csv
import io
from pathlib import Path

import pytest

from portal.csvfile import csv_bytes, safe_cell

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "value, cell",
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+7 999", "'+7 999"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tтаб", "'\tтаб"),
        ("", ""),
        (None, ""),
        ("Приказ № 5", "Приказ № 5"),
        ("a=b", "a=b"),
        (12, "12"),
    ],
)
def test_a_cell_that_would_run_gets_an_apostrophe_and_nothing_else_changes(value, cell):
    assert safe_cell(value) == cell


def test_the_file_has_a_bom_semicolons_and_every_row():
    data = csv_bytes(["Графа 1", "Графа 2"], [["Приём; заявлений", ""], ["=1+1", "б"]])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Графа 1", "Графа 2"], ["Приём; заявлений", ""], ["'=1+1", "б"]]


def test_no_other_module_writes_csv_itself():
    writers = [
        str(path.relative_to(ROOT))
        for app in ("portal", "registry", "roadmaps", "segmentation")
        for path in sorted((ROOT / app).rglob("*.py"))
        if path.name != "csvfile.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute)
        and node.attr in ("writer", "DictWriter")
        and isinstance(node.value, ast.Name)
        and node.value.id == "csv"
    ]
    assert writers == []
