"""Roadmap measures as XLSX: one sheet per roadmap (numbers repeat from plan to plan), the plan's
title and act above the documents' header, valid and unique sheet names, and a sheet the
reader reads back."""

import io
from datetime import date

import openpyxl
import pytest

from portal.scoping import restrict
from registry.models import OrganizationKind
from roadmaps.models import DeadlineKind, RoadmapItem
from roadmaps.services import board as board_service
from roadmaps.services import reader
from roadmaps.services.export import HEADERS, export_rows
from tests.conftest import make_org
from tests.roadmaps.conftest import make_act, make_item, make_roadmap


@pytest.fixture
def b(board):
    return board


def write(tmp_path, items, today):
    path = tmp_path / "export.xlsx"
    rows = board_service.items(items, today)
    assert export_rows(rows, str(path)) == rows.count()
    return path, openpyxl.load_workbook(path)


def values(sheet):
    return list(sheet.iter_rows(values_only=True))


def test_one_sheet_per_roadmap_in_the_order_of_the_rows(tmp_path, world, b):
    b.appendix.legal_act = make_act(
        "329-рп", date(2024, 11, 28), issued_by="Правительства Омской области"
    )
    b.appendix.save()
    b.overdue.text = '=HYPERLINK("http://x")'  # stays text
    b.overdue.save()
    path, book = write(tmp_path, restrict(RoadmapItem, world.coordinator), b.today)
    # The board's order: the appendix's 1.1, the city's 1.1, the appendix's 1.2, the region's 1.1.
    assert book.sheetnames == ["Главное управление (прил. 29)", "Администрация", "Омская область"]

    appendix = values(book["Главное управление (прил. 29)"])
    assert appendix[0][0] == (
        "Приложение № 29: План Главного управления — "
        "Главное управление молодежной политики Омской области"
    )
    assert "A1:E1" in {str(r) for r in book["Главное управление (прил. 29)"].merged_cells.ranges}
    assert book["Главное управление (прил. 29)"]["A1"].font.bold
    assert appendix[1][0] == (
        "Утверждена: распоряжение Правительства Омской области от 28.11.2024 № 329-рп"
    )
    assert appendix[2] == HEADERS
    assert [r[0] for r in appendix[3:]] == ["1.1.", "1.2.", "1.3.", "1.4.", "1.5."]
    assert appendix[3][1] == '=HYPERLINK("http://x")'
    assert appendix[4][3] == b.soon.responsible_text  # the plan's words, not the portal's names

    city = values(book["Администрация"])
    assert city[0][0] == "План Администрации города Омска — Администрация города Омска"
    assert not any(city[1])  # no act
    assert city[2] == HEADERS
    assert city[3:] == [
        ("1.1.", b.city_item.text, b.city_item.deadline_text, "ДИО", b.city_item.document_type)
    ]
    regional = values(book["Омская область"])
    assert regional[2] == HEADERS
    assert [r[0] for r in regional[3:]] == ["1.1."]


def test_sheet_names_are_valid_and_unique(tmp_path, world, b):
    """Two plans of one owner, an owner named longer than 31 characters with an appendix whose
    number must stay, characters Excel refuses, a typical plan."""
    second = make_roadmap(world.city_authority, "Второй план Администрации")
    make_item(second, "1.1.")
    long_owner = make_org(
        OrganizationKind.AUTHORITY,
        "Министерство по делам молодежи, физической культуры и спорта: [архив]",
        world.region,
    )
    appendix = make_roadmap(long_owner, "План", parent=b.regional, appendix_number="30/1")
    make_item(appendix, "1.1.")
    typical = make_roadmap(world.region, "Типовой план", is_template=True)
    make_item(typical, "1.1.")
    items = restrict(RoadmapItem, world.coordinator).exclude(roadmap=b.appendix)
    _, book = write(tmp_path, items, b.today)
    assert sorted(book.sheetnames) == sorted(
        [
            "Администрация",
            "Администрация (2)",
            "Министерство по де (прил. 30 1)",
            "Омская область",
            "Омская область (типовой)",
        ]
    )
    assert all(len(name) <= 31 for name in book.sheetnames)
    for sheet in book.worksheets:
        assert values(sheet)[2] == HEADERS


def test_no_rows_one_sheet_with_the_header(tmp_path, world, b):
    _, book = write(tmp_path, restrict(RoadmapItem, world.coordinator).none(), b.today)
    assert book.sheetnames == ["Мероприятия"]
    assert values(book.active) == [HEADERS]


