"""A typical roadmap instantiated for an authority; authorities compared item by item."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from registry.models import Role
from roadmaps.models import Roadmap, RoadmapItem
from roadmaps.services.demo import load_seed_roadmaps
from roadmaps.services.templates import instantiate
from tests.conftest import make_org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def chelyabinsk(world):
    load_seed_roadmaps()
    template = Roadmap.objects.get(is_template=True)
    region = template.owner
    authority = make_org("authority", "Министерство культуры Челябинской области", region)
    unit = make_org("unit", "Отдел правовой работы Министерства культуры", authority)
    officer = make_user("chel_officer", Role.AUTHORIZED_OFFICER, authority)
    return template, authority, unit, officer


def test_items_are_copied_with_their_template_item_own_unit_and_dates(chelyabinsk):
    template, authority, unit, officer = chelyabinsk
    plan = instantiate(
        template, authority, user=officer, unit=unit, deadlines={"3.1.2.": "до 01.03.2027"}
    )
    items = list(plan.items.order_by("sort_key"))
    assert len(items) == template.items.count() == 92  # seed 003: 13 sections, 79 measures
    assert all(i.template_item.number == i.number for i in items)
    changed = plan.items.get(number="3.1.2.")
    assert changed.deadline_text == "до 01.03.2027" and str(changed.deadline_date) == "2027-03-01"
    assert changed.template_item.deadline_text != changed.deadline_text
    # "структурное подразделение органа" became the authority's own unit.
    named = plan.items.filter(responsibles__organization=unit).count()
    typical = template.items.filter(
        responsibles__name__istartswith="структурное подразделение органа"
    ).count()
    assert named == typical > 0
    # Sections stay sections and measures keep their section.
    assert changed.parent.number == "3.1." and changed.parent.roadmap == plan


def test_refusals_write_nothing(chelyabinsk, world):
    template, authority, unit, officer = chelyabinsk
    with pytest.raises(PermissionDenied):
        instantiate(template, authority, user=world.officer)
    with pytest.raises(PermissionDenied):
        instantiate(template, authority, user=world.coordinator)
    with pytest.raises(ValidationError, match="Пункт 3.1.2."):
        instantiate(template, authority, user=officer, deadlines={"3.1.2.": "до 01.11.20213"})
    with pytest.raises(ValidationError, match="нет пунктов: 9.9."):
        instantiate(template, authority, user=officer, deadlines={"9.9.": "до 01.03.2027"})
    with pytest.raises(ValidationError, match="не входит"):
        instantiate(template, authority, user=officer, unit=world.unit)
    assert not Roadmap.objects.filter(owner=authority).exists()
    instantiate(template, authority, user=officer)
    with pytest.raises(ValidationError, match="уже есть план"):
        instantiate(template, authority, user=officer)


def test_coordinator_compares_authorities_on_the_same_item(client, chelyabinsk, world):
    template, authority, unit, officer = chelyabinsk
    other = make_org("authority", "Министерство спорта Челябинской области", template.owner)
    other_officer = make_user("chel_sport", Role.AUTHORIZED_OFFICER, other)
    instantiate(template, authority, user=officer, deadlines={"3.1.2.": "до 01.03.2027"})
    instantiate(template, other, user=other_officer)
    template_item = template.items.get(number="3.1.2.")
    client.force_login(world.coordinator)
    page = client.get(reverse("roadmaps:item_detail", args=[template_item.pk]))
    rows = page.context["instances"]
    assert [(r.authority, r.item.deadline_text) for r in rows] == [
        (authority, "до 01.03.2027"),
        (other, template_item.deadline_text),
    ]


def test_command(chelyabinsk, capsys):
    template, authority, unit, officer = chelyabinsk
    call_command(
        "instantiate_roadmap",
        str(template.pk),
        authority.full_name,
        "--unit",
        unit.full_name,
        "--deadline",
        "3.1.2.=до 01.03.2027",
        "--user",
        officer.username,
    )
    assert "пунктов: 92" in capsys.readouterr().out
    plan = Roadmap.objects.get(owner=authority)
    assert RoadmapItem.objects.filter(roadmap=plan, template_item__isnull=False).count() == 92
