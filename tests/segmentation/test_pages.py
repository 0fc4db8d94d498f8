"""Segmentation pages: scoped by authority, the profile form with its attribute table, the
printable page and XLSX, coverage as a table and as XLSX."""

import io
from datetime import date
from types import SimpleNamespace

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import Job
from registry.models import Process
from segmentation.jobs import SEGMENTATION_FIGURES
from segmentation.models import (
    SatisfactionAssessment,
    SegmentationFigures,
    SegmentProfile,
    Touchpoint,
)
from segmentation.services import coverage, profiles
from segmentation.services.figures import recompute_segmentation
from tests.conftest import make_authorities, make_process, with_version
from tests.segmentation.test_segmentation import ATTRIBUTES, new_profile

pytestmark = pytest.mark.django_db


def profile_post(world, rows, **extra):
    data = {
        "authority": world.authority.pk,
        "direction": "Реализация молодежной политики",
        "name": "Молодые люди — инициаторы проектов",
        "client_kind": "external",
        "path_features": "Подают заявку в электронном виде",
        "channels": "Сайт; мессенджеры",
        "groups": [world.own_row.group_id],
        "processes": [world.own_row.pk],
        "attributes-TOTAL_FORMS": str(len(rows)),
        "attributes-INITIAL_FORMS": "0",
        "attributes-MIN_NUM_FORMS": "0",
        "attributes-MAX_NUM_FORMS": "1000",
    }
    for i, (attribute, value) in enumerate(rows):
        data[f"attributes-{i}-attribute"] = attribute
        data[f"attributes-{i}-value"] = value
    data.update(extra)
    return data


def test_official_creates_a_profile_with_its_table(client, world):
    client.force_login(world.official)
    response = client.post(
        reverse("segmentation:profile_add"), profile_post(world, [*ATTRIBUTES, ("", "")])
    )
    profile = SegmentProfile.objects.get()
    assert response.url == reverse("segmentation:profile_detail", args=[profile.pk])
    assert profile.authority == world.authority and profile.created_by == world.official
    assert [a.attribute for a in profile.attributes.all()] == [a for a, _ in ATTRIBUTES]
    page = client.get(response.url).content.decode()
    assert "Форма профиля клиентского сегмента" in page and "14–35 лет" in page


def test_half_filled_row_is_refused_with_its_number_and_nothing_saved(client, world):
    client.force_login(world.official)
    response = client.post(
        reverse("segmentation:profile_add"), profile_post(world, [("Возраст", "")])
    )
    assert response.status_code == 400
    assert "Строка 1: укажите значение сегмента для признака «Возраст»." in (
        response.content.decode()
    )
    assert not SegmentProfile.objects.exists()


def test_a_foreign_authority_in_the_post_is_not_accepted(client, world):
    client.force_login(world.city_officer)
    client.post(reverse("segmentation:profile_add"), profile_post(world, ATTRIBUTES))
    assert not SegmentProfile.objects.filter(authority=world.authority).exists()


@pytest.mark.parametrize(
    ("role", "read", "edit"),
    [
        ("official", 200, 200),
        ("officer", 200, 200),
        ("city_officer", 404, 404),
        ("coordinator", 200, 403),
    ],
)
def test_profile_pages_by_role(client, world, role, read, edit):
    profile = profiles.save_profile(new_profile(world), ATTRIBUTES, [], [], world.officer)
    client.force_login(getattr(world, role))
    assert client.get(reverse("segmentation:profile_detail", args=[profile.pk])).status_code == read
    assert client.get(reverse("segmentation:profile_edit", args=[profile.pk])).status_code == edit
    listed = client.get(reverse("segmentation:profile_list")).context["profiles"]
    assert (profile in list(listed)) == (read == 200)


def test_archiving_instead_of_deleting(client, world):
    profile = profiles.save_profile(new_profile(world), ATTRIBUTES, [], [], world.officer)
    client.force_login(world.city_officer)
    url = reverse("segmentation:archive", args=["profile", profile.pk])
    assert client.post(url).status_code == 404
    client.force_login(world.official)
    client.post(url)  # a page without the version proves nothing: refused as stale
    profile.refresh_from_db()
    assert not profile.is_archived
    client.post(url, with_version(profile))
    profile.refresh_from_db()
    assert profile.is_archived and SegmentProfile.objects.filter(pk=profile.pk).exists()


