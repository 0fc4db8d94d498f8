"""Who reads and who edits a roadmap: an authority edits only its own, coordinators read all."""

import pytest
from django.urls import reverse

from portal.scoping import can, restrict
from roadmaps.models import ItemStatus, Roadmap, RoadmapItem


@pytest.fixture
def b(board):
    return board


def visible(user):
    return set(restrict(Roadmap, user))


def test_reading_scope(world, b):
    everything = {b.regional, b.appendix, b.city}
    assert visible(world.coordinator) == everything
    assert visible(world.admin) == everything
    # The authority's own appendix and the regional plan it belongs to, not the city's plan.
    assert visible(world.officer) == {b.regional, b.appendix}
    assert visible(world.official) == {b.regional, b.appendix}
    assert visible(world.city_officer) == {b.city}
    assert b.overdue not in restrict(RoadmapItem, world.city_officer)


def test_editing_scope(world, b):
    assert can(world.officer, "change", b.appendix)
    assert not can(world.officer, "change", b.regional)  # read only for the authority
    assert not can(world.officer, "change", b.city)
    assert not can(world.official, "change", b.appendix)
    assert not can(world.coordinator, "change", b.appendix)
    assert can(world.admin, "change", b.appendix)
    assert can(world.city_officer, "change", b.city)


def test_city_officer_does_not_see_the_omsk_appendix(client, world, b):
    client.force_login(world.city_officer)
    assert client.get(reverse("roadmaps:roadmap_detail", args=[b.appendix.pk])).status_code == 404
    assert client.get(reverse("roadmaps:item_detail", args=[b.overdue.pk])).status_code == 404
    answer = client.post(
        reverse("roadmaps:item_status", args=[b.overdue.pk]), {"status": "in_progress"}
    )
    assert answer.status_code == 404
    page = client.get(reverse("roadmaps:deadlines"))
    assert list(page.context["page"].object_list) == [b.city_item]


def test_coordinator_reads_all_but_does_not_edit(client, world, b):
    client.force_login(world.coordinator)
    page = client.get(reverse("roadmaps:item_detail", args=[b.overdue.pk]))
    assert page.status_code == 200
    assert 'data-testid="status-form"' not in page.content.decode()
    answer = client.post(
        reverse("roadmaps:item_status", args=[b.overdue.pk]), {"status": "in_progress"}
    )
    assert answer.status_code == 403
    assert "может только уполномоченное лицо органа власти" in answer.content.decode()
    b.overdue.refresh_from_db()
    assert b.overdue.status == ItemStatus.PLANNED
    answer = client.post(
        reverse("roadmaps:item_evidence", args=[b.overdue.pk]),
        {"document_type": "Распоряжение", "number": "1"},
    )
    assert answer.status_code == 403
    assert not b.overdue.evidence.exists()


def test_officer_reads_the_regional_plan_but_does_not_edit_it(client, world, b):
    client.force_login(world.officer)
    assert client.get(reverse("roadmaps:roadmap_detail", args=[b.regional.pk])).status_code == 200
    answer = client.post(
        reverse("roadmaps:item_status", args=[b.regional_item.pk]), {"status": "in_progress"}
    )
    assert answer.status_code == 403
