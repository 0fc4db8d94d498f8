"""The segmentation reports: satisfaction by each process group with the list of problems,
segmentation with the profiles attached, the touchpoints; each of the user's records only,
as a printable page and XLSX, in a fixed number of queries."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from segmentation.models import Channel, SatisfactionAssessment, Touchpoint
from segmentation.services import profiles
from segmentation.services.reports import NOT_ASSESSED, SATISFACTION_TITLE

from .test_segmentation import ATTRIBUTES, new_profile

pytestmark = pytest.mark.django_db


def assess(authority, **extra):
    values = {
        "period_start": date(2025, 1, 1),
        "period_end": date(2025, 6, 30),
        "method": "анкетирование",
        "sample_size": 40,
        "result": "Удовлетворены 80 %",
        "satisfied_share": 80,
    }
    return SatisfactionAssessment.objects.create(authority=authority, **{**values, **extra})


def workbook(answer):
    return openpyxl.load_workbook(BytesIO(b"".join(answer.streaming_content)))


def rows_of(sheet) -> list[list]:
    return [list(values) for values in sheet.iter_rows(values_only=True)]


@pytest.fixture
def records(world):
    assess(
        world.authority,
        process=world.own_row,
        problems="- долгое ожидание ответа\n- нет записи онлайн",
        actions="Запись через сайт",
    )
    assess(world.city_authority, group=world.city_row.group, problems="чужая проблема")
    Touchpoint.objects.create(
        authority=world.authority,
        group=world.own_row.group,
        channel=Channel.PHONE,
        place="Приемная",
    )
    Touchpoint.objects.create(
        authority=world.city_authority, process=world.city_row, channel=Channel.PHONE, place="ДИО"
    )
    profile = profiles.save_profile(
        new_profile(world), ATTRIBUTES, [], [world.own_row], world.officer
    )
    profiles.save_profile(
        new_profile(world, authority=world.city_authority, name="Арендаторы"),
        ATTRIBUTES[:1],
        [],
        [],
        world.city_officer,
    )
    return profile


def test_satisfaction_report_by_group_with_the_problems(client, world, records):
    client.force_login(world.officer)
    url = reverse("segmentation:assessment_report")
    page = client.get(url).content.decode()
    assert SATISFACTION_TITLE in page
    assert "долгое ожидание ответа" in page
    assert "чужая проблема" not in page  # another authority's assessment
    rows = rows_of(workbook(client.get(url + "?export=xlsx")).worksheets[0])
    group = str(world.own_row.group)
    assessed = next(r for r in rows if r[0] == group and r[3] == "анкетирование")
    assert assessed[1] == f"{world.own_row.identifier}. {world.own_row.name}"
    assert (assessed[2], assessed[4], assessed[5]) == ("01.01.2025–30.06.2025", 40, "80")
    problems = [r[1] for r in rows if r[0] == group and r[2] and r[2].startswith("анкетирование")]
    assert problems == ["долгое ожидание ответа", "нет записи онлайн"]


def test_a_group_of_the_registry_without_assessment_is_named(client, world, records):
    """Rows 1 and 2 of the World are of group 4, assessed; a row of group 1 is not."""
    from tests.conftest import make_process

    other = make_process(world.authority, world.unit, "3", typical_code="1.1")
    client.force_login(world.officer)
    answer = client.get(reverse("segmentation:assessment_report") + "?export=xlsx")
    rows = rows_of(workbook(answer).worksheets[0])
    named = [r for r in rows if r[0] == str(other.group)]
    assert [r[3] for r in named] == [NOT_ASSESSED]
    assert str(world.own_row.group) != str(other.group)


def test_segmentation_report_attaches_each_profile_in_its_form(client, world, records):
    client.force_login(world.officer)
    url = reverse("segmentation:profile_report")
    page = client.get(url).content.decode()
    assert "Приложение 1. Форма профиля клиентского сегмента: Молодые люди" in page
    assert "Арендаторы" not in page
    book = workbook(client.get(url + "?export=xlsx"))
    assert [s.title for s in book.worksheets][1:] == ["Приложение 1"]
    summary = rows_of(book.worksheets[0])
    listed = next(r for r in summary if r[0] == "Приложение 1")
    assert listed[1] == "Молодые люди — инициаторы проектов"
    assert listed[6] == len(ATTRIBUTES)
    form = rows_of(book.worksheets[1])
    assert ["1", "Возраст", "14–35 лет"] in form
    assert ["2. Профиль клиентского сегмента", None, "Молодые люди — инициаторы проектов"] in [
        [c if c != "" else None for c in r] for r in form
    ]


def test_touchpoint_list_is_the_users_own(client, world, records):
    client.force_login(world.city_officer)
    url = reverse("segmentation:touchpoint_report")
    page = client.get(url).content.decode()
    assert "ДИО" in page and "Приемная" not in page
    client.force_login(world.coordinator)
    rows = rows_of(workbook(client.get(url + "?export=xlsx")).worksheets[0])
    places = [r[3] for r in rows if r[2] == Channel.PHONE.label]
    assert sorted(places) == ["ДИО", "Приемная"]


@pytest.mark.parametrize(
    "name",
    [
        "segmentation:assessment_report",
        "segmentation:profile_report",
        "segmentation:touchpoint_report",
    ],
)
def test_queries_do_not_grow_with_records(
    client, world, records, name, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.coordinator)
    url = reverse(name) + "?export=xlsx"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        assess(world.authority, group=world.other_unit_row.group, problems=f"проблема {n}")
        Touchpoint.objects.create(
            authority=world.city_authority,
            process=world.city_row,
            channel=Channel.EMAIL,
            place=str(n),
        )
        profiles.save_profile(
            new_profile(world, name=f"Сегмент {n}"), ATTRIBUTES, [], [world.own_row], world.officer
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
