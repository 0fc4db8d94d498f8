"""The public registry of an authority (issue 14, item 5): searched and paged within the
published version only, a page before the first publication, its files, and the version for
the visually impaired."""

import io
import json
from urllib.parse import unquote

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from portal.views.accessibility import LOW_VISION_COOKIE
from registry.choices import ProposalAction
from registry.columns import OPEN_DATA_KEYS
from registry.models import Organization, Process, RegistryVersion
from registry.services import proposals, publication
from registry.views.versions import PUBLIC_PAGE_SIZE
from tests.conftest import make_process
from tests.registry.test_proposals import change_values

pytestmark = pytest.mark.django_db


def public(client, authority, **query):
    return client.get(reverse("public_registry", args=[authority.pk]), query)


def shown_identifiers(response):
    return [values[0] for values, _ in response.context["rows"]]


@pytest.fixture
def many(world):
    """45 rows of the authority published; the function names say which row is which."""
    for n in range(3, 46):
        make_process(world.authority, world.unit, str(n), function_name=f"Функция номер {n}")
    publication.publish(world.authority, world.officer)
    return world


def test_search_finds_words_of_any_column_ignoring_case_and_yo(client, world):
    Process.objects.filter(pk=world.own_row.pk).update(client="Ёмкие ОБЪЕДИНЕНИЯ молодёжи")
    publication.publish(world.authority, world.officer)
    # The words of column 4, in another case and with е for ё, in any order.
    page = public(client, world.authority, q="объединения емкие")
    assert page.status_code == 200
    assert shown_identifiers(page) == ["1"]
    assert "Найдено строк: 1 из 2" in page.content.decode()
    # Column 7 (the typical process's name) is searched too.
    assert shown_identifiers(public(client, world.authority, q="прием регистрация")) == ["1"]
    nothing = public(client, world.authority, q="несуществующее слово")
    assert shown_identifiers(nothing) == []
    assert "По запросу ничего не найдено" in nothing.content.decode()


def test_pages_of_twenty_rows_and_the_search_kept_in_the_links(client, many):
    first = public(client, many.authority)
    assert len(shown_identifiers(first)) == PUBLIC_PAGE_SIZE == 20
    assert first.context["page"].paginator.num_pages == 3
    assert shown_identifiers(public(client, many.authority, page=3)) == [
        str(n) for n in range(41, 46)
    ]
    # Past the last page is the last page; a page that is no number is a clear 400.
    assert public(client, many.authority, page=99).context["page"].number == 3
    bad = public(client, many.authority, page="два")
    assert bad.status_code == 400 and "«page»" in bad.content.decode()
    # "номер" matches the 43 added rows: three pages, and the next page keeps the search.
    found = public(client, many.authority, q="номер")
    assert found.context["found"] == 43
    assert 'href="?q=%D0%BD%D0%BE%D0%BC%D0%B5%D1%80&page=2"' in found.content.decode()
    assert len(shown_identifiers(public(client, many.authority, q="номер", page=3))) == 3


def test_an_over_long_search_is_a_field_error_and_the_rows_are_shown(client, world):
    publication.publish(world.authority, world.officer)
    page = public(client, world.authority, q="слово " * 60)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Поиск по реестру: Строка поиска — не длиннее 200 символов." in body
    assert shown_identifiers(page) == ["1", "2"]


def test_only_the_published_version_is_shown_and_searched(client, world):
    """Later changes, excluded rows and proposals (drafts or submitted) are never public."""
    publication.publish(world.authority, world.officer)
    Process.objects.filter(pk=world.own_row.pk).update(responsible="Правка после публикации")
    draft = proposals.open_draft(world.official)
    values = change_values(world, world.own_row, identifier="", function_name="Черновая функция")
    proposals.add_item(draft, world.official, ProposalAction.ADD, values=values)
    submitted = proposals.open_draft(world.other_official)
    values = change_values(world, world.other_unit_row, function_name="Предложенная функция")
    proposals.add_item(
        submitted, world.other_official, ProposalAction.CHANGE, world.other_unit_row, values
    )
    proposals.submit(submitted, world.other_official)
    for words in ("Правка после публикации", "Черновая", "Предложенная"):
        page = public(client, world.authority, q=words)
        assert shown_identifiers(page) == [], words
        assert page.content.decode().count(words) == 1, words  # the search box alone
    body = public(client, world.authority).content.decode()
    assert "Иванов Иван Иванович" in body and "Правка после публикации" not in body
    # Another authority's rows are not on this authority's page, found or not.
    assert world.city_row.function_name not in public(client, world.authority, q="имущества")


