""" "My tasks" and the reminder e-mails built from them."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from portal import tasks
from registry.models import CampaignKind, ProposalAction, ReminderSent
from registry.services import campaigns, proposals

pytestmark = pytest.mark.django_db


def submitted(world):
    proposal = proposals.open_draft(world.official)
    proposals.add_item(
        proposal, world.official, ProposalAction.EXCLUDE, world.own_row, exclude_reason="Передано"
    )
    return proposals.submit(proposal, world.official)


def titles(user, today=None):
    return [t.title for t in tasks.tasks_for(user, today)]


def test_each_role_gets_its_own_tasks(world):
    campaign = campaigns.open_campaign(
        world.coordinator,
        kind=CampaignKind.ONE_OFF,
        due_date=timezone.localdate() + timedelta(days=5),
        authorities=[world.authority],
    )
    sent = submitted(world)
    officer = titles(world.officer)
    assert f"Проверить предложение № {sent.pk}" in officer
    assert f"Нет ответа подразделений — 1: {campaign.title}" in officer
    # The World's rows were entered today and never published.
    assert "Опубликовать актуальную версию реестра процессов" in officer
    assert f"Проверить предложение № {sent.pk}" not in titles(world.official)  # his own
    assert f"Проверить предложение № {sent.pk}" not in titles(world.city_officer)
    # The unit that has not answered yet is asked to; the one whose proposal answered is not.
    assert titles(world.other_official) == [f"Представить сведения: {campaign.title}"]
    assert f"Представить сведения: {campaign.title}" not in titles(world.official)
    assert titles(world.coordinator) == [f"Нет ответа подразделений — 1: {campaign.title}"]
    assert titles(world.city_official) == []

    proposals.return_for_rework(sent, world.officer, "Укажите основание")
    # Returned: the unit has to rework it, and has not answered the campaign until it does.
    assert titles(world.official) == [
        f"Представить сведения: {campaign.title}",
        f"Доработать предложение № {sent.pk} и направить повторно",
    ]


def test_overdue_first(world):
    late = submitted(world)
    second = proposals.open_draft(world.other_official)
    proposals.add_item(
        second,
        world.other_official,
        ProposalAction.EXCLUDE,
        world.other_unit_row,
        exclude_reason="Передано",
    )
    second = proposals.submit(second, world.other_official)
    late.review_due = timezone.localdate() - timedelta(days=3)
    late.save()
    listed = tasks.tasks_for(world.officer)
    assert [t.title for t in listed[:2]] == [
        f"Проверить предложение № {late.pk}",
        f"Проверить предложение № {second.pk}",
    ]
    assert listed[0].overdue(timezone.localdate())


def test_tasks_page(client, world):
    sent = submitted(world)
    client.force_login(world.officer)
    page = client.get(reverse("registry:tasks"))
    assert f"Проверить предложение № {sent.pk}" in page.content.decode()


def test_reminders_once_a_day_for_due_tasks_only(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.officer.email = "officer@example.ru"
    world.officer.save()
    sent = submitted(world)
    # The day of submission: the term is 10 working days away, nothing to remind yet.
    call_command("send_reminders", date=str(timezone.localdate()))
    assert mail.outbox == []
    # The day after the term: the officer is told it is overdue.
    day_after = sent.review_due + timedelta(days=1)
    call_command("send_reminders", date=str(day_after))
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["officer@example.ru"]
    # Overdue: the review, and the publication of the rows the World entered today.
    assert letter.subject.endswith("задач со сроком — 2, просрочено — 2")
    assert "Опубликовать актуальную версию реестра процессов (ПРОСРОЧЕНО" in letter.body
    assert f"Проверить предложение № {sent.pk} (ПРОСРОЧЕНО" in letter.body
    assert f"/registry/proposals/{sent.pk}/" in letter.body
    # Run again the same day (cron twice): no second letter.
    call_command("send_reminders", date=str(day_after))
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.get().task_count == 2
    call_command("send_reminders", date=str(day_after), force=True)
    assert len(mail.outbox) == 2


def test_a_refused_letter_is_reported_and_retried(world, settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.officer.email = "officer@example.ru"
    world.officer.save()
    sent = submitted(world)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP недоступен")

    monkeypatch.setattr("registry.services.reminders.send_mail", refuse)
    with pytest.raises(CommandError, match="не отправлена"):
        call_command("send_reminders", date=str(sent.review_due + timedelta(days=1)))
    assert not ReminderSent.objects.exists()


def test_bad_date_is_refused(world):
    with pytest.raises(CommandError, match="ГГГГ-ММ-ДД"):
        call_command("send_reminders", date="31.12.2026")
