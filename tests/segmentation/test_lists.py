"""The segmentation lists (ObjectListView pages): the touchpoints' and the assessments' own
lists filter, page and export what the user reads; the segmentation page exports its profiles."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from segmentation.models import SatisfactionAssessment, Touchpoint
from segmentation.services import profiles
from tests.segmentation.test_segmentation import ATTRIBUTES, new_profile

pytestmark = pytest.mark.django_db


def sheet_rows(response):
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


@pytest.fixture
def records(world):
    def touchpoint(authority, place, channel="phone", archived=False):
        return Touchpoint.objects.create(
            authority=authority,
            group=world.own_row.group,
            channel=channel,
            place=place,
            is_archived=archived,
        )

    touchpoint(world.authority, "Приемная")
    touchpoint(world.authority, "=HYPERLINK(1)", channel="email")
    touchpoint(world.authority, "Старая приемная", archived=True)
    touchpoint(world.city_authority, "Приемная города")
    period = {"period_start": date(2025, 1, 1), "period_end": date(2025, 3, 31)}
    SatisfactionAssessment.objects.create(
        **period,
        authority=world.authority,
        process=world.own_row,
        group=world.own_row.group,
        method="анкетирование",
        sample_size=120,
        result="удовлетворены",
        satisfied_share="87.5",
    )


def test_touchpoint_list_filters_and_exports_the_users_records(client, world, records):
    client.force_login(world.official)
    url = reverse("segmentation:touchpoint_list")
    page = client.get(url).content.decode()
    assert "Точки взаимодействия с клиентами" in page and "Приемная" in page
    assert "Приемная города" not in page and "Старая приемная" not in page
    rows = sheet_rows(client.get(url, {"export": "xlsx"}))
    assert rows[0] == (
        "Орган власти",
        "Группа процессов / услуга",
        "Канал",
        "Место или система",
        "Описание",
    )
    assert sorted(r[3] for r in rows[1:]) == ["=HYPERLINK(1)", "Приемная"]  # text, not formula
    phone = sheet_rows(client.get(url, {"export": "xlsx", "channel": "phone"}))
    assert [r[3] for r in phone[1:]] == ["Приемная"]
    archive = sheet_rows(client.get(url, {"export": "xlsx", "archived": "1"}))
    assert [r[3] for r in archive[1:]] == ["Старая приемная"]
    client.force_login(world.coordinator)
    every = sheet_rows(client.get(url, {"export": "xlsx"}))
    assert "Приемная города" in {r[3] for r in every}


def test_assessment_list_and_its_xlsx(client, world, records):
    client.force_login(world.officer)
    url = reverse("segmentation:assessment_list")
    page = client.get(url).content.decode()
    assert "01.01.2025–31.03.2025" in page and "анкетирование, 120 чел." in page
    rows = sheet_rows(client.get(url, {"export": "xlsx"}))
    assert rows[1][2:5] == (
        "01.01.2025–31.03.2025",
        "анкетирование, 120 чел.",
        "удовлетворены (87,50 %)",
    )
    client.force_login(world.city_officer)
    assert len(sheet_rows(client.get(url, {"export": "xlsx"}))) == 1


def test_segmentation_page_links_the_lists_and_exports_its_profiles(client, world, records):
    profiles.save_profile(new_profile(world), ATTRIBUTES, [], [], world.officer)
    client.force_login(world.official)
    page = client.get(reverse("segmentation:profile_list")).content.decode()
    assert reverse("segmentation:touchpoint_list") in page
    assert reverse("segmentation:assessment_list") in page
    assert "Приемная" in page and "Приемная города" not in page  # the page's own tables
    rows = sheet_rows(client.get(reverse("segmentation:profile_list"), {"export": "xlsx"}))
    assert rows[0][:3] == (
        "Орган власти",
        "Направление деятельности",
        "Профиль клиентского сегмента",
    )
    assert [r[2] for r in rows[1:]] == [new_profile(world).name]
    client.force_login(world.city_officer)
    rows = sheet_rows(client.get(reverse("segmentation:profile_list"), {"export": "xlsx"}))
    assert rows[1:] == []
