"""Appendix 1 of order 246-р (seed 004) as data (issue 15 point 8): the directions of activity
of the city administration and the units responsible for them preselect a campaign's
participants."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from registry.models import ActivityDirection, Campaign, CatalogueEdition, Role
from registry.services.directions import responsible_units
from tests.conftest import make_org, make_user

pytestmark = pytest.mark.django_db

# seed 004 copied byte for byte into the repository, so the test runs on every clone
SEED_004 = Path(settings.BASE_DIR) / "fixtures" / "registry" / "omsk_city_246-r_procedure.txt"
SHARED_004 = Path("/work/shared/seeds/004_79fa82fc6c1bfd0e.txt")


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


@pytest.fixture
def city(world):
    """The administration's units appendix 1 names, and its coordinating body's user."""
    admin = world.city_authority
    units = {
        "control": make_org("unit", "Департамент контроля Администрации города Омска", admin),
        "transport": make_org("unit", "Департамент транспорта Администрации города Омска", admin),
        "affairs": make_org("unit", "Управление делами Администрации города Омска", admin),
    }
    user = make_user("coordinator_city", Role.COORDINATOR, units["affairs"])
    return units, user


def direction(number: int) -> ActivityDirection:
    return ActivityDirection.objects.get(edition__code="municipal", number=number)


def test_the_migration_loaded_appendix_1_of_the_municipal_edition():
    municipal = CatalogueEdition.objects.get(code="municipal")
    shown = list(municipal.directions.values_list("number", "group__code", "rule"))
    assert [(n, g) for n, g, _ in shown] == [(n, str(n)) for n in range(1, 7)]
    assert {n: r for n, _, r in shown}[1] == ActivityDirection.GROUP_ROWS
    assert not CatalogueEdition.objects.get(code="regional").directions.exists()


def test_the_copy_is_seed_004():
    if not SHARED_004.is_file():
        pytest.skip("the shared seeds are not on this machine")
    assert SEED_004.read_bytes() == SHARED_004.read_bytes()


def test_appendix_1_is_worded_as_seed_004():
    seed = words(SEED_004.read_text(encoding="utf-8"))  # the scan's cells split over lines
    text = seed[seed.index("перечень структурных подразделений") :]
    for item in CatalogueEdition.objects.get(code="municipal").directions.all():
        for part in words(item.responsible).split(" администрации города омска "):
            assert " ".join(part.split()[:2]) in text, (item, part)


def test_the_responsible_units_are_found_by_the_acts_words(world, city):
    units, _ = city
    dio = world.city_unit  # Департамент имущественных отношений Администрации города Омска
    assert responsible_units(direction(2), world.city_authority) == [dio]
    assert set(responsible_units(direction(3), world.city_authority)) == {
        dio,
        units["control"],
        units["transport"],
    }
    assert set(responsible_units(direction(4), world.city_authority)) == {dio, *units.values()}
    # «ответственные за предоставление муниципальных услуг»: the units with group 1 rows
    assert responsible_units(direction(1), world.city_authority) == [dio]


def test_a_campaign_is_preselected_and_opened_by_directions(client, world, city):
    units, user = city
    client.force_login(user)
    url = reverse("registry:campaign_open")
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    data = {"kind": "one_off", "due_date": due, "directions": [direction(3).pk]}
    page = client.post(url, {**data, "preselect": "1"})
    assert page.status_code == 200 and not Campaign.objects.exists()
    marked = set(page.context["form"].initial["units"])
    assert marked == {world.city_unit.pk, units["control"].pk, units["transport"].pk}
    assert "Отметить подразделения" in page.content.decode()
    opened = client.post(url, data)
    assert opened.status_code == 302
    campaign = Campaign.objects.get()
    assert {p.unit_id for p in campaign.participants.all()} == marked


def test_an_edition_without_appendix_1_offers_no_directions(client, world):
    client.force_login(make_user("coordinator_omsk", Role.COORDINATOR, world.region))
    form = client.get(reverse("registry:campaign_open")).context["form"]
    assert "directions" not in form.fields
