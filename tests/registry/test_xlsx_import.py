"""Taking in registry spreadsheets: header finding, tolerant matching, preview, atomic apply,
bad files, round trip, permissions."""

import io
import time
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from registry.models import ImportBatch, Process, ProcessLink
from registry.services import xlsx_import
from registry.services.imports.write import RegistryWriter
from registry.services.xlsx_export import export_registry
from registry.services.xlsx_import import ImportRefused, RegistryImport
from tests.conftest import make_link
from tests.registry.xlsx_files import headers, row, workbook_bytes

pytestmark = pytest.mark.django_db


def preview(world, data, user=None, unit="default"):
    unit = world.unit if unit == "default" else unit
    return RegistryImport(world.authority, user, unit).preview(data)


def by_identifier(report):
    return {r.identifier: r for r in report.rows}


# --- round trip ------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["authority", "city_authority"])
def test_importing_an_exported_file_changes_nothing(world, tmp_path, which):
    make_link(world.own_row, world.other_unit_row)
    make_link(world.city_row, world.own_row)  # interdepartmental
    world.own_row.placement_url = "https://omskportal.ru/x"
    world.own_row.save()
    world.own_row.placement_points.set([1, 3])
    authority = getattr(world, which)
    path = tmp_path / "export.xlsx"
    export_registry(Process.objects.filter(authority=authority), str(path))
    report = RegistryImport(authority, None, None).preview(path.read_bytes())
    assert report.file_errors == []
    assert [r.action for r in report.rows] == ["unchanged"] * Process.objects.filter(
        authority=authority
    ).count(), [(r.identifier, r.changes, r.errors) for r in report.rows]


# --- reading ---------------------------------------------------------------------------------


def test_header_is_found_below_title_rows_with_variant_wording(world):
    variant = headers()
    variant[0] = "ИДЕНТИФИКАТОР\nпроцесса *"
    variant[8] = "Статус процесса"
    variant[13] = "Точка размещения в цифровом виде"
    variant[12] = "Вид процесса (цифровой/не цифровой)"  # the municipal wording
    data = workbook_bytes([row("1"), row("5")], header=variant, title_rows=6)
    report = preview(world, data)
    assert report.file_errors == []
    assert [r.row for r in report.rows] == [9, 10]  # header on row 7, numbers on row 8
    assert by_identifier(report)["5"].action == "new"


def test_merged_cells_give_their_value_to_every_row(world):
    rows = [row("10"), row("11", c3="", c5="")]
    data = workbook_bytes(rows, title_rows=0, merges=["C3:C4", "E3:E4"])
    report = preview(world, data)
    eleven = by_identifier(report)["11"]
    assert eleven.errors == []
    assert eleven.values["function_name"] == "Рассмотрение обращений граждан"


def test_repeated_header_after_a_page_break_is_skipped(world):
    data = workbook_bytes([row("20"), headers(), list(range(1, 15)), row("21")], title_rows=0)
    report = preview(world, data)
    assert [r.identifier for r in report.rows] == ["20", "21"]


def test_values_are_matched_tolerantly(world):
    data = workbook_bytes(
        [
            row(
                "30",
                c6="рассмотрение обращений и запросов.",
                c7="4.5. Рассмотрение обращений и запросов и подготовка ответов на них.",
                c9="Прошел   реинжиниринг.",
                c13="Нецифровой",
                c14="единый портал государственных и муниципальных услуг (функций);"
                " www.omskportal.ru",
            )
        ]
    )
    entry = preview(world, data).rows[0]
    assert entry.errors == [], entry.errors
    assert entry.values["typical_process_id"] is not None
    assert entry.values["placement_url"] == "https://www.omskportal.ru"


