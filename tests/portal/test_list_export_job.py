"""A list's export of more than EXPORT_INLINE_ROWS rows is a job: the task worker writes it
with progress, as the user who asked, and only he downloads it."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from portal.models import Job, JobState, StoredFilePart
from tests.conftest import World
from tests.portal.workers import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def exported_identifiers(content: bytes) -> set[str]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    found = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            if row and row[0] in ("1", "2"):
                found.add((sheet.title, row[0]))
    return found


@pytest.mark.parametrize(("role", "rows"), [("coordinator", 3), ("officer", 2)])
def test_a_large_export_runs_as_the_users_job(client, settings, role, rows):
    settings.EXPORT_INLINE_ROWS = 1
    world = World()
    user = getattr(world, role)
    client.force_login(user)

    response = client.get(reverse("registry:process_list"), {"export": "xlsx"})

    job = Job.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("portal:job_detail", args=[job.pk])
    assert (job.user, job.kind, job.state) == (user, "list_export", JobState.QUEUED)
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    assert (job.done, job.total) == (rows, rows)  # only the rows his page lists
    file = client.get(reverse("portal:job_file", args=[job.pk]))
    assert file.status_code == 200
    assert len(exported_identifiers(b"".join(file.streaming_content))) == rows
    client.force_login(world.city_officer)
    assert client.get(reverse("portal:job_file", args=[job.pk])).status_code == 404


def test_a_filtered_export_keeps_the_filter(client, settings):
    settings.EXPORT_INLINE_ROWS = 0
    world = World()
    client.force_login(world.coordinator)
    client.get(
        reverse("registry:process_list"), {"export": "xlsx", "authority": world.authority.pk}
    )
    run_worker()
    job = Job.objects.get()
    assert job.state == JobState.DONE, job.message
    assert job.total == 2


def test_below_the_limit_the_file_comes_at_once(client, settings):
    settings.EXPORT_INLINE_ROWS = 100
    world = World()
    client.force_login(world.coordinator)
    response = client.get(reverse("registry:process_list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert not Job.objects.exists()


def test_the_jobs_file_has_exactly_the_filtered_rows_as_the_list_shows(
    client, settings, monkeypatch
):
    """A coordinator's filtered export through the worker: the file (kept in the storage in
    parts, read back a part at a time) has the rows his filtered list has, no other, each with
    the values the list shows."""
    from portal import filestore
    from registry.models import PlacementPoint, Process
    from tests.conftest import make_link, make_process

    monkeypatch.setattr(filestore, "FILE_PART_BYTES", 2048)
    settings.EXPORT_INLINE_ROWS = 0
    world = World()
    extra = [make_process(world.authority, world.unit, str(n)) for n in range(3, 8)]
    make_link(world.own_row, extra[0])
    extra[1].placement_points.set(PlacementPoint.objects.filter(code="epgu"))
    make_process(world.authority, world.unit, "9", status_code="reengineered")  # filtered out
    status = world.own_row.status
    client.force_login(world.coordinator)
    client.get(reverse("registry:process_list"), {"export": "xlsx", "status": status.pk})
    run_worker()
    job = Job.objects.get()
    assert job.state == JobState.DONE, job.message
    if connection.vendor == "sqlite":  # the worker runs here: it saw the small parts
        assert StoredFilePart.objects.filter(name=job.result.name).count() > 1
    file = client.get(reverse("portal:job_file", args=[job.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(file.streaming_content)))
    cells = {
        (sheet.title, row[0]): row
        for sheet in book.worksheets
        if sheet.title != "Сводка"
        for row in sheet.iter_rows(min_row=6, values_only=True)
        if row[0] and not row[0].startswith("*")
    }
    expected = Process.objects.filter(status=status, is_excluded=False).select_related("kind")
    assert (job.done, job.total) == (len(cells), expected.count())
    by_identifier = {identifier: row for (_, identifier), row in cells.items()}
    for process in expected:
        row = by_identifier[process.identifier]
        assert row[2] == process.function_name
        assert row[8] == process.status.name and row[12] == process.kind.name
        assert (row[11] or "") == process.links_text()  # links within one authority
        points = [p.name for p in process.placement_points.order_by("order")]
        assert (row[13] or "") == "; ".join(points)


def test_a_large_deadline_board_export_is_a_job_with_one_sheet(client, settings):
    """The deadlines board's export (services.board_export) as a job: the measures the
    coordinator's filtered board lists, their count as the progress, one sheet."""
    from datetime import date

    from roadmaps.services.board_export import HEADERS
    from tests.roadmaps.conftest import Board

    settings.EXPORT_INLINE_ROWS = 1
    world = World()
    board = Board(world, date.today())
    client.force_login(world.coordinator)
    response = client.get(
        reverse("roadmaps:deadlines"), {"export": "xlsx", "authority": world.authority.pk}
    )
    job = Job.objects.get()
    assert response.url == reverse("portal:job_detail", args=[job.pk])
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    assert (job.done, job.total) == (5, 5)  # the appendix's five measures, not its section
    file = client.get(reverse("portal:job_file", args=[job.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(file.streaming_content)))
    assert book.sheetnames == ["Мероприятия"]
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    assert sorted(r[4] for r in rows[1:]) == sorted(
        item.number for item in (board.overdue, board.soon, board.later, board.no_date, board.done)
    )
