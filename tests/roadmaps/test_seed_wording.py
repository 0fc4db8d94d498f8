"""The roadmap XLSX keeps each document's words (issue 15, point 12): seed 002's headers and
its edition act 213-р, seed 000's «*» in the reorganized bodies' titles with its footnote after
the table, seed 003's footnote markers. Values are read from the plans the seed loader made
(fixtures/roadmaps/) and compared with the seeds' text copied here."""

import openpyxl
import pytest
from django.urls import reverse

from roadmaps.models import Roadmap, RoadmapItem
from roadmaps.services import board as board_service
from roadmaps.services import reader
from roadmaps.services.demo import load_seed_roadmaps
from roadmaps.services.export import HEADERS, export_rows

pytestmark = pytest.mark.django_db

# Seed 002, the header of every page of the plan.
SAMARA_HEADER = (
    "№ п/п",
    "Мероприятие",
    "Срок реализации",
    "Ответственный исполнитель",
    "Вид документа и характеристика результата",
)
SAMARA_ACTS = (
    "Утверждена: распоряжение Губернатора Самарской области от 19.12.2022 № 326-р; "
    "в редакции: распоряжение Губернатора Самарской области от 28.09.2023 № 213-р"
)
# Seed 000, item 1(2): the title's words «Омской области*» and the footnote after the table.
APPENDIX_5_TITLE = (
    'План мероприятий ("Дорожная карта") Министерства по делам молодежи, физической культуры и '
    "спорта Омской области* по внедрению Стандартов клиентоцентричности"
)
APPENDIX_5_NOTE = (
    "*С 5 июня 2024 года реализация мероприятий осуществляется Министерством спорта Омской области."
)


@pytest.fixture
def seeds(db):
    load_seed_roadmaps()
    return {r.source_file or r.appendix_number: r for r in Roadmap.objects.all()}


def sheet_of(tmp_path, roadmap, today):
    path = tmp_path / "plan.xlsx"
    export_rows(board_service.items(RoadmapItem.objects.filter(roadmap=roadmap), today), str(path))
    return openpyxl.load_workbook(path).active, path


def rows(sheet):
    return list(sheet.iter_rows(values_only=True))


def test_the_samara_plan_keeps_its_headers_and_its_edition_act(tmp_path, seeds, today):
    samara = seeds["samara_213-r_2023.txt"]
    assert (samara.responsible_header, samara.document_header) == SAMARA_HEADER[3:]
    sheet, path = sheet_of(tmp_path, samara, today)
    values = rows(sheet)
    assert values[1][0] == SAMARA_ACTS
    assert values[2] == SAMARA_HEADER
    # the file reads back: its header found, every exported measure there
    report = reader.read_roadmap(path, samara.owner)
    assert sorted(i.number for i in report.items) == sorted(row[0] for row in values[3:])


def test_a_plan_without_own_headers_has_the_omsk_and_chelyabinsk_words(seeds):
    for key in ("omsk_329-rp_2024_appendix29.txt", "chelyabinsk_typical.txt"):
        plan = seeds[key]
        assert (plan.responsible_header, plan.document_header) == HEADERS[3:]


def test_the_reorganized_bodys_title_keeps_its_star_and_its_footnote(tmp_path, seeds, today):
    appendix = seeds["5"]
    assert appendix.title == APPENDIX_5_TITLE
    assert appendix.footnote == APPENDIX_5_NOTE
    appendix.items.create(number="1.1.", sort_key="0001.0001", position=1, text="Мероприятие")
    sheet, _ = sheet_of(tmp_path, appendix, today)
    values = rows(sheet)
    assert values[0][0].startswith(f"Приложение № 5: {APPENDIX_5_TITLE} — ")
    assert values[-1][0] == APPENDIX_5_NOTE
    assert values[-2] == (None,) * 5  # a blank row between the table and the footnote


def test_measure_footnote_markers_are_kept(tmp_path, seeds, today):
    typical = seeds["chelyabinsk_typical.txt"]
    sheet, _ = sheet_of(tmp_path, typical, today)
    texts = {row[0]: row[1] for row in rows(sheet)[3:]}
    # Seed 003, 1.4: «…по всем услугам (сервисам) исполнительного органа Челябинской области [1]»
    assert typical.items.get(number="1.4.").footnotes == "1"
    assert texts["1.4."] == (
        "Сформированы карты клиентских путей по всем услугам (сервисам) исполнительного органа "
        "Челябинской области[1]"
    )


def test_the_plan_page_shows_the_documents_headers_and_footnote(client, world, seeds):
    samara, appendix = seeds["samara_213-r_2023.txt"], seeds["5"]
    client.force_login(world.coordinator)
    page = client.get(reverse("roadmaps:roadmap_detail", args=[samara.pk])).content.decode()
    assert "<th>Ответственный исполнитель</th>" in page
    assert "<th>Вид документа и характеристика результата</th>" in page
    page = client.get(reverse("roadmaps:roadmap_detail", args=[appendix.pk])).content.decode()
    assert APPENDIX_5_NOTE in page


def test_the_migration_gives_plans_loaded_before_their_documents_headers(seeds):
    """A database whose seed plans were loaded before 0013 had no plan with its own headers.
    (The title's «*» and the footnote come by 329-рп's own sentences on seed:
    services.amendments.words; they are not back-filled.)"""
    import importlib

    from django.apps import apps

    Roadmap.objects.update(responsible_header=HEADERS[3], document_header=HEADERS[4])
    migration = importlib.import_module("roadmaps.migrations.0013_plan_document_wording")
    migration.seed_wording(apps, None)
    samara = Roadmap.objects.get(pk=seeds["samara_213-r_2023.txt"].pk)
    assert (samara.responsible_header, samara.document_header) == SAMARA_HEADER[3:]