def test_municipal_status_variants_are_known(world):
    data = workbook_bytes(
        [
            row(
                "40",
                c6="Предоставление муниципальных услуг (функций)",
                c7="Информирование о предоставлении муниципальной услуги (функции)",
                c9="оптимизацию (реинжиниринг) не проходи",  # as the scanned order writes it
            )
        ],
        header=headers("municipal"),
    )
    report = RegistryImport(world.city_authority, None, world.city_unit).preview(data)
    assert report.rows[0].errors == []


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (
            "c9",
            "почти готов",
            "Графа 9: статуса «почти готов» нет. Допустимо: «в очереди на исследование»",
        ),
        ("c6", "Прочее", "Графа 6: группы процессов «Прочее» нет в перечне"),
        ("c13", "смешанный", "Графа 13: вида процесса «смешанный» нет"),
        ("c14", "Телеграм", "Графа 14: «Телеграм» — не точка размещения и не адрес"),
        ("c3", "", "Графа 3 «Название функции, услуги, сервиса» обязательна для заполнения."),
        ("c12", "7 (последующий)", "Графа 12: процесса с идентификатором «7» нет"),
        ("c12", "просто текст", "Графа 12: «просто текст» не читается"),
    ],
)
def test_unknown_values_are_errors_naming_the_row_and_column(world, column, value, message):
    data = workbook_bytes([row("1"), row("50", **{column: value})])
    report = preview(world, data)
    entry = by_identifier(report)["50"]
    assert entry.action == "error"
    assert entry.row == 6
    assert any(message in error for error in entry.errors), entry.errors
    assert report.has_errors


def test_unknown_process_name_becomes_a_visible_non_typical_process(world):
    data = workbook_bytes([row("60", c7="Выдача сертификата волонтера")])
    entry = preview(world, data).rows[0]
    assert entry.errors == []
    assert entry.values["is_non_typical"] is True
    assert "будет внесена как нетиповой процесс" in entry.warnings[0]


def test_duplicate_identifiers_in_the_file_are_errors(world):
    report = preview(world, workbook_bytes([row("70"), row("070")]))
    assert "уже встречается в строке 5" in report.rows[1].errors[0]


# --- preview and apply -----------------------------------------------------------------------


def test_preview_marks_new_changed_unchanged_with_field_diff(world, tmp_path):
    path = tmp_path / "x.xlsx"
    export_registry(Process.objects.filter(authority=world.authority), str(path))
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book.active
    sheet["H6"] = "Петров Петр Петрович, консультант"  # row "1", column 8
    sheet.append(row("3"))
    buffer = io.BytesIO()
    book.save(buffer)
    report = preview(world, buffer.getvalue())
    rows = by_identifier(report)
    assert rows["1"].action == "changed"
    assert [(c.column, c.old, c.new) for c in rows["1"].changes] == [
        (8, "Иванов Иван Иванович, начальник отдела", "Петров Петр Петрович, консультант")
    ]
    assert rows["2"].action == "unchanged"
    assert rows["3"].action == "new"
    assert Process.objects.get(pk=world.own_row.pk).responsible.startswith(
        "Иванов"
    )  # nothing written


def test_apply_writes_rows_and_links_in_one_go(world):
    data = workbook_bytes(
        [
            row("1"),
            row("10", c12="1 (предшествующий); 11 (последующий)"),
            row("11", c7="Личный прием граждан"),
        ]
    )
    importer = RegistryImport(world.authority, world.officer, world.unit)
    report = importer.preview(data)
    assert not report.has_errors, report.text()
    importer.apply(data, report.fingerprint())
    ten = Process.objects.get(authority=world.authority, identifier="10")
    assert ten.unit == world.unit and ten.created_by == world.officer
    assert Process.objects.get(pk=ten.pk).links_text() == "1 (предшествующий); 11 (последующий)"
    assert ProcessLink.objects.filter(predecessor=world.own_row, successor=ten).exists()
    assert (
        Process.objects.get(identifier="11", authority=world.authority).typical_process.code
        == "4.6"
    )
    # The same file again changes nothing.
    assert all(r.action == "unchanged" for r in importer.preview(data).rows)


def test_a_failure_in_the_middle_leaves_the_database_unchanged(world, monkeypatch):
    data = workbook_bytes(
        [row("1", c8="Новый Ответственный"), row("80"), row("81", c12="80 (предшествующий)")]
    )
    importer = RegistryImport(world.authority, world.officer, world.unit)
    report = importer.preview(data)

    def broken(*args, **kwargs):
        raise RuntimeError("диск заполнен")

    monkeypatch.setattr(RegistryWriter, "_write_links", broken)
    with pytest.raises(RuntimeError):
        importer.apply(data, report.fingerprint())
    assert not Process.objects.filter(identifier__in=["80", "81"]).exists()
    assert Process.objects.get(pk=world.own_row.pk).responsible.startswith("Иванов")


