"""The pages on the three seed roadmaps (about 200 measures, odd deadlines, a template)."""

from django.urls import reverse

from roadmaps.models import Roadmap, RoadmapItem
from roadmaps.services.board import state_of
from roadmaps.services.demo import load_seed_roadmaps


def test_seed_roadmaps_render(client, world, today, django_assert_max_num_queries):
    load_seed_roadmaps()
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(30):
        page = client.get(reverse("roadmaps:deadlines"))
    assert page.status_code == 200
    rows = page.context["page"].object_list
    assert len(rows) == 25  # one page
    assert state_of(rows[0]) == "overdue"
    # every seed plan's measures but the typical plan's (nobody carries out a template)
    carried_out = RoadmapItem.objects.filter(is_section=False, roadmap__is_template=False)
    assert page.context["page"].paginator.count == carried_out.count() > 100
    assert client.get(reverse("roadmaps:deadlines"), {"export": "xlsx"}).status_code == 200
    for roadmap in Roadmap.objects.all():
        detail = client.get(reverse("roadmaps:roadmap_detail", args=[roadmap.pk]))
        assert detail.status_code == 200
    assert client.get(reverse("roadmaps:roadmap_list")).status_code == 200
