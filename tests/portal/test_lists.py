"""portal.lists.ObjectListView on a scoped model: the page, the table fragment and the XLSX
give exactly the filtered rows the user reaches (every page of them, in the table's order),
and never another authority's."""

import io

import django_filters
import django_tables2 as tables
import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.urls import reverse

from portal.lists import ObjectListView, TableExporter
from segmentation.models import Touchpoint

pytestmark = pytest.mark.django_db


class PlaceFilterSet(django_filters.FilterSet):
    channel = django_filters.ChoiceFilter(choices=[("phone", "телефон"), ("post", "почта")])
    size = django_filters.NumberFilter(method="keep", min_value=1)  # only to be refused

    class Meta:
        model = Touchpoint
        fields = ["channel"]

    def keep(self, queryset, name, value):
        return queryset


class PlaceTable(tables.Table):
    place = tables.Column("Место")
    channel = tables.Column("Канал")

    class Meta:
        attrs = {"data-testid": "places"}
        order_by = ("place",)


class PlaceListView(ObjectListView):
    queryset = Touchpoint.objects.select_related("authority")
    filterset_class = PlaceFilterSet
    table_class = PlaceTable
    paginate_by = 2
    exporter = TableExporter(PlaceTable, "Места")
    export_filename = "Места.xlsx"


@pytest.fixture
def places(world):
    def add(authority, place, channel):
        return Touchpoint.objects.create(
            authority=authority, group=world.own_row.group, channel=channel, place=place
        )

    own = [add(world.authority, f"Приемная {n}", "phone") for n in range(5)]
    add(world.authority, "Почтовый ящик", "post")
    foreign = add(world.city_authority, "Приемная города", "phone")
    return own, foreign


def get(user, **params):
    request = RequestFactory().get("/places/", params)
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    response = PlaceListView.as_view()(request)
    if hasattr(response, "render"):
        response.render()
    return response


def body(response) -> str:
    return b"".join(response.streaming_content) if response.streaming else response.content


def xlsx_rows(response):
    book = openpyxl.load_workbook(io.BytesIO(body(response)))
    return list(book.active.iter_rows(values_only=True))


def test_page_lists_the_first_page_of_the_users_rows(world, places):
    response = get(world.official, channel="phone")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert 'data-testid="places"' in html and "Приемная 0" in html and "Приемная 1" in html
    assert "Приемная 2" not in html  # the next page
    assert "Приемная города" not in html and "Почтовый ящик" not in html
    assert response.context_data["table"].paginator.count == 5
    assert "channel=phone" in response.context_data["export_query"]


def test_fragment_is_the_table_alone(world, places):
    response = get(world.official, channel="phone", fragment="table", page=2)
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert 'data-testid="places"' in html and "Приемная 2" in html and "Приемная 3" in html
    assert "Приемная 0" not in html and "Приемная города" not in html


def test_export_gives_every_filtered_row_in_the_tables_order(world, places):
    response = get(world.official, channel="phone", sort="-place", page=2, export="xlsx")
    assert response["Content-Disposition"].startswith("attachment")
    rows = xlsx_rows(response)
    assert rows[0] == ("Место", "Канал")
    assert rows[1:] == [(f"Приемная {n}", "телефон") for n in (4, 3, 2, 1, 0)]


def test_another_authoritys_rows_are_in_none_of_the_three(world, places):
    for user in (world.official, world.officer):
        assert "Приемная города" not in get(user).content.decode()
        assert "Приемная города" not in get(user, fragment="table").content.decode()
        assert "Приемная города" not in str(xlsx_rows(get(user, export="xlsx")))
    # the rule, not the list, decides: the city's officer sees only the city's row
    assert [r[0] for r in xlsx_rows(get(world.city_officer, export="xlsx"))[1:]] == [
        "Приемная города"
    ]
    assert len(xlsx_rows(get(world.coordinator, export="xlsx"))) == 1 + 7


def test_a_refused_filter_gives_no_file(world, places):
    response = get(world.official, channel="phone", size="0", export="xlsx")
    assert response.status_code == 302
    assert "export" not in response["Location"] and "size=0" in response["Location"]
    page = get(world.official, size="0")
    assert page.context_data["table"].paginator.count == 0  # the errors, no rows


def test_anonymous_is_sent_to_sign_in(world, places):
    for params in ({}, {"fragment": "table"}, {"export": "xlsx"}):
        assert get(AnonymousUser(), **params).status_code == 302


@pytest.mark.parametrize(
    "name",
    [
        "registry:process_list",
        "registry:proposal_list",
        "roadmaps:deadlines",
        "roadmaps:mine",
        "segmentation:profile_list",
        "segmentation:touchpoint_list",
        "segmentation:assessment_list",
    ],
)
def test_every_list_page_serves_its_table_alone(client, world, places, name):
    client.force_login(world.officer)
    url = reverse(name)
    assert "<html" in client.get(url).content.decode()
    fragment = client.get(url, {"fragment": "table"})
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in html and "<table" in html
    assert "Приемная города" not in html


@pytest.mark.parametrize("per_page", ["-1", "0", "abc", "5000000"])
@pytest.mark.parametrize(
    "name", ["registry:proposal_list", "segmentation:touchpoint_list", "registry:process_list"]
)
def test_a_page_size_out_of_range_is_served_as_a_size_offered(client, world, name, per_page):
    client.force_login(world.coordinator)
    response = client.get(reverse(name), {"per_page": per_page})
    assert response.status_code == 200
    assert response.context["table"].paginator.per_page in (25, 50, 200)
