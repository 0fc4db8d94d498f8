"""One cell of text is at most 32 767 characters (Excel's limit) at every entry point, with
the column and the row named, so the published XLSX holds what the JSON and CSV hold."""

import pytest

from portal.cells import CELL_MAX_CHARS
from registry.models import Process
from tests.hostile_files import table
from tests.registry.test_process_editing import add_url, form_data
from tests.registry.test_xlsx_import import preview
from tests.registry.xlsx_files import headers, row

pytestmark = pytest.mark.django_db
LONG = "а" * (CELL_MAX_CHARS + 1)


def test_the_registry_row_form_names_the_column(client, world):
    client.force_login(world.officer)
    before = Process.objects.count()
    response = client.post(add_url(), form_data(world, input_data=LONG))
    assert response.status_code == 400
    assert "Графа 10: не более 32 767 знаков" in response.content.decode()
    assert Process.objects.count() == before
    exact = client.post(add_url(), form_data(world, input_data="а" * CELL_MAX_CHARS))
    assert exact.status_code == 302


def test_the_model_refuses_what_no_form_checks(world):
    world.own_row.responsible = LONG
    with pytest.raises(Exception, match="32 767"):
        world.own_row.full_clean()


def test_the_registry_import_names_the_column_and_row(world):
    # written part by part: openpyxl itself cuts a cell to 32 767 characters
    data = table([["Реестр"], headers(), row("70", c11=LONG), row("71")])
    report = preview(world, data)
    entry, fine = report.rows
    assert entry.action == "error" and fine.action == "new"
    assert any(
        e.startswith("Графа 11 строки 3: не более 32 767 знаков") and "32 768" in e
        for e in entry.errors
    ), entry.errors
    exact = preview(world, table([headers(), row("72", c11="а" * CELL_MAX_CHARS)]))
    assert exact.rows[0].action == "new", exact.rows[0].errors
