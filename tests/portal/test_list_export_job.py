"""A list's export of more than EXPORT_INLINE_ROWS rows is a job: the task worker writes it
with progress, as the user who asked, and only he downloads it."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from portal.models import Job, JobState
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
