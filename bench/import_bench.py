"""XLSX import benchmark: from the uploaded bytes to committed rows, validation included.

    .venv/bin/python bench/import_bench.py          # N = 10 000
    .venv/bin/python bench/import_bench.py 2000

It builds a spreadsheet of N realistic rows in the typical form (with a chain of links in
column 12), then in a throwaway database (SQLite in a temporary folder, or DATABASE_URL)
times the preview (reading, matching, diff) and the apply (one transaction), prints rows/s,
peak RSS and SQL query counts, and checks that importing the same file again finds no
changes.
"""

from __future__ import annotations

import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from export_bench import cells  # noqa: E402 - the same realistic rows as the export bench


def build_file(n: int) -> bytes:
    import xlsxwriter

    from registry.models import RegistryColumn

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("Реестр")
    sheet.write_string(0, 0, "Реестр межведомственных и внутриведомственных процессов")
    columns = RegistryColumn.objects.filter(edition__level="regional").order_by("number")
    # constant_memory writes row by row: the whole header row, then the numbers.
    for col, column in enumerate(columns):
        sheet.write_string(2, col, column.header + ("*" if column.mandatory else ""))
    for col, column in enumerate(columns):
        sheet.write_number(3, col, column.number)
    for i in range(n):
        for col, value in enumerate(cells(i)):
            sheet.write_string(4 + i, col, value)
    book.close()
    return buffer.getvalue()


def main(n: int):
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        # A throwaway database, never the one in DATABASE_URL: the bench fills it with rows.
        os.environ["DATABASE_URL"] = os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3"
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        os.environ.setdefault("DJANGO_DEBUG", "0")
        os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 50)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from registry.models import Organization, Process
        from registry.services.xlsx_import import RegistryImport

        call_command("migrate", verbosity=0)
        region = Organization.objects.create(
            kind="region", full_name="Омская область", level="regional"
        )
        authority = Organization.objects.create(
            kind="authority", full_name="Министерство для замера", parent=region
        )
        unit = Organization.objects.create(kind="unit", full_name="Отдел", parent=authority)
        data = build_file(n)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPU, {connection.vendor}")
        print(f"N = {n:,} rows, file {len(data) / 1e6:.1f} MB")

        importer = RegistryImport(authority, None, unit)
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as preview_queries:
            sheet, report = importer.read(data)  # the upload: read and preview
        preview_s = time.perf_counter() - start
        assert not report.has_errors, report.text()[:2000]
        with CaptureQueriesContext(connection) as apply_queries:
            importer.apply(sheet, report.fingerprint())  # the confirm: re-check and write
        total_s = time.perf_counter() - start
        assert Process.objects.filter(authority=authority).count() == n
        print(
            f"  preview          {preview_s:6.2f} s  {n / preview_s:8,.0f} rows/s  "
            f"{len(preview_queries.captured_queries)} SQL queries"
        )
        print(
            f"  preview + apply  {total_s:6.2f} s  {n / total_s:8,.0f} rows/s  "
            f"{len(apply_queries.captured_queries)} SQL queries in apply"
        )
        start = time.perf_counter()
        again = RegistryImport(authority, None, unit).preview(data)
        again_s = time.perf_counter() - start
        unchanged = again.count("unchanged")
        print(f"  the same file again: {unchanged:,} of {n:,} unchanged, {again_s:.2f} s")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
