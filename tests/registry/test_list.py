"""The registry list: constant queries whatever the page size, search, columns, paging."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import Process
from tests.conftest import count_tasks_first, make_link, make_process

pytestmark = pytest.mark.django_db


def fill(world, count):
    for i in range(count):
        row = make_process(world.authority, world.unit, str(100 + i), typical_code="4.5")
        row.placement_points.set([1, 2])
        if i:
            make_link(Process.objects.get(identifier=str(99 + i)), row)
    # An interdepartmental link, so that another authority's row is in the prefetch too.
    make_link(Process.objects.get(identifier="100"), world.city_row)


def count_queries(client, per_page):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(
            reverse("registry:process_list"),
            {"per_page": per_page, "columns": ["identifier", "links", "placement", "name", "unit"]},
        )
    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) == per_page
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_page_size(client, world):
    fill(world, 120)
    client.force_login(world.coordinator)
    count_tasks_first(world.coordinator)
    small = count_queries(client, 25)
    large = count_queries(client, 100)
    assert small == large
    assert large <= 20


def test_a_page_reads_only_what_its_shown_columns_draw(client, world):
    fill(world, 30)
    client.force_login(world.coordinator)
    count_tasks_first(world.coordinator)
    url = reverse("registry:process_list")
    queries = {}
    for shown in (["identifier", "name"], ["identifier", "name", "links", "placement"]):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"columns": shown})
        assert response.status_code == 200
        queries[len(shown)] = len(ctx.captured_queries)
    # column 12's links (both sides) and column 14's placement points: 3 queries
    assert queries[4] - queries[2] == 3
    html = response.content.decode()
    assert "100 (предшествующий)" in html  # the links drawn from what was prefetched


def test_search_ignores_case_and_yo_on_every_database(client, world):
    world.own_row.function_name = "Организация ЁЛОЧНЫХ мероприятий"
    world.own_row.save()
    client.force_login(world.official)
    response = client.get(reverse("registry:process_list"), {"q": "елочных Мероприятий"})
    rows = [r.record for r in response.context["table"].page.object_list]
    assert rows == [world.own_row]
    response = client.get(reverse("registry:process_list"), {"q": "59-фз"})
    assert len(response.context["table"].page.object_list) == 2


def test_filters_by_group_status_and_unit(client, world):
    client.force_login(world.officer)
    url = reverse("registry:process_list")
    response = client.get(url, {"unit": world.other_unit.pk})
    assert [r.record for r in response.context["table"].page.object_list] == [world.other_unit_row]
    response = client.get(url, {"typical_process": world.own_row.typical_process_id})
    assert [r.record for r in response.context["table"].page.object_list] == [world.own_row]
    response = client.get(url, {"status": world.own_row.status_id})
    assert len(response.context["table"].page.object_list) == 2


def test_officer_filter_offers_only_own_authority_and_edition(client, world):
    client.force_login(world.officer)
    response = client.get(reverse("registry:process_list"))
    form = response.context["filter"].form
    assert list(form.fields["authority"].queryset) == [world.authority]
    assert {u.pk for u in form.fields["unit"].queryset} == {world.unit.pk, world.other_unit.pk}
    assert {g.edition.level for g in form.fields["group"].queryset} == {"regional"}


def test_excluded_rows_are_hidden_unless_asked(client, world):
    world.own_row.is_excluded = True
    world.own_row.save()
    client.force_login(world.officer)
    url = reverse("registry:process_list")
    assert [r.record for r in client.get(url).context["table"].page.object_list] == [
        world.other_unit_row
    ]
    only = client.get(url, {"excluded": "only"}).context["table"].page.object_list
    assert [r.record for r in only] == [world.own_row]


def test_chosen_columns_are_shown_and_remembered(client, world):
    client.force_login(world.officer)
    url = reverse("registry:process_list")
    response = client.get(url, {"columns": ["regulating_act", "links"]})
    shown = [c.name for c in response.context["table"].columns]
    assert shown == ["identifier", "regulating_act", "links"]
    assert "5. Регулирующий акт" in response.content.decode()
    # Remembered for the next visit without parameters.
    response = client.get(url)
    assert [c.name for c in response.context["table"].columns] == [
        "identifier",
        "regulating_act",
        "links",
    ]


def test_sorting_by_identifier_is_numeric(client, world):
    for identifier in ("10", "9", "100"):
        make_process(world.authority, world.unit, identifier)
    client.force_login(world.officer)
    response = client.get(reverse("registry:process_list"), {"sort": "identifier"})
    order = [r.record.identifier for r in response.context["table"].page.object_list]
    assert order == ["1", "2", "9", "10", "100"]
    response = client.get(reverse("registry:process_list"), {"sort": "-identifier"})
    order = [r.record.identifier for r in response.context["table"].page.object_list]
    assert order == ["100", "10", "9", "2", "1"]


def test_unknown_page_size_falls_back_to_default(client, world):
    client.force_login(world.officer)
    response = client.get(reverse("registry:process_list"), {"per_page": "100000"})
    assert response.context["table"].paginator.per_page == 25


def test_the_catalogue_selects_offer_their_entries_in_one_query_each(client, world):
    client.force_login(world.officer)
    count_tasks_first(world.officer)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("registry:process_list"))
    form = response.context["filter"].form
    html = response.content.decode()
    for name in ("group", "status", "kind"):
        field = form.fields[name]
        entries = list(field.queryset)
        assert entries  # the officer's edition has entries of each
        assert [value for value, _ in field.choices] == ["", *(e.pk for e in entries)]
        for entry in entries:
            assert f'<option value="{entry.pk}">{field.label_from_instance(entry)}</option>' in html
    # no server-side cursor (DECLARE … FETCH … CLOSE) for a select's few dozen entries
    assert not [q for q in ctx.captured_queries if "DECLARE" in q["sql"]]


def test_the_rows_take_their_catalogue_entries_from_the_filters_selects(client, world):
    fill(world, 5)
    client.force_login(world.coordinator)
    count_tasks_first(world.coordinator)
    url = reverse("registry:process_list")
    queries, pages = [], []
    for shown in (["identifier"], ["identifier", "group", "status", "kind"]):
        with CaptureQueriesContext(connection) as ctx:
            pages.append(client.get(url, {"columns": shown}))
        queries.append(len(ctx.captured_queries))
    assert queries[0] == queries[1]  # no query of their own for the three columns
    html = pages[1].content.decode()
    for row in pages[1].context["page"].object_list:
        fresh = Process.objects.get(pk=row.pk)
        for name in ("group", "status", "kind"):
            assert f">{getattr(fresh, name)}</td>" in html


def test_an_entry_the_selects_do_not_offer_is_prefetched(world):
    from registry.views.processes import take_entries

    records = list(Process.objects.filter(authority=world.authority).order_by("pk"))
    assert len(records) > 1
    with CaptureQueriesContext(connection) as ctx:
        take_entries(records, "status", {})
        statuses = [record.status for record in records]
    assert len(ctx.captured_queries) == 1
    assert statuses == [Process.objects.get(pk=r.pk).status for r in records]
    offered = {records[0].status_id: records[0].status}
    again = list(Process.objects.filter(pk=records[0].pk))
    with CaptureQueriesContext(connection) as ctx:
        take_entries(again, "status", offered)
        assert again[0].status is records[0].status
    assert not ctx.captured_queries


def test_a_list_past_the_cap_says_how_many_roughly(client, world, settings, monkeypatch):
    # A national list: the planner expects more than the cap, nothing is counted.
    fill(world, 30)
    settings.LIST_COUNT_CAP = 4
    monkeypatch.setattr("portal.pagination.estimated_rows", lambda rows: 186_412)
    client.force_login(world.coordinator)
    response = client.get(reverse("registry:process_list"), {"per_page": 25})
    page = response.content.decode()
    assert "Найдено: около 190\xa0000" in page
    assert response.context["table"].paginator.num_pages == 1  # the 4 rows of the cap
    assert len(response.context["table"].page.object_list) == 25

    # the same estimate for a search that finds nothing: the short page tells the truth
    response = client.get(reverse("registry:process_list"), {"q": "строка-которой-нет"})
    assert "Найдено: 0" in response.content.decode()
