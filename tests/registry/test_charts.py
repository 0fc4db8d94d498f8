"""The registry's charts: a campaign's answers, the reengineering status per group and the
national coverage; what is drawn (json_script), the table beside it and the figures' XLSX are
the same numbers as the database."""

import pytest
from django.urls import reverse

from registry.models import CatalogueFigures, ProcessGroup, ReengineeringStatus
from registry.services import campaigns as svc
from registry.services.figures import recompute_catalogue
from tests.charts import as_text, chart_data, table_cells, xlsx_rows
from tests.conftest import make_process
from tests.registry.test_campaigns import open_both, participant

pytestmark = pytest.mark.django_db


def test_a_campaigns_answers_are_drawn_as_counted(client, world):
    campaign = open_both(world)
    svc.answer_no_changes(participant(campaign, world.city_unit), world.city_official)
    client.force_login(world.coordinator)
    url = reverse("registry:campaign_detail", args=[campaign.pk])
    html = client.get(url).content.decode()
    answers = chart_data(html, "answers")
    assert answers["kind"] == "doughnut"
    drawn = {s["label"]: s["values"] for s in answers["series"]}
    assert drawn == {
        "направлено предложение": [0],
        "изменений нет": [1],
        "нет ответа": [2],  # the two units of the regional authority
    }
    assert table_cells(html, "chart-table-answers")[1] == ["Подразделений", "0", "1", "2", "3"]
    assert as_text(xlsx_rows(client.get(url, {"figures": "answers"}))) == table_cells(
        html, "chart-table-answers"
    )
    by_authority = chart_data(html, "authorities")
    assert by_authority["labels"] == [world.authority.full_name, world.city_authority.full_name]
    assert [s["values"] for s in by_authority["series"]] == [[0, 0], [0, 1], [2, 0]]
    rows = table_cells(html, "chart-table-authorities")
    assert rows[1] == [world.authority.full_name, "0", "0", "2", "2"]
    assert as_text(xlsx_rows(client.get(url, {"figures": "authorities"}))) == rows


def test_the_status_chart_of_an_authority_counts_its_rows(client, world):
    reengineered = ReengineeringStatus.objects.get(edition__level="regional", code="reengineered")
    make_process(world.authority, world.unit, "3", typical_code="4.1", status=reengineered)
    client.force_login(world.officer)
    url = reverse("registry:coverage")
    html = client.get(url).content.decode()
    data = chart_data(html, "statuses")
    groups = list(ProcessGroup.objects.filter(edition__level="regional").order_by("order"))
    assert data["labels"] == [g.label for g in groups]
    four = [g.code for g in groups].index("4")
    drawn = {s["label"]: s["values"][four] for s in data["series"]}
    statuses = ReengineeringStatus.objects.filter(edition__level="regional")
    assert drawn[statuses.get(code="reengineered").name] == 1
    assert drawn[statuses.get(code="research_queued").name] == 2
    assert sum(sum(s["values"]) for s in data["series"]) == world.authority.processes.count()
    rows = table_cells(html, "chart-table-statuses")
    assert rows[1 + four][0] == groups[four].label and rows[1 + four][-1] == "3"
    assert as_text(xlsx_rows(client.get(url, {"figures": "statuses"}))) == rows


def test_the_national_coverage_chart_reads_the_stored_figures(client, world):
    recompute_catalogue()
    CatalogueFigures.objects.filter(authority=world.authority).update(rows=40, reengineered=10)
    client.force_login(world.coordinator)
    url = reverse("registry:coverage")
    html = client.get(url).content.decode()
    data = chart_data(html, "coverage")
    done, left = (s["values"] for s in data["series"])
    assert (done[0], left[0]) == (10, 40 + 1 - 10)  # the stored 40 and the city's 1 row
    figures = list(CatalogueFigures.objects.all())
    assert done[1] == sum(f.typicals_covered for f in figures)
    assert done[1] + left[1] == sum(f.typicals_total for f in figures)
    rows = table_cells(html, "chart-table-coverage")
    assert rows[1][1:] == ["10", "31", "41"]
    assert as_text(xlsx_rows(client.get(url, {"figures": "coverage"}))) == rows


def test_a_campaigns_authority_page_charts_its_statuses_with_the_coverage_pages_xlsx(client, world):
    campaign = open_both(world)
    client.force_login(world.officer)
    url = reverse("registry:campaign_authority", args=[campaign.pk, world.authority.pk])
    html = client.get(url).content.decode()
    data = chart_data(html, "statuses")
    coverage = reverse("registry:coverage")
    link = f'href="{coverage}?authority={world.authority.pk}&amp;figures=statuses"'
    assert link in html
    sheet = xlsx_rows(
        client.get(coverage, {"authority": world.authority.pk, "figures": "statuses"})
    )
    assert [row[0] for row in sheet[1:]] == data["labels"]
    assert table_cells(html, "chart-table-statuses") == as_text(sheet)
