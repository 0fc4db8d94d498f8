"""The 14 columns of the typical form (appendix 1 of the Procedure): one specification that the
form, the list table, the history, the row values, the XLSX and open-data files and the import
all read. Nothing else maps column numbers to fields.

The wording of each header is data: RegistryColumn(edition, number) per catalogue edition,
read with edition_columns(); the spec holds only the number that finds it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial

from registry.models import CatalogueEdition, RegistryColumn
from registry.models.catalogue import template_edition

# Where a free-text column's length limit comes from.
CELL = "cell"  # portal.cells.CELL_MAX_CHARS: one XLSX cell holds what JSON does
MODEL = "model"  # the model field's max_length


@dataclass(frozen=True)
class Column:
    """One column of the typical form. Its header is data: RegistryColumn(edition, number) of
    the row's catalogue edition (edition_columns(), then header() or label())."""

    number: int
    # Process fields that hold the column (column 12 is held in ProcessLink: none).
    model_fields: tuple[str, ...]
    # The ProcessForm field labelled with the header (column 12 is the links formset).
    form_field: str | None
    table_column: str  # the ProcessTable column
    open_data_key: str  # the field name in JSON and the data passport
    # values_list lookups, in order: the first non-empty one prints the column (column 7: the
    # typical process's name, else the non-typical name). Column 14 prints its many_to_many
    # names before that text; column 12 prints the links.
    row_lookups: tuple[str, ...]
    xlsx_width: int  # in characters
    # Form fields of free text, each held to one XLSX cell, and where their limit comes from.
    text_fields: tuple[str, ...] = ()
    limit: str | None = None
    many_to_many: tuple[str, ...] = ()
    # An empty cell of an uploaded file is refused (7 and 9 are checked with their values).
    required_in_file: bool = False
    # History: a note after the header for model fields that share the column.
    history_notes: tuple[tuple[str, str], ...] = ()
    held_in: str = "Process"

    @property
    def fields(self) -> tuple[str, ...]:
        """Every Process field of the column, many-to-many included."""
        return (*self.model_fields, *self.many_to_many)

    def header(self, columns: dict[int, RegistryColumn]) -> str:
        """The header in the edition whose columns (edition_columns()) are given."""
        return columns[self.number].header

    def label(self, columns: dict[int, RegistryColumn]) -> str:
        """ "7. Название процесса": how the form, the list and the history name the column."""
        return f"{self.number}. {self.header(columns)}"

    def history_note(self, field: str) -> str:
        return dict(self.history_notes).get(field, "")


def _single(
    number: int,
    name: str,
    xlsx_width: int,
    *,
    free_text: bool,
    open_data_key: str | None = None,
    required_in_file: bool = False,
) -> Column:
    """A column one model field holds under the same name in the form and the table: free
    text held to one cell, or a value chosen from the edition's catalogue, printed by name."""
    return Column(
        number=number,
        model_fields=(name,),
        form_field=name,
        table_column=name,
        open_data_key=open_data_key or name,
        row_lookups=(name if free_text else f"{name}__name",),
        xlsx_width=xlsx_width,
        text_fields=(name,) if free_text else (),
        limit=CELL if free_text else None,
        required_in_file=required_in_file,
    )


_free_text = partial(_single, free_text=True)
_catalogue_value = partial(_single, free_text=False)


NON_TYPICAL = " (нетиповой)"

