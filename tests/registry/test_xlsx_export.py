"""The published XLSX: the typical form cell by cell, formula safety, scoping, queries."""

import io
import zipfile
from urllib.parse import unquote

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.xlsx import sheet_name
from registry.models import PlacementPoint, Process, RegistryColumn
from registry.services.xlsx_export import export_registry
from tests.conftest import make_link, make_process

pytestmark = pytest.mark.django_db


def download(client, **params):
    response = client.get(reverse("registry:process_list"), {"export": "xlsx", **params})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    return response, body, openpyxl.load_workbook(io.BytesIO(body))


def data_rows(sheet):
    rows = []
    for row in sheet.iter_rows(min_row=6, values_only=True):
        if row[0] is None or str(row[0]).startswith("*"):
            continue
        rows.append(row)
    return rows


def test_the_file_is_the_typical_form(client, world):
    world.own_row.placement_points.set(PlacementPoint.objects.filter(code__in=["epgu", "site"]))
    world.own_row.placement_url = "https://omskportal.ru/services/1"
    world.own_row.save()
    make_link(world.own_row, world.other_unit_row)
    client.force_login(world.officer)
    response, _, book = download(client)
    assert book.sheetnames == ["Главное управление"]
    sheet = book.active

    assert sheet["A1"].value == (
        "Реестр межведомственных и внутриведомственных процессов внедрения клиентоцентричности"
    )
    assert sheet["A2"].value == "Главное управление молодежной политики Омской области"
    assert sheet["A3"].value.startswith("по состоянию на ")
    assert "A1:N1" in {str(r) for r in sheet.merged_cells.ranges}

    columns = RegistryColumn.objects.filter(edition__level="regional").order_by("number")
    headers = [sheet.cell(4, n).value for n in range(1, 15)]
    assert headers == [c.header + ("*" if c.mandatory else "") for c in columns]
    assert headers[0] == "Идентификатор процесса*" and headers[1] == "Жизненная ситуация"
    assert [sheet.cell(5, n).value for n in range(1, 15)] == list(range(1, 15))

    first, second = data_rows(sheet)
    assert first[0] == "1"
    assert first[2] == "Рассмотрение обращений граждан"
    assert first[5] == "Рассмотрение обращений и запросов"
    assert first[6] == "Прием и регистрация обращений и запросов"
    assert first[8] == "в очереди на исследование"
    assert first[11] == "2 (последующий)"
    assert second[11] == "1 (предшествующий)"
    assert first[12] == "цифровой"
    assert first[13] == (
        "Единый портал государственных и муниципальных услуг (функций); Сайт органа власти; "
        "https://omskportal.ru/services/1"
    )
    assert sheet.cell(sheet.max_row, 1).value == "* Графы, обязательные для заполнения."  # 001

    assert sheet.freeze_panes == "B6"
    assert sheet.print_title_rows == "$4:$5"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.cell(6, 3).alignment.wrap_text
    assert sheet.column_dimensions["C"].width > 30
    assert book.properties.title == "Реестр межведомственных и внутриведомственных процессов"
    assert book.properties.subject == "Главное управление молодежной политики Омской области"


def test_municipal_form_uses_municipal_wording(client, world):
    client.force_login(world.city_officer)
    _, _, book = download(client)
    sheet = book.active
    assert sheet.cell(4, 3).value == "Название услуги, функции, сервиса*"
    assert sheet.cell(4, 13).value == "Вид процесса (цифровой/не цифровой)"
    assert sheet["A2"].value == "Администрация города Омска"


