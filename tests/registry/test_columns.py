"""One specification of the typical form's 14 columns (registry/columns.py): the form, the list,
the history, the row values, the XLSX, CSV and JSON files and the import all follow it."""

import csv
import io

import openpyxl
import pytest

from portal.cells import CELL_MAX_CHARS
from registry import columns as spec
from registry.forms.processes import ProcessForm
from registry.models import Process, RegistryColumn
from registry.services import publication
from registry.services.history import _label
from registry.services.registry_rows import ROW_FIELDS, registry_rows
from registry.services.row_values import RowNames, row_texts, values_of_process
from registry.services.xlsx_export import export_registry
from registry.services.xlsx_import import REQUIRED
from registry.tables import ProcessTable, column_choices

pytestmark = pytest.mark.django_db


def test_the_spec_lists_columns_1_to_14_once_each():
    assert [c.number for c in spec.COLUMNS] == list(range(1, 15))
    for attribute in ("form_field", "table_column", "open_data_key"):
        names = [getattr(c, attribute) for c in spec.COLUMNS if getattr(c, attribute)]
        assert len(names) == len(set(names)), attribute
    fields = [name for c in spec.COLUMNS for name in c.fields]
    assert len(fields) == len(set(fields))
    assert spec.LINKS.number == 12 and spec.LINKS.fields == ()


def test_lookups_by_number_form_field_model_field_and_table_column():
    seven = spec.by_number(7)
    assert seven.model_fields == ("typical_process", "is_non_typical", "process_name")
    assert seven.table_column == "name" and seven.form_field == "typical_process"
    assert spec.by_form_field("process_name") is seven  # its free text
    assert spec.by_form_field("life_situation_name") is spec.by_number(2)
    assert spec.by_model_field("placement_points") is spec.by_number(14)
    assert spec.by_model_field("unit") is None
    assert spec.by_table_column("placement") is spec.by_number(14)


def test_the_spec_names_real_model_fields_and_lookups(world):
    concrete = {f.name for f in Process._meta.get_fields() if not f.many_to_many}
    assert set(spec.COLUMN_FIELDS) <= concrete
    assert {name for c in spec.COLUMNS for name in c.many_to_many} == {"placement_points"}
    assert Process.objects.values_list(*ROW_FIELDS).count() == Process.objects.count()
    for column in spec.COLUMNS:
        for name in column.text_fields:
            assert column.limit == spec.CELL
            limits = [v.limit_value for v in Process._meta.get_field(name).validators]
            assert CELL_MAX_CHARS in limits, name


def test_the_form_labels_and_limits_follow_the_spec(world):
    form = ProcessForm(user=world.officer)
    headers = spec.edition_columns(world.authority.edition)
    labelled = {spec.by_form_field(name).number for name in form.fields if spec.by_form_field(name)}
    assert labelled == set(range(1, 15)) - {12}  # column 12 is the links formset
    for column in spec.COLUMNS:
        if column.form_field:
            assert form.fields[column.form_field].label.startswith(column.label(headers))
        for name in column.text_fields:
            field = form.fields[name]
            assert field.max_length == CELL_MAX_CHARS
            assert field.widget.attrs["maxlength"] == str(CELL_MAX_CHARS)
    limited = {n for n, f in form.fields.items() if getattr(f, "max_length", 0) == CELL_MAX_CHARS}
    assert limited == {name for c in spec.COLUMNS for name in c.text_fields}


def test_the_table_has_each_column_once_in_spec_order(world):
    headers = spec.edition_columns(world.authority.edition)
    names = [name for name, _ in column_choices(columns=headers)]
    in_spec = [name for name in names if spec.by_table_column(name)]
    assert in_spec == [c.table_column for c in spec.COLUMNS]
    table = ProcessTable([], columns=headers)
    for column in spec.COLUMNS:
        assert str(table.columns[column.table_column].header) == column.label(headers)


def test_history_labels_follow_the_spec(world):
    headers = spec.edition_columns(world.authority.edition)
    assert _label("typical_process", headers) == spec.by_number(7).label(headers)
    assert _label("process_name", headers) == spec.by_number(7).label(headers) + " (нетиповой)"
    assert _label("placement_url", headers) == spec.by_number(14).label(headers) + " (адрес)"
    assert _label("placement_points", headers) == spec.by_number(14).label(headers)
    assert _label("unit", headers) == "Структурное подразделение"


def test_row_values_and_registry_rows_print_the_same_columns(world):
    world.own_row.placement_url = "https://omskportal.ru/services/1"
    world.own_row.save()
    process = Process.objects.get(pk=world.own_row.pk)
    values = values_of_process(process)
    texts = row_texts(values, process.authority_id, RowNames.for_values([values]))
    row = next(r for r in registry_rows(Process.objects.filter(pk=process.pk)))
    assert len(texts) == len(spec.COLUMNS) and row.values == texts
    assert texts[6] == process.typical_process.name
    assert texts[13].endswith("https://omskportal.ru/services/1")


def test_open_data_keys_follow_the_spec(client, world):
    client.force_login(world.officer)
    version = publication.publish(world.authority, world.officer)
    payload = publication.json_payload(version)
    assert list(payload["rows"][0]) == [c.open_data_key for c in spec.COLUMNS]
    passport = publication.data_passport(version, {})
    assert [(f["name"], f["column"]) for f in passport["fields"]] == [
        (c.open_data_key, c.number) for c in spec.COLUMNS
    ]


def test_a_header_changed_in_the_catalogue_changes_form_table_xlsx_and_csv(world, tmp_path):
    edition = world.authority.edition
    RegistryColumn.objects.filter(edition=edition, number=8).update(header="Кто отвечает")
    form = ProcessForm(user=world.officer)
    assert form.fields["responsible"].label == "8. Кто отвечает"
    headers = spec.edition_columns(edition)
    assert str(ProcessTable([], columns=headers).columns["responsible"].header) == (
        "8. Кто отвечает"
    )

    path = str(tmp_path / "registry.xlsx")
    export_registry(Process.objects.filter(authority=world.authority), path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    header_row = [cell.value for cell in sheet[4]]
    assert header_row[7].rstrip("*") == "Кто отвечает"
    assert [cell.value for cell in sheet[5]] == list(range(1, 15))
    widths = {}  # openpyxl keeps equal neighbouring widths as one range
    for dimension in sheet.column_dimensions.values():
        for index in range(dimension.min, dimension.max + 1):
            widths[index] = round(dimension.width)
    assert [widths[i] for i in range(1, 15)] == [c.xlsx_width + 1 for c in spec.COLUMNS]

    version = publication.publish(world.authority, world.officer)
    text = publication.csv_bytes(version).decode("utf-8-sig")
    first = next(csv.reader(io.StringIO(text), delimiter=";"))
    assert first[7] == "Кто отвечает" and len(first) == 14


def test_the_import_refuses_the_empty_cells_the_spec_requires():
    # 7 and 9 are refused with their values (an unknown status, a non-typical name).
    assert REQUIRED == (1, 3, 5, 8)
    assert spec.REQUIRED_IN_FILE == (1, 3, 5, 7, 8, 9)
