"""Every role against every registry view, including attempts on another authority's rows."""

import json

import pytest
from django.urls import reverse

from registry.models import ProposalAction, ProposalItem

pytestmark = pytest.mark.django_db

ROLES = [
    "official",
    "other_official",
    "officer",
    "city_official",
    "city_officer",
    "coordinator",
    "admin",
]

# role -> which rows of World it may see / edit
VISIBLE = {
    "official": {"own_row", "other_unit_row"},
    "other_official": {"own_row", "other_unit_row"},
    "officer": {"own_row", "other_unit_row"},
    "city_official": {"city_row"},
    "city_officer": {"city_row"},
    "coordinator": {"own_row", "other_unit_row", "city_row"},
    "admin": {"own_row", "other_unit_row", "city_row"},
}
EDITABLE = {
    "official": {"own_row"},
    "other_official": {"other_unit_row"},
    "officer": {"own_row", "other_unit_row"},
    "city_official": {"city_row"},
    "city_officer": {"city_row"},
    "coordinator": set(),
    "admin": {"own_row", "other_unit_row", "city_row"},
}
ROWS = ["own_row", "other_unit_row", "city_row"]


def login(client, world, role):
    client.force_login(getattr(world, role))
    return client


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_only_visible_rows(client, world, role):
    login(client, world, role)
    response = client.get(reverse("registry:process_list"), {"excluded": "with"})
    assert response.status_code == 200
    shown = {row.record.pk for row in response.context["table"].page.object_list}
    expected = {getattr(world, name).pk for name in VISIBLE[role]}
    assert shown == expected


@pytest.mark.parametrize("role", ROLES)
def test_filtering_by_another_authority_gives_nothing(client, world, role):
    login(client, world, role)
    foreign = world.city_authority if "city" not in role else world.authority
    response = client.get(reverse("registry:process_list"), {"authority": foreign.pk})
    rows = list(response.context["table"].page.object_list)
    if role in ("coordinator", "admin"):
        assert rows  # they read every authority
    else:
        # The choice is not offered, so the filter is invalid and nothing is shown.
        assert rows == [] or response.context["filter"].errors


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS)
def test_detail_is_404_outside_scope(client, world, role, row):
    login(client, world, role)
    process = getattr(world, row)
    response = client.get(reverse("registry:process_detail", args=[process.pk]))
    assert response.status_code == (200 if row in VISIBLE[role] else 404)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS)
def test_edit_page_by_scope(client, world, role, row):
    login(client, world, role)
    process = getattr(world, row)
    response = client.get(reverse("registry:process_edit", args=[process.pk]))
    if row in EDITABLE[role]:
        assert response.status_code == 200
    elif row in VISIBLE[role]:
        assert response.status_code == 403
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS)
def test_exclude_by_scope_and_nothing_changes_when_refused(client, world, role, row):
    login(client, world, role)
    process = getattr(world, row)
    response = client.post(
        reverse("registry:process_exclude", args=[process.pk]), {"reason": "Передача функции"}
    )
    process.refresh_from_db()
    proposed = ProposalItem.objects.filter(process=process, action=ProposalAction.EXCLUDE)
    if row in EDITABLE[role] and role.endswith("official"):
        # A unit proposes; the row stays until the authorized officer approves.
        assert response.status_code == 302
        assert not process.is_excluded
        assert proposed.get().proposal.author == getattr(world, role)
    elif row in EDITABLE[role]:
        assert response.status_code == 302
        assert process.is_excluded
        assert not proposed.exists()
    else:
        assert not proposed.exists()
        assert response.status_code == (403 if row in VISIBLE[role] else 404)
        assert not process.is_excluded


@pytest.mark.parametrize("role", ROLES)
def test_create_page_by_role(client, world, role):
    login(client, world, role)
    response = client.get(reverse("registry:process_add"))
    assert response.status_code == (403 if role == "coordinator" else 200)


def test_anonymous_is_sent_to_login_everywhere(client, world):
    pk = world.own_row.pk
    for url in (
        reverse("registry:process_list"),
        reverse("registry:process_add"),
        reverse("registry:process_detail", args=[pk]),
        reverse("registry:process_edit", args=[pk]),
        reverse("registry:process_exclude", args=[pk]),
        reverse("registry:link_targets") + f"?authority={world.authority.pk}",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    response = client.post(reverse("registry:process_restore", args=[pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_link_targets_expose_only_identifier_names_and_authority(client, world):
    login(client, world, "city_official")
    response = client.get(reverse("registry:link_targets"), {"authority": world.authority.pk})
    assert response.status_code == 200
    results = json.loads(response.content)["results"]
    assert {r["identifier"] for r in results} == {"1", "2"}
    assert set(results[0]) == {"identifier", "name", "function_name", "authority"}
    # No responsible person, no status, no acts of the other authority.
    assert "Иванов" not in response.content.decode()


def test_coordinator_cannot_use_link_targets(client, world):
    login(client, world, "coordinator")
    response = client.get(reverse("registry:link_targets"), {"authority": world.authority.pk})
    assert response.status_code == 403


def test_restore_is_scoped(client, world):
    world.city_row.is_excluded = True
    world.city_row.save()
    login(client, world, "officer")
    response = client.post(reverse("registry:process_restore", args=[world.city_row.pk]))
    assert response.status_code == 404
    world.city_row.refresh_from_db()
    assert world.city_row.is_excluded


class TestAdmin:
    def test_officials_and_officers_have_no_admin(self, client, world):
        for role in ("official", "officer", "city_officer"):
            login(client, world, role)
            response = client.get(reverse("admin:index"))
            assert response.status_code == 302  # to the admin login: not staff

    def test_coordinator_maintains_reference_data_but_not_users(self, client, world):
        login(client, world, "coordinator")
        assert client.get(reverse("admin:registry_typicalprocess_changelist")).status_code == 200
        assert client.get(reverse("admin:registry_organization_changelist")).status_code == 200
        assert client.get(reverse("admin:registry_user_changelist")).status_code == 403

    def test_administrator_manages_users(self, client, world):
        login(client, world, "admin")
        assert client.get(reverse("admin:registry_user_changelist")).status_code == 200

    def test_nothing_can_be_deleted_in_admin(self, client, world):
        login(client, world, "admin")
        url = reverse("admin:registry_typicalprocess_delete", args=[1])
        assert client.get(url).status_code == 403
        url = reverse("admin:registry_process_delete", args=[world.own_row.pk])
        assert client.get(url).status_code == 403

    def test_process_admin_is_read_only(self, client, world):
        login(client, world, "coordinator")
        url = reverse("admin:registry_process_change", args=[world.city_row.pk])
        response = client.post(url, {"identifier": "99"})
        assert response.status_code == 403
        world.city_row.refresh_from_db()
        assert world.city_row.identifier == "1"

    @pytest.mark.parametrize("role", ["coordinator", "admin"])
    def test_every_admin_page_opens_for_staff(self, client, world, role):
        from django.contrib import admin

        login(client, world, role)
        for model, model_admin in admin.site._registry.items():
            if not model_admin.has_view_permission(_request(getattr(world, role))):
                continue
            info = (model._meta.app_label, model._meta.model_name)
            changelist = client.get(reverse("admin:{}_{}_changelist".format(*info)))
            assert changelist.status_code == 200, info
            obj = model.objects.first()
            if obj is not None:
                change = client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
                assert change.status_code == 200, info


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request
