import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry.models import ProcessLink
from registry.services.processes import find_link_cycle
from tests.conftest import count_tasks_first, make_link, make_process

pytestmark = pytest.mark.django_db


def edit_page_queries(client, process):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("registry:process_edit", args=[process.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_edit_page_queries_do_not_grow_with_links(client, world):
    client.force_login(world.officer)
    count_tasks_first(world.officer)
    make_link(world.other_unit_row, world.own_row)
    one = edit_page_queries(client, world.own_row)
    for i in range(10):
        make_link(world.own_row, make_process(world.authority, world.unit, str(10 + i)))
    assert edit_page_queries(client, world.own_row) == one


def chain(world, length, first, closed=True):
    """Rows first, first + 1, … linked one after another (and the last back to the first)."""
    rows = [make_process(world.authority, world.unit, str(first + i)) for i in range(length)]
    for predecessor, successor in zip(rows, rows[1:], strict=False):
        make_link(predecessor, successor)
    if closed:
        make_link(rows[-1], rows[0])
    return rows


def cycle_queries(process):
    with CaptureQueriesContext(connection) as ctx:
        cycle = find_link_cycle(process)
    return len(ctx.captured_queries), [p.pk for p in cycle]


@pytest.mark.parametrize("closed", [True, False])
def test_cycle_search_queries_do_not_grow_with_the_chain(world, closed):
    short = chain(world, 3, 100, closed)
    long = chain(world, 10, 200, closed)
    with_3, cycle = cycle_queries(short[0])
    assert cycle == ([p.pk for p in [*short, short[0]]] if closed else [])
    with_10, cycle = cycle_queries(long[0])
    assert cycle == ([p.pk for p in [*long, long[0]]] if closed else [])
    assert with_10 == with_3


def test_cycle_search_finds_the_shortest_cycle_across_authorities(world):
    rows = chain(world, 10, 100)
    make_link(rows[2], world.city_row, owner=world.city_authority)
    make_link(world.city_row, rows[0], owner=world.city_authority)
    assert cycle_queries(rows[0])[1] == [
        rows[0].pk,
        rows[1].pk,
        rows[2].pk,
        world.city_row.pk,
        rows[0].pk,
    ]
    # A removed link is not followed.
    ProcessLink.objects.filter(predecessor=world.city_row).update(removed_at=timezone.now())
    assert cycle_queries(rows[0])[1] == [p.pk for p in [*rows, rows[0]]]
    assert cycle_queries(world.city_row)[1] == []
