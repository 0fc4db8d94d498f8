"""The measures a user answers for (access.my_items): the page "Мои мероприятия", its XLSX and
the roadmap tasks share one scope."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from portal import tasks
from registry.models import Role
from roadmaps.models import ItemResponsible, ItemStatus
from roadmaps.services import access
from roadmaps.services.board_export import HEADERS
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


# The page "Мои мероприятия" -------------------------------------------------------------------

URL = reverse("roadmaps:mine")


def listed(client, user):
    client.force_login(user)
    page = client.get(URL)
    assert page.status_code == 200
    return page, list(page.context["table"].data)


def test_officer_page_lists_every_state_cancelled_last(client, world, b):
    cancelled = make_item(b.appendix, "1.6.", status=ItemStatus.CANCELLED)
    named = name(make_item(b.regional, "1.2."), world.other_unit)
    page, items = listed(client, world.officer)
    # The deadlines board's order: overdue (oldest first: 1.1 on 30.01.2025, the regional 1.2
    # on 31.01.2025), due soon, later, no date, done, cancelled.
    assert items == [b.overdue, named, b.soon, b.later, b.no_date, b.done, cancelled]
    assert b.section not in items and b.regional_item not in items and b.city_item not in items
    counts = {state.value: count for state, count, _ in page.context["counts"]}
    assert counts == {
        "overdue": 2,
        "due_soon": 1,
        "later": 1,
        "no_date": 1,
        "done": 1,
        "cancelled": 1,
    }
    html = page.content.decode()
    assert 'data-count="cancelled"' in html
    for item in items:
        assert reverse("roadmaps:item_detail", args=[item.pk]) in html
    assert 'data-testid="my-measures"' in html


def test_official_sees_only_measures_naming_his_unit(client, world, b):
    assert listed(client, world.official)[1] == [b.overdue]
    _, items = listed(client, world.other_official)
    assert items == [b.later]
    assert b.overdue not in items
    assert listed(client, world.city_official)[1] == [b.city_item]


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_users_without_own_measures_are_sent_to_the_board(client, world, b, role):
    page, items = listed(client, getattr(world, role))
    assert items == []
    html = page.content.decode()
    assert 'data-testid="no-own-measures"' in html
    assert reverse("roadmaps:deadlines") in html
    assert 'data-testid="export-xlsx"' not in html
    assert f'href="{URL}"' not in html  # not in the menu
    answer = client.get(URL, {"export": "xlsx"})
    assert answer.status_code == 302 and answer["Location"] == URL


def test_menu_and_tasks_link_for_users_with_a_unit_or_authority(client, world, b):
    for user in (world.officer, world.official):
        client.force_login(user)
        assert f'href="{URL}"' in client.get(reverse("registry:tasks")).content.decode()
    client.force_login(world.coordinator)
    assert f'href="{URL}"' not in client.get(reverse("registry:tasks")).content.decode()


def test_export_is_exactly_the_listed_rows_each_naming_its_plan(client, world, b):
    name(make_item(b.regional, "1.2."), world.authority)
    client.force_login(world.officer)
    answer = client.get(URL, {"export": "xlsx"})
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    assert book.sheetnames == ["Мероприятия"]
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    _, items = listed(client, world.officer)
    assert [(r[3], r[4]) for r in rows[1:]] == [(str(i.roadmap), i.number) for i in items]
    # The appendix's 1.1 is overdue longest: it comes first; both plans' 1.2 are there.
    assert (rows[1][3], rows[1][4]) == (str(b.appendix), "1.1.")
    assert {(r[3], r[4]) for r in rows[1:]} == {
        *((str(b.appendix), f"1.{n}.") for n in range(1, 6)),
        (str(b.regional), "1.2."),
    }


def test_query_count_does_not_grow_with_rows(client, world, b, django_assert_max_num_queries):
    client.force_login(world.officer)
    with django_assert_max_num_queries(30) as few:
        client.get(URL)
    for n in range(30):
        item = make_item(b.appendix, f"2.{n + 1}.", deadline_text="31.12.2030")
        item.responsibles.create(organization=b.old_ministry)
        item.responsibles.create(name="АГ СО", position=1)
        name(make_item(b.regional, f"3.{n + 1}."), world.unit)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(URL)
    assert len(page.context["table"].data) == 5 + 60


def test_an_official_without_measures_sees_an_empty_list(client, world, b):
    sector = make_org("unit", "Сектор без мероприятий", world.unit)
    page, items = listed(client, make_user("sector_official", Role.OFFICIAL, sector))
    assert items == []
    html = page.content.decode()
    assert "Мероприятий нет." in html
    assert 'data-testid="no-own-measures"' not in html


def test_a_typical_plan_is_nobodys_measure(client, world):
    from roadmaps.models import ItemResponsible
    from roadmaps.services import access
    from tests.roadmaps.conftest import make_item, make_roadmap

    typical = make_roadmap(world.region, "Типовой план", is_template=True)
    item = make_item(typical, "1.1.")
    ItemResponsible.objects.create(item=item, organization=world.authority)
    assert item not in access.my_items(world.officer)
