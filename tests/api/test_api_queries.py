"""A page of the API's lists costs a fixed number of queries, whatever its rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_link, make_process
from tests.roadmaps.conftest import make_item, make_roadmap

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_process_list_queries_do_not_grow_with_rows(world, as_user):
    client = as_user(world.coordinator)
    url = "/api/processes/?page_size=100"
    queries(client, url)  # the token's last use is written once
    few = queries(client, url)
    rows = [make_process(world.authority, world.unit, str(n)) for n in range(3, 23)]
    for before, after in zip(rows, rows[1:], strict=False):
        make_link(before, after)
    assert queries(client, url) == few


def test_measure_list_queries_do_not_grow_with_rows(world, as_user):
    client = as_user(world.coordinator)
    roadmap = make_roadmap(world.authority)
    make_item(roadmap, "1.1.")
    url = "/api/measures/?page_size=100"
    queries(client, url)
    few = queries(client, url)
    for n in range(2, 12):
        make_item(roadmap, f"1.{n}.")
    assert queries(client, url) == few
