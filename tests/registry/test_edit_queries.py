import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import make_link, make_process

pytestmark = pytest.mark.django_db


def edit_page_queries(client, process):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("registry:process_edit", args=[process.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_edit_page_queries_do_not_grow_with_links(client, world):
    client.force_login(world.officer)
    make_link(world.other_unit_row, world.own_row)
    one = edit_page_queries(client, world.own_row)
    for i in range(10):
        make_link(world.own_row, make_process(world.authority, world.unit, str(10 + i)))
    assert edit_page_queries(client, world.own_row) == one
