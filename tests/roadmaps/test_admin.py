"""The roadmap admin: coordinators read, administrators also correct, nobody deletes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from roadmaps.models import ItemStatus, RoadmapItem
from roadmaps.services.demo import load_seed_roadmaps

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(db):
    load_seed_roadmaps()
    return RoadmapItem.objects.get(roadmap__appendix_number="29", number="3.1.7.")


def test_coordinator_reads_but_neither_edits_nor_deletes(client, world, item):
    client.force_login(world.coordinator)
    for name in ("roadmap", "roadmapitem", "legalact", "evidence"):
        assert client.get(reverse(f"admin:roadmaps_{name}_changelist")).status_code == 200
    page = client.get(reverse("admin:roadmaps_roadmapitem_change", args=[item.pk]))
    assert page.status_code == 200
    assert "Проведен реинжиниринг 10 % процессов" in page.content.decode()
    history = client.get(reverse("admin:roadmaps_roadmapitem_history", args=[item.pk]))
    assert history.status_code == 200
    delete = client.get(reverse("admin:roadmaps_roadmapitem_delete", args=[item.pk]))
    assert delete.status_code == 403
    # read only: the page has no save button, and a post changes nothing
    assert 'name="_save"' not in page.content.decode()
    url = reverse("admin:roadmaps_roadmapitem_change", args=[item.pk])
    assert client.post(url, {"text": "Переписано координатором"}).status_code == 403
    item.refresh_from_db()
    assert item.text != "Переписано координатором"
    assert client.get(reverse("admin:roadmaps_legalact_add")).status_code == 403


def test_administrator_may_correct_an_item(client, world, item):
    client.force_login(world.admin)
    page = client.get(reverse("admin:roadmaps_roadmapitem_change", args=[item.pk]))
    assert 'name="_save"' in page.content.decode()


def test_official_has_no_roadmap_admin(client, world, item):
    client.force_login(world.official)
    response = client.get(reverse("admin:roadmaps_roadmapitem_changelist"))
    assert response.status_code in (302, 403)


def test_admin_form_refuses_done_without_evidence(client, world, item):
    client.force_login(world.admin)
    url = reverse("admin:roadmaps_roadmapitem_change", args=[item.pk])
    data = {
        "roadmap": item.roadmap_id,
        "parent": item.parent_id,
        "number": item.number,
        "position": item.position,
        "text": item.text,
        "footnotes": "",
        "deadline_text": item.deadline_text,
        "responsible_text": item.responsible_text,
        "document_type": item.document_type,
        "status": ItemStatus.DONE,
        "responsibles-TOTAL_FORMS": "0",
        "responsibles-INITIAL_FORMS": "0",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "нельзя отметить исполненным без подтверждающего документа" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.PLANNED