def test_the_reader_reads_one_roadmap_back(tmp_path, world, b):
    """The reader finds the table by its header under the title and the act; the measures come
    back with their numbers, texts, deadlines, responsible bodies and document types."""
    b.later.deadline_text = "до 01.11.20213"  # a typo the plan keeps as written
    b.later.deadline_kind = DeadlineKind.INVALID
    b.later.deadline_date = None
    b.later.save()
    path, _ = write(tmp_path, b.appendix.items.all(), b.today)
    report = reader.read_roadmap(path, owner=world.authority)
    assert not report.errors
    # The board's order: 1.3 has no date now, like 1.4.
    expected = [b.overdue, b.soon, b.later, b.no_date, b.done]
    assert [i.number for i in report.items] == [i.number for i in expected]
    for parsed, item in zip(report.items, expected, strict=True):
        assert parsed.text == item.text
        assert parsed.deadline_text == item.deadline_text
        assert parsed.deadline.date == item.deadline_date
        assert parsed.document_type == item.document_type
    overdue = report.item("1.1.")
    assert [r.organization for r in overdue.responsibles] == [world.unit]
    assert report.item("1.2.").deadline.kind == DeadlineKind.UNTIL


def test_the_plan_pages_xlsx_is_the_plan_in_its_documents_order(client, world, b):
    """«Выгрузить в XLSX» on a plan's page: its rows, the section too, in the document's order
    (not the board's), which the reader takes back; another authority's plan is not given."""
    from django.urls import reverse

    url = reverse("roadmaps:roadmap_detail", args=[b.appendix.pk])
    client.force_login(world.officer)
    assert 'href="?export=xlsx"' in client.get(url).content.decode()
    answer = client.get(url, {"export": "xlsx"})
    assert answer.status_code == 200
    assert "attachment" in answer["Content-Disposition"]
    content = b"".join(answer.streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Главное управление (прил. 29)"]
    rows = values(book.active)
    assert rows[2] == HEADERS
    assert [r[0] for r in rows[3:]] == ["1.", "1.1.", "1.2.", "1.3.", "1.4.", "1.5."]
    report = reader.read_roadmap("план.xlsx", owner=world.authority, data=content)
    assert not report.errors
    assert [i.number for i in report.sections] == ["1."]
    assert [i.number for i in report.measures] == ["1.1.", "1.2.", "1.3.", "1.4.", "1.5."]
    client.force_login(world.city_officer)
    assert client.get(url, {"export": "xlsx"}).status_code == 404


def test_the_plan_pages_xlsx_leaves_out_cancelled_measures(client, world, b):
    """The plan in force: a measure an act dropped is not in it. Were it written, the file
    taken back as a new edition would restore it («восстановлен») without any act saying so."""
    from django.urls import reverse

    from roadmaps.models import ItemStatus
    from roadmaps.services import items
    from roadmaps.services.amendments.edition import plan_edition

    items.cancel_item(b.later, act=make_act("5-рп", date(2025, 2, 1)), user=world.officer)
    client.force_login(world.officer)
    url = reverse("roadmaps:roadmap_detail", args=[b.appendix.pk])
    content = b"".join(client.get(url, {"export": "xlsx"}).streaming_content)
    rows = values(openpyxl.load_workbook(io.BytesIO(content)).active)
    assert [r[0] for r in rows[3:]] == ["1.", "1.1.", "1.2.", "1.4.", "1.5."]
    report = reader.read_roadmap("план.xlsx", owner=world.authority, data=content)
    plan = plan_edition(b.appendix, report)
    assert "restored" not in {c.kind for c in plan.changes}
    assert "1.3." not in {c.number for c in plan.changes}
    b.later.refresh_from_db()
    assert b.later.status == ItemStatus.CANCELLED


def test_the_plan_pages_xlsx_taken_back_unedited_changes_nothing(client, world, b):
    """The file is the plan in its document's words: the responsible column as the plan writes
    it, not the portal's names with a successor's note (1.2's reorganized ministry), so the
    unedited file read as a new edition finds no change at all."""
    from django.urls import reverse

    from roadmaps.services.amendments.edition import plan_edition

    b.soon.responsible_text = "Минмолодежи Омской области*"
    b.soon.save()
    client.force_login(world.officer)
    url = reverse("roadmaps:roadmap_detail", args=[b.appendix.pk])
    content = b"".join(client.get(url, {"export": "xlsx"}).streaming_content)
    rows = values(openpyxl.load_workbook(io.BytesIO(content)).active)
    assert rows[5][3] == "Минмолодежи Омской области*"
    report = reader.read_roadmap("план.xlsx", owner=world.authority, data=content)
    plan = plan_edition(b.appendix, report)
    assert not plan.errors
    assert plan.changes == []
