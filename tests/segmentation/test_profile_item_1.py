"""The profile form's item 1 in full (issue 15, point 12): seed 000's appendix 2 names the
bodies of Omsk whose directions of activity a profile describes; the form, the printed page
and the XLSX say it as the authority's edition words it (CatalogueEdition.profile_direction),
so a city's profile names the city administration and a copied edition the new region."""

import io

import openpyxl
import pytest
from django.urls import reverse

from registry.models import CatalogueEdition
from registry.services.editions import copy_edition
from segmentation.services import profiles
from tests.conftest import make_org
from tests.roadmaps.conftest import OMSK

from .test_segmentation import ATTRIBUTES, new_profile

pytestmark = pytest.mark.django_db


def item_1() -> str:
    """Item 1 as seed 000 prints it (the copy in fixtures/roadmaps/, byte for byte)."""
    for line in OMSK.read_text(encoding="utf-8").splitlines():
        if line.startswith("1. Наименование направления деятельности"):
            return line.removeprefix("1. ").rstrip(" :")
    raise AssertionError("item 1 not found in seed 000")


def test_item_1_is_the_seeds_own_wording_on_the_form_page_and_xlsx(client, world):
    wording = item_1()
    assert wording.endswith("при Правительстве Российской Федерации")
    assert CatalogueEdition.objects.get(code="regional").profile_direction == wording
    client.force_login(world.official)
    form = client.get(reverse("segmentation:profile_add")).content.decode()
    assert f"1. {wording}" in form
    profile = profiles.save_profile(new_profile(world), ATTRIBUTES, [], [], world.official)
    url = reverse("segmentation:profile_detail", args=[profile.pk])
    assert f"1. {wording}:" in client.get(url).content.decode()
    body = b"".join(client.get(url, {"export": "xlsx"}).streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(body))
    cells = [v for r in book.active.iter_rows(values_only=True) for v in r if v]
    assert f"1. {wording}:" in cells


def test_item_1_follows_the_authoritys_edition(client, world):
    client.force_login(world.city_official)
    page = client.get(reverse("segmentation:profile_add")).content.decode()
    assert "1. Наименование направления деятельности Администрации города Омска" in page
    assert item_1() not in page
    region = make_org("region", "Самарская область", level="regional")
    edition = copy_edition(
        CatalogueEdition.objects.get(code="regional"),
        region,
        world.admin,
        source="Распоряжение Правительства Самарской области от 01.02.2026 № 1-р",
        old_words="Омской области",
        new_words="Самарской области",
    )
    assert edition.profile_direction == item_1().replace("Омской области", "Самарской области")
