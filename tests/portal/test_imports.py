"""The import protocol every importer shares (portal/imports.py): one refusal, one report
with a fingerprint, the check of the confirmed preview; and the importers built on it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from portal import imports
from portal.imports import ImportRefused, ImportReport, ImportRow, RowChange, check_confirmed

ROOT = Path(__file__).resolve().parents[2]


def report(*rows: ImportRow) -> ImportReport:
    return ImportReport(sheet_name="Лист1", rows=list(rows))


def test_the_fingerprint_follows_what_would_be_written_only():
    changed = ImportRow(3, "1.1", imports.CHANGED, [RowChange(8, "Ответственный", "А", "Б")])
    same = ImportRow(4, "1.2", imports.UNCHANGED)
    first = report(changed, same)
    assert first.fingerprint() == report(changed).fingerprint()  # unchanged rows do not count
    other = ImportRow(3, "1.1", imports.CHANGED, [RowChange(8, "Ответственный", "А", "В")])
    assert report(other, same).fingerprint() != first.fingerprint()
    assert first.counts == {"new": 0, "changed": 1, "unchanged": 1, "error": 0}


def test_a_report_survives_json_with_its_fingerprint():
    first = report(ImportRow(2, "7", imports.NEW, values={"name": "Процесс"}, warnings=["w"]))
    again = ImportReport.from_json(first.to_json())
    assert again == first and again.fingerprint() == first.fingerprint()


def test_check_confirmed_refuses_errors_then_a_stale_preview():
    good = report(ImportRow(2, "7"))
    check_confirmed(good, good.fingerprint(), errors="ошибки", stale="устарел")
    check_confirmed(good, None, errors="ошибки", stale="устарел")  # read and applied at once
    with pytest.raises(ImportRefused, match="устарел") as refused:
        check_confirmed(good, "другой", errors="ошибки", stale="устарел")
    assert refused.value.report is good and refused.value.message == "устарел"
    bad = report(ImportRow(2, "7", imports.ERROR, errors=["Графа 1: …"]))
    with pytest.raises(ImportRefused, match="ошибки"):
        check_confirmed(bad, bad.fingerprint(), errors="ошибки", stale="устарел")


def test_every_importer_refuses_with_the_one_exception():
    from registry.services import xlsx_import
    from roadmaps.services import amendments, importer

    assert xlsx_import.ImportRefused is ImportRefused
    assert importer.ImportRefused is ImportRefused
    assert amendments.AmendmentRefused is ImportRefused
    assert issubclass(xlsx_import.ImportReport, ImportReport)


def _long_definitions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        limit = 300 if isinstance(node, ast.ClassDef) else 80
        defined = isinstance(node, (ast.FunctionDef, ast.ClassDef))
        if defined and node.end_lineno - node.lineno + 1 > limit:
            found.append(f"{path.name}: {node.name}")
    return found


@pytest.mark.parametrize("package", ["registry/services/imports", "roadmaps/services/amendments"])
def test_the_split_importers_stay_small(package):
    paths = sorted((ROOT / package).glob("*.py"))
    assert [p.name for p in paths if len(p.read_text().splitlines()) > 300] == []
    assert [d for p in paths for d in _long_definitions(p)] == []
