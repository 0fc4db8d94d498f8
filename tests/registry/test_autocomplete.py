"""The registry list's authority, unit and typical-process filters load their choices as one
types (issue 13): the endpoints answer only what the user may see, search ignoring case and
ё, at most a page at a time; the page renders the chosen option only, whatever the number of
authorities."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from registry.filters import ChoiceAutocomplete, ProcessFilterSet
from registry.models import TypicalProcess
from registry.views.autocomplete import PAGE_SIZE
from tests.conftest import count_tasks_first, make_authorities, make_org

pytestmark = pytest.mark.django_db

ENDPOINTS = ("authority_autocomplete", "unit_autocomplete", "typical_process_autocomplete")
INVALID_CHOICE = "Выберите корректный вариант. Вашего варианта нет среди допустимых значений."


def choices(client, name, q="", page=None, **forward):
    query = {"q": q, "forward": json.dumps(forward)}
    if page:
        query["page"] = page
    response = client.get(reverse(f"registry:{name}"), query)
    assert response.status_code == 200, response.content
    return response.json()


def labels(client, name, q="", **forward):
    return [r["text"] for r in choices(client, name, q, **forward)["results"]]


@pytest.mark.parametrize("name", ENDPOINTS)
def test_anonymous_is_sent_to_log_in(client, world, name):
    response = client.get(reverse(f"registry:{name}"), {"q": "а"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ENDPOINTS)
def test_nothing_is_created_from_a_filter(client, world, name):
    client.force_login(world.admin)
    assert client.post(reverse(f"registry:{name}"), {"text": "Новый"}).status_code == 405


def test_an_official_never_gets_another_authoritys_organizations(client, world):
    client.force_login(world.official)
    assert labels(client, "authority_autocomplete") == ["Главное управление"]
    assert labels(client, "authority_autocomplete", "Администрация") == []
    assert labels(client, "unit_autocomplete") == [
        "ОПФО Главного управления",
        "ОПОИ Главного управления",
    ]
    # Naming another authority in the forward does not open its units.
    assert labels(client, "unit_autocomplete", authority=str(world.city_authority.pk)) == []
    assert labels(client, "unit_autocomplete", "Департамент") == []
    client.force_login(world.city_officer)
    assert labels(client, "unit_autocomplete", authority=str(world.authority.pk)) == []
    assert labels(client, "unit_autocomplete") == ["ДИО"]


def test_the_endpoints_offer_what_the_filter_accepts(client, rf, world):
    """The endpoint and the filter's validation apply the same rule (restrict())."""
    for user in (world.official, world.officer, world.city_officer, world.coordinator):
        client.force_login(user)
        request = rf.get("/")
        request.user = user
        form = ProcessFilterSet(request=request).form
        for field, name in (("authority", "authority_autocomplete"), ("unit", "unit_autocomplete")):
            offered = {int(r["id"]) for r in choices(client, name)["results"]}
            assert offered == {o.pk for o in form.fields[field].queryset}, (user, field)


def test_search_by_part_of_a_name_ignores_case_and_yo(client, world):
    make_org("authority", "Министерство объединённых ресурсов", world.region, short_name="МОР")
    client.force_login(world.coordinator)
    # The name has «е», the query «Ё» and capitals; and the other way round.
    assert labels(client, "authority_autocomplete", "МОЛОДЁЖНОЙ полит") == ["Главное управление"]
    assert labels(client, "authority_autocomplete", "объединенных") == ["МОР"]
    assert labels(client, "authority_autocomplete", "ОБЪЕДИНЁННЫХ") == ["МОР"]
    # Every word, in either name (the short one here), in any order.
    assert labels(client, "authority_autocomplete", "управление омской") == ["Главное управление"]
    assert labels(client, "authority_autocomplete", "мор") == ["МОР"]
    assert labels(client, "unit_autocomplete", "дио") == ["ДИО"]
    # Characters a regular expression would take as its own are taken literally.
    assert labels(client, "authority_autocomplete", "(.*)") == []
    assert labels(client, "authority_autocomplete", "[") == []


def test_at_most_a_page_of_results(client, world):
    make_authorities(world.region, PAGE_SIZE + 5, rows=0)
    client.force_login(world.coordinator)
    first = choices(client, "authority_autocomplete", "министерство")
    assert len(first["results"]) == PAGE_SIZE <= 20
    assert first["pagination"]["more"] is True
    rest = choices(client, "authority_autocomplete", "министерство", page=2)
    assert len(rest["results"]) == 5
    assert rest["pagination"]["more"] is False
    assert len(choices(client, "unit_autocomplete")["results"]) == PAGE_SIZE


