"""portal.pagination.CappedPaginator: exact below the cap, «более N» past it, one bounded
COUNT query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.pagination import CappedPaginator, estimated_rows, rounded
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


@pytest.fixture(autouse=True)
def no_estimate(request, monkeypatch):
    """The counted way, as on SQLite: the estimate tests below ask for theirs."""
    monkeypatch.setattr("portal.pagination.estimated_rows", lambda rows: None)


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


# -- the planner's estimate first (PostgreSQL) ------------------------------------------------


def estimate_of(monkeypatch, figure):
    asked = []
    monkeypatch.setattr(
        "portal.pagination.estimated_rows", lambda rows: asked.append(rows) or figure
    )
    return asked


def test_a_large_estimate_is_said_and_nothing_is_counted(orgs, monkeypatch):
    asked = estimate_of(monkeypatch, 234_567)
    paginator = CappedPaginator(orgs, 10, cap=25)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 26  # "more than the cap", as a counted list says it
    assert len(queries) == 0
    assert len(asked) == 1 and not asked[0].query.order_by  # asked about the rows, unsorted
    assert paginator.count_is_capped and paginator.estimate == 234_567
    assert paginator.count_display == "около 230\xa0000"
    assert paginator.num_pages == 3  # pages up to the cap, as when counted
    with CaptureQueriesContext(connection) as queries:
        assert len(paginator.page(3).object_list) == 10
    assert len(queries) == 1  # the page's own rows, once
    assert paginator.count_display == "около 230\xa0000"  # a full page: still the estimate


def test_a_short_page_of_an_estimated_list_gives_the_exact_count(orgs, monkeypatch):
    estimate_of(monkeypatch, 20_000)
    paginator = CappedPaginator(orgs, 20, cap=100)
    assert paginator.count_display == "около 20\xa0000"
    page = paginator.page(2)
    assert len(page.object_list) == 10
    assert paginator.count == 30 and paginator.estimate is None
    assert paginator.count_display == "30" and paginator.num_pages == 2


def test_past_the_end_of_an_overestimated_list_it_is_counted(orgs, monkeypatch):
    estimate_of(monkeypatch, 20_000)
    paginator = CappedPaginator(orgs, 10, cap=100)
    assert paginator.num_pages == 10
    with CaptureQueriesContext(connection) as queries:
        assert list(paginator.page(5).object_list) == []
    assert len(queries) == 2 and queries[1]["sql"].upper().startswith("SELECT COUNT(*)")
    assert paginator.count == 30 and paginator.count_display == "30"
    assert paginator.num_pages == 3


def test_a_table_page_is_read_once_when_its_estimate_is_checked(orgs, monkeypatch):
    import django_tables2 as tables
    from django.test import RequestFactory

    class OrgTable(tables.Table):
        class Meta:
            model = Organization
            fields = ("full_name",)

    estimate_of(monkeypatch, 50_000)
    table = OrgTable(orgs)
    with CaptureQueriesContext(connection) as queries:
        tables.RequestConfig(
            RequestFactory().get("/", {"page": 2}),
            paginate={"paginator_class": CappedPaginator, "per_page": 20},
        ).configure(table)
        assert [row.record.full_name for row in table.page.object_list][:1] == ["Область 20"]
    assert len(queries) == 1  # the page's rows: the short page told the count
    assert table.paginator.count == 30 and table.paginator.count_display == "30"


def test_a_small_estimate_counts_exactly_up_to_the_cap(orgs, monkeypatch):
    estimate_of(monkeypatch, 20)
    paginator = CappedPaginator(orgs, 10, cap=25)
    assert paginator.count == 26 and paginator.estimate is None
    assert paginator.count_display.startswith("более 25")


def test_a_count_that_must_be_exact_asks_for_no_estimate(orgs, monkeypatch):
    estimate_of(monkeypatch, 1_000_000)
    paginator = CappedPaginator(orgs, 1, cap=100, estimated=False)
    assert paginator.count == 30 and not paginator.count_is_capped


def test_the_database_gives_an_estimate_or_none(orgs):
    estimate = estimated_rows(orgs.order_by())
    if connection.vendor == "postgresql":
        assert isinstance(estimate, int) and estimate > 0
        # a query known to match nothing is not sent (Django's EXPLAIN gives "" for it)
        assert estimated_rows(Organization.objects.none()) == 0
        assert estimated_rows(Organization.objects.filter(pk__in=[])) in (0, None)
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
    assert rounded(number) == shown
