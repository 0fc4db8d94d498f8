"""Edge cases: odd identifiers, links entered by another authority, what other authorities can
learn through the link-target search, and data that changes under an open form."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from registry.models import LifeSituation, Organization, Process, ProcessLink
from tests.conftest import make_link, make_org
from tests.registry.test_process_editing import add_url, form_data, links

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("identifier", ["²", "1" * 30, "А-17", "3.1"])
def test_any_text_identifier_is_kept_without_a_crash(client, world, identifier):
    client.force_login(world.officer)
    response = client.post(add_url(), form_data(world, identifier=identifier))
    assert response.status_code == 302
    process = Process.objects.get(authority=world.authority, identifier=identifier)
    assert process.identifier_number is None


def test_leading_zeros_do_not_make_a_second_identifier(client, world):
    client.force_login(world.officer)
    response = client.post(add_url(), form_data(world, identifier="01"))
    assert response.status_code == 400
    assert "уже есть в реестре" in str(response.context["form"].errors["identifier"])
    response = client.post(add_url(), form_data(world, identifier="007"))
    assert Process.objects.filter(authority=world.authority, identifier="7").exists()


def test_link_target_search_sees_names_only(client, world):
    client.force_login(world.city_official)
    url = reverse("registry:link_targets")
    by_name = client.get(url, {"authority": world.authority.pk, "q": "обращений"}).json()
    assert len(by_name["results"]) == 2
    # Column 8 (the responsible person) and column 5 cannot be probed from outside.
    for probe in ("Иванов", "59-ФЗ"):
        found = client.get(url, {"authority": world.authority.pk, "q": probe}).json()
        assert found["results"] == [], probe


def city_links_to_regional_row(client, world):
    """The city officer enters: regional row 1 is the predecessor of the city's row 1."""
    client.force_login(world.city_officer)
    data = form_data(
        world,
        unit=world.city_unit.pk,
        identifier="1",
        version=Process.objects.get(pk=world.city_row.pk).version,
        group=world.city_row.group_id,
        typical_process=world.city_row.typical_process_id,
        status=world.city_row.status_id,
        **links(("predecessor", world.authority, "1")),
    )
    response = client.post(reverse("registry:process_edit", args=[world.city_row.pk]), data)
    assert response.status_code == 302


def test_another_authoritys_link_survives_an_edit_of_the_other_row(client, world):
    version_before = world.own_row.version
    city_links_to_regional_row(client, world)
    link = ProcessLink.objects.get()
    assert link.owner_authority == world.city_authority
    own_row = Process.objects.get(pk=world.own_row.pk)
    assert own_row.version == version_before + 1  # its column 12 changed

    client.force_login(world.officer)
    edit = reverse("registry:process_edit", args=[own_row.pk])
    page = client.get(edit)
    assert "Связи, внесенные другими органами власти" in page.content.decode()
    assert page.context["formset"].initial in (None, [])
    response = client.post(edit, form_data(world, identifier="1", version=own_row.version))
    assert response.status_code == 302
    assert ProcessLink.objects.filter(pk=link.pk).exists()


def test_an_edit_opened_before_a_new_link_is_refused(client, world):
    stale_version = world.own_row.version
    city_links_to_regional_row(client, world)
    client.force_login(world.official)
    edit = reverse("registry:process_edit", args=[world.own_row.pk])
    response = client.post(edit, form_data(world, identifier="1", version=stale_version))
    assert response.status_code == 409
    assert ProcessLink.objects.count() == 1


def test_removed_links_are_kept_as_removed(client, world):
    make_link(world.own_row, world.other_unit_row)
    client.force_login(world.officer)
    edit = reverse("registry:process_edit", args=[world.own_row.pk])
    response = client.post(
        edit,
        form_data(world, identifier="1", version=Process.objects.get(pk=world.own_row.pk).version),
    )
    assert response.status_code == 302
    assert not ProcessLink.objects.exists()
    removed = ProcessLink.all_objects.get()
    assert removed.removed_by == world.officer and removed.removed_at is not None
    assert Process.objects.get(pk=world.own_row.pk).links_text() == ""


@pytest.mark.parametrize("role", ["official", "officer", "coordinator"])
def test_posting_to_another_authoritys_row_changes_nothing(client, world, role):
    client.force_login(getattr(world, role))
    before = Process.objects.get(pk=world.city_row.pk)
    response = client.post(
        reverse("registry:process_edit", args=[world.city_row.pk]),
        form_data(world, identifier="1", responsible="Взлом", version=before.version),
    )
    assert response.status_code == (403 if role == "coordinator" else 404)
    after = Process.objects.get(pk=world.city_row.pk)
    assert (after.responsible, after.version) == (before.responsible, before.version)


def test_units_cannot_move_between_authorities(world):
    world.unit.parent = world.city_authority
    with pytest.raises(ValidationError) as error:
        world.unit.full_clean()
    assert "нельзя перенести в другой орган власти" in str(error.value)


def test_closed_units_are_not_offered_for_new_rows(client, world):
    import datetime

    closed = make_org(
        "unit", "Упраздненный отдел", world.authority, valid_to=datetime.date(2020, 1, 1)
    )
    client.force_login(world.officer)
    units = client.get(add_url()).context["form"].fields["unit"].queryset
    assert closed not in units and world.unit in units
    assert Organization.objects.filter(pk=closed.pk).exists()


def test_admin_refuses_a_duplicate_life_situation_with_a_message(client, world):
    LifeSituation.get_or_create_by_name("Рождение ребенка")
    client.force_login(world.coordinator)
    response = client.post(
        reverse("admin:registry_lifesituation_add"), {"name": "рождение ребёнка"}
    )
    assert response.status_code == 200
    assert "Такая жизненная ситуация уже есть" in response.content.decode()
    assert LifeSituation.objects.count() == 1


def test_coordinator_edits_typical_processes_inline(client, world):
    from registry.models import ProcessGroup

    group = ProcessGroup.objects.get(edition__level="regional", code="4")
    client.force_login(world.coordinator)
    page = client.get(reverse("admin:registry_processgroup_change", args=[group.pk]))
    assert 'name="typical_processes-TOTAL_FORMS"' in page.content.decode()
