"""Which model attribute carries which column of the typical form (appendix 1 of the Procedure).

The wording of the headers is data (RegistryColumn, per edition); this is only the mapping.
"""

from __future__ import annotations

from registry.models import CatalogueEdition, RegistryColumn

# column number -> name of the form field / table column that carries it
COLUMN_FIELDS = {
    1: "identifier",
    2: "life_situation",
    3: "function_name",
    4: "client",
    5: "regulating_act",
    6: "group",
    7: "name",
    8: "responsible",
    9: "status",
    10: "input_data",
    11: "output_data",
    12: "links",
    13: "kind",
    14: "placement",
}
FIELD_COLUMNS = {field: number for number, field in COLUMN_FIELDS.items()}


def edition_columns(edition: CatalogueEdition | None) -> dict[int, RegistryColumn]:
    """The edition's headers by number; the regional edition's when none is given."""
    qs = RegistryColumn.objects.select_related("edition")
    qs = qs.filter(edition__level="regional") if edition is None else qs.filter(edition=edition)
    return {column.number: column for column in qs}
