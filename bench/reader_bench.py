"""The one spreadsheet reader (portal/spreadsheets) on a normal file and on hostile ones.

    .venv/bin/python bench/reader_bench.py

Each case runs in a fresh process (`--case NAME`), so its peak RSS is its own: the parent's
(the portal's web worker in real life; building the file counts too) and the reader child's
(its VmHWM, which the reader logs; "—" when a container check refused the file before any
child ran). Prints wall time, both peaks and what stopped the file (the sentence, shortened).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def cases() -> dict:
    from tests import hostile_files as h

    def many_rows():
        path = Path(tempfile.mkdtemp()) / "million.xlsx"
        h.write_many_rows(path)
        return path.read_bytes()

    return {
        "normal, 10 000 rows × 14": lambda: h.plain_rows(10_000),
        "normal, 50 000 rows × 14": lambda: h.plain_rows(50_000),
        "broken XML": h.broken_xml,
        "billion laughs (sheet)": h.billion_laughs_in_sheet,
        "billion laughs (sharedStrings)": h.billion_laughs_in_shared_strings,
        "zip bomb, honest (60 MB)": h.honest_zip_bomb,
        "zip bomb, lying headers": h.lying_zip_bomb,
        "dimension A1:XFD1048576": h.huge_dimension,
        "cell at XFD1048576": h.far_cell,
        "10^6 rows": many_rows,
        "10 000 columns": h.wide_row,
        "5 cells of 1 MB (15 KB file)": h.huge_cells,
        # the limits themselves: the normal file with the child's memory or time cut down
        "normal 50 000, memory limit 150 MB": lambda: h.plain_rows(50_000),
        "normal 50 000, time limit 1 s": lambda: h.plain_rows(50_000),
    }


LIMITS = {
    "normal 50 000, memory limit 150 MB": {"SPREADSHEET_READER_MEMORY_BYTES": str(150 << 20)},
    "normal 50 000, time limit 1 s": {"SPREADSHEET_READER_SECONDS": "1"},
}


def run_case(name: str) -> None:
    os.environ.update(LIMITS.get(name, {}))
    import django

    django.setup()
    import logging

    from portal.spreadsheets.reader import SpreadsheetError, read_spreadsheet

    peaks = []

    class Peak(logging.Handler):
        def emit(self, record):
            peaks.append(record.args[3])

    logging.getLogger("portal.spreadsheets.reader").addHandler(Peak())
    logging.getLogger("portal.spreadsheets.reader").setLevel(logging.INFO)
    data = cases()[name]()
    start = time.perf_counter()
    try:
        sheets = read_spreadsheet(data, "bench.xlsx", max_rows=50_000, row_allowance=20)
        outcome = f"read: {sum(len(s.grid) for s in sheets)} rows"
        if any(s.long for s in sheets):
            outcome += f", {sum(len(s.long) for s in sheets)} cells cut to 32 767"
    except SpreadsheetError as refused:
        outcome = str(refused)[:90]
    wall = time.perf_counter() - start
    print(
        json.dumps(
            {
                "case": name,
                "size": len(data),
                "wall": wall,
                "parent": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                "child": peaks[0] if peaks else "—",
                "outcome": outcome,
            },
            ensure_ascii=False,
        )
    )


def main() -> None:
    if sys.argv[1:2] == ["--case"]:
        run_case(sys.argv[2])
        return
    print("| file | size | wall | parent peak RSS | child peak RSS | outcome |")
    print("|---|---|---|---|---|---|")
    for name in cases():
        out = subprocess.run(
            [sys.executable, __file__, "--case", name], capture_output=True, text=True, check=True
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        size = r["size"]
        shown = f"{size / 1024 / 1024:.1f} MB" if size > 1024 * 1024 else f"{size / 1024:.0f} KB"
        print(
            f"| {r['case']} | {shown} | {r['wall']:.2f} s | {r['parent']} MB | {r['child']} MB "
            f"| {r['outcome']} |"
        )


if __name__ == "__main__":
    main()
