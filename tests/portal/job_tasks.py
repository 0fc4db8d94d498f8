"""Jobs the tests run in a real worker (a worker imports them by their module path)."""

import time
from pathlib import Path

from portal.jobs import JobRefused, job_task
from portal.models import Job


@job_task
def count_rows(run, *, rows: int):
    """Reports progress row by row and records what a reader of the job saw meanwhile."""
    seen = set()
    for done in range(1, rows + 1):
        run.progress(done, rows)
        seen.add(Job.objects.values_list("done", flat=True).get(pk=run.job.pk))
    lines = "".join(f"{n};строка {n}\n" for n in range(1, rows + 1))
    run.save_file("Строки.csv", lines.encode(), "text/csv; charset=utf-8")
    return f"Строк: {rows}. Записей хода: {len(seen)}."


@job_task
def slow_rows(run, *, rows: int, pause: float):
    for done in range(rows + 1):
        run.progress(done, rows)
        time.sleep(pause)
    run.write_file("Медленно.txt", "text/plain; charset=utf-8", _write_done)
    return "Готово."


@job_task
def breaks(run):
    run.progress(3, 10)
    raise ZeroDivisionError("internal detail the user must not read")


@job_task
def refuses(run):
    raise JobRefused("В реестре нет строк для выгрузки: измените условия отбора.")


def _write_done(path: str) -> None:
    Path(path).write_text("готово", encoding="utf-8")


@job_task
def rows_in_one_transaction(run, *, rows: int):
    """All-or-nothing work: what another connection saw of its progress before it ended
    (PostgreSQL; SQLite's in-memory test database is not shared between connections)."""
    from django.db import connection, connections, transaction

    side = connection.vendor == "postgresql"
    reader = connections.create_connection("default") if side else None
    seen = [0]
    try:
        with transaction.atomic():
            for done in range(1, rows + 1):
                run.progress(done, rows)
                if reader is not None:
                    with reader.cursor() as cursor:
                        cursor.execute("SELECT done FROM portal_job WHERE id = %s", [run.job.pk])
                        seen.append(cursor.fetchone()[0])
    finally:
        if reader is not None:
            reader.close()
    return f"Увидено: {max(seen)}."
