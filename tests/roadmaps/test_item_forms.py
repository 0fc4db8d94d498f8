"""The item page: evidence and status forms for the owning authority's officer."""

from django.urls import reverse

from roadmaps.models import ItemStatus
from tests.conftest import with_version


def test_done_without_evidence_is_refused_with_the_services_message(client, world, board):
    client.force_login(world.officer)
    url = reverse("roadmaps:item_detail", args=[board.overdue.pk])
    page = client.get(url)
    assert 'data-testid="status-form"' in page.content.decode()
    answer = client.post(
        reverse("roadmaps:item_status", args=[board.overdue.pk]),
        with_version(board.overdue, status="done"),
        follow=True,
    )
    text = answer.content.decode()
    assert "нельзя отметить исполненным без подтверждающего документа вида" in text
    board.overdue.refresh_from_db()
    assert board.overdue.status == ItemStatus.PLANNED


def test_evidence_then_done(client, world, board):
    client.force_login(world.officer)
    item = board.overdue
    answer = client.post(
        reverse("roadmaps:item_evidence", args=[item.pk]),
        {"document_type": item.document_type, "number": "15-р", "date": "2025-02-20"},
        follow=True,
    )
    assert "Подтверждающий документ добавлен" in answer.content.decode()
    assert item.evidence.get().number == "15-р"
    answer = client.post(
        reverse("roadmaps:item_status", args=[item.pk]),
        with_version(item, status="done", reason="Порядок утвержден"),
        follow=True,
    )
    assert "Статус мероприятия 1.1.: исполнено" in answer.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    assert item.history.latest().history_user == world.officer


def test_evidence_without_requisites_is_refused(client, world, board):
    client.force_login(world.officer)
    answer = client.post(
        reverse("roadmaps:item_evidence", args=[board.overdue.pk]),
        {"document_type": "Распоряжение"},
    )
    assert answer.status_code == 400
    assert "Укажите реквизиты документа" in answer.content.decode()
    assert not board.overdue.evidence.exists()


def test_official_sees_no_forms_and_is_refused(client, world, board):
    client.force_login(world.official)
    page = client.get(reverse("roadmaps:item_detail", args=[board.overdue.pk]))
    assert 'data-testid="evidence-form"' not in page.content.decode()
    answer = client.post(
        reverse("roadmaps:item_status", args=[board.overdue.pk]), {"status": "in_progress"}
    )
    assert answer.status_code == 403
