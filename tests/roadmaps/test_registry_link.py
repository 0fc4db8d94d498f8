"""A measure "Проведен реинжиниринг 10 % процессов …" shows live registry progress."""

from decimal import Decimal

import pytest
from django.urls import reverse

from registry.models import ReengineeringStatus
from registry.models.catalogue import template_edition
from roadmaps.models import RegistryTarget, RoadmapItem
from roadmaps.services import registry_link
from roadmaps.services.demo import load_seed_roadmaps

pytestmark = pytest.mark.django_db


def test_seed_measures_are_bound_to_their_groups_and_progress_is_live(client, world):
    load_seed_roadmaps()
    targets = {
        t.item.number: (t.group.code, t.target_percent, t.status.code)
        for t in RegistryTarget.objects.filter(item__roadmap__owner=world.authority)
    }
    # Seed 000, appendix № 29: services, appeals, access to information, internal client.
    assert targets == {
        "3.1.7.": ("1", Decimal("10.00"), "reengineered"),
        "3.2.7.": ("4", Decimal("10.00"), "reengineered"),
        "3.3.7.": ("5", Decimal("10.00"), "reengineered"),
        "3.4.7.": ("6", Decimal("10.00"), "reengineered"),
    }
    # The typical plan belongs to a region, which has no registry of its own.
    assert not RegistryTarget.objects.exclude(item__roadmap__owner=world.authority).exists()

    appeals = RoadmapItem.objects.get(roadmap__owner=world.authority, number="3.2.7.")
    before = registry_link.progress(appeals)
    assert (before.matching, before.total, before.reached) == (0, 2, False)
    world.own_row.status = ReengineeringStatus.objects.get(
        edition__level="regional", code="reengineered"
    )
    world.own_row.save()
    after = registry_link.progress(appeals)
    assert (after.matching, after.total, after.percent, after.reached) == (1, 2, 50.0, True)

    client.force_login(world.officer)
    page = client.get(reverse("roadmaps:item_detail", args=[appeals.pk])).content.decode()
    assert "1 из 2" in page and "цель достигнута" in page


def test_an_ambiguous_text_is_not_guessed(world):
    item = RoadmapItem(text="Проведен реинжиниринг 10 % процессов")
    assert registry_link.suggest_target(item, template_edition()) is None
    item.text = "Утвержден план мероприятий по реинжинирингу"
    assert registry_link.suggest_target(item, template_edition()) is None
