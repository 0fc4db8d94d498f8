"""Pieces several apps share instead of writing them again: the spreadsheet upload field, the
text-area widgets and the catalogue's abstract entries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.spreadsheets.forms import SpreadsheetField
from portal.widgets import text_areas
from registry.forms import ImportUploadForm
from registry.models import (
    PlacementPoint,
    ProcessGroup,
    ProcessKind,
    ReengineeringStatus,
    TypicalProcess,
)
from registry.models.catalogue import CatalogueEntry
from roadmaps.forms import EditionUploadForm


def test_both_upload_forms_take_the_kernels_spreadsheet_field():
    assert isinstance(ImportUploadForm.base_fields["file"], SpreadsheetField)
    assert isinstance(EditionUploadForm.base_fields["edition"], SpreadsheetField)


def test_the_upload_field_refuses_a_missing_an_empty_and_a_too_large_file(settings):
    def errors(upload):
        form = EditionUploadForm(data={}, files={"edition": upload} if upload else {})
        assert not form.is_valid()
        return form.errors["edition"]

    assert errors(None) == ["Выберите файл новой редакции плана."]
    assert errors(SimpleUploadedFile("plan.txt", b"")) == [
        "Файл пустой: выберите файл новой редакции плана, в котором есть таблица."
    ]
    settings.REGISTRY_IMPORT_MAX_BYTES = 10
    assert "Файл слишком большой" in errors(SimpleUploadedFile("plan.txt", b"x" * 100))[0]
    field = ImportUploadForm.base_fields["file"]
    assert field.error_messages["empty"] == (
        "Файл пустой: выберите файл реестра XLSX или XLS, в котором есть таблица."
    )
    assert field.widget.attrs == {"accept": ".xlsx,.xls", "class": "form-control"}


def test_text_areas_give_each_field_its_own_widget_of_that_height():
    widgets = text_areas(3, "a", "b")
    assert [w.attrs["rows"] for w in widgets.values()] == [3, 3]
    assert widgets["a"] is not widgets["b"]


@pytest.mark.parametrize(
    ("model", "ordering"),
    [
        (ProcessGroup, ["edition", "order"]),
        (TypicalProcess, ["group__edition", "group__order", "order"]),
        (ReengineeringStatus, ["edition", "order"]),
        (ProcessKind, ["edition", "order"]),
        (PlacementPoint, ["order"]),
    ],
)
def test_catalogue_entries_share_the_order_and_keep_their_ordering(model, ordering):
    assert issubclass(model, CatalogueEntry)
    assert model._meta.ordering == ordering
    assert str(model._meta.get_field("order").verbose_name) == "порядок"
    assert str(model(code="x", name="Имя")).endswith("Имя")
