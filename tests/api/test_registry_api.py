"""The registry through the API: the 14 columns as published, links both ways, history,
filters and cursor pages of the list page, drafts private to their author, and writes that
go through the page's form and services (an official's into a proposal, 409 for a stale
version whether the other write came from the page or the API)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from registry.columns import OPEN_DATA_KEYS
from registry.models import Process, ProposalAction, ProposalItem
from registry.services import proposals
from registry.services.registry_rows import registry_rows
from registry.services.row_values import values_of_process
from tests.conftest import make_link, make_process
from tests.registry.test_process_editing import form_data

pytestmark = pytest.mark.django_db


def row_url(process):
    return f"/api/processes/{process.pk}/"


def test_columns_links_and_status(world, as_user):
    make_link(world.own_row, world.other_unit_row)
    body = as_user(world.officer).get(row_url(world.own_row)).json()
    [texts] = [r.values for r in registry_rows(Process.objects.filter(pk=world.own_row.pk))]
    assert body["columns"] == dict(zip(OPEN_DATA_KEYS, texts, strict=True))
    assert body["links"]["successors"] == [
        {"id": world.other_unit_row.pk, "authority": world.authority.pk, "identifier": "2"}
    ]
    other = as_user(world.officer).get(row_url(world.other_unit_row)).json()
    assert [link["id"] for link in other["links"]["predecessors"]] == [world.own_row.pk]
    assert body["status_name"] == world.own_row.status.name
    assert body["version"] == world.own_row.version


def test_list_uses_the_pages_filters_and_cursor_pages(world, as_user):
    for number in range(3, 6):
        make_process(world.authority, world.unit, str(number), function_name=f"Справка {number}")
    coordinator = as_user(world.coordinator)
    found = coordinator.get("/api/processes/", {"q": "справка"}).json()["results"]
    assert sorted(r["identifier"] for r in found) == ["3", "4", "5"]
    city = coordinator.get("/api/processes/", {"authority": world.city_authority.pk}).json()
    assert [r["id"] for r in city["results"]] == [world.city_row.pk]
    seen, url = [], "/api/processes/?page_size=2"
    while url:
        page = coordinator.get(url).json()
        seen += [r["id"] for r in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(Process.objects.values_list("pk", flat=True))


def test_excluded_rows_only_when_asked(world, as_user):
    Process.objects.filter(pk=world.other_unit_row.pk).update(is_excluded=True)
    officer = as_user(world.officer)
    ids = {r["id"] for r in officer.get("/api/processes/").json()["results"]}
    assert ids == {world.own_row.pk}
    ids = {r["id"] for r in officer.get("/api/processes/?excluded=with").json()["results"]}
    assert ids == {world.own_row.pk, world.other_unit_row.pk}


def test_history_names_the_tokens_user(world, as_user):
    officer = as_user(world.officer)
    response = officer.patch(
        row_url(world.own_row),
        {"version": world.own_row.version, "client": "Юридические лица"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["client"] == "Юридические лица"
    record = world.own_row.history.first()
    assert record.history_user == world.officer
    assert record.history_change_reason == "Изменен через API"
    [entry, *_] = officer.get(row_url(world.own_row) + "history/").json()
    assert entry["who"] == str(world.officer) and entry["reason"] == "Изменен через API"
    assert any(c["new"] == "Юридические лица" for c in entry["changes"])


def test_officer_creates_a_row_and_the_form_checks_it(world, as_user):
    officer = as_user(world.officer)
    body = {
        "unit": world.unit.pk,
        "function_name": "Выдача справок",
        "regulating_act": "Закон № 1",
        "typical_process": world.own_row.typical_process_id,
        "responsible": "Петров П. П.",
        "status": world.own_row.status_id,
    }
    created = officer.post("/api/processes/", body, format="json")
    assert created.status_code == 201, created.content
    row = Process.objects.get(pk=created.json()["id"])
    assert row.identifier == "3" and row.history.first().history_user == world.officer
    refused = officer.post("/api/processes/", {**body, "function_name": ""}, format="json")
    assert refused.status_code == 400
    [message] = refused.json()["function_name"]
    assert message.startswith("Графа 3")


def test_officials_write_becomes_a_proposal(world, as_user):
    response = as_user(world.official).patch(
        row_url(world.own_row),
        {"version": world.own_row.version, "client": "Предложено"},
        format="json",
    )
    assert response.status_code == 202, response.content
    item = ProposalItem.objects.get(pk=response.json()["item"])
    assert item.proposal.author == world.official and item.values["client"] == "Предложено"
    world.own_row.refresh_from_db()
    assert world.own_row.client != "Предложено"  # the registry changes on approval


def test_patch_needs_the_version_read(world, as_user):
    response = as_user(world.officer).patch(row_url(world.own_row), {"client": "x"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()


@pytest.mark.parametrize("role", ["officer", "official"])
def test_page_write_then_stale_api_write_is_409(client, world, as_user, role):
    read = as_user(getattr(world, role)).get(row_url(world.own_row)).json()
    client.force_login(world.officer)
    page = client.post(
        reverse("registry:process_edit", args=[world.own_row.pk]),
        form_data(world, identifier="1", version=read["version"], responsible="Со страницы"),
    )
    assert page.status_code == 302
    response = as_user(getattr(world, role)).patch(
        row_url(world.own_row), {"version": read["version"], "client": "Из API"}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["version"] == read["version"] + 1
    assert body["current"]["responsible"] == "Со страницы"
    world.own_row.refresh_from_db()
    assert world.own_row.client != "Из API"
    assert not ProposalItem.objects.filter(values__client="Из API").exists()


def test_api_write_then_stale_page_write_is_409(client, world, as_user):
    version = world.own_row.version
    api = as_user(world.officer).patch(
        row_url(world.own_row), {"version": version, "client": "Из API"}, format="json"
    )
    assert api.status_code == 200
    client.force_login(world.officer)
    page = client.post(
        reverse("registry:process_edit", args=[world.own_row.pk]),
        form_data(world, identifier="1", version=version, responsible="Со страницы"),
    )
    assert page.status_code == 409
    world.own_row.refresh_from_db()
    assert world.own_row.client == "Из API" and world.own_row.responsible != "Со страницы"


def test_drafts_are_their_authors_only(world, as_user):
    draft = proposals.open_draft(world.official)
    proposals.add_item(
        draft,
        world.official,
        ProposalAction.CHANGE,
        world.own_row,
        values_of_process(world.own_row),
    )
    ids = {p["id"] for p in as_user(world.official).get("/api/proposals/").json()["results"]}
    assert draft.pk in ids
    for user in (world.officer, world.other_official, world.coordinator, world.city_officer):
        listed = as_user(user).get("/api/proposals/").json()["results"]
        assert draft.pk not in {p["id"] for p in listed}, user
        assert as_user(user).get(f"/api/proposals/{draft.pk}/").status_code == 404


def test_catalogue_of_each_edition(world, as_user):
    body = as_user(world.official).get("/api/catalogue/municipal/").json()
    assert [c["number"] for c in body["columns"]] == list(range(1, 15))
    assert body["groups"] and body["groups"][0]["typical_processes"]
    assert body["statuses"] and body["kinds"]


def test_a_territorys_edition_beside_its_levels_template(world, as_user):
    """Editions belong to territories: several share a level, so the level names none of them;
    each is read by its code (the templates' codes are their levels, as before)."""
    from tests.registry.test_editions import Samara

    samara = Samara(world)
    client = as_user(samara.officer)
    assert client.get("/api/catalogue/regional/").json()["code"] == "regional"
    own = client.get(f"/api/catalogue/{samara.edition.code}/")
    assert own.status_code == 200
    assert own.json()["territory"] == samara.region.pk
    assert "Самарской области" in str(own.json()["groups"])
    codes = [e["code"] for e in client.get("/api/catalogue/").json()]
    assert {"regional", "municipal", samara.edition.code} <= set(codes)