def test_profile_xlsx_in_the_layout_of_the_form(client, world):
    profile = profiles.save_profile(
        new_profile(world, name="=HYPERLINK(1)"), ATTRIBUTES, [], [], world.officer
    )
    client.force_login(world.official)
    response = client.get(
        reverse("segmentation:profile_detail", args=[profile.pk]), {"export": "xlsx"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == ["Форма профиля клиентского сегмента"]
    assert cells[3] == ["2. Профиль клиентского сегмента:", "=HYPERLINK(1)"]  # text, not formula
    assert cells[5] == ["№ п/п", "Признак сегментации", "Значение сегмента"]
    assert cells[6:9] == [[str(n), a, v] for n, (a, v) in enumerate(ATTRIBUTES, start=1)]


def test_touchpoint_page_and_coverage_table_and_xlsx(client, world):
    client.force_login(world.official)
    client.post(
        reverse("segmentation:touchpoint_add"),
        {
            "authority": world.authority.pk,
            "process": world.own_row.pk,
            "channel": "phone",
            "place": "Приемная, тел. 8 (3812) 00-00-00",
        },
    )
    assert Touchpoint.objects.get().created_by == world.official
    page = client.get(reverse("segmentation:coverage"))
    tables = page.context["tables"]
    assert [a for a, _ in tables] == [world.authority]
    group4 = next(e for e in tables[0][1] if e.group == world.own_row.group)
    assert group4.missing["touchpoints"] == [world.other_unit_row]
    response = client.get(reverse("segmentation:coverage"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Орган власти", "Группа процессов", "Услуг в реестре")
    row4 = next(r for r in rows if r[1] == world.own_row.group.name)
    assert row4[2] == "2"
    assert row4[5] == "1" and row4[6].startswith("2. ")  # touchpoints: 1 with, row 2 without


def test_coordinator_reads_every_authoritys_coverage(client, world):
    recompute_segmentation()
    client.force_login(world.coordinator)
    page = client.get(reverse("segmentation:coverage"))
    listed = {row.record.authority for row in page.context["table"].page.object_list}
    assert listed == {world.authority, world.city_authority}
    one = client.get(reverse("segmentation:coverage"), {"authority": world.city_authority.pk})
    assert [a for a, _ in one.context["tables"]] == [world.city_authority]


def test_roadmap_measures_lead_to_the_coverage_they_demand(client, world):
    from roadmaps.models import RoadmapItem
    from roadmaps.services.demo import load_seed_roadmaps
    from segmentation.services.coverage import demanded_by_measure

    load_seed_roadmaps()
    measures = RoadmapItem.objects.filter(
        roadmap__owner=world.authority, is_section=False, number__startswith="3.2."
    ).order_by("sort_key")
    # Seed 000, appendix № 29, section 3.2 (appeals): touchpoints, segmentation, satisfaction.
    assert [demanded_by_measure(m.text) for m in measures[:3]] == [
        "touchpoints",
        "profile",
        "assessment",
    ]
    client.force_login(world.officer)
    page = client.get(reverse("roadmaps:item_detail", args=[measures[1].pk]))
    link = reverse("segmentation:coverage") + f"?authority={world.authority.pk}"
    assert link in page.content.decode()
    other = next(
        m
        for m in RoadmapItem.objects.filter(roadmap__owner=world.authority, is_section=False)
        if demanded_by_measure(m.text) is None
    )
    page = client.get(reverse("roadmaps:item_detail", args=[other.pk]))
    assert "охват услуг сегментацией" not in page.content.decode()


def test_a_stale_profile_form_is_refused_and_excluded_links_are_kept(client, world):
    profile = profiles.save_profile(
        new_profile(world), ATTRIBUTES, [], [world.own_row], world.officer
    )
    world.own_row.is_excluded = True
    world.own_row.save()
    client.force_login(world.official)
    url = reverse("segmentation:profile_edit", args=[profile.pk])
    opened = client.get(url).context["form"].initial["version"]
    data = profile_post(world, ATTRIBUTES, version=opened, name="Первое сохранение")
    assert client.post(url, data).status_code == 302
    profile.refresh_from_db()
    assert profile.name == "Первое сохранение"
    assert list(profile.processes.all()) == [world.own_row]  # the excluded row stays linked
    stale = client.post(url, profile_post(world, ATTRIBUTES, version=opened, name="Второе"))
    # 409 with the current values, as the registry row form answers (was a 400 form error).
    assert stale.status_code == 409
    assert "уже изменил другой пользователь" in stale.content.decode()
    assert stale.context["form"]["name"].value() == "Первое сохранение"
    profile.refresh_from_db()
    assert profile.name == "Первое сохранение"


def test_form_offers_the_authoritys_own_catalogue_and_rows_only(client, world):
    client.force_login(world.official)
    form = client.get(reverse("segmentation:profile_add")).context["form"]
    assert {g.edition.level for g in form.fields["groups"].queryset} == {"regional"}
    assert {p.authority_id for p in form.fields["processes"].queryset} == {world.authority.pk}


def keep_records(authority):
    """A profile (for a group and a row of another group), touchpoints for the first row's
    group and an assessment of one row: something of every kind the coverage reads."""
    rows = list(Process.objects.filter(authority=authority).order_by("identifier_number"))
    profile = new_profile(SimpleNamespace(authority=authority))
    profile.save()
    profile.groups.set([rows[0].group])
    profile.processes.set([rows[-1]])
    Touchpoint.objects.create(
        authority=authority, group=rows[0].group, channel="website", place="Сайт"
    )
    SatisfactionAssessment.objects.create(
        authority=authority,
        process=rows[-1],
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
        method="анкетирование",
        sample_size=30,
        result="Удовлетворены 80 %",
    )


def coverage_queries(client, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("segmentation:coverage"), params)
    assert response.status_code == 200
    if params.get("export"):
        return len(ctx.captured_queries), len(xlsx_rows(response)) - 1
    return len(ctx.captured_queries), response.context["table"].paginator.count


def xlsx_rows(response):
    content = b"".join(response.streaming_content)
    return list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


@pytest.mark.parametrize("export", ["", "xlsx"])
def test_coverage_queries_do_not_grow_with_authorities(client, world, export):
    make_process(world.authority, world.unit, "3", typical_code="6.4")
    for authority in (world.authority, world.city_authority):
        keep_records(authority)
    recompute_segmentation()
    client.force_login(world.coordinator)
    coverage_queries(client, export=export)  # the session and the user
    with_two, listed = coverage_queries(client, export=export)
    for authority in make_authorities(world.region, 4, rows=3):
        keep_records(authority)
    recompute_segmentation()
    with_six, more = coverage_queries(client, export=export)
    assert (listed, more) == (2, 6)
    assert with_six == with_two


def test_stored_figures_are_what_each_authoritys_own_coverage_gives(world):
    make_process(world.authority, world.unit, "3", typical_code="6.4")
    keep_records(world.authority)
    more = make_authorities(world.region, 2, rows=3)
    keep_records(more[0])
    assert recompute_segmentation() == 4
    for authority in [world.authority, world.city_authority, *more]:
        figures = SegmentationFigures.objects.get(authority=authority)
        entries = [e for e in coverage.authority_coverage(authority) if e.services]
        assert figures.services == sum(len(e.services) for e in entries)
        for aspect in coverage.ASPECTS:
            assert getattr(figures, aspect) == sum(e.covered(aspect) for e in entries)
        assert figures.groups_complete == sum(1 for e in entries if e.complete)
    assert SegmentationFigures.objects.get(authority=more[1]).percent == 0


def test_the_national_page_filters_totals_and_exports_what_it_lists(client, world):
    keep_records(world.authority)
    make_authorities(world.region, 2, rows=3)
    recompute_segmentation()
    client.force_login(world.coordinator)
    url = reverse("segmentation:coverage")
    page = client.get(url, {"region": world.region.pk})
    assert page.context["totals"]["authorities"] == 3
    assert 'data-testid="figures-freshness"' in page.content.decode()
    assert not Job.objects.exists()  # fresh figures: nothing queued
    rows = xlsx_rows(client.get(url, {"region": world.region.pk, "export": "xlsx"}))
    assert rows[0][:3] == ("Орган власти", "Регион (муниципальное образование)", "Услуг в реестре")
    assert world.city_authority.full_name not in {r[0] for r in rows[1:]}
    assert len(rows) == 4
    SegmentationFigures.objects.filter(authority=world.city_authority).delete()
    client.get(url)
    assert Job.objects.get().kind == SEGMENTATION_FIGURES  # an authority had none: queued


def test_an_officer_reads_his_own_authority_live(client, world):
    client.force_login(world.city_officer)
    page = client.get(reverse("segmentation:coverage"), {"authority": world.authority.pk})
    assert [a for a, _ in page.context["tables"]] == [world.city_authority]
    assert not Job.objects.exists()
    assert client.post(reverse("segmentation:coverage_recompute")).status_code == 403


def test_the_cron_command_recomputes_both_coverages(world):
    from django.core.management import call_command

    from registry.models import CatalogueFigures

    out = io.StringIO()
    call_command("recompute_coverage", stdout=out)
    assert "Охват перечня: органов власти — 2" in out.getvalue()
    assert "Охват услуг сегментацией: органов власти — 2" in out.getvalue()
    assert CatalogueFigures.objects.count() == SegmentationFigures.objects.count() == 2


def test_equal_shares_are_listed_by_name(client, world):
    made = make_authorities(world.region, 3, rows=3)
    recompute_segmentation()
    client.force_login(world.coordinator)
    table = client.get(reverse("segmentation:coverage"), {"region": world.region.pk}).context[
        "table"
    ]
    listed = [row.record.authority for row in table.page.object_list]
    assert listed == [world.authority, *made]  # all at 0 %: by name («Главное…», «Министерство…»)
