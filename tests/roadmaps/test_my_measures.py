"""The measures a user answers for (access.my_items): the page "Мои мероприятия", its XLSX and
the roadmap tasks share one scope."""

from datetime import date

import pytest

from registry.models import Role
from registry.services import tasks
from roadmaps.models import ItemResponsible
from roadmaps.services import access
from tests.conftest import make_org, make_user
from tests.roadmaps.conftest import make_item


@pytest.fixture
def b(board):
    return board


def mine(user):
    items = access.my_items(user)
    return None if items is None else set(items)


def name(item, *bodies):
    for position, body in enumerate(bodies):
        ItemResponsible.objects.create(item=item, organization=body, position=position)
    return item


def test_officer_answers_for_his_plans_and_for_measures_naming_his_authority(world, b):
    # The authority's own appendix: every measure, whoever is named (not the section row).
    own = {b.overdue, b.soon, b.later, b.no_date, b.done}
    assert mine(world.officer) == own
    # The regional plan he reads: only the measures naming his authority or one of its units.
    named_unit = name(make_item(b.regional, "1.2."), world.other_unit)
    named_authority = name(make_item(b.regional, "1.3."), world.authority)
    assert mine(world.officer) == own | {named_unit, named_authority}
    assert b.regional_item not in mine(world.officer)
    # A plan he does not read stays out even when it names his unit.
    city_measure = name(make_item(b.city, "1.2."), world.unit)
    assert mine(world.officer) == own | {named_unit, named_authority}
    assert mine(world.city_officer) == {b.city_item, city_measure}


def test_official_answers_for_measures_naming_his_unit_or_a_unit_under_it(world, b):
    assert mine(world.other_official) == {b.later}
    assert mine(world.city_official) == {b.city_item}
    assert b.overdue not in mine(world.other_official)
    sector = make_org("unit", "Сектор правового обеспечения", world.unit)
    assert mine(world.official) == {b.overdue}
    in_sector = name(make_item(b.regional, "1.2."), sector)
    # A measure naming the whole authority is the officer's, not every official's.
    name(make_item(b.regional, "1.3."), world.authority)
    assert mine(world.official) == {b.overdue, in_sector}
    assert mine(world.other_official) == {b.later}


def test_a_reorganized_body_counts_for_its_successor(world, b):
    """Министерство спорта took over from the reorganized ministry on 05.06.2024: a measure of
    the regional plan naming the old ministry is the new ministry's."""
    officer = make_user("minsport_officer", Role.AUTHORIZED_OFFICER, b.minsport)
    inherited = name(make_item(b.regional, "1.2."), b.old_ministry)
    assert mine(officer) == {inherited}


def test_coordinators_and_administrators_answer_for_none(world, b):
    assert access.my_items(world.coordinator) is None
    assert access.my_items(world.admin) is None


def test_tasks_come_from_the_same_measures(world, b):
    """A measure of the regional plan naming the other unit, overdue: a task of the officer and
    of the other unit's official, not of the first unit's official."""
    overdue = name(
        make_item(
            b.regional,
            "1.2.",
            deadline_text="01.02.2025",
            deadline_date=date(2025, 2, 1),
        ),
        world.other_unit,
    )
    title = f"Исполнить мероприятие 1.2. дорожной карты: {overdue.text}"

    def titles(user):
        return [t.title for t in tasks.tasks_for(user, b.today)]

    assert title in titles(world.officer)
    assert title in titles(world.other_official)
    assert title not in titles(world.official)