def test_apply_refuses_when_the_registry_changed_after_preview(world):
    data = workbook_bytes([row("1", c8="Из файла")])
    importer = RegistryImport(world.authority, world.officer, world.unit)
    report = importer.preview(data)
    Process.objects.filter(pk=world.own_row.pk).update(responsible="Изменил коллега")
    with pytest.raises(ImportRefused, match="изменился после предпросмотра"):
        importer.apply(data, report.fingerprint())
    assert Process.objects.get(pk=world.own_row.pk).responsible == "Изменил коллега"


def test_a_file_with_errors_is_never_applied(world):
    data = workbook_bytes([row("90"), row("91", c9="неизвестно")])
    importer = RegistryImport(world.authority, world.officer, world.unit)
    report = importer.preview(data)
    with pytest.raises(ImportRefused):
        importer.apply(data, report.fingerprint())
    assert not Process.objects.filter(identifier="90").exists()


def test_official_cannot_change_another_units_row_through_a_file(world):
    data = workbook_bytes(
        [
            row(
                "2",
                c8="Чужой ответственный",
                c7="Определение исполнителей по рассмотрению обращений и запросов",
            )
        ]
    )
    report = RegistryImport(world.authority, world.official, world.unit).preview(data)
    assert report.rows[0].action == "error"
    assert "Строку ведет другое подразделение" in report.rows[0].errors[0]


def test_new_rows_need_a_unit(world):
    report = preview(world, workbook_bytes([row("95")]), unit=None)
    assert "выберите подразделение" in report.rows[0].errors[0]


# --- bad files -------------------------------------------------------------------------------


def file_error(world, data):
    report = preview(world, data)
    assert report.rows == []
    return report.file_errors[0]


def test_not_a_spreadsheet(world):
    assert "не является электронной таблицей" in file_error(world, "Реестр;1;2".encode())
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "не таблица")
    assert "другой ZIP-архив" in file_error(world, other_zip.getvalue())


def test_empty_file_and_empty_sheet(world):
    assert file_error(world, b"") == "Файл пустой."
    import openpyxl

    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    assert "Таблица пустая" in file_error(world, buffer.getvalue())


