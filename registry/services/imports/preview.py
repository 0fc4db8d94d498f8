"""The parsed entries of a registry file compared with the authority's registry: each row new,
changed (with the columns that change), unchanged or an error, as the preview shows it."""

from __future__ import annotations

from portal.imports import CHANGED, ERROR, NEW, UNCHANGED, ImportRow, RowChange
from portal.scoping import CHANGE, can
from registry.models import Organization, Process
from registry.services.imports.catalogue import Catalogue
from registry.services.imports.links import LinkResolver
from registry.services.imports.parse import RowParser
from registry.services.registry_rows import registry_rows
from registry.services.row_values import row_texts
from registry.services.xlsx_reader import ParsedSheet


class RegistryPreview:
    """The rows of one sheet for one authority, as `user` (None: the command line) may write
    them, new rows going to `default_unit`."""

    def __init__(self, authority: Organization, user, default_unit, catalogue: Catalogue, headers):
        self.authority = authority
        self.user = user
        self.default_unit = default_unit
        self.catalogue = catalogue
        self.headers = headers
        self.parser = RowParser(catalogue, headers)

    def rows(self, sheet: ParsedSheet) -> list[ImportRow]:
        existing_rows = Process.objects.filter(authority=self.authority)
        existing = {
            p.identifier: p
            for p in existing_rows.only("pk", "identifier", "version", "unit_id", "is_excluded")
        }
        current_text = {row.pk: row.values for row in registry_rows(existing_rows)}
        editable = None
        if self.user is not None:
            editable = set(
                Process.objects.editable_by(self.user)
                .filter(authority=self.authority)
                .values_list("pk", flat=True)
            )
        entries, in_file = self._parse(sheet)
        LinkResolver(self.authority, in_file, existing).resolve_all(entries)
        for entry in entries:
            if entry.errors:
                entry.action = ERROR
                continue
            current = existing.get(entry.identifier)
            if current is None:
                self._new(entry)
            else:
                self._compare(entry, current, current_text.get(current.pk), editable)
                if entry.errors:
                    entry.action = ERROR
        return entries

    def _parse(self, sheet: ParsedSheet) -> tuple[list[ImportRow], dict[str, int]]:
        """The entries, and the row number of each identifier (the first that has it)."""
        in_file: dict[str, int] = {}
        entries = []
        for row in sheet.rows:
            entry = self.parser.parse(row)
            ident = entry.identifier
            if ident:
                if ident in in_file:
                    entry.errors.append(
                        f"Графа 1: идентификатор «{ident}» уже встречается "
                        f"в строке {in_file[ident]}."
                    )
                else:
                    in_file[ident] = row.number
            entries.append(entry)
        return entries, in_file

    def _new(self, entry: ImportRow) -> None:
        entry.action = NEW
        if self.default_unit is None:
            entry.errors.append(
                "Новая строка: выберите подразделение, к которому отнести новые строки."
            )
            entry.action = ERROR
        elif self.user is not None and not can(self.user, CHANGE, self._new_row()):
            entry.errors.append(
                "Новые строки вносит сотрудник или уполномоченное лицо органа власти."
            )
            entry.action = ERROR

    def _compare(self, entry: ImportRow, current: Process, old, editable) -> None:
        entry.values["existing_pk"] = current.pk
        entry.values["existing_version"] = current.version
        entry.changes = (
            [
                RowChange(n, self.headers[n], old[n - 1], new)
                for n, new in enumerate(self._canonical(entry), start=1)
                if _same(old[n - 1]) != _same(new)
            ]
            if old is not None
            else []
        )
        if not entry.changes:
            entry.action = UNCHANGED
            entry.warnings = []  # nothing will be written, so nothing to warn about
            return
        entry.action = CHANGED
        if current.is_excluded:
            entry.errors.append(
                "Процесс исключен из реестра: восстановите его на портале, прежде чем менять."
            )
        elif editable is not None and current.pk not in editable:
            if [c.column for c in entry.changes] == [12]:
                # Only a link named on another row of the file, as on the portal, where
                # a link to another unit's row is entered from one's own row.
                entry.action = UNCHANGED
                entry.warnings = [
                    "Графа 12 изменится через связь, указанную в другой строке файла."
                ]
                return
            entry.errors.append(
                "Строку ведет другое подразделение: изменить ее может оно или уполномоченное лицо."
            )

    def _new_row(self) -> Process:
        return Process(authority=self.authority, unit=self.default_unit)

    def _canonical(self, entry: ImportRow) -> list[str]:
        """The row as the export would write it, to compare with the registry."""
        names = self.catalogue.row_names
        for _, other, _ in entry.values["links"]:
            if other not in names.authorities:
                names.authorities[other] = Organization.objects.get(pk=other).full_name
        return row_texts(entry.values, self.authority.pk, names)


def _same(text: str) -> str:
    """Only line endings and surrounding spaces do not count as a change."""
    return "\n".join(line.rstrip() for line in (text or "").strip().splitlines())
