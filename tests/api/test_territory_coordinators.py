"""A coordinator of a region, or of a city whose coordinating body is a unit of its
administration, reads his territory only through the API as on the pages (the API matrix's
coordinator is the nationwide one): lists, details, a row's history, plans and measures."""

from __future__ import annotations

import pytest

from registry.models import Role
from tests.api.conftest import token_client
from tests.conftest import make_user
from tests.roadmaps.conftest import make_item, make_roadmap

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(world):
    region = make_item(make_roadmap(world.region, "План области"))
    city = make_item(make_roadmap(world.city, "План города"))
    return {"region": region, "city": city}


def ids(client, url) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    "organization, own, other", [("region", "region", "city"), ("city_unit", "city", "region")]
)
def test_a_territorys_coordinator_reads_his_territory_only(world, plans, organization, own, other):
    coordinator = make_user("coordinator_t", Role.COORDINATOR, getattr(world, organization))
    client = token_client(coordinator, writable=False)
    rows = {"region": world.own_row, "city": world.city_row}
    authorities = {"region": world.authority, "city": world.city_authority}

    assert rows[own].pk in ids(client, "/api/processes/")
    assert rows[other].pk not in ids(client, "/api/processes/")
    assert client.get(f"/api/processes/{rows[other].pk}/").status_code == 404
    assert client.get(f"/api/processes/{rows[other].pk}/history/").status_code == 404
    assert client.get(f"/api/processes/{rows[own].pk}/history/").status_code == 200
    listed = ids(client, "/api/organizations/")
    assert authorities[own].pk in listed and authorities[other].pk not in listed
    assert client.get(f"/api/organizations/{authorities[other].pk}/").status_code == 404

    measures = ids(client, "/api/measures/")
    assert plans[own].pk in measures and plans[other].pk not in measures
    roadmaps = ids(client, "/api/roadmaps/")
    assert plans[own].roadmap_id in roadmaps and plans[other].roadmap_id not in roadmaps
    assert client.get(f"/api/measures/{plans[other].pk}/").status_code == 404
    # a read-only key, and no write reaches another territory's measure either way
    refused = client.post(
        f"/api/measures/{plans[other].pk}/status/", {"status": "done", "version": 1}, format="json"
    )
    assert refused.status_code in (403, 404)
