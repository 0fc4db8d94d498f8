"""Reading the three seed roadmaps and the oddities of real documents."""

from __future__ import annotations

import time
from datetime import date

import openpyxl
import pytest

from portal.cells import CELL_MAX_CHARS, number
from roadmaps.models import DeadlineKind
from roadmaps.services.reader import (
    Row,
    clean_cell,
    join_all,
    join_parts,
    parse_deadline,
    parse_rows,
    read_roadmap,
    rows_from_file,
    rows_from_text,
)

from .conftest import CHELYABINSK, OMSK, SAMARA

pytestmark = pytest.mark.django_db


def parse(path):
    return parse_rows(rows_from_file(path), path.name)


# --- seed 000: appendix № 29, the roadmap of the Главное управление молодежной политики ---


def test_omsk_appendix_29_counts():
    report = parse(OMSK)
    # Lines 88-172 of the seed hold 78 tab-separated rows of 5 cells: 8 of them are the header
    # (line 88 and its 7 repeats after page breaks: 97, 109, 122, 134, 147, 157, 168), the
    # other 70 are numbered items. Sections: 1., 2., 3. and 3.1.-3.7. = 10; measures: 1.1-1.7
    # (7) + 2.1-2.4 (4) + 7 blocks 3.N.1-3.N.7 (49) = 60.
    assert len(report.items) == 70
    assert [i.number for i in report.sections] == [
        "1.",
        "2.",
        "3.",
        "3.1.",
        "3.2.",
        "3.3.",
        "3.4.",
        "3.5.",
        "3.6.",
        "3.7.",
    ]
    assert len(report.measures) == 60
    assert report.header_lines == [88, 97, 109, 122, 134, 147, 157, 168]
    assert report.joined_lines == []
    assert not report.errors
    assert report.title == (
        'План мероприятий ("Дорожная карта") Главного управления молодежной политики '
        "Омской области по внедрению Стандартов клиентоцентричности"
    )
    # the segment-profile form after the roadmap (lines 174-199) is not read as items
    assert report.items[-1].number == "3.7.7."


def test_omsk_spot_checks():
    report = parse(OMSK)
    first = report.item("1.1")
    assert (first.deadline.kind, first.deadline.date) == (DeadlineKind.DATE, date(2024, 11, 25))
    assert first.line == 90
    assert report.item("3.1.7").deadline.date == date(2025, 7, 1)
    # 3.2.3 has an empty deadline in the document
    empty = report.item("3.2.3")
    assert (empty.deadline_text, empty.deadline.kind, empty.deadline.date) == (
        "",
        DeadlineKind.NONE,
        None,
    )
    assert not empty.is_section  # it has a responsible and a document type
    section = report.item("2")
    assert section.is_section and section.text == "Кадровый блок"
    assert report.item("3.1").parent_number == "3."
    assert report.item("3.1.1").parent_number == "3.1."
    assert report.item("3.1").is_section


def test_omsk_responsibles_resolved(world):
    # world: Омская область, Главное управление and its units ОПФО and ОПОИ
    report = read_roadmap(OMSK, owner=world.authority)
    defined = report.item("1.2").responsibles
    assert len(defined) == 1
    assert defined[0].organization == world.unit
    assert defined[0].alias == "ОПФО Главного управления"
    assert report.item("1.5").responsibles[0].organization == world.other_unit  # ОПОИ
    assert report.item("2.1").responsibles[0].organization == world.unit
    # a position and an unknown abbreviation (ОЦФО: probably ОПФО, but not guessed) stay text
    position = report.item("1.1").responsibles[0]
    assert position.organization is None
    assert position.name.startswith("Начальник отдела организационно-правового")
    unknown = report.item("3.4.1").responsibles[0]
    assert (unknown.organization, unknown.name) == (None, "ОЦФО Главного управления")
    texts = [str(m) for m in report.warnings]
    assert any(t.startswith("строка 136:") and "«ОЦФО Главного управления»" in t for t in texts)
    # reported once, naming all nine lines that mention it
    assert sum("ОЦФО" in t for t in texts) == 1


# --- seed 002: the Samara regional plan ---


