"""XLSX export benchmark: the portal's export against a bare loop of the writing library.

    .venv/bin/python bench/export_bench.py            # N = 20 000 and 100 000
    .venv/bin/python bench/export_bench.py 5000       # other sizes
    BENCH_DATABASE_URL=postgres://…/scratch .venv/bin/python bench/export_bench.py 20000 --pairs 5
    .venv/bin/python bench/export_bench.py 20000 --profile   # where the portal's time goes

For each N it fills a throwaway database (SQLite in a temporary folder, or DATABASE_URL)
with N realistic rows, then runs, each in a fresh process so that peak memory is its own:
  portal    registry.services.xlsx_export.export_registry() over the rows in the database
  xlsxwriter a bare XlsxWriter (constant_memory) loop writing the same 14 cells per row
  openpyxl   a bare openpyxl write-only loop writing the same cells
and prints wall time, rows/s, peak RSS, the portal's SQL query count, and the ratio of the
portal's time to the fastest bare loop.

--pairs K runs the portal and the bare XlsxWriter loop K times each, interleaved (which of
the two goes first alternates), so that a noisy machine slows both: the ratio of each pair
and their median, with the load average as each pair starts. --profile runs the portal's
export once under cProfile instead (the writing thread: cProfile sees one thread), then the
reading alone — the rows read ahead and dropped — with the Python CPU of the process and the
CPU of the reader's PostgreSQL backend (when the server runs on this machine).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SENTENCE = (
    "предоставление государственной услуги по выдаче разрешения на осуществление деятельности "
    "в сфере молодежной политики рассмотрение заявления и принятие решения уведомление "
    "заявителя о ходе предоставления межведомственный запрос сведений из реестра"
)
WORDS = SENTENCE.split()


def text(seed: int, words: int = 6) -> str:
    """Cyrillic text of about 40 characters, different per row."""
    return " ".join(WORDS[(seed * 7 + k * 3) % len(WORDS)] for k in range(words)).capitalize()


def cells(i: int) -> list[str]:
    """The 14 cells of row i exactly as the portal writes them (see fill())."""
    return [
        str(i + 1),
        f"Жизненная ситуация {i % 50}",
        text(i),
        text(i + 1, 4),
        f"Федеральный закон от 27.07.2010 № 210-ФЗ, статья {i % 30 + 1}",
        "Рассмотрение обращений и запросов",
        "Рассмотрение обращений и запросов и подготовка ответов на них",
        f"Иванов Иван Иванович, главный специалист отдела {i % 12}",
        "идет исследование",
        text(i + 2),
        text(i + 3),
        (f"{i} (предшествующий)" if i else ""),
        "цифровой",
        "Единый портал государственных и муниципальных услуг (функций)" if i % 3 == 0 else "",
    ]


def setup_django(db_dir: str):
    # A throwaway database, never the one in DATABASE_URL: the bench fills it with rows.
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{db_dir}/bench.sqlite3"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def fill(n: int):
    from django.core.management import call_command
    from django.db import transaction

    from registry.models import (
        LifeSituation,
        Organization,
        PlacementPoint,
        Process,
        ProcessKind,
        ProcessLink,
        ReengineeringStatus,
        TypicalProcess,
        normalize_text,
    )

    call_command("migrate", verbosity=0)
    region = Organization.objects.create(
        kind="region", full_name="Омская область", level="regional"
    )
    authority = Organization.objects.create(
        kind="authority",
        full_name="Министерство для замера",
        short_name="Министерство",
        parent=region,
    )
    unit = Organization.objects.create(kind="unit", full_name="Отдел", parent=authority)
    typical = TypicalProcess.objects.get(group__edition__level="regional", code="4.5")
    status = ReengineeringStatus.objects.get(edition__level="regional", code="research")
    kind = ProcessKind.objects.get(edition__level="regional", code="digital")
    epgu = PlacementPoint.objects.get(code="epgu")
    situations = [LifeSituation.objects.create(name=f"Жизненная ситуация {k}") for k in range(50)]
    batch = 5000
    with transaction.atomic():
        for start in range(0, n, batch):
            rows = []
            for i in range(start, min(n, start + batch)):
                c = cells(i)
                rows.append(
                    Process(
                        authority=authority,
                        unit=unit,
                        identifier=c[0],
                        identifier_number=i + 1,
                        life_situation=situations[i % 50],
                        function_name=c[2],
                        client=c[3],
                        regulating_act=c[4],
                        group=typical.group,
                        typical_process=typical,
                        responsible=c[7],
                        status=status,
                        input_data=c[9],
                        output_data=c[10],
                        kind=kind,
                        search_text=normalize_text(" ".join(c)),
                    )
                )
            Process.objects.bulk_create(rows)
        ids = list(Process.objects.order_by("identifier_number").values_list("pk", flat=True))
        ProcessLink.objects.bulk_create(
            [
                ProcessLink(predecessor_id=a, successor_id=b, owner_authority=authority)
                for a, b in zip(ids, ids[1:], strict=False)
            ],
            batch_size=batch,
        )
        through = Process.placement_points.through
        through.objects.bulk_create(
            [
                through(process_id=pk, placementpoint_id=epgu.pk)
                for k, pk in enumerate(ids)
                if k % 3 == 0
            ],
            batch_size=batch,
        )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def backend_cpu(pid: int) -> float | None:
    """CPU seconds a PostgreSQL backend on this machine has used (None: not readable here)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reading_alone(queryset) -> dict:
    """The export's reading without its writing: registry_rows read ahead and dropped."""
    from django.db import connections

    from portal.readahead import read_ahead
    from registry.services.registry_rows import registry_rows

    pids, used = [], {}

    def rows():
        with connections[queryset.db].cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pids.append(cursor.fetchone()[0])
        used["before"] = backend_cpu(pids[0])
        yield from registry_rows(queryset)
        used["after"] = backend_cpu(pids[0])

    start, cpu = time.perf_counter(), time.process_time()
    count = sum(1 for _ in read_ahead(rows, queryset.db))
    server = None if used.get("after") is None else used["after"] - used["before"]
    return {
        "rows": count,
        "seconds": time.perf_counter() - start,
        "python_cpu": time.process_time() - cpu,
        "server_cpu": server,
    }