COLUMNS: tuple[Column, ...] = (
    Column(
        number=1,
        model_fields=("identifier",),
        form_field="identifier",
        table_column="identifier",
        open_data_key="identifier",
        row_lookups=("identifier",),
        xlsx_width=12,
        limit=MODEL,
        required_in_file=True,
    ),
    Column(
        number=2,
        model_fields=("life_situation",),
        form_field="life_situation_name",  # a name, chosen or new
        table_column="life_situation",
        open_data_key="life_situation",
        row_lookups=("life_situation__name",),
        xlsx_width=22,
        limit=MODEL,  # LifeSituation.name
    ),
    _free_text(3, "function_name", 36, required_in_file=True),
    _free_text(4, "client", 22),
    _free_text(5, "regulating_act", 36, required_in_file=True),
    # Item 15's wording (the short name), which column 6 of the form of appendix 1 takes;
    # appendix 2's fuller one (name) stays the catalogue's (docs/decisions.md, "Catalogue").
    replace(
        _catalogue_value(6, "group", 24, open_data_key="process_group"),
        row_lookups=("group__short_name", "group__name"),
    ),
    # A typical process of the catalogue, or a non-typical one's own name: three model
    # fields, one form choice (its free text in process_name), the table's "name".
    Column(
        number=7,
        model_fields=("typical_process", "is_non_typical", "process_name"),
        form_field="typical_process",
        table_column="name",
        open_data_key="process_name",
        row_lookups=("typical_process__name", "process_name"),
        xlsx_width=40,
        text_fields=("process_name",),
        limit=CELL,
        required_in_file=True,
        history_notes=(("is_non_typical", NON_TYPICAL), ("process_name", NON_TYPICAL)),
    ),
    _free_text(8, "responsible", 28, required_in_file=True),
    _catalogue_value(9, "status", 20, required_in_file=True),
    _free_text(10, "input_data", 28),
    _free_text(11, "output_data", 28),
    Column(
        number=12,
        model_fields=(),
        form_field=None,  # the links formset
        table_column="links",
        open_data_key="links",
        row_lookups=(),
        xlsx_width=24,
        held_in="ProcessLink",
    ),
    _catalogue_value(13, "kind", 14, open_data_key="process_kind"),
    # Placement points of the catalogue, then the row's own address.
    Column(
        number=14,
        model_fields=("placement_url",),
        many_to_many=("placement_points",),
        form_field="placement_points",
        table_column="placement",
        open_data_key="digital_placement",
        row_lookups=("placement_url",),
        xlsx_width=30,
        limit=MODEL,  # Process.placement_url
        history_notes=(("placement_url", " (адрес)"),),
    ),
)

NUMBERS = tuple(column.number for column in COLUMNS)
_BY_NUMBER = {column.number: column for column in COLUMNS}
_BY_FORM_FIELD = {column.form_field: column for column in COLUMNS if column.form_field}
_BY_TEXT_FIELD = {name: column for column in COLUMNS for name in column.text_fields}
_BY_MODEL_FIELD = {name: column for column in COLUMNS for name in column.fields}
_BY_TABLE_COLUMN = {column.table_column: column for column in COLUMNS}

# The Process fields that carry the columns, in column order, without the many-to-many.
COLUMN_FIELDS = tuple(name for column in COLUMNS for name in column.model_fields)
LINKS = next(column for column in COLUMNS if column.held_in == "ProcessLink")
OPEN_DATA_KEYS = tuple(column.open_data_key for column in COLUMNS)
REQUIRED_IN_FILE = tuple(column.number for column in COLUMNS if column.required_in_file)


def by_number(number: int) -> Column:
    return _BY_NUMBER[number]


def by_form_field(name: str) -> Column | None:
    """The column whose header labels this form field, or whose free text it holds."""
    return _BY_FORM_FIELD.get(name) or _BY_TEXT_FIELD.get(name)


def by_model_field(name: str) -> Column | None:
    return _BY_MODEL_FIELD.get(name)


def by_table_column(name: str) -> Column | None:
    return _BY_TABLE_COLUMN.get(name)


def edition_columns(edition: CatalogueEdition | None) -> dict[int, RegistryColumn]:
    """The edition's headers by number; the regional template's when none is given."""
    qs = RegistryColumn.objects.select_related("edition")
    qs = qs.filter(edition=edition or template_edition())
    return {column.number: column for column in qs}
