"""The confirm of an upload writing more than IMPORT_INLINE_ROWS rows is a job: a real worker
re-checks and writes it all or nothing, with the rows written as progress; a second confirm
meanwhile is refused, and only the user who confirmed sees the job."""

from __future__ import annotations

import pytest
from django.db.models import F
from django.urls import reverse

from portal.models import Job, JobState
from registry.models import ImportBatch, ImportStatus, Process, Proposal
from registry.services.imports.confirm import APPLYING, NOT_IN_PREVIEW
from tests.conftest import World
from tests.portal.workers import run_worker
from tests.registry.test_xlsx_import import upload
from tests.registry.xlsx_files import row, workbook_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def confirm(client, batch):
    return client.post(reverse("registry:import_confirm", args=[batch.pk]))


def uploaded(client, world, user, rows):
    client.force_login(user)
    upload(client, workbook_bytes(rows), default_unit=world.unit.pk)
    return ImportBatch.objects.get()


def test_a_large_apply_runs_in_the_worker_with_progress(client, settings):
    settings.IMPORT_INLINE_ROWS = 1
    world = World()
    batch = uploaded(client, world, world.officer, [row("1", c8="Сидоров Петр"), row("200")])

    response = confirm(client, batch)

    job = Job.objects.get()
    detail_url = reverse("registry:import_detail", args=[batch.pk])
    assert response.url == reverse("portal:job_detail", args=[job.pk])
    assert (job.user, job.kind, job.state) == (world.officer, "import_apply", JobState.QUEUED)
    assert not Process.objects.filter(identifier="200").exists()
    page = client.get(detail_url).content.decode()
    assert f"задание № {job.pk}" in page and "Применить: записать все строки" not in page

    again = confirm(client, batch)  # a double click, or a second tab
    assert again.url == detail_url and Job.objects.count() == 1
    assert APPLYING.format(number=job.pk) in client.get(detail_url).content.decode()

    run_worker()

    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    assert job.summary == "Реестр обновлен: новых строк — 1, измененных — 1."
    assert job.progress_text == "2 из 2 строк"
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED
    assert {r["action"] for r in batch.report["rows"]} == {"new", "changed"}  # report kept
    assert Process.objects.get(authority=world.authority, identifier="200").unit == world.unit
    assert Process.objects.get(pk=world.own_row.pk).responsible == "Сидоров Петр"
    job_page = client.get(reverse("portal:job_detail", args=[job.pk])).content.decode()
    assert f'href="{detail_url}"' in job_page
    for someone_else in (world.official, world.city_officer, world.coordinator):
        client.force_login(someone_else)
        assert client.get(reverse("portal:job_detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("portal:job_status", args=[job.pk])).status_code == 404


def test_a_large_upload_already_applied_is_refused_without_a_job(client, settings):
    settings.IMPORT_INLINE_ROWS = 1
    world = World()
    batch = uploaded(client, world, world.officer, [row("1"), row("200")])
    confirm(client, batch)
    run_worker()
    assert ImportBatch.objects.get().status == ImportStatus.APPLIED

    again = confirm(client, batch)
    assert again.url == reverse("registry:import_detail", args=[batch.pk])
    assert Job.objects.count() == 1  # no second job to re-read the file and fail
    assert NOT_IN_PREVIEW in client.get(again.url).content.decode()


def test_a_registry_changed_before_the_worker_came_writes_nothing(client, settings):
    settings.IMPORT_INLINE_ROWS = 0
    world = World()
    batch = uploaded(client, world, world.officer, [row("1", c8="Сидоров Петр"), row("200")])
    confirm(client, batch)
    Process.objects.filter(pk=world.own_row.pk).update(
        responsible="Правка на портале", version=F("version") + 1
    )

    run_worker()

    job = Job.objects.get()
    assert job.state == JobState.FAILED
    assert job.message.startswith("Реестр изменился после предпросмотра")
    assert not Process.objects.filter(identifier="200").exists()  # all or nothing
    assert Process.objects.get(pk=world.own_row.pk).responsible == "Правка на портале"
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEW  # the new preview can be confirmed again
    client.force_login(world.officer)
    page = client.get(reverse("registry:import_detail", args=[batch.pk])).content.decode()
    assert "Применить: записать все строки" in page


def test_an_officials_large_file_becomes_his_proposal(client, settings):
    settings.IMPORT_INLINE_ROWS = 0
    world = World()
    batch = uploaded(client, world, world.official, [row("1", c8="Сидоров Петр"), row("300")])
    confirm(client, batch)
    run_worker()
    job = Job.objects.get()
    assert job.state == JobState.DONE, job.message
    proposal = Proposal.objects.get()
    assert f"предложение № {proposal.pk}" in job.summary
    assert proposal.items.count() == 2
    assert not Process.objects.filter(identifier="300").exists()  # after review only
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PROPOSED


def test_an_upload_cancelled_while_queued_is_not_applied(client, settings):
    settings.IMPORT_INLINE_ROWS = 0
    world = World()
    batch = uploaded(client, world, world.officer, [row("200")])
    confirm(client, batch)
    client.post(reverse("registry:import_cancel", args=[batch.pk]))
    run_worker()
    job = Job.objects.get()
    assert (job.state, job.message) == (JobState.FAILED, NOT_IN_PREVIEW)
    assert not Process.objects.filter(identifier="200").exists()
