"""portal.pagination.CappedPaginator: exact below the cap, «более N» past it, one bounded
COUNT query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.pagination import CappedPaginator
from registry.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    Organization.objects.bulk_create(
        Organization(kind="region", full_name=f"Область {n}", level="regional") for n in range(30)
    )
    return Organization.objects.order_by("pk")


def test_below_the_cap_the_count_is_exact(orgs):
    paginator = CappedPaginator(orgs, 10, cap=50)
    assert paginator.count == 30
    assert not paginator.count_is_capped
    assert paginator.count_display == "30"
    assert paginator.num_pages == 3


def test_past_the_cap_the_count_stops_and_says_more(orgs):
    paginator = CappedPaginator(orgs, 10, cap=25)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 26
    assert len(queries) == 1 and "LIMIT 26" in queries[0]["sql"].upper()
    assert paginator.count_is_capped
    assert paginator.count_display.startswith("более 25")
    assert paginator.num_pages == 3  # 25 rows reachable: pages of 10, 10 and 5
    assert len(paginator.page(3).object_list) == 10  # the page itself is not cut


def test_an_empty_list_has_one_empty_page():
    paginator = CappedPaginator(Organization.objects.none(), 10, cap=25)
    assert paginator.count == 0 and paginator.num_pages == 1
    assert list(paginator.page(1).object_list) == []


@pytest.mark.parametrize(
    ("asked", "served"),
    [("-1", 50), ("0", 50), ("abc", 50), ("", 50), ("5000000", 50), (30, 50), (25, 25), (200, 200)],
)
def test_a_lists_page_size_is_one_offered_or_its_own(orgs, asked, served):
    assert CappedPaginator(orgs, asked, default_per_page=50).per_page == served


def test_an_unknown_page_size_falls_back_to_the_lists_own_size(orgs):
    assert CappedPaginator(orgs, "abc", default_per_page=25).per_page == 25
    assert CappedPaginator(orgs, 7, default_per_page=25).per_page == 25
    assert CappedPaginator(orgs, 100, default_per_page=25).per_page == 100


def test_code_that_builds_a_paginator_gets_its_size(orgs):
    assert CappedPaginator(orgs, 10).per_page == 10
    assert CappedPaginator(orgs, "x").per_page == 50


def test_a_table_is_counted_by_one_bounded_count_not_by_fetching_its_rows(orgs, settings):
    import django_tables2 as tables
    from django.test import RequestFactory

    class OrgTable(tables.Table):
        class Meta:
            model = Organization
            fields = ("full_name",)

    table = OrgTable(orgs)
    tables.RequestConfig(RequestFactory().get("/"), paginate={"per_page": 10}).configure(table)
    with CaptureQueriesContext(connection) as queries:
        count = CappedPaginator(table.rows, 10, cap=25).count
    assert count == 26
    assert len(queries) == 1 and queries[0]["sql"].upper().startswith("SELECT COUNT(*)")


def test_a_list_is_counted_by_its_length():
    paginator = CappedPaginator(list(range(30)), 10, cap=25)
    assert paginator.count == 26 and paginator.count_is_capped
    assert CappedPaginator([1, 2], 10, cap=25).count == 2


# -- counted quickly, then estimated (LIST_COUNT_QUICK) --------------------------------------


def test_a_list_within_the_quick_count_is_counted_once_and_exactly(orgs):
    paginator = CappedPaginator(orgs, 10, cap=50, quick=40)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 30
    assert len(queries) == 1 and "LIMIT 41" in queries[0]["sql"].upper()
    assert paginator.estimate is None and paginator.count_display == "30"


def test_past_the_quick_count_a_large_estimate_is_said_without_counting_on(orgs, monkeypatch):
    asked = []
    monkeypatch.setattr(
        "portal.pagination.estimated_rows", lambda rows: asked.append(rows) or 234_567
    )
    paginator = CappedPaginator(orgs, 10, cap=25, quick=5)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 26  # "more than the cap", as a counted list says it
    assert len(queries) == 1 and "LIMIT 6" in queries[0]["sql"].upper()  # the quick count only
    assert len(asked) == 1 and not asked[0].query.order_by  # asked about the rows, unsorted
    assert paginator.count_is_capped and paginator.estimate == 234_567
    assert paginator.count_display == "около 230\xa0000"
    assert paginator.num_pages == 3  # pages up to the cap, as when counted
    assert len(paginator.page(3).object_list) == 10


def test_past_the_quick_count_a_small_estimate_counts_on_to_the_cap(orgs, monkeypatch):
    monkeypatch.setattr("portal.pagination.estimated_rows", lambda rows: 20)
    paginator = CappedPaginator(orgs, 10, cap=25, quick=5)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 26
    assert ["LIMIT 6" in q["sql"].upper() for q in queries] == [True, False]
    assert "LIMIT 26" in queries[1]["sql"].upper()
    assert paginator.estimate is None and paginator.count_display.startswith("более 25")


def test_without_an_estimate_the_count_goes_on_to_the_cap(orgs, monkeypatch):
    monkeypatch.setattr("portal.pagination.estimated_rows", lambda rows: None)  # SQLite's way
    paginator = CappedPaginator(orgs, 10, cap=50, quick=5)
    assert paginator.count == 30 and paginator.count_display == "30"
    assert paginator.num_pages == 3


def test_the_database_gives_an_estimate_or_none(orgs):
    from portal.pagination import estimated_rows

    estimate = estimated_rows(orgs.order_by())
    if connection.vendor == "postgresql":
        assert isinstance(estimate, int) and estimate > 0
    else:
        assert estimate is None


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        (7, 7),
        (86, 86),
        (1_234, 1_200),
        (10_501, 11_000),
        (233_075, 230_000),
        (1_000_160, 1_000_000),
    ],
)
def test_an_estimate_is_rounded_to_two_significant_digits(number, shown):
    from portal.pagination import rounded

    assert rounded(number) == shown