def profiled(n: int, db_dir: str, out: str) -> dict:
    """The portal's export under cProfile: the functions that took the most of its own time."""
    setup_django(db_dir)
    from django.db import connection

    from registry.models import Process
    from registry.services.xlsx_export import export_registry

    connection.ensure_connection()
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.runcall(export_registry, Process.objects.filter(is_excluded=False), out)
    elapsed = time.perf_counter() - start
    report = io.StringIO()
    pstats.Stats(profile, stream=report).sort_stats("tottime").print_stats(25)
    reading = reading_alone(Process.objects.filter(is_excluded=False))
    reading["seconds_read"] = reading.pop("seconds")
    return {"seconds": elapsed, "peak_mb": peak_mb(), "profile": report.getvalue(), **reading}


def worker(kind: str, n: int, db_dir: str, out: str) -> dict:
    if kind == "profile":
        return profiled(n, db_dir, out)
    if kind == "portal":
        setup_django(db_dir)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from registry.models import Process
        from registry.services.xlsx_export import export_registry

        connection.ensure_connection()
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            result = export_registry(Process.objects.filter(is_excluded=False), out)
        elapsed = time.perf_counter() - start
        assert result.rows == n, result.rows
        return {"seconds": elapsed, "peak_mb": peak_mb(), "queries": len(ctx.captured_queries)}
    if kind == "xlsxwriter":
        import xlsxwriter

        start = time.perf_counter()
        book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False})
        fmt = book.add_format({"text_wrap": True, "border": 1, "valign": "top"})
        sheet = book.add_worksheet("Реестр")
        for i in range(n):
            for col, value in enumerate(cells(i)):
                sheet.write_string(i + 5, col, value, fmt)
        book.close()
        return {"seconds": time.perf_counter() - start, "peak_mb": peak_mb()}
    if kind == "openpyxl":
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment

        start = time.perf_counter()
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Реестр")
        wrap = Alignment(wrap_text=True, vertical="top")
        for i in range(n):
            row = []
            for value in cells(i):
                cell = WriteOnlyCell(sheet, value=value)
                cell.alignment = wrap
                row.append(cell)
            sheet.append(row)
        book.save(out)
        return {"seconds": time.perf_counter() - start, "peak_mb": peak_mb()}
    raise ValueError(kind)