def test_units_follow_the_chosen_authority(client, world):
    client.force_login(world.coordinator)
    assert labels(client, "unit_autocomplete", authority=str(world.city_authority.pk)) == ["ДИО"]
    assert labels(client, "unit_autocomplete", authority=str(world.authority.pk)) == [
        "ОПФО Главного управления",
        "ОПОИ Главного управления",
    ]
    assert len(labels(client, "unit_autocomplete", authority="")) == 3  # none chosen
    response = client.get(
        reverse("registry:unit_autocomplete"), {"forward": json.dumps({"authority": "x"})}
    )
    assert response.status_code == 400


def test_typical_processes_follow_the_edition_and_the_chosen_group(client, world):
    regional = TypicalProcess.objects.filter(group__edition__level="regional")
    group = world.own_row.typical_process.group
    client.force_login(world.officer)
    offered = choices(client, "typical_process_autocomplete", "регистрац")["results"]
    assert offered and all(r["text"] == str(regional.get(pk=r["id"])) for r in offered)
    in_group = labels(client, "typical_process_autocomplete", group=str(group.pk))
    assert in_group == [str(t) for t in group.typical_processes.order_by("order")]
    assert labels(client, "typical_process_autocomplete", "4.1") == [
        str(world.own_row.typical_process)
    ]
    # A coordinator sees both editions, each named.
    client.force_login(world.coordinator)
    assert labels(client, "typical_process_autocomplete", "4.1") == [
        "4.1. Прием и регистрация обращений и запросов (муниципальный)",
        "4.1. Прием и регистрация обращений и запросов (региональный)",
    ]


def list_page(client, **query):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("registry:process_list"), query)
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def test_the_page_does_not_grow_with_the_number_of_authorities(client, world):
    client.force_login(world.coordinator)
    count_tasks_first(world.coordinator)
    before, queries_before = list_page(client)
    make_authorities(world.region, 300, rows=0)
    after, queries_after = list_page(client)
    html = after.content.decode()
    assert html.count("<option") == before.content.decode().count("<option")
    assert len(after.content) - len(before.content) < 200  # the row count's digits at most
    assert queries_after == queries_before
    for name in ("authority", "unit", "typical_process"):
        select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
        assert select.count("<option") == 1, select  # «все» only
        assert "data-autocomplete-light-url" in select
    assert "select2.full.js" in html and "admin/js/vendor/jquery/jquery.js" in html


def test_a_chosen_value_shows_its_label_on_reload(client, world):
    client.force_login(world.coordinator)
    response, _ = list_page(
        client,
        authority=world.authority.pk,
        unit=world.unit.pk,
        typical_process=world.own_row.typical_process_id,
    )
    html = response.content.decode()
    assert f'<option value="{world.authority.pk}" selected>Главное управление</option>' in html
    assert f'<option value="{world.unit.pk}" selected>ОПФО Главного управления</option>' in html
    label = f"{world.own_row.typical_process} (региональный)"
    assert f'<option value="{world.own_row.typical_process_id}" selected>{label}</option>' in html
    assert [r.record for r in response.context["table"].page.object_list] == [world.own_row]


def test_another_authoritys_unit_is_the_filters_error_not_a_500(client, world):
    client.force_login(world.official)
    response, _ = list_page(client, unit=world.city_unit.pk)
    assert response.context["filter"].form.errors["unit"] == [INVALID_CHOICE]
    assert INVALID_CHOICE in response.content.decode()
    assert list(response.context["table"].page.object_list) == []
    response, _ = list_page(client, authority=world.city_authority.pk)
    assert response.context["filter"].form.errors["authority"] == [INVALID_CHOICE]


def test_an_officer_has_no_authority_filter(client, world):
    client.force_login(world.officer)
    response, _ = list_page(client)
    form = response.context["filter"].form
    assert form.fields["authority"].widget.is_hidden
    assert isinstance(form.fields["unit"].widget, ChoiceAutocomplete)
    html = response.content.decode()
    assert '<input type="hidden" name="authority"' in html
    assert 'for="id_authority"' not in html and 'name="authority" data-' not in html
    # Small lists stay plain selects.
    for name in ("group", "status", "kind"):
        assert not isinstance(form.fields[name].widget, ChoiceAutocomplete)


def test_scripts_only_on_a_list_whose_filter_needs_them(client, world):
    client.force_login(world.officer)
    html = client.get(reverse("segmentation:profile_list")).content.decode()
    assert "jquery" not in html and "select2" not in html


def test_proposals_list_loads_authorities_and_units_on_demand(client, world):
    make_authorities(world.region, 30, rows=0)
    client.force_login(world.coordinator)
    response = client.get(reverse("registry:proposal_list"), {"unit": world.unit.pk})
    form = response.context["filter"].form
    for name in ("authority", "unit"):
        assert isinstance(form.fields[name].widget, ChoiceAutocomplete)
    html = response.content.decode()
    assert "select2" in html
    assert "Министерство № 30" not in html  # not rendered: asked for as one types
    assert escape(str(world.unit)) in html  # the chosen one is