def test_samara_counts():
    report = parse(SAMARA)
    # 84 rows of 5 cells: 11 headers (line 37 and 10 repeats), 4 continuation rows with an
    # empty "№ п/п" (44, 69, 79, 127) that finish a cell of the item before the page break,
    # and 69 items: sections 1.-9. (9) and 60 measures (4 + 6 + 14 + 4 + 4 + 7 + 7 + 7 + 7).
    assert len(report.items) == 69
    assert len(report.sections) == 9
    assert len(report.measures) == 60
    assert report.header_lines[1:] == [43, 50, 60, 68, 78, 86, 94, 105, 116, 126]
    assert report.joined_lines == [44, 69, 79, 127]
    assert not report.messages
    assert report.title == (
        "План мероприятий по внедрению стандартов клиентоцентричности в Самарской области"
    )


def test_samara_spot_checks():
    report = parse(SAMARA)
    # the number and the name of a section share one cell: "1. Организационные мероприятия"
    section = report.item("1")
    assert section.is_section and section.text == "Организационные мероприятия"
    done = report.item("1.1")
    assert (done.deadline_text, done.deadline.kind, done.deadline.date) == (
        "Исполнено",
        DeadlineKind.DONE,
        None,
    )
    assert report.item("3.14").deadline.date == date(2024, 12, 31)
    assert sum(i.deadline.kind == DeadlineKind.DONE for i in report.measures) == 8
    # a cell split by the page break after line 41 and finished on line 44
    assert report.item("1.3").document_type == (
        "Распоряжение Правительства Самарской области от 10.03.2023 № 85-р «О внедрении "
        "клиентоцентричного подхода в деятельность органов исполнительной власти Самарской "
        "области»"
    )
    split = report.item("3.9")
    assert split.lines == [66, 69]
    assert split.text == (
        "Во всех ОИВ СО, предоставляющих меры государственной поддержки, утверждены планы "
        "мероприятий по реинжинирингу процессов предоставления мер государственной поддержки"
    )
    assert split.responsible_text == (
        "Координационный орган; ОИВ СО, предоставляющие меры государственной поддержки"
    )
    assert report.item("4.1").responsible_text == (
        "АГ СО; департамент по вопросам общественной безопасности Самарской области (далее – "
        "ДОБ СО); министерство управления финансами Самарской области (далее – МУФ СО)"
    )
    assert report.item("3.10").parent_number == "3."  # 3.10 is not 3.1


def test_samara_abbreviations_resolved(seed_orgs):
    report = read_roadmap(SAMARA, owner=seed_orgs["samara-region"])
    first = report.item("1.1").responsibles
    assert [(r.organization, r.alias) for r in first] == [(seed_orgs["samara-ag"], "АГ СО")]
    assert [r.organization for r in report.item("2.1").responsibles] == [
        seed_orgs["samara-ag"],
        seed_orgs["samara-mtzm"],
        seed_orgs["samara-msdsp"],
        seed_orgs["samara-mo"],
    ]
    assert [r.organization for r in report.item("4.1").responsibles] == [
        seed_orgs["samara-ag"],
        seed_orgs["samara-dob"],
        seed_orgs["samara-muf"],
    ]
    # a collective body the portal does not have stays text, under the name the plan uses
    collective = report.item("3.3").responsibles
    assert [(r.organization, r.name) for r in collective] == [
        (seed_orgs["samara-ag"], "АГ СО"),
        (None, "ОИВ СО"),
    ]


def test_abbreviation_defined_in_document_resolves_without_alias(seed_orgs):
    """ "ДУД СО" is the organization's short name; with it erased the document's own definition
    "(далее – ДУД СО)" on line 91 still resolves the later rows."""
    dud = seed_orgs["samara-dud"]
    dud.short_name = ""
    dud.save()
    report = read_roadmap(SAMARA, owner=seed_orgs["samara-region"])
    assert report.item("6.2").responsibles[0].organization == dud
    assert report.item("8.7").responsibles[0].organization == dud


def test_other_regions_organizations_are_not_matched(seed_orgs, world):
    """Scoped to the owner's tree: a Samara plan never resolves to an Omsk body."""
    report = read_roadmap(OMSK, owner=seed_orgs["samara-region"])
    assert report.item("1.2").responsibles[0].organization is None


# --- seed 003: the Chelyabinsk typical roadmap ---


