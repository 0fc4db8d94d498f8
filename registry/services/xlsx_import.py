"""Taking in an authority's registry spreadsheet: a preview of every row first, then all rows
in one transaction, or none.

The preview marks each row new / changed (with the columns that change) / unchanged / error.
Values are matched to the catalogue tolerantly (case, ё/е, spaces, trailing dots, known
variants of the status wording); anything unknown is an error that lists what is allowed.
Rows are matched to the registry by process identifier within the authority.
"""

from __future__ import annotations

from django.db import transaction

from portal.imports import (
    ACTION_LABELS,
    CHANGED,
    ERROR,
    NEW,
    UNCHANGED,
    ImportRefused,
    RowChange,
    check_confirmed,
)
from registry.columns import edition_columns
from registry.models import (
    Organization,
)
from registry.services.imports.catalogue import Catalogue, key
from registry.services.imports.links import LINK_MAX_CHARS, LINK_TYPES, parse_link
from registry.services.imports.parse import REQUIRED
from registry.services.imports.preview import RegistryPreview
from registry.services.imports.report import RegistryReport, RowReport
from registry.services.imports.write import RegistryWriter
from registry.services.xlsx_reader import (
    ParsedSheet,
    SpreadsheetError,
    read_registry_sheet,
)

ImportReport = RegistryReport  # the name the views and the stored batches know

# The steps live in registry.services.imports; these are the names callers know.
__all__ = [
    "ACTION_LABELS",
    "CHANGED",
    "ERROR",
    "LINK_MAX_CHARS",
    "LINK_TYPES",
    "NEW",
    "REQUIRED",
    "UNCHANGED",
    "ImportRefused",
    "ImportReport",
    "RegistryImport",
    "RowChange",
    "RowReport",
    "key",
    "parse_link",
]


class RegistryImport:
    """The preview of one file for one authority (read → parse → links → compare), and its
    apply (the preview again, checked against the confirmed fingerprint, then written)."""

    def __init__(
        self, authority: Organization, user=None, default_unit: Organization | None = None
    ):
        self.authority = authority
        self.user = user
        self.default_unit = default_unit
        self.catalogue = Catalogue(authority.edition)
        self.headers = {n: c.header for n, c in edition_columns(authority.edition).items()}

    # --- preview -------------------------------------------------------------------------

    def read(
        self, data: bytes, file_name: str | None = None
    ) -> tuple[ParsedSheet | None, RegistryReport]:
        """Reads the file once; the parsed sheet is kept with the upload for the confirm."""
        try:
            sheet = read_registry_sheet(data, file_name)
        except SpreadsheetError as error:
            report = RegistryReport(authority_id=self.authority.pk)
            report.file_errors.append(str(error))
            return None, report
        return sheet, self.preview_sheet(sheet)

    def preview(self, data: bytes, file_name: str | None = None) -> RegistryReport:
        return self.read(data, file_name)[1]

    def preview_sheet(self, sheet: ParsedSheet) -> RegistryReport:
        report = RegistryReport(authority_id=self.authority.pk, sheet_name=sheet.sheet_name)
        if not sheet.rows:
            report.file_errors.append("В таблице нет строк реестра под строкой заголовков.")
            return report
        preview = RegistryPreview(
            self.authority, self.user, self.default_unit, self.catalogue, self.headers
        )
        report.rows = preview.rows(sheet)
        return report

    # --- apply ---------------------------------------------------------------------------

    def checked(self, source: bytes | ParsedSheet, expected_fingerprint: str) -> RegistryReport:
        """The preview again, against the registry as it is now; refused when it has errors or
        differs from the preview the user confirmed."""
        report = (
            self.preview_sheet(source) if isinstance(source, ParsedSheet) else self.preview(source)
        )
        check_confirmed(
            report,
            expected_fingerprint,
            errors="В файле есть ошибки: ничего не записано.",
            stale="Реестр изменился после предпросмотра: проверьте обновленный предпросмотр и "
            "подтвердите снова. Ничего не записано.",
        )
        return report

    @staticmethod
    def rows_to_write(report: RegistryReport) -> list[RowReport]:
        return [r for r in report.rows if r.action in (NEW, CHANGED)]

    @transaction.atomic
    def apply(
        self,
        source: bytes | ParsedSheet,
        expected_fingerprint: str,
        reason: str = "Загрузка из файла",
        progress=None,
    ) -> RegistryReport:
        """Writes every row of the file, or nothing. Refuses when the preview is out of date:
        the rows are checked against the registry as it is now, not as it was at preview.
        `progress(done, total)` counts the rows written (a job's bar)."""
        report = self.checked(source, expected_fingerprint)
        writer = RegistryWriter(self.authority, self.user, self.default_unit)
        writer.write(report, self.rows_to_write(report), reason, progress)
        return report
