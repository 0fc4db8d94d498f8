"""The coverage pages' charts: the json_script drawn, the table beside it and the figures'
XLSX give the same numbers as the database; the groups are named without another region's
name."""

import pytest
from django.urls import reverse

from registry.models import ProcessGroup, Role
from segmentation.models import SegmentationFigures, Touchpoint
from segmentation.services.figures import recompute_segmentation
from tests.charts import as_text, chart_data, table_cells, xlsx_rows
from tests.conftest import make_org, make_process, make_user

pytestmark = pytest.mark.django_db

URL = reverse("segmentation:coverage")


def touchpoint(world, process):
    return Touchpoint.objects.create(
        authority=world.authority, process=process, channel="phone", place="Приемная"
    )


def test_an_authoritys_chart_is_its_table_and_its_xlsx(client, world):
    touchpoint(world, world.own_row)
    client.force_login(world.officer)
    html = client.get(URL).content.decode()
    data = chart_data(html, "groups")
    groups = list(ProcessGroup.objects.filter(edition__level="regional").order_by("order"))
    assert data["labels"] == [g.label for g in groups]
    values = {s["label"]: s["values"] for s in data["series"]}
    four = [g.code for g in groups].index("4")
    assert values["Услуг в реестре"][four] == 2  # own_row and other_unit_row
    assert values["С: точки взаимодействия"][four] == 1
    assert values["С: профиль клиентского сегмента"][four] == 0
    assert sum(values["Услуг в реестре"]) == world.authority.processes.count()
    # the table beside the chart: a row per group in the chart's order, the same numbers
    rows = table_cells(html, "coverage")[1:]
    assert [r[0] for r in rows] == data["labels"]
    assert rows[four][1:5] == ["2", "0 из 2", "1 из 2", "0 из 2"]
    assert [r[1] for r in rows] == [str(v) for v in values["Услуг в реестре"]]
    # the figures' XLSX: the chart's numbers, row for row
    sheet = xlsx_rows(client.get(URL, {"figures": "groups"}))
    assert list(sheet[0]) == ["Группа процессов", *(s["label"] for s in data["series"])]
    assert as_text(sheet[1:]) == [
        [label, *(str(s["values"][n]) for s in data["series"])]
        for n, label in enumerate(data["labels"])
    ]
    # one list of the services lacking something, not one per part
    assert html.count(world.other_unit_row.name) == 1


def test_the_national_chart_reads_the_stored_figures(client, world):
    recompute_segmentation()
    touchpoint(world, world.own_row)  # after the computation: not in the stored figures
    client.force_login(world.coordinator)
    html = client.get(URL).content.decode()
    data = chart_data(html, "aspects")
    services = sum(SegmentationFigures.objects.values_list("services", flat=True))
    assert services == 3
    covered, missing = (s["values"] for s in data["series"])
    assert covered == [0, 0, 0]  # the touchpoint waits for the next computation
    assert missing == [services] * 3
    rows = table_cells(html, "chart-table-aspects")
    header = ["Что есть у услуги", "Охвачено услуг", "Не охвачено услуг", "Услуг в реестре"]
    assert rows[0] == header
    assert rows[2][1:] == ["0", "3", "3"]
    sheet = as_text(xlsx_rows(client.get(URL, {"figures": "aspects"})))
    assert sheet == rows
    recompute_segmentation()
    again = chart_data(client.get(URL).content.decode(), "aspects")
    assert again["series"][0]["values"][1] == 1  # touchpoints, once recomputed


def test_an_unknown_table_of_figures_is_a_clear_400(client, world):
    client.force_login(world.officer)
    response = client.get(URL, {"figures": "nothing"})
    assert response.status_code == 400
    assert "Параметр «figures»: нет таблицы «nothing». Есть: groups." in response.content.decode()


def test_a_samara_authority_is_not_shown_omsks_group_names(client, world):
    region = make_org("region", "Самарская область", level="regional")
    samara = make_org(
        "authority",
        "Министерство труда, занятости и миграционной политики Самарской области",
        region,
        short_name="МТЗМ СО",
    )
    unit = make_org("unit", "Отдел по работе с обращениями МТЗМ СО", samara)
    make_process(samara, unit, "1")
    client.force_login(make_user("samara", Role.AUTHORIZED_OFFICER, samara))
    html = client.get(URL).content.decode()
    assert "Обеспечение доступа к информации о деятельности органа власти" in html
    assert "Омск" not in html
    city = make_org("municipality", "Город Самара", level="municipal")
    town_hall = make_org("authority", "Администрация городского округа Самара", city)
    client.force_login(make_user("samara_city", Role.AUTHORIZED_OFFICER, town_hall))
    html = client.get(URL).content.decode()
    assert "Обеспечение доступа к информации о деятельности органа власти" in html
    assert "Омск" not in html
