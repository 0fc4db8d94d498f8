"""Organizations: the tree, levels inherited from the root, successors, the denormalized
authority of a unit, and users' roles tied to the right kind of organization."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from registry.models import Organization, Role, User
from tests.conftest import make_org

pytestmark = pytest.mark.django_db


def test_level_and_edition_come_from_the_root(world):
    assert world.unit.level == "regional"
    assert world.city_unit.level == "municipal"
    assert world.city_unit.edition.code == "municipal"
    # A unit cannot choose another level than its parent's.
    world.city_unit.level = "regional"
    world.city_unit.save()
    world.city_unit.refresh_from_db()
    assert world.city_unit.level == "municipal"


def test_units_know_their_authority_also_when_nested(world):
    sector = make_org("unit", "Сектор кадровой работы", world.unit)
    assert sector.authority == world.authority
    assert world.authority.authority == world.authority
    assert world.region.authority is None
    assert set(world.unit.unit_ids()) == {world.unit.pk, sector.pk}


def test_parent_kinds_are_checked(world):
    wrong = Organization(kind="unit", full_name="Отдел", parent=world.region, level="regional")
    with pytest.raises(ValidationError) as error:
        wrong.full_clean()
    assert "вышестоящей может быть" in str(error.value)


def test_successor_needs_a_date_and_the_same_kind(world):
    old = make_org(
        "authority",
        "Министерство по делам молодежи, физической культуры и спорта Омской области",
        world.region,
    )
    new = make_org("authority", "Министерство спорта Омской области", world.region)
    old.successor = new
    with pytest.raises(ValidationError) as error:
        old.full_clean()
    assert "successor_since" in error.value.message_dict
    old.successor = world.unit
    old.successor_since = datetime.date(2024, 6, 5)
    with pytest.raises(ValidationError):
        old.full_clean()
    old.successor = new
    old.valid_to = datetime.date(2024, 6, 4)
    old.full_clean()
    old.save()
    assert list(new.predecessors.all()) == [old]
    assert old.is_active_on(datetime.date(2024, 6, 4))
    assert not old.is_active_on(datetime.date(2024, 6, 5))
    assert list(
        Organization.objects.authorities()
        .active_on(datetime.date(2024, 7, 1))
        .filter(pk__in=[old.pk, new.pk])
    ) == [new]


def test_successor_is_shown_on_the_rows_of_a_reorganized_authority(client, world):
    new = make_org("authority", "Министерство спорта Омской области", world.region)
    world.authority.successor = new
    world.authority.successor_since = datetime.date(2024, 6, 5)
    world.authority.save()
    client.force_login(world.officer)
    response = client.get(world.own_row.get_absolute_url())
    assert (
        "С 05.06.2024 функции органа власти осуществляет Министерство спорта Омской области"
        in response.content.decode()
    )


def test_roles_need_the_right_kind_of_organization(world):
    user = User(username="x", role=Role.OFFICIAL, organization=world.authority)
    with pytest.raises(ValidationError) as error:
        user.full_clean(exclude=["password"])
    assert "структурное подразделение" in str(error.value)
    user = User(username="y", role=Role.AUTHORIZED_OFFICER, organization=world.unit)
    with pytest.raises(ValidationError):
        user.full_clean(exclude=["password"])


def test_staff_flag_follows_the_role(world):
    assert world.coordinator.is_staff and world.admin.is_staff
    assert not world.officer.is_staff and not world.official.is_staff
    assert world.official.authority == world.authority
    assert world.officer.authority == world.authority
    assert world.coordinator.authority is None