def test_chelyabinsk_counts():
    report = parse(CHELYABINSK)
    # One header (line 11); page breaks are blank lines here. 97 rows of 5 cells: the header,
    # 4 continuation rows (28, 56, 66, 99) and 92 items: sections 1., 2., 3., 3.1.-3.10. (13)
    # and measures 1.1-1.6 (6) + 2.1-2.3 (3) + 10 blocks of 7 (70) = 79.
    assert len(report.items) == 92
    assert len(report.sections) == 13
    assert len(report.measures) == 79
    assert report.header_lines == [11]
    assert report.joined_lines == [28, 56, 66, 99]
    assert report.title == (
        "Типовой план мероприятий («Дорожная карта») по внедрению Стандартов "
        "клиентоцентричности Челябинской области (исполнительный орган)"
    )


def test_chelyabinsk_spot_checks():
    report = parse(CHELYABINSK)
    until = report.item("1.1")
    assert (until.deadline.kind, until.deadline.date) == (DeadlineKind.UNTIL, date(2023, 9, 1))
    assert until.deadline_text == "до 01.09.2023"
    assert report.item("3.1.7").deadline.kind == DeadlineKind.DATE
    assert report.item("3.6.1").deadline.kind == DeadlineKind.NONE
    assert report.item("3.10.7").deadline_text == ""
    # underlining and footnote markers are taken out of the text and kept as footnotes
    marked = report.item("1.4")
    assert marked.text == (
        "Сформированы карты клиентских путей по всем услугам (сервисам) исполнительного "
        "органа Челябинской области"
    )
    assert marked.footnotes == ["1"]
    assert report.item("3.1").text == "Процессы предоставления услуг (сервисов)"
    assert report.item("3.1").footnotes == ["3"]
    # 3.1.1: the first line has only the deadline, the rest comes after a page break
    split = report.item("3.1.1")
    assert split.lines == [26, 28]
    assert split.text.startswith("Сформирован перечень точек взаимодействия с клиентом")
    assert split.deadline_text == "до 01.11.2023"
    assert split.responsible_text == (
        "Участники рабочей группы по внедрению принципов клиентоцентричности"
    )
    assert report.item("3.5.1").responsible_text == (
        "сотрудники, ответственные за взаимодействие со средствами массовой информации"
    )
    assert report.item("3.10.1").parent_number == "3.10."


def test_typo_in_date_is_reported_with_its_line_not_guessed():
    report = parse(CHELYABINSK)
    typo = report.item("3.3.2")
    assert typo.deadline_text == "до 01.11.20213"
    assert (typo.deadline.kind, typo.deadline.date) == (DeadlineKind.INVALID, None)
    assert [m.line for m in report.warnings] == [47]
    assert "«до 01.11.20213»" in str(report.warnings[0])
    assert str(report.warnings[0]).startswith("строка 47:")
    assert not report.has_errors  # a warning: the item is loaded with its text


# --- XLSX of the same layout ---


