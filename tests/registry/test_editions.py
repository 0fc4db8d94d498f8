"""A catalogue edition per region's act (issue 15 point 9): 320-рп is Omsk's; a Samara
authority works in Samara's own edition (copied from a template by an administrator, worded
as its act), and its form, pages, exports and import follow it."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from registry.models import (
    CatalogueEdition,
    Process,
    ProcessGroup,
    RegistryColumn,
    Role,
    TypicalProcess,
)
from registry.services import campaigns
from registry.services.editions import copy_edition
from registry.services.xlsx_export import export_registry
from registry.services.xlsx_import import RegistryImport
from tests.conftest import make_org, make_process, make_user
from tests.registry.xlsx_files import row, workbook_bytes

pytestmark = pytest.mark.django_db

SAMARA_5 = (
    "Обеспечение доступа к информации о деятельности органов исполнительной власти "
    "Самарской области"
)


class Samara:
    def __init__(self, world):
        self.region = make_org("region", "Самарская область", level="regional")
        self.authority = make_org(
            "authority",
            "Министерство труда, занятости и миграционной политики Самарской области",
            self.region,
            short_name="МТЗМ СО",
        )
        self.unit = make_org("unit", "Управление занятости населения МТЗМ СО", self.authority)
        self.template = CatalogueEdition.objects.get(code="regional")
        self.edition = copy_edition(
            self.template,
            self.region,
            world.admin,
            source="Распоряжение Правительства Самарской области от 01.02.2026 № 1-р",
            old_words="Омской области",
            new_words="Самарской области",
        )
        ProcessGroup.objects.filter(edition=self.edition, code="5").update(name=SAMARA_5)
        self.officer = make_user("officer_samara", Role.AUTHORIZED_OFFICER, self.authority)


@pytest.fixture
def samara(world):
    return Samara(world)


def test_the_copy_is_the_templates_catalogue_in_the_territorys_words(world, samara):
    template, edition = samara.template, samara.edition
    assert edition.territory == samara.region and not edition.is_template
    assert edition.source.endswith("№ 1-р")
    for model, path in (
        (RegistryColumn, "edition"),
        (ProcessGroup, "edition"),
        (TypicalProcess, "group__edition"),
    ):
        codes = ("number",) if model is RegistryColumn else ("code",)
        assert sorted(model.objects.filter(**{path: edition}).values_list(*codes)) == sorted(
            model.objects.filter(**{path: template}).values_list(*codes)
        )
    names = [
        *ProcessGroup.objects.filter(edition=edition).values_list("name", flat=True),
        *TypicalProcess.objects.filter(group__edition=edition).values_list("name", flat=True),
        *edition.columns.values_list("header", flat=True),
    ]
    assert not [n for n in names if "Омск" in n]
    typical = TypicalProcess.objects.get(group__edition=edition, code="5.1")
    assert "органов исполнительной власти Самарской области" in typical.name
    # each territory's authorities get their own edition, Omsk's the template of 320-рп
    assert samara.authority.edition == edition
    assert samara.unit.edition == edition
    assert world.authority.edition == template
    assert world.city_authority.edition.code == "municipal"


def test_only_an_administrator_copies_and_once_per_territory(world, samara):
    other = make_org("region", "Пензенская область", level="regional")
    with pytest.raises(PermissionDenied):
        copy_edition(samara.template, other, world.coordinator, source="Акт")
    with pytest.raises(ValidationError, match="уже есть своя редакция"):
        copy_edition(samara.template, samara.region, world.admin, source="Акт")
    with pytest.raises(ValidationError, match="правовой акт"):
        copy_edition(samara.template, other, world.admin, source=" ")
    with pytest.raises(ValidationError, match="субъекту или муниципальному"):
        copy_edition(samara.template, world.authority, world.admin, source="Акт")


def test_a_samara_officer_is_never_shown_omsks_wording(client, world, samara):
    make_process(samara.authority, samara.unit, "1", typical_code="5.1")
    client.force_login(samara.officer)
    form = client.get(reverse("registry:process_add"))
    groups = form.context["form"].fields["group"].queryset
    assert set(groups.values_list("edition", flat=True)) == {samara.edition.pk}
    for url in (
        reverse("registry:process_add"),
        reverse("registry:process_list"),
        reverse(
            "registry:process_detail", args=[Process.objects.get(authority=samara.authority).pk]
        ),
        reverse("registry:coverage"),
    ):
        page = client.get(url).content.decode()
        assert "Омской области" not in page, url
    response = client.get(reverse("registry:process_list"), {"export": "xlsx"})
    body = b"".join(response.streaming_content)
    cells = [
        str(v)
        for s in openpyxl.load_workbook(io.BytesIO(body)).worksheets
        for r in s.iter_rows(values_only=True)
        for v in r
        if v
    ]
    assert not [c for c in cells if "Омск" in c]
    assert any("органов исполнительной власти Самарской области" in c for c in cells)


def test_a_samara_file_is_read_in_samaras_edition(world, samara, tmp_path):
    typical = TypicalProcess.objects.get(group__edition=samara.edition, code="5.1")
    data = workbook_bytes([row("7", c6=SAMARA_5, c7=typical.name)])
    report = RegistryImport(samara.authority, samara.officer, samara.unit).preview(data)
    assert report.file_errors == []
    read = next(r for r in report.rows if r.identifier == "7")
    assert read.errors == [] and read.action == "new", (read.errors, read.action)
    make_process(samara.authority, samara.unit, "1", typical_code="5.1")
    path = tmp_path / "samara.xlsx"
    export_registry(Process.objects.filter(authority=samara.authority), str(path))
    again = RegistryImport(samara.authority, None, None).preview(path.read_bytes())
    assert {r.identifier: r.action for r in again.rows} == {"1": "unchanged"}


def test_coverage_counts_the_authoritys_own_catalogue(world, samara):
    make_process(samara.authority, samara.unit, "1", typical_code="5.1")
    coverage = campaigns.catalogue_coverages([samara.authority, world.authority])
    own = coverage[samara.authority.pk]
    assert own.typical_covered == 1
    assert {g.edition_id for g in own.missing_groups} == {samara.edition.pk}
    assert {g.edition_id for g in coverage[world.authority.pk].missing_groups} == {
        samara.template.pk
    }


def test_the_administrator_copies_from_the_reference_pages(client, world):
    region = make_org("region", "Пензенская область", level="regional")
    template = CatalogueEdition.objects.get(code="regional")
    url = reverse("admin:registry_catalogueedition_changelist")
    chosen = {"action": "copy_for_territory", "_selected_action": [template.pk]}
    client.force_login(world.coordinator)
    refused = client.post(url, chosen, follow=True)
    assert "создает администратор" in refused.content.decode()
    assert not CatalogueEdition.objects.filter(territory=region).exists()
    client.force_login(world.admin)
    form = client.post(url, chosen)
    assert "Новая редакция по образцу" in form.content.decode()
    done = client.post(
        url,
        {
            **chosen,
            "apply": "1",
            "territory": region.pk,
            "source": "Распоряжение Правительства Пензенской области от 01.03.2026 № 5-рп",
            "old_words": "Омской области",
            "new_words": "Пензенской области",
        },
    )
    edition = CatalogueEdition.objects.get(territory=region)
    assert done.status_code == 302
    assert done["Location"] == reverse("admin:registry_catalogueedition_change", args=[edition.pk])
    assert "Пензенской области" in ProcessGroup.objects.get(edition=edition, code="5").name


def test_a_coordinator_edits_his_territorys_edition_only(client, world, samara):
    coordinator = make_user("coordinator_samara", Role.COORDINATOR, samara.region)
    client.force_login(coordinator)
    changelist = client.get(reverse("admin:registry_catalogueedition_changelist"))
    assert list(changelist.context["cl"].result_list) == [samara.edition]
    groups = client.get(reverse("admin:registry_processgroup_changelist"))
    assert {g.edition_id for g in groups.context["cl"].result_list} == {samara.edition.pk}
    omsk_group = ProcessGroup.objects.get(edition=samara.template, code="5")
    url = reverse("admin:registry_processgroup_change", args=[omsk_group.pk])
    assert client.get(url).status_code == 302  # «does not exist» for him
    own = ProcessGroup.objects.get(edition=samara.edition, code="5")
    page = client.get(reverse("admin:registry_processgroup_change", args=[own.pk]))
    assert page.status_code == 200
    client.force_login(world.coordinator)  # nationwide: every edition
    every = client.get(reverse("admin:registry_catalogueedition_changelist"))
    assert set(every.context["cl"].result_list) == set(CatalogueEdition.objects.all())


def posted(page) -> dict:
    """The admin form of `page` as its browser would post it back, unchanged."""
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value.pk if hasattr(value, "pk") else value
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(
            {f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()}
        )
        for sub in formset.forms:
            for name in sub.fields:
                value = sub.instance.pk if name == "id" else sub.initial.get(name)
                if name == formset.fk.name:
                    value = formset.instance.pk
                if isinstance(value, bool):
                    if value:
                        data[sub.add_prefix(name)] = "on"
                elif value is not None:
                    data[sub.add_prefix(name)] = getattr(value, "pk", value)
    return data


def test_a_coordinator_cannot_move_reference_data_out_of_his_territory(client, world, samara):
    """The rows he reaches are his territory's: a group moved to (or added in) another
    edition, or his edition given to another territory, is refused on the form."""
    coordinator = make_user("coordinator_samara", Role.COORDINATOR, samara.region)
    client.force_login(coordinator)
    own = ProcessGroup.objects.get(edition=samara.edition, code="5")
    url = reverse("admin:registry_processgroup_change", args=[own.pk])
    data = posted(client.get(url))
    assert client.post(url, data).status_code == 302  # unchanged: his to save
    moved = client.post(url, {**data, "edition": samara.template.pk})
    assert moved.status_code == 200 and moved.context["adminform"].form.errors
    own.refresh_from_db()
    assert own.edition == samara.edition

    add = reverse("admin:registry_processgroup_add")
    data = {**posted(client.get(add)), "code": "99", "name": "Чужая группа"}
    refused = client.post(add, {**data, "edition": samara.template.pk})
    assert refused.status_code == 200 and refused.context["adminform"].form.errors
    assert not ProcessGroup.objects.filter(code="99").exists()
    assert client.post(add, {**data, "edition": samara.edition.pk}).status_code == 302

    town = make_org("municipality", "Город Тольятти", samara.region, level="municipal")
    url = reverse("admin:registry_catalogueedition_change", args=[samara.edition.pk])
    given = client.post(url, {**posted(client.get(url)), "territory": town.pk})
    assert given.status_code == 200 and given.context["adminform"].form.errors
    samara.edition.refresh_from_db()
    assert samara.edition.territory == samara.region
