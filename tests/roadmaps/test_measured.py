"""Measures measured from the portal's own data (issue 15 point 3): the wording → figure
rules are data, read on the seeds' own measures; each figure counts the owning authority's
data, narrowed to the measure's group or sub-area, with the moment it was counted."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry.models import CampaignKind, ProcessGroup, ReengineeringStatus
from registry.services import campaigns, publication, reengineering, version_records
from roadmaps.models import MeasureArea, MeasureMetric, Metric, RoadmapItem
from roadmaps.services import measured
from segmentation.models import Touchpoint
from tests.conftest import make_process
from tests.roadmaps.conftest import CHELYABINSK, OMSK, SAMARA, make_item, make_roadmap

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
MEASURE_LINE = re.compile(r"^(\d+(?:\.\d+)+\.)\t([^\t]+)")


def seed_measures(path) -> dict[str, str]:
    """Number -> text of every measure row of a seed table (the text in its own cell)."""
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = MEASURE_LINE.match(line)
        if match:
            rows[match.group(1)] = re.sub(r"<[^>]+>|\[\d+\]", "", match.group(2)).strip()
    return rows


def test_the_seeds_wording_names_the_figures():
    omsk, chelyabinsk, samara = (seed_measures(p) for p in (OMSK, CHELYABINSK, SAMARA))
    expected = {
        omsk["1.4."]: Metric.REGISTRY_FORMED,
        chelyabinsk["1.3."]: Metric.REGISTRY_FORMED,
        samara["3.5."]: Metric.REGISTRY_APPROVED,  # «Во всех ОИВ СО утверждены реестры»
        samara["3.4."]: None,  # «Утвержден порядок ведения реестра» is not the registry
        omsk["1.6."]: Metric.ASSESSMENT,
        omsk["3.1.1."]: Metric.TOUCHPOINTS,
        omsk["3.1.2."]: Metric.PROFILE,
        omsk["3.1.3."]: Metric.ASSESSMENT,
        omsk["3.1.4."]: None,
        omsk["3.1.6."]: Metric.REENGINEERING_PLAN,
        omsk["3.5.7."]: Metric.REENGINEERING,  # without a percentage
        chelyabinsk["3.10.7."]: Metric.REENGINEERING,
        samara["6.6."]: Metric.REENGINEERING_PLAN,
    }
    assert {text: measured.metric_of(text) for text in expected} == expected
    # «Проведен реинжиниринг 10 % процессов …» is the registry target's, not this figure.
    assert measured.metric_of(omsk["3.1.7."]) is None


@pytest.mark.parametrize(
    "number, area",
    [
        ("3.7.2.", "internal-it"),
        ("3.8.3.", "internal-accounting"),
        ("3.9.6.", "internal-administrative"),
        ("3.10.1.", "internal-property"),
        ("3.2.2.", "support"),
        ("3.3.1.", "control"),
        ("3.4.3.", "appeals"),
        ("3.5.2.", "information"),
        ("3.6.2.", "internal"),
    ],
)
def test_chelyabinsk_measures_are_narrowed_to_their_group_or_sub_area(world, number, area):
    text = seed_measures(CHELYABINSK)[number]
    item = RoadmapItem(text=text)
    assert measured.area_of(item, "regional").rule.code == area


def test_a_measure_without_a_group_in_its_text_takes_its_sections(world):
    roadmap = make_roadmap(world.authority)
    section = make_item(
        roadmap, "3.1.", text="Процессы предоставления услуг (сервисов)", is_section=True
    )
    item = make_item(roadmap, "3.1.2.", text="Проведена сегментация клиентов", parent=section)
    area = measured.area_of(item, "regional")
    assert [g.code for g in area.groups] == ["1"] and area.typical is None
    it = measured.area_of(RoadmapItem(text=seed_measures(OMSK)["3.5.2."]), "regional")
    assert [t.code for t in it.typical] == ["6.15", "6.16"]
    assert it.label.endswith("(типовые процессы 6.15, 6.16)")


def item_for(world, text, number="1.4."):
    return make_item(make_roadmap(world.authority, f"План {number}"), number, text=text)


def test_registry_formed_approved_published_from_versions_acts_and_placements(world):
    omsk = seed_measures(OMSK)
    formed = item_for(world, omsk["1.4."])
    approved = item_for(world, "Утвержден реестр процессов Главного управления", "1.5.")
    published = item_for(world, "Опубликован реестр процессов на официальном сайте", "1.8.")
    assert not measured.measure(formed).reached
    assert "не сформирован" in measured.measure(formed).figure
    version = publication.publish(world.authority, world.officer)
    reading = measured.measure(formed)
    assert reading.reached and "версия № 1" in reading.figure and "строк: 2" in reading.figure
    assert reading.computed_at <= timezone.now()
    assert not measured.measure(approved).reached
    assert "Акт об утверждении реестра не записан" in measured.measure(approved).figure
    version_records.record_approval(version, "распоряжение", "15-р", TODAY, world.officer)
    reading = measured.measure(approved)
    assert reading.reached and "№ 15-р" in reading.figure
    assert not measured.measure(published).reached
    version_records.record_placement(version, "https://mdm.omskportal.ru/r", TODAY, world.officer)
    reading = measured.measure(published)
    assert reading.reached and "https://mdm.omskportal.ru/r" in reading.figure
    assert reading.lines == []
    world.own_row.responsible = "Сидоров С. С."
    world.own_row.save()
    assert "Реестр изменен" in measured.measure(published).lines[0]


def test_quarterly_actualization_from_the_answers_of_each_quarter(world):
    item = item_for(world, "Обеспечена ежеквартальная актуализация реестра процессов")
    assert not measured.measure(item).reached
    campaign = campaigns.open_campaign(
        world.coordinator,
        kind=CampaignKind.QUARTERLY,
        year=2026,
        quarter=4,
        due_date=TODAY + timedelta(days=10),
        authorities=[world.authority],
    )
    first, second = campaign.participants.order_by("pk")
    campaigns.answer_no_changes(first, world.officer)
    reading = measured.measure(item)
    assert reading.lines == [
        f"IV квартал 2026 года — ответы подразделений: 1 из 2 (срок "
        f"{TODAY + timedelta(days=10):%d.%m.%Y})"
    ]
    assert not reading.reached
    campaigns.answer_no_changes(second, world.officer)
    assert measured.measure(item).reached


def status(level, code):
    return ReengineeringStatus.objects.get(edition__level=level, code=code)


def test_reengineering_without_a_percentage_counts_the_sub_areas_statuses(world):
    item = item_for(world, seed_measures(OMSK)["3.5.7."], "3.5.7.")
    make_process(world.authority, world.unit, "20", "6.16", status_code="reengineered")
    make_process(world.authority, world.unit, "21", "6.4", status_code="reengineering")  # not IT
    reading = measured.measure(item)
    assert reading.figure.startswith("Прошли реинжиниринг: 1 из 1")
    assert reading.reached and reading.area.rule.code == "internal-it"
    queued = make_process(world.authority, world.unit, "22", "6.15", "reengineering_queued")
    reading = measured.measure(item)
    assert reading.figure.startswith("Прошли реинжиниринг: 1 из 2") and not reading.reached
    assert reading.lines == ["в очереди на реинжиниринг: 1", "прошел реинжиниринг: 1"]
    queued.status = status("regional", "reengineered")
    queued.save()
    assert measured.measure(item).reached


def test_touchpoints_are_counted_in_the_measures_own_group(world):
    item = item_for(world, seed_measures(OMSK)["3.2.1."], "3.2.1.")  # обращений и запросов
    group_1 = ProcessGroup.objects.get(edition__level="regional", code="1")
    Touchpoint.objects.create(authority=world.authority, group=group_1, channel="portal", place="x")
    reading = measured.measure(item)
    assert reading.figure.endswith("точки взаимодействия: 0 из 2.") and not reading.reached
    Touchpoint.objects.create(
        authority=world.authority, group=world.own_row.group, channel="portal", place="y"
    )
    reading = measured.measure(item)
    assert reading.figure.endswith(": 2 из 2.") and reading.reached
    assert reading.lines == [f"{world.own_row.group.label}: 2 из 2"]


def test_the_plan_measure_reads_the_reengineering_plan_of_its_group(world):
    item = item_for(world, seed_measures(OMSK)["3.2.6."], "3.2.6.")  # обращений и запросов
    assert not measured.measure(item).reached
    other = make_process(world.authority, world.unit, "30", "1.1", "reengineering_queued")
    reengineering.add_entry(other, TODAY + timedelta(days=3), "Иванов И. И.", world.officer)
    assert measured.measure(item).figure.startswith(
        "В плане реинжиниринга процессов этой области: 0"
    )
    reengineering.add_entry(world.own_row, TODAY + timedelta(days=3), "Иванов И. И.", None)
    reading = measured.measure(item)
    assert reading.reached and "этой области: 1;" in reading.figure
    assert reading.link.endswith(f"?authority={world.authority.pk}")


def test_the_rules_are_data(world):
    item = item_for(world, "Обеспечена ежеквартальная актуализация реестра процессов")
    assert measured.measure(item).metric == Metric.ACTUALIZATION
    MeasureMetric.objects.filter(code="actualization").update(pattern="ничего такого")
    assert measured.measure(item) is None
    MeasureArea.objects.filter(code="internal-it").update(typical_codes=["6.4"])
    it = measured.area_of(RoadmapItem(text=seed_measures(OMSK)["3.5.2."]), "regional")
    assert [t.code for t in it.typical] == ["6.4"]


def test_a_region_plan_is_not_measured(world):
    item = make_item(make_roadmap(world.region), "1.4.", text=seed_measures(OMSK)["1.4."])
    assert measured.measure(item) is None


def page_queries(client, item) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("roadmaps:item_detail", args=[item.pk])).status_code == 200
    return len(queries)


@pytest.mark.parametrize("number", ["1.4.", "3.1.2.", "3.1.6.", "3.5.7."])
def test_the_measure_page_shows_the_figure_in_constant_queries(world, number):
    item = item_for(world, seed_measures(OMSK)[number], number)
    client = Client()
    client.force_login(world.officer)
    page = client.get(reverse("roadmaps:item_detail", args=[item.pk])).content.decode()
    assert 'data-testid="reading"' in page and "Рассчитано " in page
    before = page_queries(client, item)
    for n in range(12):
        row = make_process(world.authority, world.unit, str(100 + n), "1.1", "reengineering_queued")
        reengineering.add_entry(row, date.today() + timedelta(days=5), "Иванов И. И.", None)
    assert page_queries(client, item) == before


def test_seed_demo_has_a_plan_the_measure_of_appendix_29_reads(client, settings):
    """The demo officer's plan (fixtures/demo.json): row 8 of group 1 is past its term of
    01.07.2025, a task of his; measure 3.1.6 of appendix № 29 (seed 000) reads the plan and
    1.4 the published version; seeding again adds nothing."""
    from io import StringIO

    from django.core.management import call_command

    from portal.tasks import tasks_for
    from registry.models import ReengineeringPlanEntry, User

    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    officer = User.objects.get(username="officer")
    assert ReengineeringPlanEntry.objects.filter(authority=officer.organization).count() == 3
    late = [t for t in tasks_for(officer) if t.kind == "reengineering"]
    assert len(late) == 1 and "процесса 8" in late[0].title
    plan = RoadmapItem.objects.filter(roadmap__appendix_number="29")
    reading = measured.measure(plan.get(number="3.1.6."))
    assert reading.figure.startswith("В плане реинжиниринга процессов этой области: 1;")
    assert measured.measure(plan.get(number="1.4.")).reached
    client.force_login(officer)
    page = client.get(reverse("registry:reengineering")).content.decode()
    assert "Гусев Дмитрий Александрович" in page and "срок истек" in page
    call_command("seed_demo", stdout=StringIO())
    assert ReengineeringPlanEntry.all_objects.count() == 3


def test_the_plan_page_marks_each_measured_measure_in_constant_queries(world, omsk):
    """Appendix № 29 (seed 000): every measure the rules measure gets its badge, with the
    figure in its title; more registry rows and plan entries cost no query more."""
    client = Client()
    client.force_login(world.officer)
    url = reverse("roadmaps:roadmap_detail", args=[omsk.pk])
    page = client.get(url)
    marked = [row["item"].number for row in page.context["rows"] if row.get("reading")]
    assert {"1.4.", "1.6.", "3.1.1.", "3.1.2.", "3.1.6.", "3.5.7."} <= set(marked)
    assert "3.1.7." not in marked  # the 10 % share is the registry target's
    assert "3.1.4." not in marked
    assert page.content.decode().count('data-testid="plan-reading"') == len(marked)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for n in range(8):
        row = make_process(
            world.authority, world.unit, str(200 + n), "6.16", "reengineering_queued"
        )
        reengineering.add_entry(row, TODAY + timedelta(days=5), "Иванов И. И.", None)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(second) == len(first)


def test_another_regions_edition_leaves_the_measures_catalogue_as_it_is(world):
    """A region with its own edition has the template's codes twice in its level: a measure
    reads its owner's edition only (it read every edition of the level, and seed_demo, which
    gives Samara its own, failed on the survey's group)."""
    from tests.registry.test_editions import Samara

    item = item_for(world, seed_measures(OMSK)["3.5.7."], "3.5.7.")
    make_process(world.authority, world.unit, "20", "6.16", status_code="reengineered")
    before = measured.measure(item).figure
    Samara(world)
    measurer = measured.Measurer(world.authority)
    groups, typical = measurer.catalogue
    assert {g.edition_id for g in groups} == {world.authority.edition.pk}
    assert len({g.code for g in groups}) == len(groups)
    assert measured.measure(item).figure == before


def test_an_area_reads_the_authoritys_edition_beside_another_regions(world):
    """Two regional editions (Samara's copied from Omsk's, codes kept): an Omsk authority's
    sub-area names its own edition's typical processes once, not each code twice."""
    from registry.models import CatalogueEdition
    from registry.services.editions import copy_edition
    from tests.conftest import make_org

    copy_edition(
        CatalogueEdition.objects.get(code="regional"),
        make_org("region", "Самарская область", level="regional"),
        world.admin,
        source="Распоряжение Правительства Самарской области от 01.02.2026 № 1-р",
    )
    it = item_for(world, seed_measures(OMSK)["3.5.2."], "3.5.2.")
    area = measured.Measurer(world.authority).area_of([it.text])
    assert [t.code for t in area.typical] == ["6.15", "6.16"]
    assert {g.edition_id for g in area.groups} == {world.authority.edition.pk}
    assert area.label.endswith("(типовые процессы 6.15, 6.16)")
    group = measured.Measurer(world.authority).area_of([seed_measures(OMSK)["3.2.1."]]).groups
    assert [g.edition_id for g in group] == [world.authority.edition.pk]
