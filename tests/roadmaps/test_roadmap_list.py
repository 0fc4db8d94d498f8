"""The list of plans (issue 13): 25 a page, sortable, filtered by title, owner and typical,
XLSX of exactly the filtered rows, scoped, a constant number of queries."""

import io

import openpyxl
from django.db import connection
from django.urls import reverse

from roadmaps.models import ItemStatus, Roadmap
from tests.roadmaps.conftest import make_act, make_item, make_roadmap

URL = reverse("roadmaps:roadmap_list")


def shown(client, **params):
    page = client.get(URL, params)
    assert page.status_code == 200
    return page, [row.record for row in page.context["table"].page.object_list]


def many(owner, count):
    return [make_roadmap(owner, f"План {n:02}") for n in range(count)]


def test_a_page_of_25_in_the_models_order(client, world):
    plans = many(world.authority, 30)
    client.force_login(world.coordinator)
    page, rows = shown(client)
    assert rows == plans[:25]  # one owner: by title
    assert page.context["page"].paginator.count == 30
    html = page.content.decode()
    assert 'data-testid="roadmaps"' in html
    assert "Дорожных карт: 30" in html
    assert "Сроки мероприятий" in html and "<h1" in html and "Дорожные карты</h1>" in html
    assert shown(client, page=2)[1] == plans[25:]


def test_default_order_is_owner_then_appendix_then_title(client, world, board):
    client.force_login(world.coordinator)
    rows = shown(client)[1]
    # Администрация города Омска, Главное управление, Омская область (full names)
    assert rows == list(Roadmap.objects.order_by("owner__full_name", "appendix_number", "title"))


def test_sorts_have_unique_tie_breaks(client, world):
    """Thirty plans of one count and one owner: the pages of every sort do not overlap."""
    plans = many(world.authority, 30)
    client.force_login(world.coordinator)
    for sort in ("title", "owner", "legal_act", "measures", "-done"):
        first = shown(client, sort=sort)[1]
        second = shown(client, sort=sort, page=2)[1]
        assert len(first) == 25 and len(second) == 5
        assert set(first) | set(second) == set(plans), sort


def test_cells_and_counts(client, world, board):
    act = make_act("329-рп")
    Roadmap.objects.filter(pk=board.appendix.pk).update(legal_act=act)
    Roadmap.objects.filter(pk=board.regional.pk).update(is_template=True)
    client.force_login(world.coordinator)
    page, rows = shown(client)
    counts = {r: (r.measures, r.done) for r in rows}
    assert counts[board.appendix] == (5, 1)  # the section is not a measure
    assert counts[board.regional] == (1, 0)
    html = page.content.decode()
    assert reverse("roadmaps:roadmap_detail", args=[board.appendix.pk]) in html
    assert "Приложение № 29: План Главного управления" in html
    assert "к плану: План мероприятий Омской области" in html
    assert "типовой" in html
    assert str(act) in html


def test_filter_by_title_owner_and_typical(client, world, board):
    Roadmap.objects.filter(pk=board.city.pk).update(is_template=True)
    client.force_login(world.coordinator)
    assert shown(client, title="Главного упр")[1] == [board.appendix]
    if connection.vendor == "postgresql":  # SQLite's LIKE ignores the case of ASCII only
        assert shown(client, title="главного УПР")[1] == [board.appendix]
    assert shown(client, authority=world.city_authority.pk)[1] == [board.city]
    assert shown(client, typical="on")[1] == [board.city]
    assert len(shown(client)[1]) == 3
    # the owner filter is the deadlines board's: choices as one types, from the same URL
    html = client.get(URL).content.decode()
    assert reverse("roadmaps:owner_autocomplete") in html
    # an id the user cannot choose is the filter's error, not another's plans
    page = client.get(URL, {"authority": 99999})
    assert page.context["filter"].errors
    assert list(page.context["table"].page.object_list) == []


def test_officer_sees_only_the_plans_of_his_authority_and_region(client, world, board):
    client.force_login(world.officer)
    page, rows = shown(client)
    assert set(rows) == {board.regional, board.appendix}
    assert set(page.context["object_list"]) == {board.regional, board.appendix}
    assert "План Администрации города Омска" not in page.content.decode()
    # asking for the city's plans by owner is refused, not answered
    page = client.get(URL, {"authority": world.city_authority.pk})
    assert page.context["filter"].errors
    answer = client.get(URL, {"export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    titles = [r[0] for r in book.active.iter_rows(min_row=2, values_only=True)]
    assert sorted(titles) == sorted(str(r) for r in (board.regional, board.appendix))


def test_xlsx_export_is_exactly_the_filtered_rows(client, world, board):
    many(world.authority, 30)  # more than a page: the export is every filtered row
    client.force_login(world.coordinator)
    answer = client.get(URL, {"authority": world.authority.pk, "export": "xlsx"})
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == ("Дорожная карта", "Чей план", "Утверждена", "Мероприятий", "Исполнено")
    titles = [r[0] for r in rows[1:]]
    expected = Roadmap.objects.filter(owner=world.authority).order_by("appendix_number", "title")
    assert titles == [str(r) for r in expected]
    assert len(titles) == 31
    appendix = next(r for r in rows[1:] if r[0] == str(board.appendix))
    assert appendix[1] == world.authority.full_name
    assert appendix[3:] == (5, 1)  # figures as numbers, not text
    filtered = client.get(URL, {"title": "План 0", "sort": "-title", "export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(filtered.streaming_content)))
    titles = [r[0] for r in book.active.iter_rows(min_row=2, values_only=True)]
    assert titles == [f"План {n:02}" for n in range(9, -1, -1)]


def test_query_count_does_not_grow_with_roadmaps(
    client, world, board, django_assert_max_num_queries
):
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(30) as few:
        client.get(URL)
    act = make_act("7-п")
    for plan in many(board.old_ministry, 30):  # a reorganized owner: its successor shown
        Roadmap.objects.filter(pk=plan.pk).update(legal_act=act, parent=board.regional)
        make_item(plan, "1.1.", status=ItemStatus.DONE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(URL)
    assert len(page.context["table"].page.object_list) == 25