def run_worker(kind, n, db_dir) -> dict:
    out = os.path.join(db_dir, f"{kind}-{n}.xlsx")
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", kind, str(n), db_dir, out],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "bench-" + "x" * 50},
    )
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["mb_file"] = os.path.getsize(out) / 1e6
    return result


def compare(n: int, results: dict) -> None:
    fastest = min(("xlsxwriter", "openpyxl"), key=lambda k: results[k]["seconds"])
    for kind, r in results.items():
        extra = f", {r['queries']} SQL queries" if "queries" in r else ""
        print(
            f"  {kind:<10} {r['seconds']:7.2f} s  {n / r['seconds']:9,.0f} rows/s  "
            f"peak RSS {r['peak_mb']:6.1f} MB  file {r['mb_file']:.1f} MB{extra}"
        )
    ratio = results["portal"]["seconds"] / results[fastest]["seconds"]
    print(f"  portal / bare {fastest}: {ratio:.2f}×")


def pairs(n: int, db_dir: str, count: int) -> None:
    """Portal and bare XlsxWriter, `count` times each, interleaved: the ratio of each pair."""
    ratios = []
    for k in range(count):
        order = ("portal", "xlsxwriter") if k % 2 == 0 else ("xlsxwriter", "portal")
        load = "/".join(f"{x:.1f}" for x in os.getloadavg())
        r = {kind: run_worker(kind, n, db_dir) for kind in order}
        ratios.append(r["portal"]["seconds"] / r["xlsxwriter"]["seconds"])
        print(
            f"  pair {k + 1} ({order[0]} first, load {load}): portal "
            f"{r['portal']['seconds']:.2f} s ({r['portal']['queries']} queries), "
            f"bare {r['xlsxwriter']['seconds']:.2f} s: {ratios[-1]:.2f}×",
            flush=True,
        )
    print(f"  median portal / bare XlsxWriter over {count} pairs: {statistics.median(ratios):.2f}×")


def main(args):
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPU")
    print(f"database: {os.environ.get('BENCH_DATABASE_URL', 'SQLite in a temporary folder')}")
    for n in args.sizes or [20_000, 100_000]:
        with tempfile.TemporaryDirectory(prefix="bench-export-") as db_dir:
            t = time.perf_counter()
            if not args.filled:
                subprocess.run([sys.executable, __file__, "--fill", str(n), db_dir], check=True)
            print(f"\nN = {n:,} rows (database filled in {time.perf_counter() - t:.1f} s)")
            if args.profile:
                result = run_worker("profile", n, db_dir)
                print(f"  portal under cProfile: {result['seconds']:.2f} s")
                print(result["profile"])
                server = result["server_cpu"]
                print(
                    f"  reading alone ({result['rows']:,} rows read ahead, none written): "
                    f"{result['seconds_read']:.2f} s, Python CPU {result['python_cpu']:.2f} s, "
                    "PostgreSQL backend CPU "
                    + ("not readable here" if server is None else f"{server:.2f} s")
                )
            elif args.pairs:
                pairs(n, db_dir, args.pairs)
            else:
                compare(
                    n, {k: run_worker(k, n, db_dir) for k in ("portal", "xlsxwriter", "openpyxl")}
                )


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--worker"]:
        kind, n, db_dir, out = args[1], int(args[2]), args[3], args[4]
        print(json.dumps(worker(kind, n, db_dir, out)))
    elif args[:1] == ["--fill"]:
        setup_django(args[2])
        fill(int(args[1]))
    else:
        parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
        parser.add_argument("sizes", nargs="*", type=int, help="rows (20 000 and 100 000)")
        parser.add_argument("--pairs", type=int, help="interleaved portal / bare runs")
        parser.add_argument("--profile", action="store_true", help="the portal under cProfile")
        parser.add_argument(
            "--filled", action="store_true", help="BENCH_DATABASE_URL holds N rows already"
        )
        main(parser.parse_args(args))