def test_xlsx_in_the_same_layout_reads_the_same(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows_from_text(SAMARA.read_bytes()):
        sheet.append(row.cells)
    # a deadline typed as a date in the spreadsheet is read as the document's date
    for cells in sheet.iter_rows():
        if cells[0].value == "3.14.":
            cells[2].value = date(2024, 12, 31)
    path = tmp_path / "samara.xlsx"
    workbook.save(path)

    from_xlsx = read_roadmap(path)
    from_text = read_roadmap(SAMARA)
    assert len(from_xlsx.items) == 69
    assert from_xlsx.joined_lines == from_text.joined_lines
    assert from_xlsx.title == from_text.title
    for a, b in zip(from_xlsx.items, from_text.items, strict=True):
        assert (a.number, a.text, a.deadline_text, a.responsible_text, a.document_type) == (
            b.number,
            b.text,
            b.deadline_text,
            b.responsible_text,
            b.document_type,
        )
    assert from_xlsx.item("3.14").deadline.date == date(2024, 12, 31)


# --- what the documents may do besides ---

HEADER = ["№ п/п", "Мероприятие", "Срок реализации", "Ответственный", "Вид документа"]


def rows(*lines):
    return [Row(n, cells) for n, cells in enumerate(lines, start=1)]


def test_duplicate_number_is_an_error_and_unknown_number_a_warning():
    report = parse_rows(
        rows(
            HEADER,
            ["1.", "Раздел", "", "", ""],
            ["1.1.", "Мероприятие", "01.02.2025", "Отдел", "Отчет"],
            ["1.1.", "Еще раз", "01.03.2025", "Отдел", "Отчет"],
            ["а)", "Не пункт", "", "", ""],
        )
    )
    assert [str(m) for m in report.errors] == [
        "строка 4: пункт 1.1. встречается второй раз (первый — строка 3)"
    ]
    assert [m.line for m in report.warnings] == [5]


def test_missing_parent_and_childless_section_are_warned():
    report = parse_rows(rows(HEADER, ["2.3.", "Мероприятие", "", "", ""]))
    texts = [str(m) for m in report.warnings]
    assert any("нет раздела 2." in t for t in texts)
    assert any("загружен как раздел" in t for t in texts)


def test_file_without_roadmap_table_is_an_error():
    report = parse_rows(rows(["Просто текст"], ["№ п/п", "Признак сегментации", "Значение"]))
    assert report.has_errors and not report.items


@pytest.mark.parametrize(
    ("text", "kind", "day"),
    [
        ("31.12.2024", DeadlineKind.DATE, date(2024, 12, 31)),
        ("до 01.09.2023", DeadlineKind.UNTIL, date(2023, 9, 1)),
        ("до01.09.2023 г.", DeadlineKind.UNTIL, date(2023, 9, 1)),
        ("Исполнено", DeadlineKind.DONE, None),
        ("исполнено.", DeadlineKind.DONE, None),
        ("", DeadlineKind.NONE, None),
        ("до 01.11.20213", DeadlineKind.INVALID, None),
        ("31.02.2024", DeadlineKind.INVALID, None),
        ("01.11.23", DeadlineKind.INVALID, None),
        ("IV квартал 2024", DeadlineKind.INVALID, None),
    ],
)
def test_parse_deadline(text, kind, day):
    deadline = parse_deadline(text)
    assert (deadline.kind, deadline.date) == (kind, day)
    assert bool(deadline.problem) == (kind == DeadlineKind.INVALID)


def test_continuation_rows_join_like_join_parts():
    parts = ["Органи-", "зация", "работы", "", "по-", "1", "x"]
    expected = ""
    for part in parts:
        expected = join_parts(expected, part)
    assert join_all(parts) == expected == "Органи-зация работы по-1 x"
    report = parse_rows(
        rows(
            HEADER,
            ["1.", "Органи-", "01.02.2025", "Отдел", "Отчет"],
            ["", "зация работы", "", "", ""],
            ["", "по плану", "", "и сектор", ""],
        )
    )
    item = report.items[0]
    assert item.text == "Органи-зация работы по плану"
    assert item.responsible_text == "Отдел и сектор"
    assert item.lines == [2, 3, 4]


def test_continuation_rows_longer_than_a_cell_are_refused_with_the_item_and_lines():
    long_part = "я" * 20_000
    report = parse_rows(
        rows(
            HEADER,
            ["1.", "Начало", "01.02.2025", "Отдел", "Отчет"],
            *[["", long_part, "", "", ""] for _ in range(200)],
        )
    )
    assert report.has_errors
    (error,) = [str(m) for m in report.errors]
    assert error.startswith("строка 2: Пункт 1., графа «Мероприятие» (строки 2, 3, 4")
    assert "не более 32 767 знаков" in error
    assert f"а в ней {number(6 + 200 * 20_001)}" in error
    assert len(report.items[0].text) <= CELL_MAX_CHARS


def test_unclosed_tags_are_cleaned_in_linear_time():
    started = time.monotonic()
    assert clean_cell("<b " * 10922 + "текст") == ("<b " * 10922 + "текст").strip()
    assert time.monotonic() - started < 0.5
    assert clean_cell("<b>жирный</b> <span style='x'>текст</span>") == "жирный текст"


def test_a_read_table_is_the_portals_import_report(world):
    read = read_roadmap(OMSK, owner=world.authority)
    report = read.report()
    assert [r.identifier for r in report.rows] == [i.number for i in read.items]
    assert {r.action for r in report.rows} == {"new"} and not report.has_errors
    assert read.fingerprint() == read_roadmap(OMSK, owner=world.authority).fingerprint()
    read.items[0].text += " (изменено)"
    assert read.fingerprint() != report.fingerprint()
