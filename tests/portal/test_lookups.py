"""portal.lookups.AnyOf: the rows of a list of ids, as one array parameter on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from portal.lookups import AnyOf
from registry.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def ids():
    Organization.objects.bulk_create(
        Organization(kind="region", full_name=f"Область {n}", level="regional") for n in range(5)
    )
    return list(Organization.objects.order_by("pk").values_list("pk", flat=True))


def test_any_of_finds_the_rows_in_of_the_ids(ids):
    chosen = [ids[1], ids[3], 10**9]
    with CaptureQueriesContext(connection) as queries:
        found = set(
            Organization.objects.filter(AnyOf(F("pk"), chosen)).values_list("pk", flat=True)
        )
    assert found == {ids[1], ids[3]}
    assert found == set(Organization.objects.filter(pk__in=chosen).values_list("pk", flat=True))
    sql = queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and " IN (" not in sql
    else:
        assert " IN (" in sql


def test_any_of_a_foreign_key_column_and_of_no_ids(ids):
    Organization.objects.filter(pk=ids[4]).update(parent_id=ids[0])
    children = Organization.objects.filter(AnyOf(F("parent_id"), [ids[0], ids[2]]))
    assert list(children.values_list("pk", flat=True)) == [ids[4]]
    assert list(Organization.objects.filter(AnyOf(F("pk"), []))) == []
