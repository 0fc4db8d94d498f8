"""Roadmap measures among "my tasks" and in the reminder e-mails."""

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from portal import tasks


def roadmap_titles(user):
    return [t.title for t in tasks.tasks_for(user) if "дорожной карты" in t.title]


def test_officer_and_official_tasks(world, board):
    officer = roadmap_titles(world.officer)
    assert officer == [
        f"Исполнить мероприятие 1.1. дорожной карты: {board.overdue.text}",
        f"Исполнить мероприятие 1.2. дорожной карты: {board.soon.text}",
    ]
    # The official of the unit named in 1.1 only; the other unit's 1.3 is not due yet.
    assert roadmap_titles(world.official) == [officer[0]]
    assert roadmap_titles(world.other_official) == []
    assert roadmap_titles(world.city_officer) == [
        f"Исполнить мероприятие 1.1. дорожной карты: {board.city_item.text}"
    ]
    assert roadmap_titles(world.coordinator) == []  # coordinators do not edit plans


def test_tasks_page_lists_them(client, world, board):
    client.force_login(world.officer)
    page = client.get(reverse("registry:tasks"))
    assert f"/roadmaps/items/{board.overdue.pk}/" in page.content.decode()


def test_reminder_mail(world, board, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.officer.email = "officer@example.ru"
    world.officer.save()
    call_command("send_reminders", date=str(board.today))
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    # Overdue is reminded; due in 7 days is beyond the registry's 3 working days.
    assert "Исполнить мероприятие 1.1. дорожной карты" in body
    assert "ПРОСРОЧЕНО" in body
    assert f"/roadmaps/items/{board.overdue.pk}/" in body
    assert "мероприятие 1.2." not in body
