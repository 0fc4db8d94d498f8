"""A row of the registry's file -> an entry: the values to write, matched to the catalogue,
with every error and warning of the row. Column 12 is kept as text for `links`."""

from __future__ import annotations

import re
from dataclasses import replace

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from portal.imports import ImportRow
from registry.columns import REQUIRED_IN_FILE
from registry.models import (
    LifeSituation,
    PlacementPoint,
    Process,
    normalize_identifier,
    normalize_text,
)
from registry.models.catalogue import variant_key
from registry.services.imports.catalogue import Catalogue, key
from registry.services.xlsx_reader import SheetRow, long_cell_errors

CODE_PREFIX = re.compile(r"^\d+(\.\d+)*\.?\s+")
IDENTIFIER_MAX = Process._meta.get_field("identifier").max_length
LIFE_SITUATION_MAX = LifeSituation._meta.get_field("name").max_length
URL_MAX = Process._meta.get_field("placement_url").max_length
URL_VALIDATOR = URLValidator()
URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
# Columns whose empty cell is refused as such (7 and 9 are checked with their values).
REQUIRED = tuple(number for number in REQUIRED_IN_FILE if number not in (7, 9))


class RowParser:
    """Parses the rows of one file for one authority's edition of the catalogue."""

    def __init__(self, catalogue: Catalogue, headers: dict[int, str]):
        self.catalogue = catalogue
        self.headers = headers
        self.life_situations = dict(LifeSituation.objects.values_list("normalized_name", "name"))

    def parse(self, row: SheetRow) -> ImportRow:
        entry = ImportRow(row=row.number, identifier="")
        row = self._understood(row, entry)
        cells = row.cells
        entry.identifier = normalize_identifier(cells.get(1, ""))
        entry.errors.extend(long_cell_errors(row))
        self._texts(row, entry)
        self._group_and_name(cells, entry)
        self._status(cells, entry)
        self._kind(cells, entry)
        self._placement(cells, entry)
        entry.values["links_text"] = cells.get(12, "").strip()
        return entry

    def _understood(self, row: SheetRow, entry: ImportRow) -> SheetRow:
        """Cells that hand-kept files write for «nothing» («-», «нет», «отсутствует» …) are
        empty, with a warning: the row is not refused for them."""
        cells = dict(row.cells)
        for number, text in row.cells.items():
            if text.strip() and variant_key(text) in self.catalogue.empty_words:
                cells[number] = ""
                entry.warnings.append(f"Графа {number}: «{text.strip()}» понято как пустая ячейка.")
        return replace(row, cells=cells)

    def _texts(self, row: SheetRow, entry: ImportRow) -> None:
        cells, errors, ident = row.cells, entry.errors, entry.identifier
        for number in REQUIRED:
            if not cells.get(number, "").strip():
                errors.append(
                    f"Графа {number} «{self.headers[number]}» обязательна для заполнения."
                )
        if 1 in row.typed:
            errors.append(
                f"Графа 1: «{cells[1]}» записан в таблице как число или дата, а не как текст; "
                "введите идентификатор текстом (например, «1.10» в формате «Текстовый»)."
            )
        if len(ident) > IDENTIFIER_MAX:
            errors.append(f"Графа 1: идентификатор длиннее {IDENTIFIER_MAX} символов.")
        situation = re.sub(r"\s+", " ", cells.get(2, "")).strip()
        if len(situation) > LIFE_SITUATION_MAX:
            errors.append(f"Графа 2: жизненная ситуация длиннее {LIFE_SITUATION_MAX} символов.")
        # A known life situation is written as the registry already spells it.
        situation = self.life_situations.get(normalize_text(situation), situation)
        entry.values.update(
            identifier=ident,
            life_situation=situation,
            function_name=cells.get(3, "").strip(),
            client=cells.get(4, "").strip(),
            regulating_act=cells.get(5, "").strip(),
            responsible=cells.get(8, "").strip(),
            input_data=cells.get(10, "").strip(),
            output_data=cells.get(11, "").strip(),
        )

    def _group_and_name(self, cells: dict[int, str], entry: ImportRow) -> None:
        catalogue, errors = self.catalogue, entry.errors
        group = None
        group_text = cells.get(6, "").strip()
        if group_text:
            group = catalogue.groups.get(key(group_text)) or catalogue.groups.get(
                key(CODE_PREFIX.sub("", group_text))
            )
            if group is None:
                errors.append(
                    f"Графа 6: группы процессов «{group_text}» нет в перечне. Допустимо: "
                    + "; ".join(catalogue.group_names)
                    + "."
                )
        name_text = cells.get(7, "").strip()
        typical = None
        if not name_text:
            errors.append(f"Графа 7 «{self.headers[7]}» обязательна для заполнения.")
        else:
            name_key = key(CODE_PREFIX.sub("", name_text))
            if group is not None:
                typical = catalogue.typicals.get((group.pk, name_key))
            elif not group_text:
                candidates = catalogue.typicals_by_name.get(name_key, [])
                typical = candidates[0] if len(candidates) == 1 else None
            if typical is None and not errors:
                entry.warnings.append(
                    "Графа 7: названия нет в перечне типовых процессов"
                    + (f" группы «{group.name}»" if group else "")
                    + " — строка будет внесена как нетиповой процесс."
                )
        entry.values.update(
            group_id=(typical.group_id if typical else group.pk if group else None),
            typical_process_id=typical.pk if typical else None,
            is_non_typical=typical is None,
            process_name="" if typical else name_text,
        )

    def _status(self, cells: dict[int, str], entry: ImportRow) -> None:
        status_text = cells.get(9, "").strip()
        status = self.catalogue.statuses.get(key(status_text)) if status_text else None
        if not status_text:
            entry.errors.append(f"Графа 9 «{self.headers[9]}» обязательна для заполнения.")
        elif status is None:
            entry.errors.append(
                _not_listed(9, "статуса", status_text, self.catalogue.status_names, ".")
            )
        entry.values["status_id"] = status.pk if status else None

    def _kind(self, cells: dict[int, str], entry: ImportRow) -> None:
        kind_text = cells.get(13, "").strip()
        kind = None
        if kind_text:
            kinds = self.catalogue.kinds
            kind = kinds.get(key(kind_text)) or kinds.get(key(kind_text).replace(" ", ""))
            if kind is None:
                entry.errors.append(
                    _not_listed(
                        13, "вида процесса", kind_text, self.catalogue.kind_names, " или пусто."
                    )
                )
        entry.values["kind_id"] = kind.pk if kind else None

    def _placement(self, cells: dict[int, str], entry: ImportRow) -> None:
        catalogue, errors = self.catalogue, entry.errors
        points, url = [], ""
        for piece in re.split(r"[;\n]", cells.get(14, "")):
            piece = piece.strip()
            if not piece:
                continue
            if URL.match(piece):
                if url:
                    errors.append("Графа 14: допускается один адрес в сети «Интернет».")
                url = piece if piece.lower().startswith("http") else f"https://{piece}"
                try:
                    URL_VALIDATOR(url)
                    if len(url) > URL_MAX:
                        raise ValidationError("too long")
                except ValidationError:
                    errors.append(
                        f"Графа 14: «{piece[:100]}» — неверный адрес в сети «Интернет» "
                        f"(нужен полный адрес не длиннее {URL_MAX} символов)."
                    )
                continue
            found = self._points(piece, entry)
            if found is None:
                errors.append(
                    f"Графа 14: «{piece}» — не точка размещения и не адрес. Допустимо: "
                    + "; ".join(f"«{p}»" for p in catalogue.point_names)
                    + " и адрес, начинающийся с https://."
                )
                continue
            points.extend(point.pk for point in found if point.pk not in points)
        entry.values["placement_point_ids"] = sorted(
            points, key=lambda pk: catalogue.point_order[pk]
        )
        entry.values["placement_url"] = url

    def _points(self, piece: str, entry: ImportRow) -> list[PlacementPoint] | None:
        """The points a piece of column 14 names (none for «нет»), or None: not understood.
        Points listed with commas, as the column's header in the form, are each taken."""
        found = self._point(piece, entry)
        if found is not None or "," not in piece:
            return found
        warnings = list(entry.warnings)
        parts = [self._point(part.strip(), entry) for part in piece.split(",") if part.strip()]
        if any(part is None for part in parts):
            entry.warnings[:] = warnings  # not a list of points after all: one error
            return None
        return [point for part in parts for point in part]

    def _point(self, piece: str, entry: ImportRow) -> list[PlacementPoint] | None:
        catalogue = self.catalogue
        point = catalogue.points.get(key(piece))
        if point is not None:
            return [point]
        variant = variant_key(piece)
        if variant in catalogue.empty_words:
            entry.warnings.append(f"Графа 14: «{piece}» понято как пустая ячейка.")
            return []
        point = catalogue.point_variants.get(variant)
        if point is None:
            return None
        entry.warnings.append(f"Графа 14: «{piece}» понято как точка размещения «{point.name}».")
        return [point]


def _not_listed(column: int, what: str, text: str, allowed: list[str], tail: str) -> str:
    """ "Графа 9: статуса «…» нет. Допустимо: «…»; «…»." """
    return (
        f"Графа {column}: {what} «{text}» нет. Допустимо: "
        + "; ".join(f"«{name}»" for name in allowed)
        + tail
    )