def test_no_recognizable_header(world):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Список дел", "Срок"])
    book.active.append(["Позвонить", "завтра"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert "Не найдена строка заголовков реестра" in file_error(world, buffer.getvalue())


def test_missing_mandatory_columns_are_named(world):
    data = workbook_bytes(
        [row("1")], header=headers()[:4] + ["", "", "", "", "", "", "", "", "", ""]
    )
    message = file_error(world, data)
    assert "нет обязательных граф" in message and "5. Регулирующий акт" in message


def test_password_protected_file(world, tmp_path):
    import msoffcrypto.format.ooxml

    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(workbook_bytes([row("1")]))
    encrypted = io.BytesIO()
    with open(plain, "rb") as source:
        office = msoffcrypto.format.ooxml.OOXMLFile(source)
        office.encrypt("пароль", encrypted)
    assert "защищен паролем" in file_error(world, encrypted.getvalue())


def test_too_large_and_too_many_rows(world, settings):
    settings.REGISTRY_IMPORT_MAX_BYTES = 1000
    assert "Файл слишком большой" in file_error(world, workbook_bytes([row("1")]))
    settings.REGISTRY_IMPORT_MAX_BYTES = 20 * 1024 * 1024
    settings.REGISTRY_IMPORT_MAX_ROWS = 3
    message = file_error(world, workbook_bytes([row(str(i)) for i in range(1, 30)]))
    assert "допускается не более 3" in message


def test_zip_bomb(world):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    assert len(bomb.getvalue()) < 1024 * 1024
    assert "zip-бомба" in file_error(world, bomb.getvalue())


def test_legacy_xls(world, tmp_path):
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Реестр")
    for c, text in enumerate(headers()):
        sheet.write(0, c, text)
    for c, value in enumerate(row("100")):
        sheet.write(1, c, value)
    path = tmp_path / "old.xls"
    book.save(str(path))
    report = preview(world, path.read_bytes())
    assert report.file_errors == []
    assert by_identifier(report)["100"].action == "new"


# --- pages and the command -------------------------------------------------------------------


def upload(client, data, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("registry:import_upload"),
        {"file": SimpleUploadedFile("реестр.xlsx", data), **extra},
    )


def test_upload_preview_confirm(client, world):
    client.force_login(world.officer)
    response = upload(client, workbook_bytes([row("1"), row("200")]), default_unit=world.unit.pk)
    batch = ImportBatch.objects.get()
    assert response.url == reverse("registry:import_detail", args=[batch.pk])
    page = client.get(response.url)
    assert "новых: 1" in page.content.decode()
    assert not Process.objects.filter(identifier="200").exists()
    client.post(reverse("registry:import_confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "applied"
    assert Process.objects.filter(authority=world.authority, identifier="200").exists()


@pytest.mark.parametrize("role", ["city_official", "city_officer", "other_official"])
def test_someone_elses_upload_is_not_found(client, world, role):
    client.force_login(world.official)
    upload(client, workbook_bytes([row("300")]), default_unit=world.unit.pk)
    batch = ImportBatch.objects.get()
    client.force_login(getattr(world, role))
    assert client.get(reverse("registry:import_detail", args=[batch.pk])).status_code == 404
    assert client.post(reverse("registry:import_confirm", args=[batch.pk])).status_code == 404
    assert not Process.objects.filter(identifier="300").exists()


def test_officer_sees_the_uploads_of_his_authority(client, world):
    client.force_login(world.official)
    upload(client, workbook_bytes([row("301")]), default_unit=world.unit.pk)
    client.force_login(world.officer)
    batch = ImportBatch.objects.get()
    assert client.get(reverse("registry:import_detail", args=[batch.pk])).status_code == 200


def test_coordinator_cannot_upload(client, world):
    client.force_login(world.coordinator)
    assert client.get(reverse("registry:import_upload")).status_code == 403


def test_official_cannot_put_new_rows_into_another_unit(client, world):
    client.force_login(world.official)
    response = upload(client, workbook_bytes([row("302")]), default_unit=world.other_unit.pk)
    assert response.status_code == 200
    assert "default_unit" in response.context["form"].errors


def test_import_registry_command(world, tmp_path, capsys):
    path = tmp_path / "in.xlsx"
    path.write_bytes(workbook_bytes([row("1"), row("400")]))
    call_command(
        "import_registry",
        "Главное управление",
        str(path),
        "--dry-run",
        "--unit",
        str(world.unit.pk),
    )
    out = capsys.readouterr().out
    assert "новая — 1" in out and "ничего не записано" in out
    assert not Process.objects.filter(identifier="400").exists()
    call_command("import_registry", "Главное управление", str(path), "--unit", str(world.unit.pk))
    assert Process.objects.filter(authority=world.authority, identifier="400").exists()

    path.write_bytes(workbook_bytes([row("401", c9="неизвестно")]))
    with pytest.raises(CommandError, match="ничего не записано"):
        call_command(
            "import_registry", "Главное управление", str(path), "--unit", str(world.unit.pk)
        )
    assert "Графа 9" in capsys.readouterr().out


def test_module_constants_are_used(world):
    # The action labels shown to people are Russian.
    assert xlsx_import.ACTION_LABELS["changed"] == "изменена"


def test_column_12_entry_is_parsed_in_linear_time():
    from registry.services.xlsx_import import parse_link

    assert parse_link("Минфин: 10.1 (предшествующий)") == ("Минфин", "10.1", "предшествующий")
    assert parse_link("Орган: власти : 7 (последующий)") == ("Орган: власти", "7", "последующий")
    assert parse_link("10.1 (последующий)") == (None, "10.1", "последующий")
    assert parse_link("10.1 последующий") is None
    assert parse_link("(a) 10.1 (последующий)") is None
    started = time.monotonic()
    assert parse_link("a:" + " " * 3000 + "(b") is None
    assert parse_link("a:" + " " * 900 + "1 (b)") == ("a", "1", "b")
    assert parse_link("a:" + " " * 3000 + "1 (b)") is None  # longer than one entry may be
    assert time.monotonic() - started < 0.1