@pytest.mark.parametrize(
    "dangerous",
    [
        '=HYPERLINK("http://evil","x")',
        "+7 (3812) 00-00-00",
        "-1+1",
        "@SUM(A1)",
        "\tтаб",
        "\rперевод",
    ],
)
def test_formula_like_text_is_written_as_text(client, world, dangerous):
    world.own_row.function_name = dangerous
    world.own_row.client = dangerous
    world.own_row.save()
    client.force_login(world.officer)
    _, body, book = download(client)
    cell = book.active.cell(6, 3)
    assert cell.data_type == "s"
    assert cell.value == dangerous.replace("\r", "\n")  # line breaks kept as LF
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_cyrillic_download_name_per_rfc_5987(client, world):
    client.force_login(world.officer)
    response, _, _ = download(client)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    name = unquote(disposition.split("''", 1)[1])
    assert name.startswith("Реестр процессов — Главное управление — ")
    assert name.endswith(".xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_export_contains_what_the_filtered_list_shows(client, world):
    client.force_login(world.officer)
    _, _, book = download(client, unit=world.other_unit.pk)
    assert [r[0] for r in data_rows(book.active)] == ["2"]
    world.own_row.is_excluded = True
    world.own_row.save()
    _, _, book = download(client)
    assert [r[0] for r in data_rows(book.active)] == ["2"]


@pytest.mark.parametrize("role", ["official", "officer", "city_official", "city_officer"])
def test_export_never_contains_another_authority(client, world, role):
    client.force_login(getattr(world, role))
    foreign = world.city_authority if "city" not in role else world.authority
    response = client.get(
        reverse("registry:process_list"), {"export": "xlsx", "authority": foreign.pk}
    )
    # The filter refuses an authority it does not offer: no file of the other authority.
    assert response.status_code == 302
    _, body, book = download(client)
    assert len(book.sheetnames) == 1
    assert foreign.full_name.encode() not in body


def test_coordinator_gets_a_sheet_per_authority_and_a_summary(client, world):
    client.force_login(world.coordinator)
    _, _, book = download(client)
    assert book.sheetnames == ["Сводка", "Администрация", "Главное управление"]
    summary = book["Сводка"]
    assert summary["A5"].value == "Администрация города Омска"
    assert summary["B5"].value == 1
    assert summary["A6"].value == "Главное управление молодежной политики Омской области"
    assert summary["B6"].value == 2
    assert summary["A7"].value == "Итого" and summary["B7"].value == 3
    assert [r[0] for r in data_rows(book["Главное управление"])] == ["1", "2"]


def test_anonymous_cannot_export(client, world):
    response = client.get(reverse("registry:process_list"), {"export": "xlsx"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_query_count_does_not_grow_with_rows(world, tmp_path):
    def queries_for(count):
        for i in range(count):
            row = make_process(world.authority, world.unit, f"{1000 + len(queries)}-{i}")
            row.placement_points.set([1])
            make_link(world.own_row, row)
        with CaptureQueriesContext(connection) as ctx:
            export_registry(Process.objects.all(), str(tmp_path / f"{count}.xlsx"))
        return len(ctx.captured_queries)

    queries = []
    queries.append(queries_for(5))
    queries.append(queries_for(60))
    assert queries[0] == queries[1]


def test_export_registry_command(world, tmp_path, capsys):
    target = tmp_path / "реестр.xlsx"
    call_command("export_registry", "администрация города омска", "-o", str(target))
    assert "выгружено строк — 1" in capsys.readouterr().out
    book = openpyxl.load_workbook(target)
    assert book.active["A2"].value == "Администрация города Омска"
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="не найден"):
        call_command("export_registry", "Нет такого органа", "-o", str(target))


def test_sheet_names_follow_excel_rules():
    taken: set[str] = set()
    assert sheet_name("'Управление [делами]: 1/2'", taken) == "Управление  делами   1 2"
    long = "Министерство по делам молодежи, физической культуры и спорта"
    assert sheet_name(long, taken) == "Министерство по делам молодежи,"
    assert (
        sheet_name(long.upper(), taken) == "МИНИСТЕРСТВО ПО ДЕЛАМ МОЛОД (2)"
    )  # Excel ignores case
    # Cut at 31 characters, the name would end with an apostrophe, which Excel refuses.
    quoted = "Отдел по работе с обращениями 'Окно'"
    assert quoted[:31].endswith("'")
    assert sheet_name(quoted, taken) == "Отдел по работе с обращениями"
    # The same when a collision suffix cuts the name.
    quoted = "Отдел 'Единое окно' Управл' Ц"
    assert sheet_name(quoted, taken) == quoted
    assert sheet_name(quoted, taken) == "Отдел 'Единое окно' Управл (2)"
    assert sheet_name("'", taken) == "Лист"


def test_sheet_name_counts_as_excel_does():
    import xlsxwriter

    from portal.xlsx import sheet_name

    taken: set[str] = set()
    wide = "𝐌" * 40  # beyond the basic plane: two UTF-16 units each
    first, second = sheet_name(wide, taken), sheet_name(wide, taken)
    assert len(first.encode("utf-16-le")) // 2 <= 31
    assert second.endswith(" (2)") and len(second.encode("utf-16-le")) // 2 <= 31
    book = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    book.add_worksheet(first)
    book.add_worksheet(second)  # Excel's own check accepts both
    book.close()
