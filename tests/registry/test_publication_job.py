"""A publication of more than PUBLISH_INLINE_ROWS rows is a job: a real worker writes the
version with the rows as progress, a second publication meanwhile is refused, and only the
officer who asked sees the job."""

from __future__ import annotations

import pytest
from dbfiles.models import DBFile
from django.urls import reverse

from portal.jobs import FAILED_MESSAGE
from portal.models import Job, JobState
from registry.jobs import PUBLISH_REFUSED, publish_registry
from registry.models import Process, RegistryVersion, Role
from registry.services import publication
from registry.views.versions import PUBLISHING
from tests.conftest import World, make_user
from tests.portal.workers import run_worker


def publish(client, authority):
    return client.post(reverse("registry:publish"), {"authority": authority.pk})


@pytest.mark.django_db(transaction=True)
def test_a_large_publication_runs_in_the_worker_with_progress(client, settings):
    settings.PUBLISH_INLINE_ROWS = 1
    world = World()
    client.force_login(world.officer)

    response = publish(client, world.authority)

    job = Job.objects.get()
    assert response.url == reverse("portal:job_detail", args=[job.pk])
    assert (job.user, job.kind, job.state) == (world.officer, "publication", JobState.QUEUED)
    assert not RegistryVersion.objects.exists()  # nothing before a worker runs it
    page = client.get(reverse("registry:versions"), {"authority": world.authority.pk})
    assert f"задание № {job.pk}" in page.content.decode()
    assert "Опубликовать текущую версию" not in page.content.decode()

    again = publish(client, world.authority)  # a double click, or a second tab
    assert again.url == f"{reverse('registry:versions')}?authority={world.authority.pk}"
    assert Job.objects.count() == 1
    assert PUBLISHING.format(number=job.pk) in client.get(again.url).content.decode()

    run_worker()

    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    version = RegistryVersion.objects.get()
    assert (version.number, version.row_count, version.published_by) == (1, 2, world.officer)
    with version.xlsx.open("rb") as stored:
        assert stored.read(2) == b"PK"
    assert job.progress_text == "2 из 2 строк"
    assert job.summary.startswith("Опубликована версия 1 (2 строки)")
    detail = client.get(reverse("portal:job_detail", args=[job.pk])).content.decode()
    assert f'href="{reverse("registry:versions")}?authority={world.authority.pk}"' in detail
    for someone_else in (world.city_officer, world.coordinator, world.admin):
        client.force_login(someone_else)
        assert client.get(reverse("portal:job_detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("portal:job_status", args=[job.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_publication_that_has_nothing_new_is_refused_before_a_job(client, settings):
    world = World()
    publication.publish(world.authority, world.officer)
    settings.PUBLISH_INLINE_ROWS = 0
    client.force_login(world.officer)
    response = publish(client, world.authority)
    assert not Job.objects.exists()  # the server refuses what the disabled button said
    assert publication.NOTHING_CHANGED in client.get(response.url).content.decode()
    assert RegistryVersion.objects.count() == 1
    row = Process.objects.get(pk=world.own_row.pk)
    row.responsible = "Новый ответственный"
    row.save()  # a change with its history, as every service makes it
    publish(client, world.authority)
    run_worker()
    assert Job.objects.get().state == JobState.DONE
    assert RegistryVersion.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_an_officer_who_lost_the_right_meanwhile_publishes_nothing(client, settings):
    settings.PUBLISH_INLINE_ROWS = 0
    world = World()
    client.force_login(world.officer)
    publish(client, world.authority)
    world.officer.role = Role.OFFICIAL
    world.officer.organization = world.unit
    world.officer.save()
    run_worker()
    job = Job.objects.get()
    assert (job.state, job.message) == (JobState.FAILED, PUBLISH_REFUSED)
    assert not RegistryVersion.objects.exists()


@pytest.mark.django_db
def test_a_failure_midway_leaves_no_version_and_a_russian_message(settings, monkeypatch):
    world = World()
    job = Job.objects.create(
        user=world.officer, kind="publication", title="Публикация", lock="publish:1"
    )

    def broken(rows, path, progress=None):
        progress(1)
        raise OSError("disk full")

    monkeypatch.setattr(publication, "export_registry", broken)
    with pytest.raises(OSError):
        publish_registry.func(job.pk, authority_id=world.authority.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.message == FAILED_MESSAGE.format(number=job.pk)
    assert "disk" not in job.message
    assert not RegistryVersion.objects.exists()
    assert not DBFile.objects.filter(name__startswith="registry/versions/").exists()


@pytest.mark.django_db
def test_a_small_publication_waits_for_a_running_one(client, world, settings):
    """Inline (below the limit) is refused too while a job publishes the same authority."""
    settings.PUBLISH_INLINE_ROWS = 100
    other_officer = make_user("officer2", Role.AUTHORIZED_OFFICER, world.authority)
    running = Job.objects.create(
        user=other_officer,
        kind="publication",
        title="Публикация",
        state=JobState.RUNNING,
        lock=publication.PUBLISH_LOCK.format(pk=world.authority.pk),
    )
    client.force_login(world.officer)
    page = client.get(reverse("registry:versions"), {"authority": world.authority.pk})
    assert f"задание № {running.pk} запустил(а)" in page.content.decode()
    response = publish(client, world.authority)
    assert PUBLISHING.format(number=running.pk) in client.get(response.url).content.decode()
    assert not RegistryVersion.objects.exists()
    running.state = JobState.DONE
    running.save()
    publish(client, world.authority)
    assert RegistryVersion.objects.count() == 1