def test_before_the_first_publication_a_page_says_so(client, world):
    page = public(client, world.authority)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Реестр еще не опубликован" in body and world.authority.full_name in body
    assert "Иванов Иван Иванович" not in body and "public-rows" not in body
    # An unknown authority, or a unit (not an authority), is not found.
    missing = Organization.objects.order_by("-pk").first().pk + 1
    assert client.get(reverse("public_registry", args=[missing])).status_code == 404
    assert client.get(reverse("public_registry", args=[world.unit.pk])).status_code == 404
    # Its files do not exist yet.
    url = reverse("public_file", args=[world.authority.pk, 1, "csv"])
    assert client.get(url).status_code == 404


def test_the_files_of_a_version_and_of_the_one_before(client, world):
    publication.publish(world.authority, world.officer)
    Process.objects.filter(pk=world.own_row.pk).update(responsible="Петров П. П.")
    publication.publish(world.authority, world.officer)
    page = public(client, world.authority).content.decode()
    assert "Версия № 2 от" in page and "Опубликованные версии" in page
    for number in (1, 2):
        for kind in ("xlsx", "csv", "json"):
            assert reverse("public_file", args=[world.authority.pk, number, kind]) in page

    def get(number, kind):
        return client.get(reverse("public_file", args=[world.authority.pk, number, kind]))

    csv_file = get(2, "csv")
    assert csv_file["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_file["Content-Disposition"].startswith("attachment")
    lines = b"".join(csv_file.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 3 and "Петров П. П." in lines[1] + lines[2]
    old = b"".join(get(1, "csv").streaming_content).decode("utf-8-sig")
    assert "Петров П. П." not in old and "Иванов Иван Иванович" in old

    json_file = get(2, "json")
    assert json_file["Content-Type"] == "application/json"
    data = json.loads(json_file.content)
    assert data["version"] == 2 and len(data["rows"]) == 2
    assert all(tuple(row) == OPEN_DATA_KEYS and len(row) == 14 for row in data["rows"])

    xlsx = get(2, "xlsx")
    assert xlsx["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    version = RegistryVersion.objects.get(number=2)
    content = b"".join(xlsx.streaming_content)
    with version.xlsx.open("rb") as stored:  # the published file, from the storage
        assert content == stored.read()
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    assert "Петров П. П." in [cell for row in sheet.iter_rows(values_only=True) for cell in row]


def test_the_switch_for_the_visually_impaired_persists_and_applies_everywhere(client, world):
    publication.publish(world.authority, world.officer)
    url = reverse("public_registry", args=[world.authority.pk])
    assert 'low-vision">' not in client.get(url).content.decode()
    assert "Версия для слабовидящих" in client.get(url).content.decode()
    switch = reverse("portal:low_vision")
    response = client.post(switch, {"mode": "on", "next": f"{url}?q=прием"})
    assert response.status_code == 302 and unquote(response["Location"]) == f"{url}?q=прием"
    cookie = response.cookies[LOW_VISION_COOKIE]
    assert cookie.value == "1" and int(cookie["max-age"]) >= 300 * 24 * 3600
    for page in (url, reverse("public_index"), reverse("login"), reverse("home")):
        body = client.get(page).content.decode()
        assert 'low-vision">' in body and "Обычная версия сайта" in body, page
    off = client.post(switch, {"mode": "off", "next": url})
    assert off.cookies[LOW_VISION_COOKIE].value == "" and off["Location"] == url
    assert 'low-vision">' not in client.get(url).content.decode()
    # Never sent on to another site.
    away = client.post(switch, {"mode": "on", "next": "https://example.com/"})
    assert away["Location"] == reverse("public_index")


def test_seed_demo_publishes_one_version_once(settings, client):
    settings.DEBUG = True  # seed_demo refuses to run on production settings
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    version = RegistryVersion.objects.get()
    assert version.number == 1 and version.row_count > 10
    assert version.published_by.username == "officer"
    page = public(client, version.authority)
    assert page.status_code == 200 and len(shown_identifiers(page)) == PUBLIC_PAGE_SIZE
    assert version.authority.full_name in client.get(reverse("public_index")).content.decode()


def test_a_version_keeps_the_headers_of_the_edition_it_was_published_in(client, world):
    version = publication.publish(world.authority, world.officer)
    # the authority moves to the municipal level (its edition names columns 3 and 13 otherwise)
    Organization.objects.filter(pk=world.authority.pk).update(level="municipal")
    page = public(client, world.authority)
    headers = [column.header for column in page.context["columns"].values()]
    assert headers[2] == "Название функции, услуги, сервиса"
    assert headers[12] == "Вид процесса (цифровой/нецифровой)"
    html = page.content.decode()
    assert "Название функции, услуги, сервиса" in html
    assert "Название услуги, функции, сервиса" not in html
    # its CSV and its passport too
    csv = publication.csv_bytes(version).decode("utf-8-sig")
    assert "Название функции, услуги, сервиса" in csv.splitlines()[0]
    passport = publication.data_passport(RegistryVersion.objects.get(pk=version.pk), {})
    assert passport["fields"][2]["title"] == "Название функции, услуги, сервиса"
