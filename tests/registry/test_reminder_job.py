"""The reminder mailing as a job (send_reminders --background): a real worker sends the
letters, the job counts them and keeps the report for the user who started it."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal.models import Job, JobState
from registry.models import ReminderSent
from tests.conftest import World
from tests.portal.workers import run_worker
from tests.registry.test_tasks_and_reminders import submitted


@pytest.mark.django_db(transaction=True)
def test_the_mailing_runs_in_the_worker_with_progress_and_a_report(client, capsys):
    world = World()
    world.officer.email = "officer@example.ru"
    world.officer.save()
    day = submitted(world).review_due + timedelta(days=1)

    call_command("send_reminders", date=str(day), background=True, user=world.admin.username)

    job = Job.objects.get()
    assert (job.user, job.state, job.kind) == (world.admin, JobState.QUEUED, "reminders")
    assert f"задание № {job.pk}" in capsys.readouterr().out
    assert not ReminderSent.objects.exists()  # nothing is sent before a worker runs

    run_worker()

    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    assert ReminderSent.objects.get().user == world.officer
    assert job.progress_text == "1 из 1 письма"
    assert "Отправлено писем: 1" in job.summary
    client.force_login(world.admin)
    report = client.get(reverse("portal:job_file", args=[job.pk]))
    assert report.status_code == 200
    text = b"".join(report.streaming_content).decode("utf-8-sig")
    assert text.splitlines() == [
        "Пользователь;Адрес;Задач;Итог",
        f"{world.officer};officer@example.ru;2;отправлено",
    ]
    client.force_login(world.officer)  # the letter was his, the job is not
    assert client.get(reverse("portal:job_file", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_a_background_mailing_needs_an_active_user(world):
    with pytest.raises(CommandError, match="--user"):
        call_command("send_reminders", date="2026-12-01", background=True)
    with pytest.raises(CommandError, match="nobody"):
        call_command("send_reminders", date="2026-12-01", background=True, user="nobody")
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_only_an_administrator_gets_the_mailing_report(world):
    with pytest.raises(CommandError, match="только администратор"):
        call_command("send_reminders", background=True, user=world.official.username)
    assert not Job.objects.exists()


def test_a_report_cell_that_looks_like_a_formula_stays_text():
    from registry.jobs import reminders_report
    from registry.services.reminders import Letter, SendResult

    class User:
        email = "=cmd|' /C calc'!A0"

        def __str__(self):
            return "=HYPERLINK(1)"

    letter = Letter(user=User(), tasks=[1, 2], subject="", body="")
    text = reminders_report(SendResult(sent=[letter]), dry_run=False).decode("utf-8-sig")
    assert text.splitlines()[1] == "'=HYPERLINK(1);'=cmd|' /C calc'!A0;2;отправлено"
